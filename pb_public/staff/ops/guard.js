// The ops pages open only for 運用 staff, and a department changed since
// login closes them at once. The server refuses their calls to anyone else
// anyway; this only decides what the page shows.
import { requireAccount, refreshAccount, initPage } from "/assets/app.js";

export async function openOpsPage(sectionId, start) {
  const me = requireAccount(["city_staff"]);
  if (!me) return;
  initPage();
  const deny = () => {
    document.getElementById(sectionId).hidden = true;
    document.getElementById("denied").hidden = false;
  };
  if (me.department !== "ops") return deny();
  document.getElementById(sectionId).hidden = false;
  start();
  const fresh = await refreshAccount();
  if (fresh && fresh.department !== "ops") deny();
}
