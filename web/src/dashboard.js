// The dashboard: a region's KPIs and panels, each bound to GraphQL queries and downloadable as CSV.
// Each panel fetches once and keeps a draw function, so switching the language redraws without asking again.
// Panels whose fields this API does not have (yet) say "not available"; those whose analytics were never
// computed say "尚未分析" and how to compute them.
import "./style.css";
import { gql, signIn, download, toCsv, el, errorText } from "./api.js";
import { notAnalysed, runAction, setCaller } from "./analysis.js";
import { analysisScope, date, enumName, labelName, num, onLocaleChange, pct, qty, sizes, startI18n, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const PAGE = 100;
const AGE_BUCKETS = [[0, 30], [31, 90], [91, 180], [181, 365], [366, Infinity]];
const UNCLAIMED_DAYS = 90; // the coverage gaps' "aging" threshold
const PANEL_TITLES = { kpis: "dash.kpis", streets: "dash.streetsPlain", meetings: "dash.meetings",
  brokers: "dash.brokers", gaps: "dash.gaps", aging: "dash.aging" };
const PANEL_IDS = Object.keys(PANEL_TITLES);

let schema = null; // { root: Map(name -> field), types: Map(name -> type) }
const panels = new Map(); // id -> { header, rows } as last drawn, for CSV
const draws = new Map(); // id -> () => void: draws the panel from its last data in the current language
const timings = {};

async function loadSchema() {
  const data = await gql(`{ __schema {
    queryType { fields { name args { name } type { ...T } } }
    types { name kind fields { name type { ...T } } possibleTypes { name } } } }
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`);
  const types = new Map(data.__schema.types.map((t_) => [t_.name, t_]));
  const root = new Map(data.__schema.queryType.fields.map((f) => [f.name, f]));
  return { root, types };
}

function named(type) {
  let t_ = type;
  while (t_.ofType) t_ = t_.ofType;
  return t_;
}

function hasArg(field, name) {
  return field.args.some((a) => a.name === name);
}

function fieldsOf(rootField) {
  const def = schema.root.get(rootField);
  const type = def && schema.types.get(named(def.type).name);
  return new Set(((type && type.fields) || []).map((f) => f.name));
}

// ---- parameters ------------------------------------------------------------------------

function params() {
  return { regionId: $("region").value, from: $("from").value || null, to: $("to").value || null };
}

function dateFilter(p) {
  if (!p.from && !p.to) return null;
  return { gte: p.from, lte: p.to };
}

// ---- panels ----------------------------------------------------------------------------

/** Draws a panel: its title, a CSV button (rows: raw values, for spreadsheets), the body and a footnote. */
function panel(id, title, body, header, rows, extra, state) {
  panels.set(id, { header, rows });
  const box = $(`panel-${id}`);
  box.replaceChildren(
    el("div", { class: "panel-head" }, el("h2", { text: title }),
      el("button", { class: "csv", "data-csv": id, title: t("dash.csvTitle"), disabled: !rows,
        onclick: () => downloadPanel(id) }, "CSV")),
    body,
  );
  if (extra) box.append(extra);
  box.dataset.state = state || (rows ? "ready" : "unavailable");
}

function unavailable(id, titleKey, why) {
  return () => panel(id, t(titleKey), el("p", { class: "muted unavailable",
    text: why ? t("dash.unavailableWhy", { why }) : t("dash.unavailable") }), null, null);
}

function downloadPanel(id) {
  const { header, rows } = panels.get(id);
  const p = params();
  const range = [p.from, p.to].filter(Boolean).join("_");
  download(`alliance-${id}-${p.regionId}${range ? "-" + range : ""}.csv`, toCsv(header, rows), "text/csv");
}

/** A cell is text, a Node, or { text, value } (value: the raw figure, kept in data-value for tests and CSV). */
function cell(c) {
  if (c instanceof Node) return el("td", {}, c);
  if (c !== null && typeof c === "object") {
    return el("td", { "data-value": c.value ?? "", class: typeof c.value === "number" ? "num" : null, text: c.text });
  }
  return el("td", { text: c ?? "" });
}

function tableOf(header, rows, attrs = {}, keys = null) {
  return el("table", { class: "data", ...attrs },
    el("thead", {}, el("tr", {}, header.map((h) => el("th", { text: h })))),
    el("tbody", {}, rows.map((r, i) => el("tr", { "data-key": keys ? keys[i] : null }, r.map(cell)))));
}

const numCell = (n, unit) => ({ text: unit ? qty(n, unit) : num(n), value: n });
const dateCell = (iso) => ({ text: iso ? date(iso) : "—", value: iso ?? "" });

function unitName(unit) {
  return unit ? unit.name ?? unit.id : "—";
}

function unitKind(unit) {
  if (!unit) return "";
  const label = labelName(unit.__typename);
  if (unit.kind) return `${label} · ${enumName("OrgKind", unit.kind)}`;
  if (unit.ownership) return `${label} · ${enumName("Ownership", unit.ownership)}`;
  return label;
}

async function pageAll(query, variables, pick) {
  const out = [];
  let after = null;
  for (let n = 0; n < 200; n += 1) {
    const data = pick(await gql(query, { ...variables, after }));
    out.push(...data.nodes);
    if (!data.pageInfo.hasNextPage) return { nodes: out, totalCount: data.totalCount };
    after = data.pageInfo.endCursor;
  }
  return { nodes: out, totalCount: out.length };
}

// ---- key figures -------------------------------------------------------------------------

// The wish funnel and meeting KPIs: the scalar fields of wishFunnel / meetingStats in this order, with the unit
// each is counted in (null: a rate); fields a future API adds show under their own name.
const STATS = {
  wishFunnel: { prefix: "wish", units: { published: "wishes", dispatched: "wishes", accepted: "wishes",
    fulfilled: "wishes", rated: "wishes", cancelled: "wishes", contributors: "actors", warehouseFulfilled: "wishes",
    medianDaysToFulfil: "days" } },
  meetingStats: { prefix: "meeting", units: { meetings: "times", matters: "matters", importantMatters: "matters",
    mattersDone: "matters", overdue: "matters", completionRate: null } },
};

/** The raw figure, as the CSV and data-value carry it: rates as a percentage with one decimal, other
 * non-integers with one decimal, integers plain, null as a dash. */
function figure(key, value) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (/Rate$/.test(key)) return (100 * value).toFixed(1) + "%";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** What a KPI counts, shown on hover ("kpidef.<id>" in i18n.js); its label for a figure a newer API adds. */
function definition(id, label) {
  const key = `kpidef.${id}`;
  const text = t(key);
  return text === key ? label : text;
}

/** A KPI: id, what it is (label), raw figure, and how to show it. */
function kpi(id, label, value, { unit = null, rate = false } = {}) {
  const raw = rate ? figure("xRate", value) : figure(id, value);
  const shown = value === null || value === undefined ? "—" : rate ? pct(value) : qty(value, unit);
  return { id, label, raw, shown };
}

async function statFigures(field, { prefix, units }, p) {
  const def = schema.root.get(field);
  const title = () => t(`kpi.${prefix}`);
  const missing = () => [{ id: `${prefix}-unavailable`, label: title(), raw: "not available",
    shown: t("dash.unavailable") }];
  if (!def) return { rows: missing };
  const type = schema.types.get(named(def.type).name);
  const scalars = (type.fields || []).filter((f) => ["SCALAR", "ENUM"].includes(named(f.type).kind)).map((f) => f.name);
  const args = ["regionId: $r", hasArg(def, "from") ? "from: $from" : "", hasArg(def, "to") ? "to: $to" : ""]
    .filter(Boolean).join(", ");
  try {
    const data = await gql(`query Stat($r: ID, $from: String, $to: String) { ${field}(${args}) { ${scalars.join(" ")} } }`,
      { r: p.regionId, from: p.from, to: p.to });
    const ordered = [...Object.keys(units).filter((k) => scalars.includes(k)), ...scalars.filter((k) => !(k in units))];
    return { rows: () => ordered.map((k) => kpi(`${prefix}-${k}`,
      k in units ? t(`kpi.${prefix}-${k}`) : t("kpi.other", { title: title(), field: k }),
      data[field][k], { unit: units[k], rate: /Rate$/.test(k) })) };
  } catch (err) {
    return { rows: missing, note: () => t("kpi.unavailableNote", { title: title(), code: err.code }) };
  }
}

async function kpis(p) {
  const signed = dateFilter(p);
  const counts = await gql(`query Counts($r: ID!, $signed: DateFilter) {
    agreements: agreements(where: {regionId: $r, signedOn: $signed}, first: 1) { totalCount }
    active: agreements(where: {regionId: $r, signedOn: $signed, status: {eq: "ACTIVE"}}, first: 1) { totalCount }
    pairings: agreements(where: {regionId: $r, signedOn: $signed, kind: {eq: "PAIRING"}}, first: 1) { totalCount }
    items: listItems(where: {regionId: $r}, first: 1) { totalCount }
    claimed: listItems(where: {regionId: $r, unclaimed: false}, first: 1) { totalCount }
    unclaimed: listItems(where: {regionId: $r, unclaimed: true}, first: 1) { totalCount }
    signatories: agreementTotals(where: {regionId: $r, signedOn: $signed}) { parties(role: "乙方") }
    committee: allianceTotals(where: {regionId: $r}) { committeeMembers }
  }`, { r: p.regionId, signed });
  // the seed's definitions, one call each: distinct 乙方 signatory units, distinct part-time committee members
  const units = counts.signatories.parties;
  const members = counts.committee.committeeMembers;
  const items = counts.items.totalCount;
  const stats = await Promise.all(Object.entries(STATS).map(([field, spec]) => statFigures(field, spec, p)));
  return () => {
    const rows = [
      kpi("units-with-agreements", t("kpi.units-with-agreements"), units, { unit: "units" }),
      kpi("agreements", t("kpi.agreements"), counts.agreements.totalCount, { unit: "docs" }),
      kpi("active-agreements", t("kpi.active-agreements"), counts.active.totalCount, { unit: "docs" }),
      kpi("pairings", t("kpi.pairings"), counts.pairings.totalCount, { unit: "docs" }),
      kpi("list-items", t("kpi.list-items"), items, { unit: "items" }),
      kpi("items-claimed", t("kpi.items-claimed"), counts.claimed.totalCount, { unit: "items" }),
      kpi("share-claimed", t("kpi.share-claimed"), items ? counts.claimed.totalCount / items : null, { rate: true }),
      kpi("items-unclaimed", t("kpi.items-unclaimed"), counts.unclaimed.totalCount, { unit: "items" }),
      kpi("committee-members", t("kpi.committee-members"), members, { unit: "people" }),
    ];
    const notes = [];
    for (const { rows: more, note } of stats) {
      rows.push(...more());
      if (note) notes.push(note());
    }
    const grid = el("div", { class: "kpis" }, rows.map((r) => el("div", { class: "kpi", title: definition(r.id, r.label) },
      el("div", { class: "value", "data-kpi": r.id, "data-value": r.raw, text: r.shown }),
      el("div", { class: "label", text: r.label }))));
    panel("kpis", t("dash.kpis"), grid, [t("col.kpiId"), t("col.kpi"), t("col.value")],
      rows.map((r) => [r.id, r.label, r.raw]), notes.length ? el("p", { class: "muted", text: notes.join(" · ") }) : null);
  };
}

// ---- meetings per alliance -----------------------------------------------------------------

const ALLIANCE_ROWS = 15; // shown; the CSV has every alliance

async function meetings(p) {
  if (!fieldsOf("meetingStats").has("perAlliance")) {
    return unavailable("meetings", "dash.meetings", t("dash.noPerAlliance"));
  }
  let data;
  try {
    data = await gql(`query PerAlliance($r: ID, $from: String, $to: String) {
      meetingStats(regionId: $r, from: $from, to: $to) { perAlliance {
        alliance { id name } meetings matters mattersDone overdue lastHeldOn } } }`,
    { r: p.regionId, from: p.from, to: p.to });
  } catch (err) {
    return unavailable("meetings", "dash.meetings", err.code);
  }
  const list = data.meetingStats.perAlliance;
  return () => {
    const header = [t("col.allianceId"), t("col.alliance"), t("col.meetings"), t("col.matters"), t("col.done"),
      t("col.overdue"), t("col.lastHeld")];
    const rows = list.map((a) => [a.alliance.id, a.alliance.name, a.meetings, a.matters, a.mattersDone, a.overdue,
      a.lastHeldOn ?? ""]);
    const shown = list.slice(0, ALLIANCE_ROWS);
    const body = shown.length
      ? tableOf(header.slice(1), shown.map((a) => [a.alliance.name, numCell(a.meetings), numCell(a.matters),
        numCell(a.mattersDone), numCell(a.overdue), dateCell(a.lastHeldOn)]), { id: "meetings-table" },
      shown.map((a) => a.alliance.id))
      : el("p", { class: "muted", text: t("dash.noMeetings") });
    panel("meetings", t("dash.meetings"), body, header, rows, list.length > shown.length
      ? el("p", { class: "muted", text: t("dash.showingAlliances", { shown: shown.length, total: list.length }) })
      : null);
  };
}

// ---- agreements per sub-region ---------------------------------------------------------------

async function streets(p) {
  const data = await gql(`query Children($r: ID!) { node(id: $r) { ... on Region { name level
    children { id name level } } } }`, { r: p.regionId });
  const children = data.node.children || [];
  const signed = dateFilter(p);
  const rows = [];
  for (let start = 0; start < children.length; start += 28) {
    const chunk = children.slice(start, start + 28);
    const fields = chunk.map((_, i) => `c${i}: agreements(where: {regionId: $r${i}, signedOn: $signed}, first: 1) {
      totalCount }`);
    const decl = ["$signed: DateFilter", ...chunk.map((_, i) => `$r${i}: ID`)].join(", ");
    const vars = { signed, ...Object.fromEntries(chunk.map((c, i) => [`r${i}`, c.id])) };
    const counts = await gql(`query PerStreet(${decl}) { ${fields.join(" ")} }`, vars);
    chunk.forEach((c, i) => rows.push([c.id, c.name, counts[`c${i}`].totalCount]));
  }
  rows.sort((a, b) => b[2] - a[2] || String(a[0]).localeCompare(String(b[0])));
  const max = Math.max(1, ...rows.map((r) => r[2]));
  const level = children[0] && children[0].level;
  return () => {
    const bars = el("div", { class: "bars" }, rows.map(([id, name, n]) => el("div", { class: "bar-row", "data-region": id },
      el("span", { class: "bar-label", title: name, text: name }),
      el("span", { class: "bar-track" }, el("span", { class: "bar", style: `width:${(100 * n) / max}%` })),
      el("span", { class: "bar-value", "data-count": n, text: qty(n, "docs") }))));
    const levelName = level ? enumName("RegionLevel", level) : t("dash.subRegion");
    panel("streets", t("dash.streets", { level: levelName }),
      rows.length ? bars : el("p", { class: "muted", text: t("dash.noSubRegions") }),
      [t("col.regionId"), t("col.region"), t("col.agreements")], rows);
  };
}

// ---- top brokers (needs the analysis) -------------------------------------------------------

const UNIT = "__typename ... on Organisation { id name kind } ... on Enterprise { id name ownership }";
const ANALYTICS = "analytics { computedAt stale scope }";

async function brokers(p) {
  if (!schema.root.has("brokers")) return unavailable("brokers", "dash.brokers", t("dash.noField", { field: "brokers" }));
  // one unit's stored scores tell whether (and when) this region was analysed: brokers alone cannot tell
  // "no broker" from "never analysed"
  const probe = schema.root.has("centrality") ? `probe: centrality(metric: DEGREE, regionId: $r, top: 1) {
    unit { ... on Organisation { ${ANALYTICS} } ... on Enterprise { ${ANALYTICS} } } }` : "";
  let data;
  try {
    data = await gql(`query Brokers($r: ID) { brokers(regionId: $r, top: 10) { unit { ${UNIT} } components splitSizes }
      ${probe} }`, { r: p.regionId });
  } catch (err) {
    return unavailable("brokers", "dash.brokers", err.code);
  }
  const list = data.brokers;
  const analysis = data.probe && data.probe.length ? data.probe[0].unit.analytics : null;
  const analysed = list.length > 0 || Boolean(analysis) || !probe;
  return () => {
    const title = t("dash.brokers");
    if (!analysed) {
      panel("brokers", title, notAnalysed("analysis.what.brokers", p.regionId, { onDone: () => refreshPanel("brokers",
        brokers, p) }), null, null, null, "not-analysed");
      return;
    }
    const header = [t("col.rank"), t("col.unitId"), t("col.unit"), t("col.type"), t("col.pieces"),
      t("col.splitSizes"), t("col.cutOff")];
    const cutOff = (b) => b.splitSizes.reduce((s, v) => s + v, 0) - Math.max(0, ...b.splitSizes);
    const rows = list.map((b, i) => [i + 1, b.unit.id, unitName(b.unit), unitKind(b.unit), b.components,
      b.splitSizes.join(" "), cutOff(b)]);
    const body = el("div", {}, el("p", { class: "muted", text: t("dash.brokersExplain") }), list.length
      ? tableOf([t("col.rank"), t("col.unit"), t("col.split"), t("col.cutOff")],
        list.map((b, i) => [num(i + 1), el("span", {}, unitName(b.unit), el("br"),
          el("span", { class: "muted small", text: unitKind(b.unit) })),
        { text: sizes(b.splitSizes), value: b.splitSizes.join(" ") }, numCell(cutOff(b), "units")]),
        { id: "brokers-table" }, list.map((b) => b.unit.id))
      : el("p", { class: "muted", text: t("dash.noBrokers") }));
    panel("brokers", title, body, header, rows, el("div", {}, analysis ? analysisFootnote(analysis) : null,
      runAction(p.regionId, () => refreshPanel("brokers", brokers, p), { again: true })));
  };
}

/** Fetches and draws one panel again (its analysis finished), unless the region shown has changed since. */
async function refreshPanel(id, job, p) {
  if (params().regionId !== p.regionId) return;
  const draw = await job(p);
  draws.set(id, draw);
  draw();
}

function analysisFootnote(analysis) {
  return el("p", { class: analysis.stale ? "note warn analysis-when" : "muted analysis-when" },
    `${t("analysis.computedAt", { at: date(analysis.computedAt) })} · ${analysisScope(analysis.scope)}`,
    analysis.stale ? ` · ${t("analysis.stale")}` : "");
}

// ---- coverage gaps ------------------------------------------------------------------------------

const GAPS_SHOWN = 8;

async function gaps(p) {
  const def = schema.root.get("coverageGaps");
  if (!def) return unavailable("gaps", "dash.gaps", t("dash.noField", { field: "coverageGaps" }));
  const days = hasArg(def, "unclaimedDays") ? UNCLAIMED_DAYS : null;
  let data;
  try {
    data = await gql(`query Gaps($r: ID${days === null ? "" : ", $days: Int"}) {
      coverageGaps(regionId: $r${days === null ? "" : ", unclaimedDays: $days"}) {
        unpairedCount agingCount idleCount
        unpairedCommunities(first: 100) { id name level parent { name } }
        agingItems(first: 100) { id title list publishedOn daysUnclaimed publisher { ${UNIT} } }
        idleUnits(first: 100) { ${UNIT} } } }`, { r: p.regionId, days });
  } catch (err) {
    return unavailable("gaps", "dash.gaps", err.code);
  }
  const g = data.coverageGaps;
  return () => {
    const section = (kind, heading, shown, count, total) => el("div", { class: "gap", "data-gap": kind },
      el("h3", { text: heading }),
      count ? shown : el("p", { class: "muted", text: t(`gap.none.${kind}`) }),
      total > count ? el("p", { class: "muted", text: t("gap.more", { n: num(total - count) }) }) : null);
    const unpaired = g.unpairedCommunities.slice(0, GAPS_SHOWN);
    const aging = g.agingItems.slice(0, GAPS_SHOWN);
    const idle = g.idleUnits.slice(0, GAPS_SHOWN);
    const body = el("div", { class: "gaps" },
      section("unpaired", t("gap.unpaired", { n: num(g.unpairedCount) }),
        el("ul", { class: "gap-list" }, unpaired.map((r) => el("li", { "data-id": r.id }, r.name,
          el("span", { class: "muted", text: ` ${enumName("RegionLevel", r.level)}${r.parent ? " · " + r.parent.name : ""}` })))),
        unpaired.length, g.unpairedCount),
      section("aging", t("gap.aging", { n: num(g.agingCount), days: num(days ?? UNCLAIMED_DAYS) }),
        tableOf([t("col.item"), t("col.list"), t("col.publisher"), t("col.published"), t("col.open")],
          aging.map((it) => [it.title ?? it.id, enumName("ListKind", it.list), unitName(it.publisher),
            dateCell(it.publishedOn), { text: it.daysUnclaimed === null ? "—" : t("gap.daysOpen",
              { days: num(it.daysUnclaimed) }), value: it.daysUnclaimed }]),
          { class: "data gap-items" }, aging.map((it) => it.id)),
        aging.length, g.agingCount),
      section("idle", t("gap.idle", { n: num(g.idleCount) }),
        el("ul", { class: "gap-list" }, idle.map((u) => el("li", { "data-id": u.id }, unitName(u),
          el("span", { class: "muted", text: ` ${unitKind(u)}` })))),
        idle.length, g.idleCount));
    const rows = [
      ...g.unpairedCommunities.map((r) => [t("gap.kind.unpaired"), r.id, r.name, enumName("RegionLevel", r.level)]),
      ...g.agingItems.map((it) => [t("gap.kind.aging"), it.id, it.title, [enumName("ListKind", it.list),
        unitName(it.publisher), it.publishedOn].filter(Boolean).join(" · ")]),
      ...g.idleUnits.map((u) => [t("gap.kind.idle"), u.id, unitName(u), unitKind(u)]),
    ];
    panel("gaps", t("dash.gaps"), body, [t("col.gap"), t("col.id"), t("col.name"), t("col.detail")], rows);
  };
}

// ---- unclaimed items by age -------------------------------------------------------------------

async function aging(p) {
  const all = await pageAll(`query Aging($r: ID!, $after: String) {
    listItems(where: {regionId: $r, unclaimed: true}, orderBy: PUBLISHED_ON, first: ${PAGE}, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id title list publishedOn remaining unit } } }`,
  { r: p.regionId }, (d) => d.listItems);
  const asOf = p.to ? new Date(p.to) : new Date();
  const day = 86400000;
  const counts = AGE_BUCKETS.map(() => 0);
  let undated = 0;
  for (const it of all.nodes) {
    if (!it.publishedOn) {
      undated += 1;
      continue;
    }
    const age = Math.floor((asOf - new Date(it.publishedOn)) / day);
    const k = AGE_BUCKETS.findIndex(([lo, hi]) => age >= lo && age <= hi);
    counts[k === -1 ? 0 : k] += 1;
  }
  const oldest = all.nodes.filter((it) => it.publishedOn).slice(0, 10);
  return () => {
    const buckets = AGE_BUCKETS.map((_, k) => [`age-${k}`, t(`age.${k}`), counts[k]]);
    if (undated) buckets.push(["undated", t("age.undated"), undated]);
    buckets.push(["total", t("age.total"), all.totalCount]);
    const table = tableOf([t("col.age"), t("col.items")], buckets.map(([, label, n]) => [label, numCell(n, "items")]),
      { id: "aging-table" }, buckets.map(([key]) => key));
    panel("aging", t("dash.aging"), table, [t("col.age"), t("col.items")], buckets.map(([, label, n]) => [label, n]),
      el("div", {}, el("h3", { text: t("dash.oldest") }),
        tableOf([t("col.title"), t("col.list"), t("col.published"), t("col.remaining")],
          oldest.map((it) => [it.title ?? it.id, enumName("ListKind", it.list), dateCell(it.publishedOn),
            { text: `${num(it.remaining)}${it.unit ? " " + it.unit : ""}`, value: it.remaining }]),
          { id: "oldest-table" }, oldest.map((it) => it.id))));
  };
}

// ---- start -----------------------------------------------------------------------------

function showRenderTime() {
  if (timings.total !== undefined) $("render-time").textContent = t("dash.renderTime", { ms: num(timings.total, 0) });
}

async function render() {
  const p = params();
  const url = new URL(location.href);
  for (const k of ["regionId", "from", "to"]) {
    if (p[k]) url.searchParams.set(k, p[k]);
    else url.searchParams.delete(k);
  }
  history.replaceState(null, "", url);
  document.body.dataset.ready = "false";
  const started = performance.now();
  for (const id of PANEL_IDS) $(`panel-${id}`).dataset.state = "loading";
  const jobs = { kpis, streets, meetings, brokers, gaps, aging };
  await Promise.all(Object.entries(jobs).map(async ([id, job]) => {
    const t0 = performance.now();
    let draw;
    try {
      draw = await job(p);
    } catch (err) {
      draw = () => {
        panel(id, t(PANEL_TITLES[id]), el("p", { class: "error", text: errorText(err) }), null, null, null, "error");
      };
    }
    draws.set(id, draw);
    try {
      draw();
    } catch (err) {
      panel(id, t(PANEL_TITLES[id]), el("p", { class: "error", text: errorText(err) }), null, null, null, "error");
    }
    timings[id] = Math.round(performance.now() - t0);
  }));
  timings.total = Math.round(performance.now() - started);
  showRenderTime();
  document.body.dataset.ready = "true";
}

function redraw() {
  for (const draw of draws.values()) draw();
  showRenderTime();
}

async function main() {
  startI18n();
  const me = await signIn();
  setCaller(me);
  onLocaleChange(redraw);
  schema = await loadSchema();
  const regions = await gql(`{ regions(where: {level: {in: ["DISTRICT", "STREET", "TOWN"]}}, orderBy: ID, first: 100) {
    nodes { id name level } } }`);
  const select = $("region");
  for (const r of regions.regions.nodes) select.append(el("option", { value: r.id }, `${r.name} (${r.id})`));
  const wanted = new URL(location.href).searchParams;
  if (wanted.get("regionId")) select.value = wanted.get("regionId");
  else if (me.regionId && [...select.options].some((o) => o.value === me.regionId)) select.value = me.regionId;
  for (const k of ["from", "to"]) if (wanted.get(k)) $(k).value = wanted.get(k);
  $("params").addEventListener("submit", (event) => {
    event.preventDefault();
    render();
  });
  if (!select.options.length) {
    $("render-time").textContent = t("dash.noRegion");
    document.body.dataset.ready = "true";
    return;
  }
  await render();
}

window.__dashboard = { timings, panels };
main().catch((err) => {
  $("render-time").textContent = errorText(err);
  document.body.dataset.ready = "error";
});
