// Staff home for every non-citizen account: who is logged in, the systems the
// account may open, and its notifications.
import {
  requireAccount, refreshAccount, accountType, initPage, h, formatDateTime,
} from "/assets/app.js";
import { DEPARTMENTS, ROLES, label } from "/assets/labels.js";
import { mountNotifications } from "/assets/notifications.js";
import { mountPushSettings } from "/assets/push-settings.js";
import { STAFF_COLLECTIONS, systemsFor } from "/staff/systems.js";

// The bound facility or organisation is a relation; expand brings its name.
const EXPAND = {
  nursery_staff: "nursery",
  medical_staff: "institution",
  volunteers: "organization,areas",
};

const me = requireAccount(STAFF_COLLECTIONS);
if (me) main(me);

async function main(record) {
  initPage();
  renderProfile(record);
  renderSystems(record);
  renderSession(record);
  mountNotifications(document.getElementById("notices"));
  mountPushSettings(document.getElementById("push-settings"));

  // The record stored at login predates the server's login stamp, so the
  // previous login is only shown from a fresh read.
  document.getElementById("previous-login").textContent = "前回のログインを確認しています…";
  const fresh = await refreshAccount(EXPAND[record.collectionName] ? { expand: EXPAND[record.collectionName] } : {});
  if (!fresh) return;
  renderProfile(fresh);
  renderSystems(fresh);
  renderPreviousLogin(fresh);
}

function expandedName(record, field) {
  const rel = record.expand?.[field];
  if (Array.isArray(rel)) return rel.map((r) => r.name).join("、");
  if (rel?.name) return rel.name;
  return record[field] ? "（読み込み中または表示できません）" : "（未設定）";
}

function renderProfile(record) {
  const col = record.collectionName;
  const rows = [
    ["お名前", record.name || "（未設定）"],
    ["メールアドレス", record.email],
    ["アカウント種別", accountType(record)?.label ?? col],
  ];
  if (col === "city_staff") rows.push(["所属", label(DEPARTMENTS, record.department)]);
  if (col === "nursery_staff") rows.push(["所属施設", expandedName(record, "nursery")]);
  if (col === "medical_staff") rows.push(["所属機関", expandedName(record, "institution")]);
  if (col === "volunteers") {
    rows.push(["所属団体", expandedName(record, "organization")]);
    rows.push(["担当地区", expandedName(record, "areas")]);
  }
  if (ROLES[col]) rows.push(["役割", label(ROLES[col], record.role)]);

  document.getElementById("profile").replaceChildren(
    ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v || "")]));
}

function renderSystems(record) {
  const systems = systemsFor(record);
  document.getElementById("systems").replaceChildren(...systems.map((s) =>
    h("li", {},
      h("a", { class: "btn btn-secondary btn-big menu-link", href: s.path },
        h("span", {}, s.label, h("span", { class: "kana" }, s.desc)),
        s.ready ? null : h("span", { class: "tag tag-muted" }, "準備中")))));
  document.getElementById("systems-empty").hidden = systems.length > 0;
}

// Shown so staff notice a login that was not theirs (別紙1: 前回ログイン日時の表示).
function renderPreviousLogin(record) {
  const el = document.getElementById("previous-login");
  const at = formatDateTime(record.previousLoginAt);
  if (!at) {
    el.textContent = "前回のログイン記録はありません。";
    return;
  }
  const ip = record.previousLoginIP ? `（IPアドレス ${record.previousLoginIP}）` : "";
  el.textContent = `前回のログイン：${at}${ip}`;
  el.append(h("span", { class: "kana" }, "心当たりのないログインがあったときは、すぐに運用管理の職員へ連絡してください。"));
}

// The session keeper in app.js renews the token while the page is used, so
// the login ends only after a stretch without any use.
function renderSession(record) {
  const idle = record.collectionName === "volunteers" ? "4時間" : "30分間";
  document.getElementById("session").textContent =
    `安全のため、${idle}操作がないと自動でログアウトします。共用の端末では、使い終わったら「ログアウト」を押してください。`;
}
