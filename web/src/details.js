// The side panel: the selected node's properties, agreements, list items and claim state.
import { el } from "./api.js";

const UNIT = "__typename ... on Organisation { id name } ... on Enterprise { id name }";
const ITEM = "id list title category quantity unit status claimed remaining";
const CLAIM = `id on quantity status item { id title } claimant { ${UNIT} }`;

export function nodeQuery(analytics) {
  const metrics = analytics ? " analytics { degree betweenness pagerank closeness community stale }" : "";
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

function link(target, actions) {
  if (!target) return "—";
  return el("button", { class: "link", "data-id": target.id, onclick: () => actions.focus(target.id) },
    target.name ?? target.title ?? target.id);
}

function table(rows) {
  return el("table", { class: "props" }, rows.map(([k, v]) => el("tr", {}, el("th", { text: k }), el("td", {}, v))));
}

function itemRows(items) {
  if (!items.length) return el("p", { class: "muted", text: "none" });
  return el("table", { class: "list" },
    el("tr", {}, ["list", "title", "qty", "claimed", "remaining"].map((h) => el("th", { text: h }))),
    items.map((it) => el("tr", { "data-item": it.id },
      [it.list, it.title, it.quantity, it.claimed, it.remaining].map((v) => el("td", { text: v ?? "" })))));
}

export function renderDetails(node, attrs, paired, actions) {
  const parts = [];
  parts.push(el("h2", { text: node.name ?? node.title ?? node.id }));
  parts.push(el("p", { class: "muted", text: node.__typename }));
  const props = SCALARS.filter((k) => node[k] !== undefined && node[k] !== null).map((k) => [k, String(node[k])]);
  if (node.region) props.push(["region", link(node.region, actions)]);
  if (node.parent) props.push(["parent", link(node.parent, actions)]);
  if (node.organisation) props.push(["organisation", link(node.organisation, actions)]);
  if (node.publisher) props.push(["publisher", link(node.publisher, actions)]);
  if (node.ledBy) props.push(["led by", link(node.ledBy, actions)]);
  parts.push(table(props));
  parts.push(el("div", { class: "actions" },
    el("button", { id: "expand-selected", onclick: actions.expand }, "Expand neighbours")));
  if (node.analytics) {
    parts.push(el("h3", { text: "Analytics" }));
    parts.push(table(Object.entries(node.analytics).map(([k, v]) => [k, v === null ? "—" : String(v)])));
  } else if (node.__typename === "Organisation" || node.__typename === "Enterprise") {
    parts.push(el("p", { class: "muted", text: "analytics: not available" }));
  }
  if (paired) {
    parts.push(el("h3", { text: `Paired units (${paired.length})` }));
    parts.push(el("ul", { id: "paired-units" }, paired.map((p) => el("li", { "data-id": p.unit.id },
      link(p.unit, actions), el("span", { class: "muted", text: ` ${p.agreements.map((a) => a.id).join(", ")}` })))));
    if (paired.length) {
      parts.push(el("button", { id: "show-paired", onclick: actions.showPaired }, "Show paired units on the canvas"));
    }
  }
  if (node.agreements) {
    parts.push(el("h3", { text: `Agreements (${node.agreements.length})` }));
    parts.push(el("ul", { id: "agreements" }, node.agreements.map((p) => el("li", { "data-id": p.agreement.id },
      link(p.agreement, actions), el("span", { class: "muted", text: ` ${p.role ?? ""} · ${p.agreement.status}` })))));
  }
  if (node.parties) {
    parts.push(el("h3", { text: "Parties" }));
    parts.push(el("ul", {}, node.parties.map((p) => el("li", {}, link(p.unit, actions), ` ${p.role ?? ""}`))));
  }
  const items = node.published ?? node.items;
  if (items) {
    parts.push(el("h3", { text: `List items (${items.length})` }));
    parts.push(itemRows(items));
  }
  if (node.claims) {
    parts.push(el("h3", { text: `Claims (${node.claims.length})` }));
    parts.push(el("ul", { id: "claims" }, node.claims.map((c) => el("li", {},
      `${c.quantity} × `, link(c.item, actions), ` · ${c.status} · ${c.on ?? ""} · `, link(c.claimant, actions)))));
  }
  return parts;
}
