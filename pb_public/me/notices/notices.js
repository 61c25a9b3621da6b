// お知らせ for residents: the targeted announcements delivered to them,
// newest first. Opening one marks it read (the route counts it once).
import { pb, h, requireAccount, initPage, setStatus, formatDateTime } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";

const $ = (id) => document.getElementById(id);
const me = requireAccount(["users"]);
if (me) main();

let unread = 0;

function showBadge() {
  const badge = $("unread-badge");
  badge.hidden = unread === 0;
  badge.textContent = t("notices.unread", { n: String(unread) }, `未読 ${unread}件`);
}

async function markRead(item, el) {
  if (!item.unread) return;
  item.unread = false;
  el.classList.remove("is-unread");
  el.querySelector(".tag-unread")?.remove();
  unread = Math.max(0, unread - 1);
  showBadge();
  try {
    await pb.send(`/api/lifestage/me/announcements/${encodeURIComponent(item.id)}/read`, { method: "POST" });
  } catch {
    // Reading still works; the count catches up the next time it is opened.
  }
}

function noticeCard(item) {
  const category = h("span", { class: "tag", "data-i18n": `notices.category.${item.category}` }, item.category);
  const el = h("details", { class: `card notice${item.unread ? " is-unread" : ""}`, id: `n-${item.id}` },
    h("summary", {},
      h("span", { class: "notice-title" }, item.title), " ",
      item.unread ? h("span", { class: "tag tag-unread", "data-i18n": "notices.unread.tag" }, "未読") : null, " ",
      category,
      h("span", { class: "meta" }, " ", t("notices.delivered", { date: formatDateTime(item.deliveredAt) }, `${formatDateTime(item.deliveredAt)} 配信`))),
    h("p", { class: "notice-body" }, item.body),
    item.eventTitle ? h("p", {}, t("notices.event", { title: item.eventTitle }, `関連するイベント: ${item.eventTitle}`)) : null,
    item.survey ? h("p", {}, h("a", { class: "btn btn-block", href: `/me/surveys/?id=${encodeURIComponent(item.survey)}` }, t("notices.survey.link", {}, "アンケートに答える"))) : null);
  el.addEventListener("toggle", () => { if (el.open) markRead(item, el); });
  return el;
}

async function main() {
  initPage();
  await i18nReady();
  const list = $("notice-list");
  try {
    const res = await pb.send("/api/lifestage/me/announcements", { method: "GET" });
    unread = res.unread;
    list.replaceChildren(...res.items.map(noticeCard));
    $("notice-empty").hidden = res.items.length > 0;
    showBadge();
    const wanted = new URLSearchParams(location.search).get("id");
    const target = wanted && document.getElementById(`n-${wanted}`);
    if (target) {
      target.open = true;
      target.scrollIntoView({ block: "start" });
    }
  } catch {
    setStatus($("page-status"), t("notices.error.load", {}, "お知らせを読み込めませんでした。"), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}
