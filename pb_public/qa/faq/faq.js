// The public FAQ: entries 子育て staff promoted from the Q&A, by topic.
import { pb, h, initPage, setStatus } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";
import { categoryLabel, badgeName, fillCategories, qaError } from "/qa/qa.js";

const $ = (id) => document.getElementById(id);
let all = [];

initPage();
main();

async function main() {
  await i18nReady();
  fillCategories($("category"));
  $("category").addEventListener("change", render);
  try {
    all = await pb.collection("faqs").getFullList({ filter: "published = true", sort: "category,created", fields: "id,question,answer,category,badge" });
    render();
  } catch (err) {
    setStatus($("page-status"), qaError(err), "error");
  } finally {
    $("faq-list").removeAttribute("aria-busy");
  }
}

function render() {
  const c = $("category").value;
  const items = all.filter((f) => !c || f.category === c);
  $("faq-list").replaceChildren(...items.map((f) => h("details", { class: "card" },
    h("summary", { class: "qa-title" }, f.question),
    h("p", { class: "qa-tags" }, h("span", { class: "tag" }, categoryLabel(f.category))),
    h("p", { class: "qa-body" }, f.answer),
    f.badge ? h("p", { class: "meta" }, t("qa.faq.answeredBy", { badge: badgeName(f.badge) })) : null)));
  $("faq-empty").hidden = items.length > 0;
}
