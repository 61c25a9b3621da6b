// My questions: the resident's own threads, private and held ones included
// (the list rule shows a resident their own).
import { pb, h, initPage, requireAccount, setStatus, formatDate } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";
import { categoryLabel, myProfile, qaError, statusTag } from "/qa/qa.js";

const $ = (id) => document.getElementById(id);
const me = requireAccount(["users"]);
if (me) main();

async function main() {
  initPage();
  await i18nReady();
  const list = $("thread-list");
  try {
    const profile = await myProfile();
    if (!profile) {
      $("my-nickname").textContent = t("qa.nick.none");
      $("list-empty").hidden = false;
      return;
    }
    $("my-nickname").textContent = t("qa.nick.yours", { nickname: profile.nickname });
    const items = await pb.collection("qa_threads").getFullList({
      filter: pb.filter("author = {:a}", { a: profile.id }), sort: "-lastActivityAt",
    });
    list.replaceChildren(...items.map((th) => h("li", { class: "card qa-item" },
      h("a", { class: "qa-title", href: `/qa/thread/?id=${encodeURIComponent(th.id)}` }, th.title),
      h("div", { class: "qa-tags" },
        h("span", { class: "tag" }, categoryLabel(th.category)),
        th.private ? h("span", { class: "tag tag-primary" }, t("qa.private.badge")) : null,
        statusTag(th),
        th.staffAnswered ? h("span", { class: "tag tag-primary" }, t("qa.list.staffAnswered")) : null,
        h("span", { class: "tag tag-muted" }, t("qa.list.answers", { n: th.answerCount }))),
      h("p", { class: "meta" }, t("qa.list.updated", { date: formatDate(th.lastActivityAt) })))));
    $("list-empty").hidden = items.length > 0;
  } catch (err) {
    setStatus($("page-status"), qaError(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}
