// GraphiQL at /graphql, bundled with the service (no CDN): every operation is sent with the key typed into
// the header (kept in sessionStorage like the other pages) as `Authorization: Bearer <key>`.
import "./style.css";
import "graphiql/graphiql.css";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { startI18n } from "./i18n.js";

const KEY_NAME = "alliance.apiKey";

function storedKey() {
  return sessionStorage.getItem(KEY_NAME) || "";
}

async function fetcher(params) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  const key = storedKey();
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify(params) });
  return response.json();
}

const root = createRoot(document.getElementById("graphiql"));
let generation = 0;

/** (Re)mounts GraphiQL, so that the schema is fetched again with the current key. */
function render() {
  generation += 1;
  root.render(createElement(GraphiQL, { key: generation, fetcher, defaultEditorToolsVisibility: false }));
}

startI18n();
const input = document.getElementById("api-key");
input.value = storedKey();
document.getElementById("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = input.value.trim();
  if (key) sessionStorage.setItem(KEY_NAME, key);
  else sessionStorage.removeItem(KEY_NAME);
  render();
});
render();
document.body.dataset.ready = "true";
