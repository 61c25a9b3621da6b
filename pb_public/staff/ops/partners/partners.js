// パートナーとAPIキー: 運用 staff register partner organisations, issue,
// rotate and revoke their API keys, and read the metered usage. A new key
// comes back from the server once and is shown once, with a copy button;
// the server keeps only its hash. The server allows every call here to ops
// staff only.
import { openOpsPage } from "/staff/ops/guard.js";
import {
  pb, h, errorMessage, setStatus, formatDateTime,
  busy, reportInvalid, showErrors, clearErrors, todayTokyo, formatCivilDate,
} from "/assets/app.js";

const STATUS_TEXT = { 200: "成功", 401: "キーの拒否", 403: "スコープの拒否", 404: "該当なし", 429: "上限による拒否" };

let scopes = []; // [{scope, label, action, personal}] from the server
let partners = [];
let keys = [];

function start() {
  setupIssued();
  setupPartnerForm();
  setupUsage();
  document.getElementById("partners-reload").addEventListener("click", () => load());
  load();
}

// ---- partners and keys -------------------------------------------------------

async function load() {
  const status = document.getElementById("partners-status");
  setStatus(status, "読み込んでいます…");
  try {
    const [s, p, k] = await Promise.all([
      scopes.length ? { items: scopes } : pb.send("/api/lifestage/gateway/scopes", {}),
      pb.collection("partners").getFullList({ sort: "name" }),
      pb.collection("api_keys").getFullList({ sort: "-created" }),
    ]);
    scopes = s.items;
    partners = p;
    keys = k;
    render();
    setStatus(status, partners.length ? "" : "登録された事業者はありません。下の「事業者の登録」から登録してください。");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function scopeLabel(scope) {
  const s = scopes.find((x) => x.scope === scope);
  if (!s) return scope;
  return `${s.label}（${s.action === "write" ? "書き込み" : "読み取り"}）`;
}

function keyState(k, partnerActive, now = new Date()) {
  if (k.revokedAt) return { cls: "is-revoked", tag: h("span", { class: "tag tag-muted" }, "失効") };
  if (k.expiresAt && new Date(k.expiresAt.replace(" ", "T")) <= now) return { cls: "is-expired", tag: h("span", { class: "tag tag-warn" }, "期限切れ") };
  if (!partnerActive) return { cls: "is-expired", tag: h("span", { class: "tag tag-warn" }, "事業者が停止中") };
  return { cls: "", tag: h("span", { class: "tag tag-ok" }, "有効") };
}

const limit = (n, unit) => (Number(n) > 0 ? `${Number(n).toLocaleString("ja-JP")} ${unit}` : "無制限");

function facts(rows) {
  return h("dl", { class: "facts" }, rows.filter(Boolean).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function renderKey(k, partnerActive) {
  const state = keyState(k, partnerActive);
  const replaced = keys.find((x) => x.replaces === k.id);
  return h("li", { class: `key ${state.cls}` },
    h("h4", {}, state.tag, " ", h("code", {}, k.prefix), " ", k.label || "（用途の名前なし）"),
    facts([
      ["スコープ", (k.scopes || []).map(scopeLabel).join("、")],
      ["1分あたり", limit(k.rateLimit, "件")],
      ["1か月あたり", limit(k.monthlyQuota, "件")],
      ["有効期限", k.expiresAt ? formatDateTime(k.expiresAt) + " まで" : "無期限"],
      ["最後の利用", k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "まだ使われていません"],
      ["発行", formatDateTime(k.created)],
      k.revokedAt && ["失効", formatDateTime(k.revokedAt) + (replaced ? `（更新後のキー ${replaced.prefix}）` : "")],
    ]),
    k.revokedAt ? null : h("div", { class: "actions" },
      h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => rotate(k) }, "更新（新しいキーに交換）"),
      h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => revoke(k) }, "失効させる"),
    ),
  );
}

function renderPartner(p) {
  const own = keys.filter((k) => k.partner === p.id);
  const active = own.filter((k) => !k.revokedAt);
  const revoked = own.filter((k) => k.revokedAt);
  return h("article", { class: "partner", "aria-labelledby": `partner-${p.id}` },
    h("h3", { id: `partner-${p.id}` }, p.active ? h("span", { class: "tag tag-ok" }, "利用中") : h("span", { class: "tag tag-danger" }, "停止中"), " ", p.name),
    facts([
      (p.contactName || p.contactEmail) && ["担当者", [p.contactName, p.contactEmail].filter(Boolean).join("　")],
      p.note && ["備考", p.note],
    ]),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => setActive(p, !p.active) },
        p.active ? "利用を停止する（すべてのキーが使えなくなります）" : "利用を再開する"),
    ),
    h("ul", { class: "plain-list key-list", "aria-label": `${p.name} のAPIキー` }, active.map((k) => renderKey(k, p.active))),
    revoked.length ? h("details", {}, h("summary", {}, `失効したキー（${revoked.length}件）`),
      h("ul", { class: "plain-list key-list" }, revoked.map((k) => renderKey(k, p.active)))) : null,
    p.active ? keyForm(p) : null,
  );
}

function render() {
  document.getElementById("partners").replaceChildren(...partners.map(renderPartner));
  const select = document.getElementById("usage-partner");
  const current = select.value;
  select.replaceChildren(h("option", { value: "" }, "すべて"), ...partners.map((p) => h("option", { value: p.id }, p.name)));
  select.value = current;
}

// ---- issuing a key -------------------------------------------------------------

function keyForm(p) {
  const id = (name) => `key-${p.id}-${name}`;
  const form = h("form", { class: "key-form", novalidate: true },
    h("fieldset", {},
      h("legend", {}, "新しいキーを発行"),
      h("div", { class: "field" },
        h("label", { for: id("label") }, "用途の名前（例：本番サーバー）"),
        h("input", { id: id("label"), name: "label", type: "text", maxlength: "100", autocomplete: "off" })),
      h("fieldset", { class: "field", "data-field": "scopes" },
        h("legend", {}, "スコープ（利用できるデータ） ", h("span", { class: "req" }, "必須")),
        h("div", { class: "choices" }, scopes.map((s) =>
          h("label", { class: "choice" },
            h("input", { type: "checkbox", name: "scopes", value: s.scope }),
            ` ${scopeLabel(s.scope)}`, h("span", { class: "sub" }, s.scope + (s.personal ? "（本人の同意が必要）" : "")))))),
      h("div", { class: "grid-2 ops-grid" },
        h("div", { class: "field" },
          h("label", { for: id("rate") }, "1分あたりの上限（0は無制限）"),
          h("input", { id: id("rate"), name: "rateLimit", type: "number", min: "0", max: "100000", step: "1", value: "60", inputmode: "numeric" })),
        h("div", { class: "field" },
          h("label", { for: id("quota") }, "1か月あたりの上限（0は無制限）"),
          h("input", { id: id("quota"), name: "monthlyQuota", type: "number", min: "0", step: "1", value: "100000", inputmode: "numeric" })),
        h("div", { class: "field" },
          h("label", { for: id("expires") }, "有効期限（この日まで使える。空欄は無期限）"),
          h("input", { id: id("expires"), name: "expiresAt", type: "date", min: todayTokyo() }))),
      h("button", { class: "btn btn-block", type: "submit" }, "キーを発行する"),
    ),
    h("p", { class: "status", role: "status", "aria-live": "polite" }),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    issue(p, form);
  });
  return form;
}

async function issue(p, form) {
  const status = form.querySelector(".status");
  const data = new FormData(form);
  const body = {
    label: String(data.get("label") || "").trim(),
    scopes: data.getAll("scopes"),
    rateLimit: Number(data.get("rateLimit") || 0),
    monthlyQuota: Number(data.get("monthlyQuota") || 0),
    expiresAt: String(data.get("expiresAt") || ""),
  };
  const problems = [];
  if (body.scopes.length === 0) problems.push(["scopes", "スコープを1つ以上選んでください。"]);
  if (!Number.isInteger(body.rateLimit) || body.rateLimit < 0) problems.push(["rateLimit", "0以上の整数で入力してください。"]);
  if (!Number.isInteger(body.monthlyQuota) || body.monthlyQuota < 0) problems.push(["monthlyQuota", "0以上の整数で入力してください。"]);
  if (!reportInvalid(form, problems, status)) return;
  await busy(form, async () => {
    try {
      const res = await pb.send(`/api/lifestage/gateway/partners/${encodeURIComponent(p.id)}/keys`, { method: "POST", body });
      showIssued(res, p, "発行");
      form.reset();
      await load();
    } catch (err) {
      showErrors(form, err, status);
    }
  });
}

async function rotate(k) {
  if (!confirm(`キー ${k.prefix} を新しいキーに交換します。古いキーはすぐに使えなくなります。よろしいですか？`)) return;
  const status = document.getElementById("partners-status");
  try {
    const res = await pb.send(`/api/lifestage/gateway/keys/${encodeURIComponent(k.id)}/rotate`, { method: "POST" });
    showIssued(res, partners.find((p) => p.id === k.partner), `更新（${k.prefix} は失効）`);
    await load();
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

async function revoke(k) {
  if (!confirm(`キー ${k.prefix} を失効させます。このキーを使う連携はすぐに止まります。よろしいですか？`)) return;
  const status = document.getElementById("partners-status");
  try {
    await pb.send(`/api/lifestage/gateway/keys/${encodeURIComponent(k.id)}/revoke`, { method: "POST" });
    await load();
    setStatus(status, `キー ${k.prefix} を失効させました。`, "ok");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

async function setActive(p, active) {
  const msg = active ? `${p.name} の利用を再開します。よろしいですか？` : `${p.name} の利用を停止します。この事業者のすべてのキーがすぐに使えなくなります。よろしいですか？`;
  if (!confirm(msg)) return;
  const status = document.getElementById("partners-status");
  try {
    await pb.collection("partners").update(p.id, { active });
    await load();
    setStatus(status, active ? `${p.name} の利用を再開しました。` : `${p.name} の利用を停止しました。`, "ok");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

// ---- the one-time key box -------------------------------------------------------

function showIssued(res, partner, what) {
  const box = document.getElementById("issued");
  document.getElementById("issued-facts").replaceChildren(
    h("dt", {}, "事業者"), h("dd", {}, partner?.name || res.partner),
    h("dt", {}, "操作"), h("dd", {}, what),
    h("dt", {}, "識別子"), h("dd", {}, h("code", {}, res.prefix)),
    h("dt", {}, "スコープ"), h("dd", {}, (res.scopes || []).map(scopeLabel).join("、")),
  );
  document.getElementById("issued-key").value = res.key;
  setStatus(document.getElementById("issued-status"), "");
  box.hidden = false;
  box.focus();
  box.scrollIntoView({ block: "start" });
}

function setupIssued() {
  const input = document.getElementById("issued-key");
  const status = document.getElementById("issued-status");
  document.getElementById("issued-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      setStatus(status, "コピーしました。", "ok");
    } catch {
      input.select();
      setStatus(status, "自動でコピーできませんでした。選択した文字列をコピーしてください。", "error");
    }
  });
  document.getElementById("issued-close").addEventListener("click", () => {
    // The key leaves the page for good.
    input.value = "";
    document.getElementById("issued").hidden = true;
  });
}

// ---- registering a partner --------------------------------------------------------

function setupPartnerForm() {
  const form = document.getElementById("partner-form");
  const status = document.getElementById("partner-status");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    data.name = String(data.name || "").trim();
    if (!reportInvalid(form, data.name ? [] : [["name", "事業者名を入力してください。"]], status)) return;
    await busy(form, async () => {
      try {
        const p = await pb.collection("partners").create({ ...data, active: true });
        form.reset();
        clearErrors(form);
        await load();
        setStatus(status, `${p.name} を登録しました。上の一覧からAPIキーを発行できます。`, "ok");
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  });
}

// ---- usage ---------------------------------------------------------------------------

function setupUsage() {
  const form = document.getElementById("usage-form");
  const status = document.getElementById("usage-status");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const query = Object.fromEntries([...new FormData(form)].filter(([, v]) => v));
    await busy(form, async () => {
      try {
        setStatus(status, "読み込んでいます…");
        const r = await pb.send("/api/lifestage/gateway/usage", { query });
        renderUsage(r);
        setStatus(status, r.items.length ? "" : "この期間の利用はありません。");
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  });
}

function renderUsage(r) {
  document.getElementById("usage-caption").textContent =
    `${formatCivilDate(r.from)}〜${formatCivilDate(r.to)}　合計 ${Number(r.total).toLocaleString("ja-JP")} 件`;
  document.getElementById("usage-rows").replaceChildren(...r.items.map((u) =>
    h("tr", {},
      h("td", {}, formatCivilDate(u.day)),
      h("td", {}, u.partnerName),
      h("td", {}, h("code", {}, u.prefix), u.label ? ` ${u.label}` : ""),
      h("td", {}, h("code", {}, u.endpoint)),
      h("td", { class: "num" }, `${u.status}`, STATUS_TEXT[u.status] ? h("span", { class: "code" }, STATUS_TEXT[u.status]) : null),
      h("td", { class: "num" }, Number(u.count).toLocaleString("ja-JP")))));
  document.getElementById("usage-wrap").hidden = r.items.length === 0;
}

// ---- start ---------------------------------------------------------------------------

openOpsPage("gateway", start);
