// Placeholder for a staff system page that is not built yet. It still checks
// that the account may enter, so the menu and the page agree.
import { requireAccount, initPage } from "/assets/app.js";
import { SYSTEMS, STAFF_COLLECTIONS, systemsFor } from "/staff/systems.js";

const key = new URLSearchParams(location.search).get("system");
const system = SYSTEMS.find((s) => s.key === key);
const me = requireAccount(STAFF_COLLECTIONS);

if (me) initPage();
if (me && system) {
  const allowed = systemsFor(me).some((s) => s.key === key);
  document.getElementById("system-title").textContent = `${system.label}（準備中）`;
  document.getElementById("system-text").textContent = allowed
    ? `${system.desc}の画面は準備中です。`
    : "このアカウントでは、この業務メニューは使えません。";
  document.title = `${system.label}｜lifestage 西条市`;
}
