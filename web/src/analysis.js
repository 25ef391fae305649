// What a panel or style shows when the analytics it needs were never computed: "尚未分析", how to get them and,
// for analyst and admin keys, a "运行分析" button (runAnalysis) that shows the run's progress and calls back
// when it is done; never "none" or a silent grey. Other keys see the button disabled, with the reason.
import { el, errorText, gql } from "./api.js";
import { analyzeCommand, enumName, num, pct, t } from "./i18n.js";

const MAY_RUN = new Set(["analyst", "admin"]);
const POLL_MS = 400;
const RUN = "id scope regionId state step progress error units";

let caller = null; // { role, regionId } of the signed-in key (signIn's answer)

/** The pages tell this module who is signed in, so the action knows whether the key may start a run. */
export function setCaller(me) {
  caller = me;
}

// the run followed per scope ("" the whole graph): one poll per scope, whatever number of buttons show it (a
// language switch redraws the panel while the run goes on)
const followed = new Map(); // scope -> { run, views: Set<(run) => void>, onDone }

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows `run` (the scope's run) until it finishes, showing it in `view`; one poll per scope. */
function follow(scope, run, onDone, view) {
  const found = followed.get(scope);
  if (found) {
    found.onDone = onDone;
    found.views.add(view);
    view(found.run);
    return;
  }
  const entry = { run, views: new Set([view]), onDone };
  followed.set(scope, entry);
  view(run);
  poll(scope, entry);
}

async function poll(scope, entry) {
  const notify = () => entry.views.forEach((view) => view(entry.run));
  try {
    while (entry.run.state === "QUEUED" || entry.run.state === "RUNNING") {
      await sleep(POLL_MS);
      const data = await gql(`query Run($id: ID!) { analysisRun(id: $id) { ${RUN} } }`, { id: entry.run.id });
      if (!data.analysisRun) throw new Error(t("run.lost"));
      entry.run = data.analysisRun;
      notify();
    }
  } catch (err) {
    entry.run = { ...entry.run, state: "FAILED", error: err.code ? errorText(err) : err.message };
    notify();
  } finally {
    followed.delete(scope);
  }
  if (entry.run.state === "DONE" && entry.onDone) await entry.onDone(entry.run);
}

function stepText(run) {
  if (run.state === "FAILED") return `${t("run.failed")}${run.error ? t("sentence.sep") + run.error : ""}`;
  if (run.state === "DONE") return t("run.done", { units: num(run.units) });
  return `${t(`run.state.${run.state}`)} · ${t(`run.step.${run.step}`)} · ${pct(run.progress)}`;
}

/** The "运行分析" action for a region (null: the whole graph, or the key's own region for a region key): a button,
 * a progress bar and a status line; onDone(run) runs once the results are written. `again`: the scope has results
 * already, the button refreshes them. */
export function runAction(region, onDone, { again = false } = {}) {
  const scope = region || "";
  const allowed = Boolean(caller && MAY_RUN.has(caller.role));
  const why = allowed ? null : t("run.needsRole", { role: caller ? enumName("Role", caller.role) : "—" });
  const bar = el("progress", { class: "run-progress", max: "1", value: "0", hidden: true });
  const status = el("span", { class: "run-status muted", role: "status" });
  const button = el("button", { type: "button", class: "run-analysis", "data-action": "run-analysis",
    disabled: !allowed, title: why || t("run.title") }, t(again ? "run.again" : "run.start"));
  const box = el("div", { class: "run-action", "data-run": "idle" }, button, bar, status,
    why ? el("p", { class: "muted small run-why", text: why }) : null);
  const show = (run) => {
    box.dataset.run = run.state;
    box.dataset.runId = run.id;
    button.disabled = run.state === "QUEUED" || run.state === "RUNNING" || !allowed;
    bar.hidden = run.state === "FAILED";
    bar.value = String(run.progress ?? 0);
    status.textContent = stepText(run);
    status.className = run.state === "FAILED" ? "run-status error" : "run-status muted";
  };
  const current = followed.get(scope);
  if (current) follow(scope, current.run, onDone, show); // a redraw while the run goes on
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const data = await gql(`mutation Run($r: ID) { runAnalysis(regionId: $r) { ${RUN} } }`, { r: region || null });
      follow(scope, data.runAnalysis, onDone, show);
    } catch (err) {
      box.dataset.run = "FAILED";
      status.textContent = errorText(err);
      status.className = "run-status error";
      button.disabled = !allowed;
    }
  });
  return box;
}

/** what: the i18n key saying what needs the analysis; region: narrows the suggested command and the run.
 * onDone: given, the notice offers the "运行分析" action and calls it once the results are written. */
export function notAnalysed(what, region, { short = false, onDone = null } = {}) {
  return el("div", { class: "not-analysed", "data-analysis": "none" },
    el("strong", { text: t("analysis.none") }),
    el("p", { text: [what ? t(what) : "", t(short ? "analysis.howShort" : "analysis.how")].filter(Boolean)
      .join(t("sentence.sep")) }),
    el("code", { text: analyzeCommand(region) }),
    onDone ? runAction(region, onDone) : null);
}

/** Some units of a view analysed, others not (an analysis of another scope): how many, and how they are drawn. */
export function partlyAnalysed(count, how, { onDone = null } = {}) {
  return el("div", { class: "not-analysed partial", "data-analysis": "partial" },
    el("p", { text: t("analysis.partial", { n: count, how: t(how) }) }),
    el("p", { text: t("analysis.howShort") }), el("code", { text: analyzeCommand() }),
    onDone ? runAction(null, onDone) : null);
}
