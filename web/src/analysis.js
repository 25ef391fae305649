// What a panel or style shows when the analytics it needs were never computed: "尚未分析" and how to get them,
// never "none" or a silent grey. (No button: the API has no runAnalysis mutation yet.)
import { el } from "./api.js";
import { analyzeCommand, t } from "./i18n.js";

/** what: the i18n key saying what needs the analysis; region: narrows the suggested command. */
export function notAnalysed(what, region, { short = false } = {}) {
  return el("div", { class: "not-analysed", "data-analysis": "none" },
    el("strong", { text: t("analysis.none") }),
    el("p", { text: [what ? t(what) : "", t(short ? "analysis.howShort" : "analysis.how")].filter(Boolean)
      .join(t("sentence.sep")) }),
    el("code", { text: analyzeCommand(region) }));
}

/** Some units of a view analysed, others not (an analysis of another scope): how many, and how they are drawn. */
export function partlyAnalysed(count, how) {
  return el("div", { class: "not-analysed partial", "data-analysis": "partial" },
    el("p", { text: t("analysis.partial", { n: count, how: t(how) }) }),
    el("p", { text: t("analysis.howShort") }), el("code", { text: analyzeCommand() }));
}
