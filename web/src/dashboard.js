// The dashboard: a region's KPIs and panels, each bound to GraphQL queries and downloadable as CSV.
// Panels whose fields this API does not have (yet) say "not available" instead of failing.
import "./style.css";
import { gql, signIn, download, toCsv, el } from "./api.js";

const $ = (id) => document.getElementById(id);
const PAGE = 100;
const AGE_BUCKETS = [[0, 30, "0–30 days"], [31, 90, "31–90 days"], [91, 180, "91–180 days"],
  [181, 365, "181–365 days"], [366, Infinity, "over a year"]];

let schema = null; // { root: Map(name -> field), types: Map(name -> type) }
const panels = new Map(); // id -> { header, rows } as last rendered, for CSV
const timings = {};

async function loadSchema() {
  const data = await gql(`{ __schema {
    queryType { fields { name args { name } type { ...T } } }
    types { name kind fields { name type { ...T } } possibleTypes { name } } } }
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`);
  const types = new Map(data.__schema.types.map((t) => [t.name, t]));
  const root = new Map(data.__schema.queryType.fields.map((f) => [f.name, f]));
  return { root, types };
}

function named(type) {
  let t = type;
  while (t.ofType) t = t.ofType;
  return t;
}

/** A selection set for a type: its scalars, and id/name/title of the objects it points to. */
function selection(typeName, depth = 0) {
  const type = schema.types.get(typeName);
  if (!type) return "__typename";
  if (type.kind === "UNION" || type.kind === "INTERFACE") {
    return "__typename " + type.possibleTypes.map((p) => `... on ${p.name} { ${selection(p.name, depth + 1)} }`).join(" ");
  }
  const parts = [];
  for (const f of type.fields || []) {
    const inner = named(f.type);
    if (inner.kind === "SCALAR" || inner.kind === "ENUM") {
      if (depth === 0 || ["id", "name", "title", "publishedOn", "remaining"].includes(f.name)) parts.push(f.name);
    } else if (depth === 0) {
      parts.push(`${f.name} { ${selection(inner.name, depth + 1)} }`);
    }
  }
  return parts.join(" ") || "__typename";
}

function hasArg(field, name) {
  return field.args.some((a) => a.name === name);
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

function panel(id, title, body, header, rows, extra) {
  panels.set(id, { header, rows });
  const box = $(`panel-${id}`);
  box.replaceChildren(
    el("div", { class: "panel-head" }, el("h2", { text: title }),
      el("button", { class: "csv", "data-csv": id, disabled: !rows, onclick: () => downloadPanel(id) }, "CSV")),
    body,
  );
  if (extra) box.append(extra);
  box.dataset.state = rows ? "ready" : "unavailable";
}

function unavailable(id, title, why) {
  panel(id, title, el("p", { class: "muted unavailable", text: `not available${why ? ": " + why : ""}` }), null, null);
}

function downloadPanel(id) {
  const { header, rows } = panels.get(id);
  const p = params();
  const range = [p.from, p.to].filter(Boolean).join("_");
  download(`alliance-${id}-${p.regionId}${range ? "-" + range : ""}.csv`, toCsv(header, rows), "text/csv");
}

function tableOf(header, rows, attrs = {}) {
  return el("table", { class: "data", ...attrs },
    el("thead", {}, el("tr", {}, header.map((h) => el("th", { text: h })))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((v) => el("td", { text: v ?? "" }))))));
}

function flatten(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(flatten).join("; ");
  if (typeof value === "object") {
    const own = value.name ?? value.title ?? value.id;
    if (own !== undefined) return String(own);
    return Object.values(value).filter((v) => v !== undefined && typeof v !== "object").join(" ");
  }
  return String(value);
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

// The wish funnel and meeting KPIs: the scalar fields of wishFunnel / meetingStats, labelled and formatted;
// list fields (meetingStats.perAlliance) have a panel of their own. Fields a future API adds show under their name.
const STATS = {
  wishFunnel: { prefix: "wish", title: "Wish funnel (微心愿)", labels: {
    published: "Wishes published (微心愿)",
    dispatched: "Wishes dispatched",
    accepted: "Wishes accepted (接单)",
    fulfilled: "Wishes fulfilled",
    rated: "Wishes rated",
    cancelled: "Wishes cancelled",
    contributors: "Wish contributors (members, units, enterprises)",
    warehouseFulfilled: "Wishes supplied by a wish warehouse (如愿义仓)",
    medianDaysToFulfil: "Median days from publication to fulfilment",
  } },
  meetingStats: { prefix: "meeting", title: "Meetings and matters", labels: {
    meetings: "Joint meetings held (联席会议)",
    matters: "Matters (五事联办)",
    importantMatters: "Matters decided together (要事共决)",
    mattersDone: "Matters done",
    overdue: "Matters overdue today",
    completionRate: "Share of matters done",
  } },
};

/** Fractions (rates) as a percentage, other non-integers with one decimal, null as a dash. */
function figure(key, value) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return flatten(value);
  if (/Rate$/.test(key)) return (100 * value).toFixed(1) + "%";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

async function statFigures(field, { prefix, title, labels }, p) {
  const def = schema.root.get(field);
  if (!def) return { rows: [[`${prefix}-unavailable`, title, "not available"]] };
  const type = schema.types.get(named(def.type).name);
  const scalars = (type.fields || []).filter((f) => ["SCALAR", "ENUM"].includes(named(f.type).kind)).map((f) => f.name);
  const args = ["regionId: $r", hasArg(def, "from") ? "from: $from" : "", hasArg(def, "to") ? "to: $to" : ""]
    .filter(Boolean).join(", ");
  try {
    const data = await gql(`query Stat($r: ID, $from: String, $to: String) { ${field}(${args}) { ${scalars.join(" ")} } }`,
      { r: p.regionId, from: p.from, to: p.to });
    const ordered = [...Object.keys(labels).filter((k) => scalars.includes(k)), ...scalars.filter((k) => !(k in labels))];
    return { rows: ordered.map((k) => [`${prefix}-${k}`, labels[k] || `${title}: ${k}`, figure(k, data[field][k])]) };
  } catch (err) {
    return { rows: [[`${prefix}-unavailable`, title, "not available"]], note: `${title}: not available (${err.code})` };
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
  }`, { r: p.regionId, signed });
  const [agreements, alliances] = await Promise.all([
    pageAll(`query Units($r: ID!, $signed: DateFilter, $after: String) {
      agreements(where: {regionId: $r, signedOn: $signed}, first: ${PAGE}, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { parties { unit { __typename
          ... on Organisation { id } ... on Enterprise { id } } } } } }`,
    { r: p.regionId, signed }, (d) => d.agreements),
    pageAll(`query Committee($r: ID!, $after: String) {
      alliances(where: {regionId: $r}, first: ${PAGE}, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { committeeMembers { id } } } }`,
    { r: p.regionId }, (d) => d.alliances),
  ]);
  const units = new Set(agreements.nodes.flatMap((a) => a.parties.map((x) => x.unit.id)));
  const members = new Set(alliances.nodes.flatMap((a) => a.committeeMembers.map((m) => m.id)));
  const items = counts.items.totalCount;
  const share = items ? ((100 * counts.claimed.totalCount) / items).toFixed(1) + "%" : "—";
  const rows = [
    ["units-with-agreements", "Units with agreements (distinct parties)", units.size],
    ["agreements", "Agreements signed", counts.agreements.totalCount],
    ["active-agreements", "Active agreements", counts.active.totalCount],
    ["pairings", "Pairing agreements (结对共建)", counts.pairings.totalCount],
    ["list-items", "List items (needs, resources, projects)", items],
    ["items-claimed", "List items fully claimed", counts.claimed.totalCount],
    ["share-claimed", "Share of list items fully claimed", share],
    ["items-unclaimed", "List items still open to claim", counts.unclaimed.totalCount],
    ["committee-members", "Part-time committee members (兼职委员)", members.size],
  ];
  const extra = [];
  const stats = await Promise.all(Object.entries(STATS).map(([field, spec]) => statFigures(field, spec, p)));
  for (const { rows: more, note } of stats) {
    rows.push(...more);
    if (note) extra.push(note);
  }
  const grid = el("div", { class: "kpis" }, rows.map(([id, label, value]) => el("div", { class: "kpi" },
    el("div", { class: "value", "data-kpi": id, text: String(value) }), el("div", { class: "label", text: label }))));
  panel("kpis", "Key figures", grid, ["kpi", "label", "value"], rows,
    extra.length ? el("p", { class: "muted", text: extra.join(" · ") }) : null);
}

const ALLIANCE_ROWS = 15; // shown; the CSV has every alliance

async function meetings(p) {
  const title = "Meetings and matters per alliance";
  const def = schema.root.get("meetingStats");
  const type = def && schema.types.get(named(def.type).name);
  if (!type || !(type.fields || []).some((f) => f.name === "perAlliance")) {
    return unavailable("meetings", title, "this API has no meetingStats.perAlliance");
  }
  let data;
  try {
    data = await gql(`query PerAlliance($r: ID, $from: String, $to: String) {
      meetingStats(regionId: $r, from: $from, to: $to) { perAlliance {
        alliance { id name } meetings matters mattersDone overdue lastHeldOn } } }`,
    { r: p.regionId, from: p.from, to: p.to });
  } catch (err) {
    return unavailable("meetings", title, err.code);
  }
  const header = ["allianceId", "alliance", "meetings", "matters", "mattersDone", "overdue", "lastHeldOn"];
  const rows = data.meetingStats.perAlliance.map((a) => [a.alliance.id, a.alliance.name, a.meetings, a.matters,
    a.mattersDone, a.overdue, a.lastHeldOn ?? ""]);
  const shown = rows.slice(0, ALLIANCE_ROWS);
  const body = rows.length
    ? tableOf(["alliance", "meetings", "matters", "done", "overdue", "last held"], shown.map((r) => r.slice(1)),
      { id: "meetings-table" })
    : el("p", { class: "muted", text: "no meetings or matters in this period" });
  shown.forEach((r, i) => { if (body.tBodies) body.tBodies[0].rows[i].dataset.alliance = r[0]; });
  panel("meetings", title, body, header, rows, rows.length > shown.length
    ? el("p", { class: "muted", text: `showing ${shown.length} of ${rows.length} alliances; the CSV has all` }) : null);
}

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
  const bars = el("div", { class: "bars" }, rows.map(([id, name, n]) => el("div", { class: "bar-row", "data-region": id },
    el("span", { class: "bar-label", text: name }),
    el("span", { class: "bar", style: `width:${(100 * n) / max}%` }),
    el("span", { class: "bar-value", "data-count": n, text: String(n) }))));
  const level = (children[0] && children[0].level ? children[0].level.toLowerCase() : "sub-region");
  panel("streets", `Agreements per ${level}`, rows.length ? bars : el("p", { class: "muted", text: "no sub-regions" }),
    ["regionId", "name", "agreements"], rows);
}

async function generic(id, title, field, argsFor) {
  const def = schema.root.get(field);
  if (!def) return unavailable(id, title, `this API has no ${field}`);
  const p = params();
  const args = argsFor(def, p);
  const decl = Object.keys(args.vars).map((k) => `$${k}: ${args.types[k]}`).join(", ");
  let data;
  try {
    data = await gql(`query G${decl ? "(" + decl + ")" : ""} { ${field}(${args.text}) { ${selection(named(def.type).name)} } }`,
      args.vars);
  } catch (err) {
    return unavailable(id, title, err.code);
  }
  return data[field];
}

async function brokers(p) {
  const result = await generic("brokers", "Top brokers", "brokers", () => ({
    text: "regionId: $r, top: 10", vars: { r: p.regionId }, types: { r: "ID" } }));
  if (!Array.isArray(result)) return;
  const header = Object.keys(result[0] || { unit: 1 }).filter((k) => k !== "__typename");
  const rows = result.map((r) => header.map((k) => flatten(r[k])));
  panel("brokers", "Top brokers", rows.length ? tableOf(header, rows, { id: "brokers-table" })
    : el("p", { class: "muted", text: "none" }), header, rows);
}

async function gaps(p) {
  const result = await generic("gaps", "Coverage gaps", "coverageGaps", (def) => ({
    text: hasArg(def, "unclaimedDays") ? "regionId: $r, unclaimedDays: $days" : "regionId: $r",
    vars: hasArg(def, "unclaimedDays") ? { r: p.regionId, days: 90 } : { r: p.regionId },
    types: { r: "ID", days: "Int" } }));
  if (!result || typeof result !== "object") return;
  const rows = [];
  const sections = [];
  for (const [kind, value] of Object.entries(result)) {
    if (kind === "__typename") continue;
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) rows.push([kind, v && typeof v === "object" ? (v.id ?? "") : "", flatten(v)]);
    sections.push(el("div", { class: "gap" }, el("h3", { text: `${kind} (${Array.isArray(value) ? value.length : flatten(value)})` }),
      el("ul", {}, list.slice(0, 10).map((v) => el("li", { text: flatten(v) })))));
  }
  panel("gaps", "Coverage gaps", el("div", { class: "gaps" }, sections), ["gap", "id", "what"], rows);
}

async function aging(p) {
  const all = await pageAll(`query Aging($r: ID!, $after: String) {
    listItems(where: {regionId: $r, unclaimed: true}, orderBy: PUBLISHED_ON, first: ${PAGE}, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id title list publishedOn remaining } } }`,
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
  const rows = AGE_BUCKETS.map(([, , label], k) => [label, counts[k]]);
  if (undated) rows.push(["no publication date", undated]);
  rows.push(["total unclaimed", all.totalCount]);
  const oldest = all.nodes.filter((it) => it.publishedOn).slice(0, 10);
  panel("aging", "Unclaimed items by age", tableOf(["age", "items"], rows, { id: "aging-table" }),
    ["age", "items"], rows, el("div", {}, el("h3", { text: "Oldest unclaimed" }),
      tableOf(["id", "title", "list", "published", "remaining"],
        oldest.map((it) => [it.id, it.title, it.list, it.publishedOn, it.remaining]))));
}

// ---- start -----------------------------------------------------------------------------

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
  for (const id of ["kpis", "streets", "meetings", "brokers", "gaps", "aging"]) {
    $(`panel-${id}`).dataset.state = "loading";
  }
  const jobs = { kpis, streets, meetings, brokers, gaps, aging };
  await Promise.all(Object.entries(jobs).map(async ([id, job]) => {
    const t0 = performance.now();
    try {
      await job(p);
    } catch (err) {
      panel(id, id, el("p", { class: "error", text: `${err.code || "ERROR"}: ${err.message}` }), null, null);
      $(`panel-${id}`).dataset.state = "error";
    }
    timings[id] = Math.round(performance.now() - t0);
  }));
  timings.total = Math.round(performance.now() - started);
  $("render-time").textContent = `rendered in ${timings.total} ms`;
  document.body.dataset.ready = "true";
}

async function main() {
  const me = await signIn();
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
    $("render-time").textContent = "no region visible to this key";
    document.body.dataset.ready = "true";
    return;
  }
  await render();
}

window.__dashboard = { timings, panels };
main().catch((err) => {
  $("render-time").textContent = `${err.code || "ERROR"}: ${err.message}`;
  document.body.dataset.ready = "error";
});
