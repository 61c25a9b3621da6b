// The notifications list shared by the citizen and staff homes: unread badge,
// mark read, 全て既読, delete, paging and realtime. The collection's rules
// already limit every account to its own notifications, so no filter on the
// recipient is needed here.
import { pb, h, formatDateTime, errorMessage, setStatus } from "/assets/app.js";
import { i18nReady, t } from "/assets/i18n.js";

const COLLECTION = "notifications";

/** Only in-app paths are followed, never another site. */
function safeLink(link) {
  return typeof link === "string" && link.startsWith("/") && !link.startsWith("//") ? link : "";
}

/**
 * Fills `root` (an empty <section>) with the list and keeps it current.
 * Returns a function that stops the realtime subscription.
 */
export function mountNotifications(root, { perPage = 10, headingLevel = 2 } = {}) {
  const titleId = `${root.id || "notices"}-title`;
  const badge = h("span", { class: "badge", hidden: true });
  const readAllBtn = h("button", { type: "button", class: "btn btn-secondary btn-small", "data-i18n": "me.inbox.readAll" }, "全て既読");
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const list = h("ul", { class: "plain-list", "aria-labelledby": titleId });
  const empty = h("p", { class: "meta", hidden: true, "data-i18n": "me.inbox.empty" }, "お知らせはありません。");
  const moreBtn = h("button", { type: "button", class: "btn btn-secondary btn-block", hidden: true, "data-i18n": "common.more" }, "もっと見る");

  root.setAttribute("aria-labelledby", titleId);
  root.replaceChildren(
    h("div", { class: "section-head" },
      h(`h${headingLevel}`, { id: titleId }, h("span", { "data-i18n": "me.inbox.title" }, "お知らせ"), " ", badge),
      readAllBtn),
    status, list, empty, moreBtn);

  const items = new Map(); // id -> record, for realtime de-duplication
  let page = 0;
  let unread = 0;

  function setUnread(n) {
    unread = Math.max(0, n);
    badge.hidden = unread === 0;
    badge.replaceChildren(h("span", { class: "visually-hidden" }, t("me.inbox.unreadCount", { n: unread }, `未読${unread}件`)), h("span", { "aria-hidden": "true" }, String(unread)));
    readAllBtn.disabled = unread === 0;
  }

  function render(rec) {
    const isUnread = !rec.readAt;
    const link = safeLink(rec.link);
    const li = h("li", { class: "notice" + (isUnread ? " is-unread" : ""), dataset: { id: rec.id }, tabindex: "-1" },
      h(`h${headingLevel + 1}`, { class: "notice-title" },
        isUnread ? h("span", { class: "unread-mark" }, t("me.inbox.unread", {}, "未読")) : null,
        rec.title),
      rec.body ? h("p", { class: "notice-body" }, rec.body) : null,
      h("p", { class: "meta" }, h("time", { datetime: rec.created }, formatDateTime(rec.created))),
      h("div", { class: "actions" },
        link ? h("a", { class: "btn btn-small", href: link, onclick: (e) => open(e, rec, link) }, t("me.inbox.open", {}, "開く")) : null,
        isUnread ? h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => markRead(rec) }, t("me.inbox.markRead", {}, "既読にする")) : null,
        h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => remove(rec) }, t("me.inbox.delete", {}, "削除")),
      ));
    return li;
  }

  function findLi(id) {
    return list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
  }

  // Replacing an item must not drop keyboard focus to <body>.
  function upsert(rec, { prepend = false } = {}) {
    const prev = items.get(rec.id);
    items.set(rec.id, rec);
    const li = render(rec);
    const old = findLi(rec.id);
    if (old) {
      const hadFocus = old.contains(document.activeElement);
      old.replaceWith(li);
      if (hadFocus) li.focus();
    } else if (prepend) {
      list.prepend(li);
    } else {
      list.append(li);
    }
    empty.hidden = items.size > 0;
    return prev;
  }

  function drop(id) {
    const old = findLi(id);
    if (old?.contains(document.activeElement)) (old.nextElementSibling || old.previousElementSibling || root).focus?.();
    old?.remove();
    items.delete(id);
    empty.hidden = items.size > 0;
  }

  async function markRead(rec) {
    try {
      const updated = await pb.collection(COLLECTION).update(rec.id, { readAt: new Date().toISOString() });
      if (!items.get(rec.id)?.readAt) setUnread(unread - 1);
      upsert(updated);
      setStatus(status, t("me.inbox.marked", {}, "既読にしました。"), "ok");
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    }
  }

  async function open(e, rec, link) {
    if (rec.readAt || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    await markRead(rec);
    location.assign(link);
  }

  async function remove(rec) {
    if (!confirm(t("me.inbox.deleteQuestion", { title: rec.title }, `「${rec.title}」を削除しますか？`))) return;
    try {
      await pb.collection(COLLECTION).delete(rec.id);
      if (!items.get(rec.id)?.readAt && items.has(rec.id)) setUnread(unread - 1);
      drop(rec.id);
      setStatus(status, t("me.inbox.deleted", {}, "削除しました。"), "ok");
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    }
  }

  readAllBtn.addEventListener("click", async () => {
    readAllBtn.disabled = true;
    try {
      const res = await pb.send("/api/lifestage/notifications/read-all", { method: "POST" });
      const now = new Date().toISOString();
      for (const rec of [...items.values()]) if (!rec.readAt) upsert({ ...rec, readAt: now });
      setUnread(0);
      setStatus(status, t("me.inbox.markedAll", { n: res?.updated ?? 0 }, `${res?.updated ?? 0}件を既読にしました。`), "ok");
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
      readAllBtn.disabled = unread === 0;
    }
  });

  async function loadMore() {
    moreBtn.disabled = true;
    try {
      const res = await pb.collection(COLLECTION).getList(page + 1, perPage, { sort: "-created", skipTotal: true });
      const before = list.lastElementChild;
      page += 1;
      res.items.forEach((rec) => upsert(rec));
      moreBtn.hidden = res.items.length < perPage;
      if (page > 1) {
        setStatus(status, res.items.length
          ? t("me.inbox.more", { n: res.items.length }, `${res.items.length}件を追加で表示しました。`)
          : t("me.inbox.noMore", {}, "これ以上のお知らせはありません。"));
        // Continue from the first new item; keep focus off the hidden button.
        (before?.nextElementSibling || list.lastElementChild)?.focus();
      }
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    } finally {
      moreBtn.disabled = false;
    }
  }
  moreBtn.addEventListener("click", loadMore);

  async function countUnread() {
    // The badge counts all unread, not only the loaded page.
    const res = await pb.collection(COLLECTION).getList(1, 1, { filter: 'readAt = ""', fields: "id" });
    setUnread(res.totalItems);
  }

  function onEvent(e) {
    const rec = e.record;
    if (e.action === "create") {
      if (items.has(rec.id)) return;
      upsert(rec, { prepend: true });
      if (!rec.readAt) setUnread(unread + 1);
      setStatus(status, t("me.inbox.new", { title: rec.title }, `新しいお知らせがあります：${rec.title}`));
    } else if (e.action === "update") {
      const prev = items.get(rec.id);
      if (!prev) return;
      if (!prev.readAt && rec.readAt) setUnread(unread - 1);
      upsert(rec);
    } else if (e.action === "delete") {
      const prev = items.get(rec.id);
      if (!prev) return;
      if (!prev.readAt) setUnread(unread - 1);
      drop(rec.id);
    }
  }

  setUnread(0);
  (async () => {
    await i18nReady(); // the items are drawn in the page's language
    await loadMore();
    await countUnread().catch(() => {});
  })();

  let unsubscribe = () => {};
  pb.collection(COLLECTION).subscribe("*", onEvent)
    .then((fn) => (unsubscribe = fn))
    .catch(() => setStatus(status, t("me.inbox.realtimeFailed", {}, "新着のお知らせを自動で受け取れませんでした。ページを再読み込みしてください。")));
  // Closing the realtime connection on leave avoids a dangling request.
  addEventListener("pagehide", () => unsubscribe(), { once: true });
  return () => unsubscribe();
}
