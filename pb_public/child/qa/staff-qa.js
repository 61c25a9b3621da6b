// 子育て相談の対応 for 子育て staff: unanswered and private questions, answers
// with the staff badge, pending posts, the report queue, the word list and
// promotion to the FAQ. Staff see nicknames only, like everyone else.
import { pb, h, requireAccount, refreshAccount, initPage, errorMessage, setStatus, busy, formatDateTime } from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const CATEGORIES = {
  pregnancy: "妊娠・出産", feeding: "授乳・ミルク", weaning: "離乳食", development: "発達・成長",
  illness: "病気・けが", sleep: "睡眠", nursery: "保育園・幼稚園", life: "生活・その他",
};
const BADGES = { public_health_nurse: "保健師", midwife: "助産師", dietitian: "栄養士", nurse: "看護師", childcare_worker: "保育士" };
const STATUS = { visible: "公開中", pending: "確認待ち", hidden: "非表示" };
const REASONS = { abuse: "誹謗中傷・不快", personal_info: "個人情報", spam: "宣伝・スパム", wrong_info: "誤った医療情報", other: "その他" };
const VIEWS = {
  unanswered: { filter: 'staffAnswered = false && status != "hidden"', sort: "lastActivityAt" },
  private: { filter: "private = true", sort: "staffAnswered,-lastActivityAt" },
  pending: { filter: 'status = "pending"', sort: "-lastActivityAt" },
  all: { filter: "", sort: "-lastActivityAt" },
};
let current = null; // the thread shown in detail

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (me.collectionName !== "city_staff" || me.department !== "child") {
    $("denied").hidden = false;
    return;
  }
  $("work").hidden = false;
  $("me-badge").textContent = `あなたの回答に付くバッジ: 市の${BADGES[me.qualification] || "市職員"}（資格は運用管理の担当者が設定します）`;
  $("faq-category").append(...Object.entries(CATEGORIES).map(([v, l]) => h("option", { value: v }, l)));
  $("view").addEventListener("change", loadThreads);
  $("answer-form").addEventListener("submit", answer);
  $("faq-form").addEventListener("submit", promote);
  $("word-form").addEventListener("submit", addWord);
  await Promise.all([loadThreads(), loadPending(), loadReports(), loadWords()]);
}

function fail(err) {
  setStatus($("status"), errorMessage(err), "error");
}

async function moderate(kind, id, action) {
  let reason = "";
  if (action === "hide") {
    reason = prompt("非表示にする理由（投稿者にも表示されます）") || "";
    if (!reason.trim()) return;
  }
  try {
    await pb.send("/api/lifestage/qa/moderate", { method: "POST", body: { kind, id, action, reason } });
    setStatus($("status"), action === "hide" ? "非表示にしました。" : "公開しました。", "ok");
    await refresh();
  } catch (err) {
    fail(err);
  }
}

async function refresh() {
  await Promise.all([loadThreads(), loadPending(), loadReports(), current ? openThread(current.id) : null]);
}

async function loadThreads() {
  const v = VIEWS[$("view").value];
  const list = $("threads");
  list.setAttribute("aria-busy", "true");
  try {
    const res = await pb.collection("qa_threads").getList(1, 50, { filter: v.filter, sort: v.sort, skipTotal: true });
    list.replaceChildren(...res.items.map((th) => h("li", { class: "card qa-item" },
      h("button", { type: "button", class: "btn btn-secondary btn-block", onclick: () => openThread(th.id) }, th.title),
      h("p", { class: "meta" }, `${th.nickname}さん・${CATEGORIES[th.category]}・${STATUS[th.status]}・回答${th.answerCount}件`,
        th.private ? "・非公開相談" : "", th.staffAnswered ? "・職員回答済み" : "・職員未回答", `・${formatDateTime(th.lastActivityAt)}`))));
    $("threads-empty").hidden = res.items.length > 0;
  } catch (err) {
    fail(err);
  } finally {
    list.removeAttribute("aria-busy");
  }
}

async function openThread(id) {
  try {
    current = await pb.collection("qa_threads").getOne(id);
    const posts = await pb.collection("qa_posts").getFullList({ filter: pb.filter("thread = {:t}", { t: id }), sort: "created" });
    const th = current;
    $("detail").hidden = false;
    $("faq-form").hidden = true;
    $("detail-body").replaceChildren(
      h("h3", {}, th.title),
      h("p", { class: "meta" }, `${th.nickname}さん・${CATEGORIES[th.category]}・${STATUS[th.status]}`, th.private ? "・非公開相談" : "",
        th.hiddenReason ? `（${th.hiddenReason}）` : ""),
      h("p", { class: "qa-body" }, th.body),
      h("div", { class: "actions" }, th.status === "visible"
        ? h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => moderate("thread", th.id, "hide") }, "相談を非表示にする")
        : h("button", { type: "button", class: "btn btn-small", onclick: () => moderate("thread", th.id, "show") }, "相談を公開する")));
    $("detail-answers").replaceChildren(...posts.map((p) => h("li", { class: `card qa-answer${p.staffBadge ? " is-staff" : ""}` },
      h("p", { class: "meta" }, p.staffBadge ? `市の${p.staffBadge}` : `${p.nickname}さん`, `・${STATUS[p.status]}・${formatDateTime(p.created)}`,
        p.reportCount ? `・通報${p.reportCount}件` : "", p.hiddenReason ? `（${p.hiddenReason}）` : ""),
      h("p", { class: "qa-body" }, p.body),
      h("div", { class: "actions" },
        p.status === "visible"
          ? h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => moderate("post", p.id, "hide") }, "非表示")
          : h("button", { type: "button", class: "btn btn-small", onclick: () => moderate("post", p.id, "show") }, p.status === "pending" ? "承認して公開" : "公開に戻す"),
        p.status === "visible" && !th.private
          ? h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => faqFrom(th, p) }, "FAQにする") : null))));
    $("detail-title").scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (err) {
    fail(err);
  }
}

function faqFrom(th, p) {
  const f = $("faq-form");
  f.hidden = false;
  f.elements.post.value = p.id;
  f.elements.question.value = th.title;
  f.elements.answer.value = p.body;
  f.elements.category.value = th.category;
  f.elements.question.focus();
}

async function promote(ev) {
  ev.preventDefault();
  const f = ev.currentTarget;
  await busy(f, async () => {
    try {
      await pb.send("/api/lifestage/qa/faqs", {
        method: "POST",
        body: {
          thread: current.id, post: f.elements.post.value, question: f.elements.question.value,
          answer: f.elements.answer.value, category: f.elements.category.value, published: f.elements.published.checked,
        },
      });
      f.hidden = true;
      setStatus($("status"), "FAQに保存しました。/qa/faq/ に表示されます。", "ok");
    } catch (err) {
      fail(err);
    }
  });
}

async function answer(ev) {
  ev.preventDefault();
  const f = ev.currentTarget;
  if (!current || !f.elements.body.value.trim()) return;
  await busy(f, async () => {
    try {
      await pb.send(`/api/lifestage/qa/threads/${encodeURIComponent(current.id)}/answers`, { method: "POST", body: { body: f.elements.body.value } });
      f.reset();
      setStatus($("status"), "回答しました。質問者に通知しました。", "ok");
      await refresh();
    } catch (err) {
      fail(err);
    }
  });
}

async function loadPending() {
  try {
    const items = await pb.collection("qa_posts").getFullList({ filter: 'status = "pending"', sort: "created", expand: "thread" });
    $("pending").replaceChildren(...items.map((p) => h("li", { class: "card" },
      h("p", { class: "meta" }, `${p.nickname}さん・「${p.expand?.thread?.title || ""}」への回答・${p.hiddenReason}`),
      h("p", { class: "qa-body" }, p.body),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "btn btn-small", onclick: () => moderate("post", p.id, "show") }, "承認して公開"),
        h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => moderate("post", p.id, "hide") }, "非表示")))));
    $("pending-empty").hidden = items.length > 0;
  } catch (err) {
    fail(err);
  }
}

async function loadReports() {
  try {
    const items = await pb.collection("qa_reports").getFullList({ filter: "resolved = false", sort: "created", expand: "thread,post" });
    $("reports").replaceChildren(...items.map((r) => {
      const target = r.expand?.post || r.expand?.thread;
      const kind = r.post ? "post" : "thread";
      return h("li", { class: "card" },
        h("p", { class: "meta" }, `${REASONS[r.category]}・${formatDateTime(r.created)}・対象: ${kind === "post" ? "回答" : "相談"}（${STATUS[target?.status] || ""}）`),
        r.text ? h("p", {}, `補足: ${r.text}`) : null,
        h("p", { class: "qa-body" }, target?.body || ""),
        h("div", { class: "actions" },
          h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => moderate(kind, target.id, "hide") }, "非表示にする"),
          target?.status !== "visible" ? h("button", { type: "button", class: "btn btn-small", onclick: () => moderate(kind, target.id, "show") }, "公開に戻す") : null,
          h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => resolve(r.id) }, "対応済みにする")));
    }));
    $("reports-empty").hidden = items.length > 0;
  } catch (err) {
    fail(err);
  }
}

async function resolve(id) {
  try {
    await pb.send(`/api/lifestage/qa/reports/${encodeURIComponent(id)}/resolve`, { method: "POST", body: { note: "" } });
    setStatus($("status"), "通報を対応済みにしました。", "ok");
    await loadReports();
  } catch (err) {
    fail(err);
  }
}

async function loadWords() {
  try {
    const items = await pb.collection("qa_words").getFullList({ sort: "action,word" });
    $("words").replaceChildren(...items.map((w) => h("li", { class: "actions" },
      h("span", {}, `${w.word}（${w.action === "block" ? "投稿させない" : "確認する"}）${w.active ? "" : "・無効"}`),
      h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => toggleWord(w) }, w.active ? "無効にする" : "有効にする"),
      h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => deleteWord(w) }, "削除"))));
  } catch (err) {
    fail(err);
  }
}

async function addWord(ev) {
  ev.preventDefault();
  const f = ev.currentTarget;
  await busy(f, async () => {
    try {
      await pb.collection("qa_words").create({ word: f.elements.word.value.trim(), action: f.elements.action.value, active: true });
      f.reset();
      await loadWords();
    } catch (err) {
      fail(err);
    }
  });
}

async function toggleWord(w) {
  try {
    await pb.collection("qa_words").update(w.id, { active: !w.active });
    await loadWords();
  } catch (err) {
    fail(err);
  }
}

async function deleteWord(w) {
  if (!confirm(`「${w.word}」を削除しますか？`)) return;
  try {
    await pb.collection("qa_words").delete(w.id);
    await loadWords();
  } catch (err) {
    fail(err);
  }
}

if (requireAccount(["city_staff"])) main();
