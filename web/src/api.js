// The pages talk to the service only through /graphql, with the caller's own key.
// The key is asked for once per browser tab and kept in sessionStorage (never localStorage).
import { enumName, onLocaleChange, t } from "./i18n.js";

const KEY_NAME = "alliance.apiKey";

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY_NAME);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_NAME);
}

/** Resolves with the key: the stored one, or the one typed into the key dialog. */
export function askForKey(message) {
  const existing = storedKey();
  if (existing && !message) return Promise.resolve(existing);
  return new Promise((resolve) => {
    const dialog = document.getElementById("key-dialog");
    const form = dialog.querySelector("form");
    const input = dialog.querySelector("input");
    const note = dialog.querySelector(".note");
    note.textContent = message || "";
    dialog.hidden = false;
    input.value = "";
    input.focus();
    form.onsubmit = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY_NAME, key);
      dialog.hidden = true;
      resolve(key);
    };
  });
}

/** One GraphQL request; rejects with ApiError (extensions.code) on the first error. */
export async function gql(query, variables = {}) {
  const key = storedKey();
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status === 401) {
    forgetKey();
    throw new ApiError(t("key.refused"), "UNAUTHENTICATED");
  }
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, (first.extensions && first.extensions.code) || "ERROR");
  }
  return body.data;
}

/** The schema's root fields and the fields of a few types, so panels can tell what exists. */
export async function schemaShape() {
  const data = await gql(`{
    __schema { queryType { fields { name } } }
    organisation: __type(name: "Organisation") { fields { name } }
  }`);
  return {
    rootFields: new Set(data.__schema.queryType.fields.map((f) => f.name)),
    organisationFields: new Set((data.organisation ? data.organisation.fields : []).map((f) => f.name)),
  };
}

/** Who the key belongs to, or asks for another key when it is refused. */
export async function signIn(onKeyChange) {
  let message = "";
  for (;;) {
    await askForKey(message);
    try {
      const data = await gql("{ me { role regionId } }");
      showWho(data.me);
      onLocaleChange(() => showWho(data.me));
      const change = document.getElementById("change-key");
      if (change) {
        change.onclick = async () => {
          forgetKey();
          if (onKeyChange) onKeyChange();
          else location.reload();
        };
      }
      return data.me;
    } catch (err) {
      if (err.code !== "UNAUTHENTICATED") throw err;
      forgetKey();
      message = t("key.retry");
    }
  }
}

function showWho(me) {
  const who = document.getElementById("who");
  if (who) {
    who.textContent = [enumName("Role", me.role), me.regionId ? t("who.region", { region: me.regionId }) : ""]
      .filter(Boolean).join(" · ");
  }
}

/** "CODE: message" of a failed request, prefixed for people. */
export function errorText(err) {
  return `${t("error")} ${err.code || "ERROR"}: ${err.message}`;
}

export function download(filename, content, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csvCell(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM so spreadsheet programs read Chinese correctly. */
export function toCsv(header, rows) {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
