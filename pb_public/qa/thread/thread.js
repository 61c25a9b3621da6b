// One question with its answers. Residents answer under their nickname (a
// private consultation only by its asker and staff) and may report a post
// once; staff answers carry their badge.
import { pb, h, initPage, setStatus, formatDateTime, loginUrl, busy } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";
import { categoryLabel, badgeLabel, citizen, myProfile, qaError, statusTag, REPORT_REASONS } from "/qa/qa.js";

const $ = (id) => document.getElementById(id);
const id = new URLSearchParams(location.search).get("id") || "";
let profile = null;

initPage();
main();

async function main() {
  await i18nReady();
  try {
    profile = await myProfile();
    const thread = await pb.collection("qa_threads").getOne(id);
    showThread(thread);
    await loadAnswers(thread);
    setupAnswerForm(thread);
  } catch (err) {
    setStatus($("page-status"), err?.status === 404 ? t("qa.thread.notFound") : qaError(err), "error");
  } finally {
    $("thread").removeAttribute("aria-busy");
  }
}

function showThread(th) {
  document.title = `${th.title}｜${t("qa.title")}`;
  $("thread-title").textContent = th.title;
  $("thread-title").removeAttribute("data-i18n");
  $("thread").append(
    h("div", { class: "qa-tags" },
      h("span", { class: "tag" }, categoryLabel(th.category)),
      th.private ? h("span", { class: "tag tag-primary" }, t("qa.private.badge")) : null,
      statusTag(th)),
    h("p", { class: "meta" }, t("qa.thread.by", { nickname: th.nickname }), "・", formatDateTime(th.created)),
    th.status !== "visible" ? h("p", { class: "status" }, th.hiddenReason || t(`qa.thread.${th.status === "hidden" ? "yourHidden" : "yourPending"}`)) : null,
    h("p", { class: "qa-body" }, th.body),
    reportBox({ thread: th.id }));
}

async function loadAnswers(th) {
  const posts = await pb.collection("qa_posts").getFullList({
    filter: pb.filter("thread = {:t}", { t: th.id }), sort: "created",
    fields: "id,nickname,staffBadge,body,status,hiddenReason,created",
  });
  $("answers").replaceChildren(...posts.map(answer));
  $("no-answers").hidden = posts.length > 0;
}

function answer(p) {
  const staff = !!p.staffBadge;
  return h("li", { class: `card qa-answer${staff ? " is-staff" : ""}`, dataset: { post: p.id } },
    h("p", { class: "meta" },
      staff ? h("span", { class: "qa-staff-badge badge" }, badgeLabel(p.staffBadge)) : t("qa.thread.answerBy", { nickname: p.nickname }),
      "・", formatDateTime(p.created), " ", statusTag(p)),
    p.status !== "visible" ? h("p", { class: "meta" }, p.hiddenReason || t("qa.thread.yourPending")) : null,
    h("p", { class: "qa-body" }, p.body),
    staff ? null : reportBox({ post: p.id }));
}

// A folded report form: a reason, optional details, and a clear answer.
function reportBox(target) {
  if (!citizen()) return null;
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const reason = h("select", { name: "reason", required: true },
    ...REPORT_REASONS.map((r) => h("option", { value: r }, t(`qa.report.${r}`))));
  const text = h("textarea", { name: "text", rows: 2, maxlength: 500 });
  const uid = Object.values(target)[0];
  reason.id = `reason-${uid}`;
  text.id = `text-${uid}`;
  const form = h("form", { novalidate: true },
    h("div", { class: "field" }, h("label", { for: reason.id }, t("qa.report.reason")), reason),
    h("div", { class: "field" }, h("label", { for: text.id }, t("qa.report.text")), text),
    status,
    h("button", { class: "btn btn-danger btn-small", type: "submit" }, t("qa.report.submit")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await busy(form, async () => {
      try {
        await pb.send("/api/lifestage/qa/reports", { method: "POST", body: { ...target, reason: reason.value, text: text.value } });
        setStatus(status, t("qa.report.done"), "ok");
      } catch (err) {
        setStatus(status, qaError(err), "error");
      }
    });
  });
  return h("details", { class: "qa-report" }, h("summary", {}, t("qa.report.button")), form);
}

function setupAnswerForm(th) {
  const section = $("answer-section");
  const note = $("answer-note");
  section.hidden = false;
  if (!citizen()) {
    note.replaceChildren(t("qa.thread.loginToAnswer"), " ", h("a", { href: loginUrl() }, t("qa.login")));
    return;
  }
  if (!profile) {
    note.replaceChildren(t("qa.nick.none"), " ", h("a", { href: "/qa/ask/" }, t("qa.nick.title")));
    return;
  }
  const own = th.author === profile.id;
  if (th.private && !own) {
    note.textContent = t("qa.thread.privateOnlyStaff");
    return;
  }
  note.textContent = t("qa.nick.yours", { nickname: profile.nickname });
  const form = $("answer-form");
  form.hidden = false;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const status = $("answer-status");
    await busy(form, async () => {
      try {
        const post = await pb.send(`/api/lifestage/qa/threads/${encodeURIComponent(th.id)}/answers`, {
          method: "POST", body: { body: form.elements.body.value },
        });
        form.reset();
        setStatus(status, t(post.status === "visible" ? "qa.thread.answerSent" : "qa.thread.answerPending"), "ok");
        await loadAnswers(th);
      } catch (err) {
        setStatus(status, qaError(err), "error");
      }
    });
  });
}
