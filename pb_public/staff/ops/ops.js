// 運用 (operations) page for city staff of the ops department: the status
// summary, open security events, the audit log search and the usage report.
// The server allows every call here to ops staff only; this page just says
// so politely to anyone else.
import { openOpsPage } from "/staff/ops/guard.js";
import {
  pb, h, errorMessage, setStatus, formatDateTime,
  busy, reportInvalid, todayTokyo, TIME_ZONE, downloadFile,
} from "/assets/app.js";
import { DEPARTMENTS, ROLES, label } from "/assets/labels.js";

// Japanese names of the collections (record counts, audit log).
const COLLECTIONS = {
  users: "市民アカウント",
  city_staff: "市職員アカウント",
  nursery_staff: "保育施設職員アカウント",
  medical_staff: "医療機関職員アカウント",
  volunteers: "見守りボランティアのアカウント",
  households: "世帯",
  residents: "住民記録",
  children: "子ども",
  family_shares: "家族共有",
  notifications: "お知らせ",
  areas: "地区",
  facilities: "施設",
  organizations: "協力団体",
  audit_log: "監査ログ",
  security_events: "セキュリティ事案",
  _superusers: "システム管理者",
};

const ACTIONS = {
  create: "登録",
  update: "変更",
  delete: "削除",
  view: "閲覧",
  import: "一括登録",
  lockout: "ログインのロック",
  export: "引継ぎデータの出力",
  rekey: "暗号鍵の更新",
};

const EVENT_KINDS = {
  failed_logins: "ログイン失敗の多発",
  lockout: "ログインのロック",
  denied_burst: "アクセス拒否の急増",
  audit_broken: "監査ログの破損",
  backup_failed: "バックアップの失敗",
};

const DETAIL_KEYS = {
  ip: "接続元",
  collection: "アカウント種別",
  lock: "ロックの対象",
  record: "レコードID",
  until: "ロック解除",
  window: "期間",
  lastPath: "最後のパス",
  brokenId: "破損した記録",
  reason: "理由",
  verifiedEntries: "検証した件数",
  error: "エラー",
};

const BACKUP_MAX_AGE_HOURS = 26; // daily backups at 03:00, plus slack
const AUDIT_PER_PAGE = 50;
const EVENTS_PER_PAGE = 20;

function start() {
  setupStatus();
  setupEvents();
  setupAudit();
  setupReport();
}

// ---- formatting ------------------------------------------------------------

const secondsFmt = new Intl.DateTimeFormat("ja-JP", {
  timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit",
});

/** Audit times to the second, in Tokyo time. */
function formatSeconds(value) {
  const d = new Date(String(value || "").replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? String(value || "") : secondsFmt.format(d);
}

function formatBytes(n) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = Number(n) || 0;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function collectionLabel(name) {
  return COLLECTIONS[name] || name || "";
}

/** "ops:manager" → 運用管理・管理職 (the code itself stays beside it). */
function roleLabel(role, collection) {
  const fixed = { citizen: "市民", volunteer: "見守りボランティア", superuser: "システム管理者", system: "システム", guest: "未ログイン", cli: "コマンド" };
  if (fixed[role]) return fixed[role];
  if (collection === "city_staff" && role?.includes(":")) {
    const [dept, r] = role.split(":");
    return `${label(DEPARTMENTS, dept)}・${label(ROLES.city_staff, r)}`;
  }
  return label(ROLES[collection] || {}, role);
}

const code = (text) => h("code", {}, text);

function facts(rows) {
  return h("dl", { class: "facts" }, rows.filter(Boolean).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

// ---- status summary ---------------------------------------------------------

let openEventsCount = null;

function setupStatus() {
  const status = document.getElementById("status-status");
  const reloadBtn = document.getElementById("status-reload");
  const verifyBtn = document.getElementById("verify");

  async function load({ verify = false } = {}) {
    reloadBtn.disabled = verifyBtn.disabled = true;
    setStatus(status, verify ? "監査ログを検証しています。件数が多いと時間がかかります…" : "読み込んでいます…");
    try {
      const s = await pb.send("/api/lifestage/ops/status", { query: verify ? { verify: 1 } : {} });
      renderStatus(s);
      const audit = s.audit || {};
      if (verify) {
        setStatus(status, audit.verified && audit.ok
          ? `監査ログを検証しました。${audit.entries}件に改ざんはありません。`
          : "監査ログの検証で問題が見つかりました。下の「監査ログ」を確認してください。", audit.ok ? "ok" : "error");
      } else {
        setStatus(status, `${formatDateTime(s.at)} 時点の状況です。`);
      }
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    } finally {
      reloadBtn.disabled = verifyBtn.disabled = false;
    }
  }

  reloadBtn.addEventListener("click", () => load());
  verifyBtn.addEventListener("click", () => load({ verify: true }));
  load();
}

function renderStatus(s) {
  const b = s.lastBackup;
  let backup;
  if (!b) {
    backup = [h("span", { class: "tag tag-danger" }, "要確認"), " バックアップがありません",
      h("span", { class: "note" }, "自動バックアップの設定と保存先を確認してください。")];
  } else {
    const old = Number(b.ageHours) > BACKUP_MAX_AGE_HOURS;
    backup = [
      old ? h("span", { class: "tag tag-danger" }, "要確認") : h("span", { class: "tag tag-ok" }, "正常"),
      ` ${formatDateTime(b.at)}（${b.ageHours}時間前）`,
      old ? h("span", { class: "note" }, `最後のバックアップから${BACKUP_MAX_AGE_HOURS}時間を超えています。自動バックアップが止まっていないか確認してください。`) : null,
      h("span", { class: "note" }, code(b.name), `　${formatBytes(b.size)}`),
    ];
  }

  const a = s.audit || {};
  let audit;
  if (!a.verified) {
    audit = [h("span", { class: "tag tag-muted" }, "未検証"), ` 記録 ${a.headSeq ?? 0}件`,
      h("span", { class: "note" }, "毎日 1:00 に自動で検証します。「監査ログを今すぐ検証」でもすぐに確かめられます。")];
  } else if (a.ok) {
    audit = [h("span", { class: "tag tag-ok" }, "正常"), ` ${a.entries}件を検証（${formatDateTime(a.verifiedAt)}）`];
  } else {
    audit = [h("span", { class: "tag tag-danger" }, "破損あり"), " 改ざんの可能性があります",
      h("span", { class: "note" }, "最初に合わない記録：", code(a.brokenId || "（不明）"), `（${formatDateTime(a.verifiedAt)} に検証）`)];
  }

  openEventsCount = Number(s.openSecurityEvents) || 0;
  document.getElementById("status-facts").replaceChildren(
    h("dt", {}, "最新のバックアップ"), h("dd", {}, backup),
    h("dt", {}, "監査ログ"), h("dd", {}, audit),
    h("dt", {}, "データベースの大きさ"), h("dd", {}, formatBytes(s.databaseBytes)),
    h("dt", {}, "未対応のセキュリティ事案"), h("dd", { id: "open-events" }, openEventsText()),
  );

  const counts = Object.entries(s.counts || {}).sort(([x], [y]) => {
    const keys = Object.keys(COLLECTIONS);
    const ix = keys.indexOf(x) === -1 ? 99 : keys.indexOf(x);
    const iy = keys.indexOf(y) === -1 ? 99 : keys.indexOf(y);
    return ix - iy || x.localeCompare(y);
  });
  document.getElementById("counts").replaceChildren(...counts.map(([name, n]) =>
    h("tr", {},
      h("td", {}, collectionLabel(name), h("span", { class: "code" }, name)),
      h("td", { class: "num" }, Number(n).toLocaleString("ja-JP")))));
}

function openEventsText() {
  if (openEventsCount == null) return "";
  return openEventsCount === 0
    ? h("span", {}, h("span", { class: "tag tag-ok" }, "なし"), " 0件")
    : h("span", {}, h("span", { class: "tag tag-danger" }, "対応が必要"), ` ${openEventsCount}件`);
}

function setOpenEvents(n) {
  if (openEventsCount == null) return;
  openEventsCount = Math.max(0, n);
  document.getElementById("open-events")?.replaceChildren(openEventsText());
}

// ---- security events ---------------------------------------------------------

function setupEvents() {
  const list = document.getElementById("events");
  const empty = document.getElementById("events-empty");
  const status = document.getElementById("events-status");
  const more = document.getElementById("events-more");
  let page = 0;

  function details(ev) {
    let d = ev.details;
    if (typeof d === "string") {
      try { d = JSON.parse(d); } catch { d = null; }
    }
    if (!d || typeof d !== "object") return null;
    const rows = Object.entries(d).map(([k, v]) => {
      let text = typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
      if (k === "until") text = formatDateTime(v) || text;
      if (k === "lock") text = { account: "アカウント", address: "接続元（IPアドレス）" }[v] || text;
      if (k === "collection") text = `${collectionLabel(v)}（${v}）`;
      return [DETAIL_KEYS[k] || k, text];
    });
    return rows.length ? facts(rows) : null;
  }

  function render(ev) {
    const critical = ev.severity === "critical";
    const li = h("li", { class: "ops-entry" + (critical ? " is-critical" : ""), tabindex: "-1", dataset: { id: ev.id } },
      h("h3", {},
        h("span", { class: "tag " + (critical ? "tag-danger" : "tag-warn") }, critical ? "重大" : "注意"), " ",
        label(EVENT_KINDS, ev.kind)),
      h("p", {}, ev.message),
      h("p", { class: "meta" }, h("time", { datetime: ev.created }, formatSeconds(ev.created))),
      details(ev),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: (e) => close(ev, li, e.currentTarget) }, "対応済みにする")));
    return li;
  }

  async function close(ev, li, btn) {
    if (!confirm(`「${ev.message}」を対応済みにしますか？`)) return;
    btn.disabled = true;
    try {
      await pb.collection("security_events").update(ev.id, { status: "closed" });
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      empty.hidden = list.children.length > 0;
      setOpenEvents(openEventsCount - 1);
      setStatus(status, "対応済みにしました。", "ok");
      (next || document.getElementById("events-title")).focus?.();
    } catch (err) {
      btn.disabled = false;
      setStatus(status, errorMessage(err), "error");
    }
  }

  async function load() {
    more.disabled = true;
    try {
      const res = await pb.collection("security_events").getList(page + 1, EVENTS_PER_PAGE, {
        filter: pb.filter("status = {:s}", { s: "open" }), sort: "-created", skipTotal: true,
      });
      page += 1;
      const before = list.lastElementChild;
      list.append(...res.items.map(render));
      empty.hidden = list.children.length > 0;
      more.hidden = res.items.length < EVENTS_PER_PAGE;
      if (page > 1) {
        setStatus(status, `${res.items.length}件を追加で表示しました。`);
        (before?.nextElementSibling || list.lastElementChild)?.focus();
      }
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    } finally {
      more.disabled = false;
    }
  }

  document.getElementById("events-title").tabIndex = -1;
  more.addEventListener("click", load);
  load();
}

// ---- audit log search ----------------------------------------------------------

/** Tokyo midnight of a calendar date, as the audit log writes times (UTC). */
function tokyoMidnightUTC(ymd, addDays = 0) {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + addDays) - 9 * 3600 * 1000).toISOString();
}

function setupAudit() {
  const form = document.getElementById("audit-form");
  const status = document.getElementById("audit-status");
  const list = document.getElementById("audit-results");
  const more = document.getElementById("audit-more");
  const opt = (value, text) => h("option", { value }, text);

  form.elements.collection.replaceChildren(opt("", "すべて"),
    ...Object.entries(COLLECTIONS).map(([k, v]) => opt(k, `${v}（${k}）`)));
  form.elements.action.replaceChildren(opt("", "すべて"),
    ...Object.entries(ACTIONS).map(([k, v]) => opt(k, `${v}（${k}）`)));
  form.elements.from.max = form.elements.to.max = todayTokyo();

  let filter = "";
  let page = 0;

  function render(e) {
    const fields = Array.isArray(e.fields) ? e.fields : [];
    const actor = e.actor
      ? [roleLabel(e.actorRole, e.actorCollection), "（", code(e.actorRole), "）", h("span", { class: "kana" }, collectionLabel(e.actorCollection), "　ID ", code(e.actor))]
      : [roleLabel(e.actorRole, e.actorCollection) || "（なし）", e.actorRole ? ["（", code(e.actorRole), "）"] : null];
    return h("li", { class: "ops-entry", tabindex: "-1" },
      h("h3", {},
        h("span", { class: "tag " + (e.action === "delete" || e.action === "lockout" ? "tag-warn" : "tag-primary") }, label(ACTIONS, e.action)), " ",
        collectionLabel(e.collection) || "（対象なし）"),
      facts([
        ["日時", [h("time", { datetime: e.at }, formatSeconds(e.at)), h("span", { class: "kana" }, `連番 ${e.seq}`)]],
        ["操作した人", actor],
        ["対象", [e.collection ? code(e.collection) : "—", e.record ? [" ", code(e.record)] : null]],
        fields.length ? ["項目", fields.join("、")] : null,
        ["IPアドレス", e.ip || "—"],
      ]));
  }

  async function load() {
    more.disabled = true;
    try {
      const res = await pb.collection("audit_log").getList(page + 1, AUDIT_PER_PAGE, {
        filter, sort: "-seq", skipTotal: true,
        fields: "id,seq,at,actor,actorCollection,actorRole,action,collection,record,fields,ip",
      });
      page += 1;
      const before = list.lastElementChild;
      list.append(...res.items.map(render));
      more.hidden = res.items.length < AUDIT_PER_PAGE;
      const shown = list.children.length;
      if (shown === 0) setStatus(status, "条件に合う記録はありません。");
      else setStatus(status, `${shown}件を表示しています。${more.hidden ? "" : "「もっと見る」で続きを表示できます。"}`);
      if (page > 1) (before?.nextElementSibling || list.lastElementChild)?.focus();
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    } finally {
      more.disabled = false;
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = form.elements;
    const v = {
      collection: f.collection.value, action: f.action.value,
      actor: f.actor.value.trim(), record: f.record.value.trim(), from: f.from.value, to: f.to.value,
    };
    const ymd = /^\d{4}-\d{2}-\d{2}$/;
    const problems = [];
    if (v.actor && !/^[a-z0-9]{1,15}$/.test(v.actor)) problems.push(["actor", "IDは英小文字と数字（15文字まで）で入力してください。"]);
    if (v.from && !ymd.test(v.from)) problems.push(["from", "日付を正しく入力してください。"]);
    if (v.to && !ymd.test(v.to)) problems.push(["to", "日付を正しく入力してください。"]);
    if (problems.length === 0 && v.from && v.to && v.from > v.to) problems.push(["to", "「この日まで」は「この日から」より後の日付にしてください。"]);
    if (!reportInvalid(form, problems, status)) return;

    // pb.filter quotes every value, so nothing typed here can change the query.
    const parts = [];
    if (v.collection) parts.push(pb.filter("collection = {:c}", { c: v.collection }));
    if (v.action) parts.push(pb.filter("action = {:a}", { a: v.action }));
    if (v.actor) parts.push(pb.filter("actor = {:u}", { u: v.actor }));
    if (v.record) parts.push(pb.filter("record = {:r}", { r: v.record }));
    if (v.from) parts.push(pb.filter("at >= {:from}", { from: tokyoMidnightUTC(v.from) }));
    if (v.to) parts.push(pb.filter("at < {:to}", { to: tokyoMidnightUTC(v.to, 1) }));
    filter = parts.join(" && ");
    page = 0;
    list.replaceChildren();
    more.hidden = true;
    setStatus(status, "検索しています…");
    await busy(form, load);
  });

  more.addEventListener("click", load);
}

// ---- usage report --------------------------------------------------------------

function previousMonthTokyo() {
  const [y, m] = todayTokyo().split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 2, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

function setupReport() {
  const form = document.getElementById("report-form");
  const status = document.getElementById("report-status");
  const input = form.elements.month;
  input.value = previousMonthTokyo();
  input.max = todayTokyo().slice(0, 7);

  function month() {
    const m = input.value.trim().replace(/[／/.]/g, "-");
    return reportInvalid(form, /^\d{4}-\d{2}$/.test(m) ? [] : [["month", "月を「2026-03」の形で入力してください。"]], status) ? m : "";
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const m = month();
    if (!m) return;
    await busy(form, async () => {
      setStatus(status, "報告書を作成しています…");
      try {
        const name = await downloadFile("/api/lifestage/ops/reports/users", { month: m }, `users-${m}.xlsx`);
        setStatus(status, `${name} をダウンロードしました。`, "ok");
      } catch (err) {
        showReportError(err);
      }
    });
  });

  document.getElementById("report-show").addEventListener("click", async () => {
    const m = month();
    if (!m) return;
    await busy(form, async () => {
      setStatus(status, "集計しています…");
      try {
        const r = await pb.send("/api/lifestage/ops/reports/users", { query: { month: m, format: "json" } });
        renderReport(r);
        const [y, mo] = String(r.month || m).split("-").map(Number);
        setStatus(status, `${y}年${mo}月の利用者数を表示しました。`, "ok");
      } catch (err) {
        showReportError(err);
      }
    });
  });

  function showReportError(err) {
    const monthErr = err?.response?.data?.month?.message;
    if (monthErr) reportInvalid(form, [["month", monthErr]], status);
    setStatus(status, monthErr || errorMessage(err), "error");
  }
}

function renderReport(r) {
  const [y, m] = String(r.month || "").split("-").map(Number);
  document.getElementById("report-caption").textContent =
    `利用者数報告 ${y}年${m}月（作成 ${formatDateTime(r.generatedAt)}）`;
  const signed = (n) => (n > 0 ? `+${n.toLocaleString("ja-JP")}` : Number(n).toLocaleString("ja-JP"));
  document.getElementById("report-rows").replaceChildren(...(r.rows || []).map((row) =>
    h("tr", {},
      h("th", { scope: "row" }, row.label),
      h("td", { class: "num" }, Number(row.current).toLocaleString("ja-JP")),
      h("td", { class: "num" }, Number(row.previous).toLocaleString("ja-JP")),
      h("td", { class: "num" }, signed(Number(row.change))))));
  document.getElementById("report-table-wrap").hidden = false;
}

// ---- start -------------------------------------------------------------------

// Last, so every declaration above is initialised before start runs.
openOpsPage("ops", start);
