// The side panel: the selected node's properties, agreements, list items and claim state, for people:
// enum values by their display names, dates and numbers formatted, scores rounded.
import { el } from "./api.js";
import { notAnalysed } from "./analysis.js";
import { analysisScope, date, enumName, labelName, num, roleName, score, t, yesNo } from "./i18n.js";

const UNIT = "__typename ... on Organisation { id name } ... on Enterprise { id name }";
const ITEM = "id list title category quantity unit status claimed remaining";
const CLAIM = `id on quantity status item { id title } claimant { ${UNIT} }`;
const METRICS = ["degree", "betweenness", "pagerank", "closeness"];

export function nodeQuery(analytics) {
  const metrics = analytics ? " analytics { degree betweenness pagerank closeness community computedAt scope stale }" : "";
  return `query Details($id: ID!) { node(id: $id) { __typename id
    ... on Organisation { name kind level region { id name } parent { id name }
      agreements { role agreement { id title kind status signedOn } }
      published { ${ITEM} } claims { ${CLAIM} }${metrics} }
    ... on Enterprise { name industry ownership region { id name }
      agreements { role agreement { id title kind status signedOn } }
      published { ${ITEM} } claims { ${CLAIM} }${metrics} }
    ... on Agreement { title kind status signedOn validFrom validTo
      parties { role unit { ${UNIT} } } items { ${ITEM} } }
    ... on ListItem { ${ITEM} publishedOn publisher { ${UNIT} } claims { ${CLAIM} } }
    ... on Region { name level parent { id name } }
    ... on Alliance { name kind model ledBy { id name } }
    ... on Member { name phone idNumber address joinedOn inService organisation { id name } }
    ... on Meeting { heldOn kind topic }
    ... on Matter { title mode status due doneOn }
    ... on Wish { title category status rating recipient }
    ... on Team { name kind }
    ... on ServiceCentre { name areaM2 }
  } }`;
}

const SCALARS = ["id", "name", "title", "kind", "level", "industry", "ownership", "status", "signedOn", "validFrom",
  "validTo", "list", "category", "quantity", "unit", "claimed", "remaining", "publishedOn", "model", "phone",
  "idNumber", "address", "joinedOn", "inService", "heldOn", "topic", "mode", "due", "doneOn", "rating", "recipient",
  "areaM2"];

// which enum of enums.json a field's value belongs to, by the node's type
const ENUM_OF = {
  kind: { Organisation: "OrgKind", Agreement: "AgreementKind", Alliance: "AllianceKind", Team: "TeamKind" },
  level: { Organisation: "OrgLevel", Region: "RegionLevel" },
  status: { Agreement: "AgreementStatus", ListItem: "ItemStatus", Wish: "WishStatus", Matter: "MatterStatus" },
  ownership: "Ownership",
  list: "ListKind",
  mode: "MatterMode",
};
const DATES = new Set(["signedOn", "validFrom", "validTo", "publishedOn", "joinedOn", "heldOn", "due", "doneOn"]);
const NUMBERS = new Set(["quantity", "claimed", "remaining", "rating"]);

function display(typename, key, value) {
  const enumClass = typeof ENUM_OF[key] === "string" ? ENUM_OF[key] : (ENUM_OF[key] || {})[typename];
  if (enumClass) return enumName(enumClass, value);
  if (DATES.has(key)) return date(value);
  if (NUMBERS.has(key)) return num(value, 2);
  if (key === "areaM2") return `${num(value, 0)} ${t("u.m2")}`;
  if (key === "inService") return yesNo(value);
  return String(value);
}

function link(target, actions) {
  if (!target) return "—";
  return el("button", { class: "link", "data-id": target.id, onclick: () => actions.focus(target.id) },
    target.name ?? target.title ?? target.id);
}

function table(rows) {
  return el("table", { class: "props" }, rows.map(([k, v]) => el("tr", {}, el("th", { text: k }), el("td", {}, v))));
}

function itemRows(items) {
  if (!items.length) return el("p", { class: "muted", text: t("none") });
  return el("table", { class: "list" },
    el("tr", {}, [t("field.list"), t("field.title"), t("item.qty"), t("field.claimed"), t("field.remaining")]
      .map((h) => el("th", { text: h }))),
    items.map((it) => el("tr", { "data-item": it.id },
      [enumName("ListKind", it.list), it.title, num(it.quantity, 2), num(it.claimed, 2), num(it.remaining, 2)]
        .map((v) => el("td", { text: v ?? "" })))));
}

function analyticsRows(a) {
  const rows = METRICS.map((m) => [t(`metric.${m}`), score(a[m])]);
  rows.push([t("metric.community"), a.community === null || a.community === undefined ? "—" : `#${a.community}`]);
  if (a.computedAt !== undefined) rows.push([t("metric.computedAt"), date(a.computedAt)]);
  if (a.scope !== undefined) rows.push([t("metric.scope"), analysisScope(a.scope)]);
  rows.push([t("metric.stale"), yesNo(a.stale)]);
  return rows;
}

/** analytics: whether this API has analytics at all (a unit without them was never analysed). */
export function renderDetails(node, attrs, paired, actions, analytics = true) {
  const parts = [];
  const type = node.__typename;
  parts.push(el("h2", { text: node.name ?? node.title ?? node.id }));
  parts.push(el("p", { class: "muted", "data-label": type, text: labelName(type) }));
  const props = SCALARS.filter((k) => node[k] !== undefined && node[k] !== null)
    .map((k) => [t(`field.${k}`), display(type, k, node[k])]);
  if (node.region) props.push([t("details.region"), link(node.region, actions)]);
  if (node.parent) props.push([t("details.parent"), link(node.parent, actions)]);
  if (node.organisation) props.push([t("details.organisation"), link(node.organisation, actions)]);
  if (node.publisher) props.push([t("details.publisher"), link(node.publisher, actions)]);
  if (node.ledBy) props.push([t("details.ledBy"), link(node.ledBy, actions)]);
  parts.push(table(props));
  parts.push(el("div", { class: "actions" },
    el("button", { id: "expand-selected", onclick: actions.expand }, t("details.expand"))));
  if (type === "Organisation" || type === "Enterprise") {
    parts.push(el("h3", { text: t("details.analytics") }));
    if (node.analytics) {
      parts.push(el("div", { id: "unit-analytics" }, table(analyticsRows(node.analytics))));
    } else if (analytics) {
      parts.push(el("div", { id: "unit-analytics" }, notAnalysed("analysis.what.unit", null,
        { short: true, onDone: actions.analysed })));
    } else {
      parts.push(el("p", { class: "muted", text: t("analysis.unavailable") }));
    }
  }
  if (paired) {
    parts.push(el("h3", { text: t("details.paired", { n: num(paired.length) }) }));
    parts.push(el("ul", { id: "paired-units" }, paired.map((p) => el("li", { "data-id": p.unit.id },
      link(p.unit, actions), el("span", { class: "muted", text: ` ${p.agreements.map((a) => a.id).join(", ")}` })))));
    if (paired.length) {
      parts.push(el("button", { id: "show-paired", onclick: actions.showPaired }, t("details.showPaired")));
    }
  }
  if (node.agreements) {
    parts.push(el("h3", { text: t("details.agreements", { n: num(node.agreements.length) }) }));
    parts.push(el("ul", { id: "agreements" }, node.agreements.map((p) => el("li", { "data-id": p.agreement.id },
      link(p.agreement, actions), el("span", { class: "muted",
        text: ` ${[roleName(p.role), enumName("AgreementStatus", p.agreement.status)].filter(Boolean).join(" · ")}` })))));
  }
  if (node.parties) {
    parts.push(el("h3", { text: t("details.parties") }));
    parts.push(el("ul", {}, node.parties.map((p) => el("li", {}, link(p.unit, actions), ` ${roleName(p.role)}`))));
  }
  const items = node.published ?? node.items;
  if (items) {
    parts.push(el("h3", { text: t("details.items", { n: num(items.length) }) }));
    parts.push(itemRows(items));
  }
  if (node.claims) {
    parts.push(el("h3", { text: t("details.claims", { n: num(node.claims.length) }) }));
    parts.push(el("ul", { id: "claims" }, node.claims.map((c) => el("li", {},
      `${num(c.quantity, 2)} × `, link(c.item, actions),
      ` · ${enumName("ClaimStatus", c.status)} · ${date(c.on)} · `, link(c.claimant, actions)))));
  }
  return parts;
}
