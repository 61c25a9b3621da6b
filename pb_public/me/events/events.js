// 園の行事予定 for families: the published events of the nurseries (and
// classes) where their children, or children shared with them, are enrolled.
import { pb, h, requireAccount, initPage, errorMessage, setStatus, formatCivilDate } from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const me = requireAccount(["users"]);
if (me) main();

async function main() {
  initPage();
  const list = $("event-list");
  try {
    const { items } = await pb.send("/api/lifestage/nursery/events", { method: "GET" });
    list.replaceChildren(...items.map((ev) => h("article", { class: `event-item is-${ev.status}` },
      h("h3", {}, ev.title, ev.status === "cancelled" ? h("span", { class: "tag tag-danger" }, "中止") : null),
      h("p", {}, formatCivilDate(ev.date), ev.startTime ? ` ${ev.startTime}〜${ev.endTime || ""}` : "", ev.place ? `・${ev.place}` : ""),
      h("p", { class: "meta" }, ev.nurseryName, ev.audience === "class" ? `（${ev.className}）` : ""),
      ev.description ? h("p", { class: "meta" }, ev.description) : null)));
    $("event-empty").hidden = items.length > 0;
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}
