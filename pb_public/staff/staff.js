// Staff home for every non-citizen account: who is logged in, the systems the
// account may open, and its notifications.
import { getTokenPayload } from "/vendor/pocketbase/pocketbase.es.mjs";
import {
  pb, requireAccount, refreshAccount, accountType, loginUrl, initPage, h, formatDateTime,
} from "/assets/app.js";
import { DEPARTMENTS, ROLES, label } from "/assets/labels.js";
import { mountNotifications } from "/assets/notifications.js";
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
  mountNotifications(document.getElementById("notices"));

  const fresh = await refreshAccount(EXPAND[record.collectionName] ? { expand: EXPAND[record.collectionName] } : {});
  if (!fresh) return;
  renderProfile(fresh);
  renderSystems(fresh);
  watchSession();
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
        h("span", { class: "tag tag-muted" }, "準備中")))));
  document.getElementById("systems-empty").hidden = systems.length > 0;
}

// Staff tokens last 30 minutes. Say when this one ends, and when it has,
// point to the login page instead of letting the next click fail.
function watchSession() {
  const el = document.getElementById("session");
  const exp = getTokenPayload(pb.authStore.token)?.exp;
  if (!exp) return;
  const ms = exp * 1000 - Date.now();
  el.textContent = `このログインは ${formatDateTime(new Date(exp * 1000))} まで有効です。`;
  setTimeout(() => {
    el.replaceChildren("ログインの有効期限が切れました。",
      h("a", { href: loginUrl() }, "もう一度ログインする"));
  }, Math.max(0, ms));
}
