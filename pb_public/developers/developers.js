// Developer portal: everything on this page is read from the generated
// OpenAPI document (/api/lifestage/openapi.json), so the page lists exactly
// the API the server has. The try-it console sends requests with fetch and
// shows the raw answer; an entered API key stays in this page's memory.
import { pb, h, initPage, setStatus } from "/assets/app.js";

initPage();

const OPENAPI = "/api/lifestage/openapi.json";
const $ = (id) => document.getElementById(id);
const origin = location.origin;

let operations = []; // {method, path, op, tag}

load();

async function load() {
  const status = $("doc-status");
  try {
    const res = await fetch(OPENAPI, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(String(res.status));
    const doc = await res.json();
    renderDatasets(doc["x-datasets"] || []);
    renderNGSI(doc);
    renderExamples();
    setupConsole(doc);
    setStatus(status, `API の定義を読み込みました（OpenAPI ${doc.openapi}、${operations.length} 個の API）。`, "ok");
  } catch (err) {
    setStatus(status, "API の定義を読み込めませんでした。時間をおいて再度お試しください。", "error");
  }
  renderOpenData();
}

function renderDatasets(datasets) {
  const body = $("datasets").tBodies[0];
  body.replaceChildren(...datasets.map((d) => {
    const how = [];
    if (d.collection) how.push(h("li", {}, "記録 API ", h("code", {}, `/api/collections/${d.collection}/records`)));
    for (const f of d.openData || []) how.push(h("li", {}, "オープンデータ ", h("a", { href: f }, f.split("/").pop())));
    for (const t of d.ngsiTypes || []) how.push(h("li", {}, "NGSI ", h("code", {}, `type=${t}`)));
    if (d.status) how.push(h("li", { class: "meta" }, d.status));
    if (!how.length) how.push(h("li", { class: "meta" }, "NGSI-v2 インターフェースで提供（準備中）"));
    return h("tr", {},
      h("th", { scope: "row" }, d.label, " ", h("code", {}, d.name), d.personal ? h("span", { class: "tag tag-primary" }, "個人") : null),
      h("td", {}, ...(d.scopes || []).map((s) => h("code", { class: "tag" }, s))),
      h("td", {}, h("ul", { class: "plain-list" }, ...how)),
    );
  }));
}

async function renderOpenData() {
  const list = $("opendata");
  try {
    const res = await fetch("/api/lifestage/opendata", { headers: { Accept: "application/json" } });
    const data = await res.json();
    list.replaceChildren(...data.datasets.map((d) => h("li", { class: "card" },
      h("h3", {}, d.title),
      d.url ? h("a", { class: "btn btn-secondary btn-block", href: d.url, download: "" }, `${d.title}（CSV）をダウンロード`) : h("p", { class: "meta" }, d.status),
      h("details", {}, h("summary", {}, `列（${d.columns.length}）`), h("p", { class: "meta" }, d.columns.join("、"))),
    )));
  } catch {
    list.replaceChildren(h("li", { class: "meta" }, "一覧を読み込めませんでした。"));
  }
}

function renderNGSI(doc) {
  const slot = $("ngsi-types");
  const types = doc["x-ngsi-types"] || [];
  const paths = Object.keys(doc.paths || {}).filter((p) => p.startsWith("/ngsi/"));
  const parts = [];
  if (types.length) {
    parts.push(h("div", { class: "table-scroll" }, h("table", { class: "data-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "型"), h("th", { scope: "col" }, "スコープ"), h("th", { scope: "col" }, "Smart Data Model"), h("th", { scope: "col" }, "説明"))),
      h("tbody", {}, ...types.map((t) => h("tr", {},
        h("th", { scope: "row" }, h("code", {}, t.type)), h("td", {}, h("code", {}, `${t.dataset}:read`)),
        h("td", {}, t.smartDataModel || "—"), h("td", {}, t.description)))),
    )));
  } else {
    parts.push(h("p", { class: "meta" }, "NGSI-v2 インターフェースは準備中です。公開されると、ここにエンティティ型（施設・イベント・保育施設の空き状況・感染症の集計）が表示されます。"));
  }
  if (paths.length) parts.push(h("p", {}, "使える API: ", ...paths.map((p) => h("code", { class: "tag" }, p))));
  slot.replaceChildren(...parts);
}

function renderExamples() {
  const examples = [
    ["公開されている施設を名前順に20件（ログイン不要）",
      `curl '${origin}/api/collections/facilities/records?perPage=20&sort=name&skipTotal=1'`],
    ["子育て施設一覧の CSV（オープンデータ、UTF-8 BOM 付き）",
      `curl -o child-facilities.csv '${origin}/api/lifestage/opendata/child-facilities.csv'`],
    ["NGSI-v2: 施設の近く 1km を API キーで検索",
      `curl -H 'X-API-Key: あなたのキー' '${origin}/ngsi/v2/entities?type=ChildCareFacility&georel=near;maxDistance:1000&geometry=point&coords=33.9196,133.1833&options=keyValues'`],
    ["職員・市民: ログインしてトークンを得る",
      `curl -X POST -H 'Content-Type: application/json' -d '{"identity":"メールアドレス","password":"パスワード"}' '${origin}/api/collections/users/auth-with-password'`],
    ["OpenAPI の文書（ETag で変更がなければ 304）",
      `curl -H 'If-None-Match: "前回の ETag"' -i '${origin}${OPENAPI}'`],
  ];
  $("examples").replaceChildren(...examples.map(([title, cmd]) => h("div", {},
    h("h3", {}, title), h("pre", { class: "code" }, cmd))));
}

// ---- try-it console --------------------------------------------------------

function setupConsole(doc) {
  const tagNames = Object.fromEntries((doc.tags || []).map((t) => [t.name, t.description || t.name]));
  const order = (doc.tags || []).map((t) => t.name);
  operations = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      operations.push({ method: method.toUpperCase(), path, op, tag: (op.tags || [""])[0] });
    }
  }
  operations.sort((a, b) => order.indexOf(a.tag) - order.indexOf(b.tag) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  const select = $("op");
  const fill = (filter) => {
    const f = filter.trim().toLowerCase();
    const groups = new Map();
    operations.forEach((o, i) => {
      const text = `${o.method} ${o.path} ${o.op.summary || ""} ${tagNames[o.tag] || ""}`;
      if (f && !text.toLowerCase().includes(f)) return;
      if (!groups.has(o.tag)) groups.set(o.tag, h("optgroup", { label: tagNames[o.tag] || o.tag }));
      groups.get(o.tag).append(h("option", { value: String(i) }, `${o.method} ${o.path} — ${o.op.summary || ""}`));
    });
    const keep = select.value;
    select.replaceChildren(...groups.values());
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
    showOperation();
  };
  $("op-filter").addEventListener("input", (e) => fill(e.target.value));
  select.addEventListener("change", showOperation);
  $("console").addEventListener("input", updateCurl);
  $("console").addEventListener("submit", send);
  // Start on the public facility list: it answers without a key.
  fill("");
  const start = operations.findIndex((o) => o.method === "GET" && o.path === "/api/collections/facilities/records");
  if (start >= 0) select.value = String(start);
  showOperation();
}

function current() {
  const i = Number($("op").value);
  return Number.isInteger(i) ? operations[i] : null;
}

function showOperation() {
  const o = current();
  const fields = $("param-fields");
  if (!o) return;
  const security = o.op.security || [];
  const needs = security.length === 0 ? "ログイン不要" :
    security.some((s) => "apiKey" in s) ? "API キーが必要" :
    security.some((s) => Object.keys(s).length === 0) ? "ログイン不要（ログインするともっと見える）" : "ログインが必要";
  $("op-info").textContent = `${o.op.summary || ""}（${needs}）`;
  const params = o.op.parameters || [];
  fields.replaceChildren(...params.map((p, i) => h("div", { class: "field" },
    h("label", { for: `param-${i}` }, `${p.name}（${p.in === "path" ? "パス" : "クエリ"}）`, p.required ? h("span", { class: "req" }, "必須") : null),
    p.description ? h("span", { class: "hint", id: `param-${i}-hint` }, p.description) : null,
    h("input", { id: `param-${i}`, type: "text", autocomplete: "off", spellcheck: "false", dataset: { name: p.name, in: p.in },
      required: !!p.required, "aria-describedby": p.description ? `param-${i}-hint` : null }),
  )));
  $("params").hidden = params.length === 0;
  const content = o.op.requestBody?.content || {};
  const json = content["application/json"];
  $("body-field").hidden = !json;
  $("body").value = json ? JSON.stringify(skeleton(json.schema, 0), null, 2) : "";
  let file = document.getElementById("file-field");
  if (!json && content["multipart/form-data"]) {
    if (!file) {
      file = h("div", { class: "field", id: "file-field" }, h("label", { for: "upload" }, "ファイル"), h("input", { id: "upload", type: "file", accept: ".csv,text/csv" }));
      $("body-field").after(file);
    }
    file.hidden = false;
  } else if (file) {
    file.hidden = true;
  }
  $("use-login").checked = !!pb.authStore.token && security.some((s) => "bearerAuth" in s);
  updateCurl();
}

// skeleton builds an example body from a schema: required fields first,
// with a placeholder of the right type.
function skeleton(schema, depth) {
  if (!schema || depth > 3) return null;
  if (schema.$ref) return {};
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "object": {
      const out = {};
      for (const [k, v] of Object.entries(schema.properties || {})) {
        if (v.readOnly) continue;
        if ((schema.required || []).includes(k) || depth === 0) out[k] = skeleton(v, depth + 1);
      }
      return out;
    }
    case "array": return [skeleton(schema.items, depth + 1)].filter((v) => v != null);
    case "integer": case "number": return 0;
    case "boolean": return false;
    case "string": return schema.format === "date" ? "2026-04-01" : "";
    default: return null;
  }
}

function buildRequest() {
  const o = current();
  let path = o.path;
  const query = new URLSearchParams();
  const missing = [];
  for (const input of $("param-fields").querySelectorAll("input")) {
    const v = input.value.trim();
    if (!v) {
      if (input.required) missing.push(input);
      continue;
    }
    if (input.dataset.in === "path") path = path.replace(`{${input.dataset.name}}`, encodeURIComponent(v));
    else query.append(input.dataset.name, v);
  }
  const qs = query.toString();
  const headers = {};
  const key = $("api-key").value.trim();
  if (key) headers["X-API-Key"] = key;
  if ($("use-login").checked && pb.authStore.token) headers.Authorization = pb.authStore.token;
  let body;
  if (!$("body-field").hidden && $("body").value.trim()) {
    body = $("body").value;
    headers["Content-Type"] = "application/json";
  }
  const upload = document.getElementById("upload");
  if (upload && !document.getElementById("file-field").hidden && upload.files[0]) {
    body = new FormData();
    body.append("file", upload.files[0]);
  }
  return { method: o.method, url: path + (qs ? "?" + qs : ""), headers, body, missing };
}

function shellQuote(s) {
  return "'" + String(s).replace(/'/g, "'\\''") + "'";
}

function updateCurl() {
  if (!current()) return;
  const r = buildRequest();
  const parts = ["curl", "-i"];
  if (r.method !== "GET") parts.push("-X", r.method);
  for (const [k, v] of Object.entries(r.headers)) {
    parts.push("-H", shellQuote(`${k}: ${k === "X-API-Key" ? "あなたのキー" : k === "Authorization" ? "トークン" : v}`));
  }
  if (typeof r.body === "string") parts.push("-d", shellQuote(r.body.replace(/\s*\n\s*/g, " ")));
  if (r.body instanceof FormData) parts.push("-F", shellQuote("file=@ファイル.csv"));
  parts.push(shellQuote(origin + r.url));
  $("curl").textContent = parts.join(" ");
}

async function send(event) {
  event.preventDefault();
  if (!current()) return;
  const r = buildRequest();
  const result = $("result");
  const statusEl = $("result-status");
  result.hidden = false;
  if (r.missing.length) {
    statusEl.className = "status-err";
    statusEl.textContent = "必須のパラメーターを入力してください。";
    r.missing[0].focus();
    return;
  }
  if (typeof r.body === "string") {
    try { JSON.parse(r.body); } catch {
      statusEl.className = "status-err";
      statusEl.textContent = "本文が JSON として正しくありません。";
      $("body").focus();
      return;
    }
  }
  statusEl.className = "";
  statusEl.textContent = "送信しています…";
  const started = performance.now();
  try {
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
    const ms = Math.round(performance.now() - started);
    statusEl.className = res.ok ? "status-ok" : "status-err";
    statusEl.textContent = `${res.status} ${res.statusText}（${ms} ミリ秒）`;
    $("result-headers").textContent = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join("\n");
    $("result-body").textContent = await bodyText(res);
  } catch (err) {
    statusEl.className = "status-err";
    statusEl.textContent = "送信できませんでした（ネットワークの誤り）。";
  }
}

async function bodyText(res) {
  const type = res.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    const text = await res.text();
    try { return clip(JSON.stringify(JSON.parse(text), null, 2)); } catch { return clip(text); }
  }
  if (type.startsWith("text/") || type.includes("svg")) return clip(await res.text());
  const blob = await res.blob();
  return `（${type || "バイナリ"}、${blob.size} バイト）`;
}

function clip(s) {
  const max = 20000;
  return s.length > max ? s.slice(0, max) + `\n…（残り ${s.length - max} 文字は省略）` : s;
}
