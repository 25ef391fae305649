// The analysts' explorer: search, expand, style, filter, path and export over /graphql.
import Graph from "graphology";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import forceAtlas2 from "graphology-layout-forceatlas2";
import Sigma from "sigma";
import { EdgeArrowProgram, EdgeLineProgram, NodeCircleProgram, NodePointProgram } from "sigma/rendering";
import "./style.css";
import { gql, schemaShape, signIn, download, toCsv, el, errorText } from "./api.js";
import { toGexf } from "./gexf.js";
import { nodeQuery, renderDetails } from "./details.js";
import { notAnalysed, partlyAnalysed, setCaller } from "./analysis.js";
import { enumName, labelName, num, onLocaleChange, startI18n, t } from "./i18n.js";

const LIVE_LAYOUT_MAX = 2000; // above this many nodes the server computes positions once
const LIVE_LAYOUT_MS = 1500;
const BIG_VIEW_EDGES = 20000; // above this many edges, edges are hidden while the camera moves
const BIG_VIEW_NODES = LIVE_LAYOUT_MAX; // above this many nodes, plain programs (points, lines without arrows)
const BULK = 2000; // adding more items than this at once, sigma stops listening and indexes the graph once
const BATCH = 100; // the API's largest page
const METRICS = ["degree", "betweenness", "pagerank", "closeness"];
const PALETTE = {
  Organisation: "#c0392b", Enterprise: "#2e86c1", Agreement: "#d4ac0d", ListItem: "#28b463", Region: "#7f8c8d",
  Alliance: "#8e44ad", Member: "#e67e22", Meeting: "#16a085", Matter: "#1abc9c", Wish: "#f06292",
  Team: "#a1887f", ServiceCentre: "#5d6d7e",
};
const ORG_KIND_COLOURS = {
  STREET: "#922b21", TOWN: "#922b21", COMMUNITY: "#e74c3c", VILLAGE: "#f1948a", AGENCY: "#6c3483",
  INSTITUTION: "#a569bd", SOE: "#1f618d", NON_PUBLIC: "#5dade2", SOCIAL: "#48c9b0", GRID: "#cd6155",
  INDUSTRY: "#b9770e", ECONOMIC_COOP: "#dc7633", JOINT: "#935116", COMPOUND: "#d98880", BUILDING: "#d98880",
};
const COMMUNITY_COLOURS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
  "#bcf60c", "#008080", "#9a6324", "#800000", "#808000", "#000075", "#808080", "#e6beff", "#aaffc3"];
const GREY = "#cccccc";

const $ = (id) => document.getElementById(id);

const graph = new Graph({ multi: true, type: "directed" });
const DETACHED = new Graph({ multi: true, type: "directed" }); // what sigma watches while a big batch is added
const state = {
  me: null, shape: null, selected: [], path: null, layoutRunning: false, layoutSource: null, notes: [],
  regionFilter: null, regionKept: null, hiddenKinds: new Set(), hiddenStatuses: new Set(), paired: [],
  lastError: "", busy: 0, timings: {}, hits: null, details: null, pathShown: null,
};
let renderer = null;
let layout = null;
let rng = 1;

function random() {
  // deterministic placement of new nodes, so screenshots and tests repeat
  rng = (rng * 16807) % 2147483647;
  return rng / 2147483647;
}

function note(text, kind = "info") {
  const box = $("notes");
  box.append(el("p", { class: `note ${kind}`, text }));
  while (box.children.length > 4) box.firstChild.remove();
  state.notes.push(text);
}

function fail(err) {
  state.lastError = `${err.code || "ERROR"}: ${err.message}`;
  note(errorText(err), "error");
}

function colourKey(attrs) {
  return attrs.nlabel === "Organisation" && attrs.kind ? `Organisation · ${attrs.kind}` : attrs.nlabel;
}

/** The legend's name of a colour key, for people: 党组织 · 社区. */
function colourName(key) {
  const [label, kind] = key.split(" · ");
  return kind ? `${labelName(label)} · ${enumName("OrgKind", kind)}` : labelName(label);
}

const UNIT_LABELS = new Set(["Organisation", "Enterprise"]); // the labels the analysis scores

function baseColour(attrs, by = $("colour-by").value) {
  if (by === "community") {
    if (attrs.community === undefined || attrs.community === null) return GREY;
    return COMMUNITY_COLOURS[Math.abs(hashCode(String(attrs.community))) % COMMUNITY_COLOURS.length];
  }
  if (attrs.nlabel === "Organisation" && ORG_KIND_COLOURS[attrs.kind]) return ORG_KIND_COLOURS[attrs.kind];
  return PALETTE[attrs.nlabel] || "#34495e";
}

function hashCode(text) {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}

// ---- building the view -------------------------------------------------------------------

function addNode(n, near) {
  if (graph.hasNode(n.id)) return false;
  const cx = near ? near.x : 0;
  const cy = near ? near.y : 0;
  const angle = random() * Math.PI * 2;
  const radius = near ? 1 + random() * 2 : random() * 10;
  graph.addNode(n.id, {
    x: n.x ?? cx + Math.cos(angle) * radius, y: n.y ?? cy + Math.sin(angle) * radius,
    label: n.name ?? n.id, name: n.name ?? null, nlabel: n.label, size: 5, color: PALETTE[n.label] || "#34495e",
  });
  return true;
}

function addEdge(e) {
  if (!graph.hasNode(e.start) || !graph.hasNode(e.end)) return;
  const key = `${e.type}:${e.start}:${e.end}`;
  if (graph.hasEdge(key)) return;
  graph.addEdgeWithKey(key, e.start, e.end, { rel: e.type, size: 1, color: "#bbb" });
}

/** Adds a subgraph the API returned; returns the ids that were new. */
async function addSubgraph(sub, originId, options = {}) {
  const timings = {};
  let t = performance.now();
  const lap = (name) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };
  const origin = originId && graph.hasNode(originId) ? graph.getNodeAttributes(originId) : null;
  const added = [];
  quietly(sub.nodes.length + sub.edges.length > BULK, () => {
    for (const n of sub.nodes) if (addNode(n, origin)) added.push(n.id);
    for (const e of sub.edges) addEdge(e);
    adaptRenderer(); // before sigma indexes the graph again, so it does so once, with the right programs
  });
  // Index the new nodes now: sigma 3.0 throws "node … can't be repaint" when an attribute update
  // (enrich, restyle) reaches a node it added but has not indexed yet.
  if (renderer && added.length) renderer.refresh();
  lap("add");
  if (options.enrich !== false && added.length) await enrich(added);
  lap("enrich");
  restyle();
  lap("style");
  await runLayout();
  lap("layout");
  updateCounts();
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  lap("draw");
  state.timings = timings;
  return added;
}

/** Runs fn with sigma detached from the graph when loud, so it indexes the result once instead of item by item. */
function quietly(loud, fn) {
  if (!renderer || !loud) return fn();
  renderer.setGraph(DETACHED);
  try {
    return fn();
  } finally {
    renderer.setGraph(graph);
  }
}

/** Settings by the size of the view: Gephi's and sigma's advice for big views is to hide edges and labels while
 * the camera moves; above BIG_VIEW_NODES nodes are points and edges plain lines, which software WebGL
 * (SwiftShader) draws several times faster than sigma's instanced circles and arrows. */
function adaptRenderer() {
  if (!renderer) return;
  const big = graph.size > BIG_VIEW_EDGES;
  const plain = graph.order > BIG_VIEW_NODES;
  const wanted = {
    hideEdgesOnMove: big, hideLabelsOnMove: big,
    defaultNodeType: plain ? "point" : "circle", defaultEdgeType: plain ? "line" : "arrow",
  };
  const changed = Object.entries(wanted).filter(([key, value]) => renderer.getSetting(key) !== value);
  if (changed.length) renderer.setSettings(Object.fromEntries(changed));
}

/** Kinds, statuses, regions and (when the schema has them) analytics of new nodes, 100 ids a request field. */
async function enrich(ids) {
  const analytics = state.shape.organisationFields.has("analytics")
    ? " analytics { degree betweenness pagerank closeness community stale }" : "";
  const plans = {
    Organisation: ["organisations", `id kind level region { id name }${analytics}`],
    Enterprise: ["enterprises", `id industry ownership region { id name }${analytics}`],
    Agreement: ["agreements", "id kind status signedOn"],
    Region: ["regions", "id level"],
    Alliance: ["alliances", "id kind model"],
  };
  const fields = [];
  const variables = {};
  for (const [label, [root, selection]] of Object.entries(plans)) {
    const wanted = ids.filter((id) => graph.hasNode(id) && graph.getNodeAttribute(id, "nlabel") === label);
    for (let start = 0; start < wanted.length; start += BATCH) {
      const name = `v${fields.length}`;
      variables[name] = wanted.slice(start, start + BATCH);
      fields.push([name, `${name}: ${root}(where: {id: {in: $${name}}}, first: ${BATCH}) { nodes { ${selection} } }`]);
    }
  }
  for (let start = 0; start < fields.length; start += 20) {
    const chunk = fields.slice(start, start + 20);
    const decl = chunk.map(([name]) => `$${name}: [String!]`).join(", ");
    const vars = Object.fromEntries(chunk.map(([name]) => [name, variables[name]]));
    const data = await gql(`query Enrich(${decl}) { ${chunk.map(([, f]) => f).join(" ")} }`, vars);
    for (const result of Object.values(data)) {
      for (const n of result.nodes) {
        if (!graph.hasNode(n.id)) continue;
        const extra = {
          kind: n.kind ?? n.ownership ?? n.level ?? undefined, status: n.status ?? undefined,
          regionId: n.region ? n.region.id : undefined, regionName: n.region ? n.region.name : undefined,
        };
        if (n.analytics) {
          for (const m of METRICS) extra[`m_${m}`] = n.analytics[m];
          extra.community = n.analytics.community;
        }
        graph.mergeNodeAttributes(n.id, extra);
      }
    }
  }
}

// ---- layout ------------------------------------------------------------------------------

const runLayout = tracked(async function runLayout() {
  if (layout) {
    layout.kill();
    layout = null;
  }
  if (graph.order < 2) return;
  state.layoutRunning = true;
  try {
    if (graph.order > LIVE_LAYOUT_MAX) {
      await serverLayout();
    } else {
      state.layoutSource = { key: "explore.layoutLive" };
      layout = new FA2Layout(graph, { settings: { ...forceAtlas2.inferSettings(graph), slowDown: 5 } });
      layout.start();
      await new Promise((resolve) => setTimeout(resolve, LIVE_LAYOUT_MS));
      if (layout) {
        layout.kill();
        layout = null;
      }
    }
  } finally {
    state.layoutRunning = false;
    showLayoutNote();
  }
});

function showLayoutNote() {
  $("layout-note").textContent = state.layoutSource ? t(state.layoutSource.key, state.layoutSource.params) : "";
}

/** Positions for big views from the service (networkx), computed once instead of a live layout. */
async function serverLayout() {
  const nodes = graph.nodes();
  const index = new Map(nodes.map((id, i) => [id, i]));
  const edges = graph.mapEdges((_, __, s, t) => [index.get(s), index.get(t)]);
  const started = performance.now();
  const response = await fetch("/explore/layout", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${sessionStorage.getItem("alliance.apiKey")}` },
    body: JSON.stringify({ count: nodes.length, edges }),
  });
  if (!response.ok) throw new Error(t("explore.layoutFailed", { status: response.status }));
  const body = await response.json();
  const positions = new Map(nodes.map((id, i) => [id, body.positions[i]]));
  graph.updateEachNodeAttributes((id, attrs) => {
    const at = positions.get(id);
    if (at) {
      attrs.x = at[0];
      attrs.y = at[1];
    }
    return attrs;
  }, { attributes: ["x", "y"] });
  state.layoutSource = { key: "explore.layoutServer",
    params: { algorithm: body.algorithm, ms: Math.round(performance.now() - started) } };
}

// ---- styling and filters -----------------------------------------------------------------

function restyle() {
  const sizeBy = $("size-by").value;
  let max = 0;
  const value = (id, attrs) => (sizeBy === "view-degree" ? graph.degree(id) : attrs[`m_${sizeBy}`]);
  if (sizeBy !== "none") graph.forEachNode((id, attrs) => { max = Math.max(max, Number(value(id, attrs)) || 0); });
  const colourBy = $("colour-by").value;
  graph.updateEachNodeAttributes((id, attrs) => {
    let size = attrs.nlabel === "Region" ? 4 : 5;
    if (sizeBy !== "none" && max > 0) size = 3 + 15 * Math.sqrt((Number(value(id, attrs)) || 0) / max);
    attrs.color = baseColour(attrs, colourBy);
    attrs.size = size;
    return attrs;
  }, { attributes: ["color", "size"] });
  analysisNote("size-note", sizeBy !== "none" && sizeBy !== "view-degree" ? `m_${sizeBy}` : null,
    "analysis.what.size", "analysis.shownSmall");
  analysisNote("colour-note", colourBy === "community" ? "community" : null, "analysis.what.community",
    "analysis.shownGrey");
  renderLegend();
  refreshFilters();
}

/** Under a style that needs analytics: nothing when the units in view have them, "尚未分析" and how to compute
 * them when none has, how many lack them when some do; "not available" when the API has no analytics at all. */
function analysisNote(id, attribute, what, how) {
  const box = $(id);
  box.replaceChildren();
  box.dataset.analysis = "";
  if (!attribute) return;
  if (!state.shape.organisationFields.has("analytics")) {
    box.append(el("p", { class: "muted", text: t("analysis.unavailable") }));
    box.dataset.analysis = "unavailable";
    return;
  }
  let units = 0;
  let missing = 0;
  graph.forEachNode((_, a) => {
    if (!UNIT_LABELS.has(a.nlabel)) return;
    units += 1;
    if (a[attribute] === undefined || a[attribute] === null) missing += 1;
  });
  if (!units || !missing) return;
  const onDone = () => afterAnalysis().catch(fail);
  box.append(missing === units ? notAnalysed(what, null, { short: true, onDone })
    : partlyAnalysed(missing, how, { onDone }));
  box.dataset.analysis = missing === units ? "none" : "partial";
}

/** After an analysis run started from a "尚未分析" notice: the units in view get their new scores, then the styles
 * and the details are drawn again. */
const afterAnalysis = tracked(async function afterAnalysis() {
  await enrich(graph.filterNodes((_, a) => UNIT_LABELS.has(a.nlabel)));
  restyle();
  if (state.details) await showDetails(state.details.id);
});

function renderLegend() {
  const keys = new Map();
  graph.forEachNode((_, attrs) => keys.set(colourKey(attrs), baseColour(attrs)));
  const list = $("legend");
  list.replaceChildren();
  if ($("colour-by").value === "community") {
    if (graph.order) list.append(el("p", { class: "muted small", text: t("explore.communityLegend") }));
    return;
  }
  for (const [key, colour] of [...keys].sort()) {
    const box = el("input", { type: "checkbox", "data-kind": key, checked: !state.hiddenKinds.has(key) });
    box.addEventListener("change", () => {
      if (box.checked) state.hiddenKinds.delete(key);
      else state.hiddenKinds.add(key);
      renderer.refresh();
    });
    list.append(el("label", { class: "legend-item" }, box, el("span", { class: "swatch", style: `background:${colour}` }),
      colourName(key)));
  }
}

function refreshFilters() {
  const statuses = new Set();
  graph.forEachNode((_, a) => { if (a.nlabel === "Agreement" && a.status) statuses.add(a.status); });
  const box = $("status-filter");
  box.replaceChildren();
  if (statuses.size) box.append(el("p", { class: "muted filter-head", text: t("explore.statusFilter") }));
  for (const status of [...statuses].sort()) {
    const input = el("input", { type: "checkbox", "data-status": status, checked: !state.hiddenStatuses.has(status) });
    input.addEventListener("change", () => {
      if (input.checked) state.hiddenStatuses.delete(status);
      else state.hiddenStatuses.add(status);
      renderer.refresh();
    });
    box.append(el("label", {}, input, enumName("AgreementStatus", status)));
  }
}

function isHidden(id, attrs) {
  if (state.hiddenKinds.has(colourKey(attrs))) return true;
  if (attrs.nlabel === "Agreement" && attrs.status && state.hiddenStatuses.has(attrs.status)) return true;
  if (state.regionKept && !state.regionKept.has(id)) return true;
  return false;
}

/** Which nodes of the view lie in the chosen region's subtree, as the API decides; others are shown only
 * when attached to one that does. */
const applyRegionFilter = tracked(async function applyRegionFilter(regionId) {
  state.regionFilter = regionId || null;
  if (!regionId) {
    state.regionKept = null;
    renderer.refresh();
    return;
  }
  const roots = { Organisation: "organisations", Enterprise: "enterprises", Agreement: "agreements",
    Region: "regions", Alliance: "alliances" };
  const kept = new Set();
  const fields = [];
  const variables = { r: regionId };
  for (const [label, root] of Object.entries(roots)) {
    const ids = graph.filterNodes((_, a) => a.nlabel === label);
    for (let start = 0; start < ids.length; start += BATCH) {
      const name = `v${fields.length}`;
      variables[name] = ids.slice(start, start + BATCH);
      fields.push(`${name}: ${root}(where: {regionId: $r, id: {in: $${name}}}, first: ${BATCH}) { nodes { id } }`);
    }
  }
  for (let start = 0; start < fields.length; start += 20) {
    const chunk = fields.slice(start, start + 20);
    const names = chunk.map((f) => f.split(":")[0]);
    const decl = ["$r: ID", ...names.map((n) => `$${n}: [String!]`)].join(", ");
    const vars = { r: regionId, ...Object.fromEntries(names.map((n) => [n, variables[n]])) };
    const data = await gql(`query InRegion(${decl}) { ${chunk.join(" ")} }`, vars);
    for (const result of Object.values(data)) for (const n of result.nodes) kept.add(n.id);
  }
  graph.forEachNode((id, a) => {
    if (!roots[a.nlabel] && graph.neighbors(id).some((m) => kept.has(m))) kept.add(id);
  });
  state.regionKept = kept;
  renderer.refresh();
});

// ---- interactions ------------------------------------------------------------------------

const search = tracked(async function search(text) {
  $("search-results").replaceChildren();
  state.hits = null;
  if (!text.trim()) return [];
  const data = await gql(`query Search($text: String!) { search(text: $text, first: 20) {
    __typename id ... on Organisation { name kind } ... on Enterprise { name } ... on Region { name level }
    ... on Alliance { name } ... on Agreement { title } ... on ListItem { title } ... on Team { name }
    ... on ServiceCentre { name } ... on Member { name } } }`, { text });
  state.hits = data.search;
  showHits();
  return data.search;
});

function hitKind(hit) {
  const parts = [labelName(hit.__typename)];
  if (hit.kind) parts.push(enumName("OrgKind", hit.kind));
  if (hit.level) parts.push(enumName("RegionLevel", hit.level));
  return parts.join(" · ");
}

function showHits() {
  const list = $("search-results");
  list.replaceChildren();
  if (!state.hits) return;
  for (const hit of state.hits) {
    const name = hit.name ?? hit.title ?? hit.id;
    list.append(el("li", { "data-id": hit.id, "data-label": hit.__typename },
      el("button", { class: "link", onclick: () => dropOnCanvas(hit).catch(fail) }, name),
      el("span", { class: "muted" }, ` ${hitKind(hit)}`)));
  }
  if (!state.hits.length) list.append(el("li", { class: "muted", text: t("explore.noMatch") }));
}

const dropOnCanvas = tracked(async function dropOnCanvas(hit) {
  const name = hit.name ?? hit.title ?? hit.id;
  await addSubgraph({ nodes: [{ id: hit.id, label: hit.__typename, name }], edges: [] }, null);
  await select(hit.id);
  if (renderer) renderer.getCamera().animatedReset({ duration: 200 });
});

const expand = tracked(async function expand(id) {
  const depth = Number($("depth").value);
  const limit = Number($("limit").value);
  const data = await gql(`query Expand($id: ID!, $depth: Int!, $limit: Int!) {
    neighbourhood(id: $id, depth: $depth, limit: $limit) { truncated nodes { id label name } edges { type start end } } }`,
  { id, depth, limit });
  const sub = data.neighbourhood;
  const added = await addSubgraph(sub, id);
  const name = graph.getNodeAttribute(id, "label");
  const shown = t("explore.expanded", { name, n: num(sub.nodes.length), depth, added: num(added.length) });
  note(sub.truncated ? t("explore.expandedTruncated", { shown, limit: num(limit) }) : shown,
    sub.truncated ? "warn" : "info");
  $("truncated").hidden = !sub.truncated;
  return sub;
});

const select = tracked(async function select(id, additive = false) {
  if (additive && state.selected.length) state.selected = [state.selected[state.selected.length - 1], id];
  else state.selected = [id];
  $("path-pair").textContent = state.selected.map((n) => graph.getNodeAttribute(n, "label")).join(" → ");
  $("find-path").disabled = state.selected.length !== 2;
  renderer.refresh();
  await showDetails(id);
});

async function showDetails(id) {
  const panel = $("details");
  panel.replaceChildren(el("p", { class: "muted", text: t("loading") }));
  const attrs = graph.getNodeAttributes(id);
  try {
    const analytics = state.shape.organisationFields.has("analytics");
    const data = await gql(nodeQuery(analytics), { id });
    let paired = null;
    const community = attrs.nlabel === "Organisation" || (attrs.nlabel === "Region" && data.node.level === "COMMUNITY");
    if (community) {
      paired = (await gql(`query Paired($id: ID!) { pairedUnits(organisationId: $id) {
        unit { __typename ... on Organisation { id name } ... on Enterprise { id name } }
        agreements { id title status } } }`, { id })).pairedUnits;
    }
    state.paired = paired || [];
    state.details = { id, node: data.node, attrs, paired, analytics };
    drawDetails();
  } catch (err) {
    state.details = null;
    panel.replaceChildren(el("p", { class: "error", text: errorText(err) }));
  }
}

function drawDetails() {
  if (!state.details) return;
  const { id, node, attrs, paired, analytics } = state.details;
  $("details").replaceChildren(...renderDetails(node, attrs, paired, {
    expand: () => expand(id).catch(fail),
    showPaired: () => showPaired(id).catch(fail),
    focus: (other) => select(other).catch(fail),
    analysed: () => afterAnalysis().catch(fail),
  }, analytics));
}

/** Puts the units paired with the selected community on the canvas, joined through their agreements. */
const showPaired = tracked(async function showPaired(id) {
  const nodes = [];
  const edges = [];
  for (const p of state.paired) {
    nodes.push({ id: p.unit.id, label: p.unit.__typename, name: p.unit.name });
    for (const a of p.agreements) {
      nodes.push({ id: a.id, label: "Agreement", name: a.title });
      edges.push({ type: "PARTY_TO", start: p.unit.id, end: a.id });
      edges.push({ type: "PARTY_TO", start: id, end: a.id });
    }
  }
  await addSubgraph({ nodes, edges }, id);
  note(t("explore.pairedShown", { n: num(state.paired.length) }));
});

const findPath = tracked(async function findPath() {
  const [from, to] = state.selected;
  const data = await gql(`query Path($from: ID!, $to: ID!) { path(from: $from, to: $to) {
    nodes { id label name } edges { type start end } } }`, { from, to });
  if (!data.path) {
    state.path = null;
    state.pathShown = { none: true };
    showPath();
    renderer.refresh();
    return null;
  }
  await addSubgraph(data.path, from);
  state.path = { nodes: new Set(data.path.nodes.map((n) => n.id)), edges: data.path.edges, order: data.path.nodes,
    pairs: new Set(data.path.edges.map((e) => `${e.start}\n${e.end}`)) };
  state.pathShown = { nodes: orderPath(data.path, from) };
  showPath();
  renderer.refresh();
  return data.path;
});

function showPath() {
  const result = $("path-result");
  result.replaceChildren();
  if (!state.pathShown) return;
  if (state.pathShown.none) {
    result.append(el("li", { class: "muted", text: t("explore.noPath") }));
    return;
  }
  for (const n of state.pathShown.nodes) {
    result.append(el("li", { "data-id": n.id }, `${n.name ?? n.id} `,
      el("span", { class: "muted", text: labelName(n.label) })));
  }
}

function orderPath(path, from) {
  const byId = new Map(path.nodes.map((n) => [n.id, n]));
  const ordered = [byId.get(from)];
  const used = new Set([from]);
  for (;;) {
    const last = ordered[ordered.length - 1].id;
    const next = path.edges.map((e) => (e.start === last ? e.end : e.end === last ? e.start : null))
      .find((n) => n && !used.has(n));
    if (!next) break;
    used.add(next);
    ordered.push(byId.get(next));
  }
  return ordered.filter(Boolean);
}

function pathEdge(source, target) {
  return state.path && (state.path.pairs.has(`${source}\n${target}`) || state.path.pairs.has(`${target}\n${source}`));
}

// ---- exports -----------------------------------------------------------------------------

function visibleNodes() {
  return graph.filterNodes((id, a) => !isHidden(id, a));
}

function visibleEdges() {
  const shown = new Set(visibleNodes());
  return graph.filterEdges((_, __, s, t) => shown.has(s) && shown.has(t));
}

const NODE_COLUMNS = ["id", "label", "name", "kind", "status", "regionId", "regionName", "community",
  ...METRICS.map((m) => `m_${m}`), "x", "y"];

function exportCsv() {
  const rows = visibleNodes().map((id) => {
    const a = graph.getNodeAttributes(id);
    return NODE_COLUMNS.map((c) => (c === "id" ? id : c === "label" ? a.nlabel : a[c]));
  });
  download("alliance-view-nodes.csv", toCsv(NODE_COLUMNS.map((c) => c.replace(/^m_/, "")), rows), "text/csv");
  const edges = visibleEdges().map((key) => [graph.source(key), graph.target(key), graph.getEdgeAttribute(key, "rel")]);
  download("alliance-view-edges.csv", toCsv(["source", "target", "type"], edges), "text/csv");
}

function exportGexf() {
  const xml = toGexf(graph, visibleNodes(), visibleEdges(), NODE_COLUMNS.filter((c) => !["id", "x", "y"].includes(c)));
  download("alliance-view.gexf", xml, "application/xml");
}

/** Draws every sigma layer onto one canvas in the same task as a fresh render (WebGL buffers are not kept). */
function snapshotCanvas() {
  renderer.refresh();
  const { width, height } = renderer.getDimensions();
  const ratio = window.devicePixelRatio || 1;
  const out = document.createElement("canvas");
  out.width = width * ratio;
  out.height = height * ratio;
  const ctx = out.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, out.width, out.height);
  for (const layer of Object.values(renderer.getCanvases())) ctx.drawImage(layer, 0, 0, out.width, out.height);
  return out;
}

function exportPng() {
  snapshotCanvas().toBlob((blob) => download("alliance-view.png", blob, "image/png"), "image/png");
}

/** How many pixels differ from the white background, and how many distinct colours there are. */
function pixelStats() {
  const canvas = snapshotCanvas();
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) {
      painted += 1;
      if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
  }
  return { painted, total: data.length / 4, colours: colours.size };
}

function updateCounts() {
  $("counts").textContent = t("explore.counts", { nodes: num(graph.order), edges: num(graph.size) });
}

/** A view built elsewhere (benchmarks, an analyst's saved selection): nodes {id,label,name}, edges {type,start,end}. */
const loadView = tracked(async function loadView(nodes, edges, options = {}) {
  graph.clear();
  await addSubgraph({ nodes, edges }, null, { enrich: options.enrich ?? false });
  renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
});

// ---- renderer ---------------------------------------------------------------------------

/** Sigma, clearing a layer only when something was drawn on it since it was last cleared. Sigma clears all
 * seven of its canvases on every frame; with software rendering (SwiftShader, no GPU) each cleared canvas is
 * one more layer to rasterise and composite, while the camera moves most of them stay empty (edges and labels
 * are hidden then for big views). */
class LeanSigma extends Sigma {
  edgesDirty = true;
  overlaysDirty = true;
  pickingEmptied = false;

  moving() {
    const mouse = this.mouseCaptor;
    return Boolean(this.camera.isAnimated() || mouse.isMoving || mouse.draggedEvents || mouse.currentWheelDirection);
  }

  clear() {
    const moving = this.moving();
    const gl = this.webGLContexts;
    gl.nodes.bindFramebuffer(gl.nodes.FRAMEBUFFER, null);
    gl.nodes.clear(gl.nodes.COLOR_BUFFER_BIT);
    if (this.edgesDirty) {
      gl.edges.bindFramebuffer(gl.edges.FRAMEBUFFER, null);
      gl.edges.clear(gl.edges.COLOR_BUFFER_BIT);
    }
    // render() draws edges unless hidden while moving, and labels, edge labels and highlighted nodes likewise
    this.edgesDirty = !(moving && this.getSetting("hideEdgesOnMove"));
    if (this.overlaysDirty) {
      gl.hoverNodes.clear(gl.hoverNodes.COLOR_BUFFER_BIT);
      for (const layer of ["labels", "hovers", "edgeLabels"]) {
        this.canvasContexts[layer].clearRect(0, 0, this.width, this.height);
      }
    }
    this.overlaysDirty = !(moving && this.getSetting("hideLabelsOnMove"));
    return this;
  }

  renderHighlightedNodes() {
    this.overlaysDirty = true;
    return super.renderHighlightedNodes();
  }

  /** The picking layer (which node is under the mouse) is emptied once when the camera starts moving and drawn
   * again when it stops (sigma renders once more then, as it does to show the hidden edges): while moving,
   * nothing is hovered and each frame draws the nodes once instead of twice. */
  resetWebGLTexture(id) {
    if (this.moving()) {
      if (this.pickingEmptied) return this;
      this.pickingEmptied = true;
    } else this.pickingEmptied = false;
    return super.resetWebGLTexture(id);
  }
}

/** A node program that skips its picking pass while the camera moves (see LeanSigma.resetWebGLTexture). */
function pickWhenStill(ProgramClass) {
  return class extends ProgramClass {
    render(params) {
      const pick = this.pickProgram;
      if (!pick || !this.renderer.moving || !this.renderer.moving()) return super.render(params);
      this.pickProgram = null;
      try {
        return super.render(params);
      } finally {
        this.pickProgram = pick;
      }
    }
  };
}

// ---- start -------------------------------------------------------------------------------

async function loadRegions() {
  const select_ = $("region-filter");
  const data = await gql(`{ regions(where: {level: {in: ["DISTRICT", "STREET", "TOWN"]}}, orderBy: ID, first: 100) {
    nodes { id name level } } }`);
  for (const r of data.regions.nodes) {
    select_.append(el("option", { value: r.id }, `${r.name} (${enumName("RegionLevel", r.level)} ${r.id})`));
  }
}

function startRenderer() {
  renderer = new LeanSigma(graph, $("graph"), {
    renderEdgeLabels: false, labelRenderedSizeThreshold: 8, defaultEdgeType: "arrow", zIndex: true,
    nodeProgramClasses: { circle: pickWhenStill(NodeCircleProgram), point: pickWhenStill(NodePointProgram) },
    nodeHoverProgramClasses: { circle: NodeCircleProgram, point: NodePointProgram },
    edgeProgramClasses: { arrow: EdgeArrowProgram, line: EdgeLineProgram },
    labelFont: "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif",
    // sigma hands the reducers a copy of the attributes, and hides the edges of hidden nodes itself
    nodeReducer: (id, attrs) => {
      const out = attrs;
      if (isHidden(id, attrs)) out.hidden = true;
      if (state.selected.includes(id)) {
        out.highlighted = true;
        out.zIndex = 2;
      }
      if (state.path) {
        if (state.path.nodes.has(id)) {
          out.zIndex = 1;
          out.forceLabel = true;
        } else out.color = "#e5e5e5";
      }
      return out;
    },
    edgeReducer: (key, attrs) => {
      if (!state.path) return attrs;
      const [s, t] = graph.extremities(key);
      if (pathEdge(s, t)) {
        attrs.color = "#c0392b";
        attrs.size = 3;
        attrs.zIndex = 1;
      } else attrs.color = "#eee";
      return attrs;
    },
  });
  renderer.on("clickNode", ({ node, event }) => {
    const additive = event.original.shiftKey || $("pick-second").checked;
    select(node, additive).catch(fail);
  });
  renderer.on("doubleClickNode", ({ node, event }) => {
    event.preventSigmaDefault();
    expand(node).catch(fail);
  });
}

/** After a language switch: everything drawn from data, again in the new language. */
function relabel() {
  if (renderer) restyle();
  updateCounts();
  showLayoutNote();
  showHits();
  showPath();
  drawDetails();
  if (state.selected.length) {
    $("path-pair").textContent = state.selected.map((n) => graph.getNodeAttribute(n, "label")).join(" → ");
  }
}

async function main() {
  startI18n();
  state.me = await signIn();
  setCaller(state.me);
  onLocaleChange(relabel);
  state.shape = await schemaShape();
  startRenderer();
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search($("search").value).catch(fail);
  });
  $("colour-by").addEventListener("change", restyle);
  $("size-by").addEventListener("change", restyle);
  $("region-filter").addEventListener("change", () => applyRegionFilter($("region-filter").value).catch(fail));
  $("find-path").addEventListener("click", () => findPath().catch(fail));
  $("clear-path").addEventListener("click", () => {
    state.path = null;
    state.pathShown = null;
    $("path-result").replaceChildren();
    renderer.refresh();
  });
  $("relayout").addEventListener("click", () => runLayout().catch(fail));
  $("clear-view").addEventListener("click", () => {
    graph.clear();
    state.selected = [];
    state.path = null;
    state.pathShown = null;
    state.details = null;
    $("details").replaceChildren();
    updateCounts();
  });
  $("export-png").addEventListener("click", exportPng);
  $("export-gexf").addEventListener("click", exportGexf);
  $("export-csv").addEventListener("click", exportCsv);
  await loadRegions().catch(fail);
  document.body.dataset.ready = "true";
}

/** Counts work in flight, so tests and benchmarks can wait until the view has settled. */
function tracked(fn) {
  return async (...args) => {
    state.busy += 1;
    try {
      return await fn(...args);
    } finally {
      state.busy -= 1;
    }
  };
}

// The page's own handle, for tests and benchmarks to read what is drawn.
window.__explorer = { graph, state, get renderer() { return renderer; }, search, expand, select, findPath,
  pixelStats, loadView, visibleNodes, runLayout };

main().catch(fail);
