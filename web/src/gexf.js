// GEXF 1.3 of the view: only what the API returned to this key, so masking carries over.

function esc(value) {
  return String(value).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);
}

export function toGexf(graph, nodes, edges, columns) {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
    '<meta><creator>Alliance Graph explorer</creator></meta>',
    '<graph defaultedgetype="directed" mode="static">', '<attributes class="node">'];
  columns.forEach((c, i) => out.push(`<attribute id="${i}" title="${esc(c.replace(/^m_/, ""))}" type="string"/>`));
  out.push("</attributes>", "<nodes>");
  for (const id of nodes) {
    const a = graph.getNodeAttributes(id);
    const values = columns.map((c, i) => [i, c === "label" ? a.nlabel : a[c]])
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([i, v]) => `<attvalue for="${i}" value="${esc(v)}"/>`).join("");
    const colour = /^#[0-9a-f]{6}$/i.test(a.color) ? a.color : "#999999";
    const [r, g, b] = [1, 3, 5].map((k) => parseInt(colour.slice(k, k + 2), 16));
    out.push(`<node id="${esc(id)}" label="${esc(a.label ?? id)}"><attvalues>${values}</attvalues>`
      + `<viz:position x="${a.x}" y="${a.y}" z="0"/><viz:size value="${a.size}"/>`
      + `<viz:color r="${r}" g="${g}" b="${b}"/></node>`);
  }
  out.push("</nodes>", "<edges>");
  for (const key of edges) {
    out.push(`<edge id="${esc(key)}" source="${esc(graph.source(key))}" target="${esc(graph.target(key))}"`
      + ` label="${esc(graph.getEdgeAttribute(key, "rel"))}"/>`);
  }
  out.push("</edges>", "</graph>", "</gexf>");
  return out.join("\n");
}
