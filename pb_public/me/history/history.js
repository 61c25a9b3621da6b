// 登録履歴: everything the family entered in the handbook or applied for,
// newest first, from GET /api/lifestage/me/history (cursor paging).
import { pb, h, requireAccount, initPage, errorMessage, setStatus, formatDateTime, formatCivilDate } from "/assets/app.js";
import { RECORD_SOURCES, labelT } from "/assets/labels.js";
import { i18nReady, t } from "/assets/i18n.js";

const $ = (id) => document.getElementById(id);

/** Where an entry lives: the child's handbook or the pregnancy page. */
function linkOf(item) {
  if (item.collection === "pregnancies") return `/me/pregnancy/?id=${encodeURIComponent(item.recordId)}`;
  if (item.collection === "prenatal_checkups") return "/me/pregnancy/";
  if (item.childId) return `/me/child/?id=${encodeURIComponent(item.childId)}`;
  return "";
}

function render(item) {
  const withdrawn = item.status === "entered_in_error";
  const href = linkOf(item);
  const whose = item.childName ? t("history.child", { name: item.childName }, `${item.childName} さん`) : t("history.self", {}, "あなた（妊娠）");
  return h("li", { class: `history-item${withdrawn ? " is-withdrawn" : ""}`, tabindex: "-1" },
    h("p", { class: "meta" },
      h("time", { datetime: item.createdAt }, formatDateTime(item.createdAt)),
      t("history.entered", { whose }, `に登録・${whose}`)),
    h("p", { class: "history-title" }, href ? h("a", { href }, item.title) : item.title),
    h("p", { class: "meta" }, [
      item.date ? t("history.date", { date: formatCivilDate(item.date) }, `日付 ${formatCivilDate(item.date)}`) : "",
      item.source ? t("child.source", { source: labelT("recordSource", RECORD_SOURCES, item.source) }, `記録: ${labelT("recordSource", RECORD_SOURCES, item.source)}`) : "",
      withdrawn ? t("history.withdrawn", {}, "誤入力として取り消し済み") : "",
    ].filter(Boolean).join(t("me.children.sep", {}, "・"))));
}

async function main() {
  initPage();
  await i18nReady();
  const list = $("history-list");
  const status = $("history-status");
  const more = $("history-more");
  let cursor = "";

  async function load() {
    more.disabled = true;
    const first = cursor === "";
    if (first) setStatus(status, t("common.loading", {}, "読み込んでいます…"));
    list.setAttribute("aria-busy", "true");
    try {
      const res = await pb.send("/api/lifestage/me/history", { query: cursor ? { cursor } : {} });
      const items = res.items || [];
      const before = list.lastElementChild;
      list.append(...items.map(render));
      $("history-empty").hidden = list.children.length > 0;
      cursor = res.nextCursor || "";
      more.hidden = !cursor;
      if (first) setStatus(status, "");
      else {
        setStatus(status, t("me.inbox.more", { n: items.length }, `${items.length}件を追加で表示しました。`));
        (before?.nextElementSibling || list.lastElementChild)?.focus();
      }
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    } finally {
      list.removeAttribute("aria-busy");
      more.disabled = false;
    }
  }

  more.addEventListener("click", load);
  load();
}

// Started last, so every module-level binding above is initialised.
if (requireAccount(["users"])) main();
