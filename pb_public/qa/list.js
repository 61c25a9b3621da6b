// 子育て相談の一覧: public, non-private questions that are visible, newest
// activity first, searchable by topic and words. Guests may read.
import { pb, h, initPage, setStatus, formatDate } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";
import { categoryLabel, fillCategories, qaError } from "/qa/qa.js";

const $ = (id) => document.getElementById(id);
const PER_PAGE = 20;
let page = 1;

initPage();
main();

async function main() {
  await i18nReady();
  fillCategories($("category"));
  const params = new URLSearchParams(location.search);
  $("category").value = params.get("category") || "";
  $("q").value = params.get("q") || "";
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    page = 1;
    load();
  });
  $("prev").addEventListener("click", () => { page--; load(); });
  $("next").addEventListener("click", () => { page++; load(); });
  load();
}

function filter() {
  const parts = ['status = "visible"', "private = false"];
  const category = $("category").value;
  const q = $("q").value.trim();
  if (category) parts.push(pb.filter("category = {:c}", { c: category }));
  if (q) parts.push(pb.filter("(title ~ {:q} || body ~ {:q})", { q }));
  return parts.join(" && ");
}

async function load() {
  const list = $("thread-list");
  list.setAttribute("aria-busy", "true");
  setStatus($("page-status"), "");
  try {
    // One extra row tells whether there is a next page without counting all.
    const res = await pb.collection("qa_threads").getList(page, PER_PAGE, {
      filter: filter(), sort: "-lastActivityAt", skipTotal: true,
      fields: "id,title,nickname,category,answerCount,staffAnswered,lastActivityAt",
    });
    list.replaceChildren(...res.items.map(item));
    $("list-empty").hidden = res.items.length > 0;
    $("prev").hidden = page <= 1;
    $("next").hidden = res.items.length < PER_PAGE;
    $("page-no").textContent = t("qa.list.page", { page });
  } catch (err) {
    setStatus($("page-status"), qaError(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function item(th) {
  return h("li", { class: "card qa-item" },
    h("a", { class: "qa-title", href: `/qa/thread/?id=${encodeURIComponent(th.id)}` }, th.title),
    h("div", { class: "qa-tags" },
      h("span", { class: "tag" }, categoryLabel(th.category)),
      th.staffAnswered ? h("span", { class: "tag tag-primary" }, t("qa.list.staffAnswered")) : null,
      th.answerCount > 0
        ? h("span", { class: "tag tag-muted" }, t("qa.list.answers", { n: th.answerCount }))
        : h("span", { class: "tag tag-muted" }, t("qa.list.noAnswer"))),
    h("p", { class: "meta" }, t("qa.thread.by", { nickname: th.nickname }), "・",
      t("qa.list.updated", { date: formatDate(th.lastActivityAt) })));
}
