// アンケート for residents: the surveys delivered to them, each with an
// answer form while it is open and not yet answered. Radio and check-box
// groups are fieldsets with legends; a scale is a row of radio buttons.
import { pb, h, requireAccount, initPage, setStatus, formatDateTime } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";

const $ = (id) => document.getElementById(id);
const me = requireAccount(["users"]);
if (me) main();

function statusTag(s) {
  if (s.answered) return h("span", { class: "tag tag-ok", "data-i18n": "surveys.status.answered" }, "回答済み");
  if (s.open) return h("span", { class: "tag tag-primary", "data-i18n": "surveys.status.open" }, "受付中");
  return h("span", { class: "tag tag-muted", "data-i18n": "surveys.status.closed" }, "受付終了");
}

function question(s, q, i) {
  const id = `s-${s.id}-${q.id}`;
  const hintId = `${id}-hint`;
  const required = q.required ? h("span", { class: "req", "data-i18n": "surveys.required" }, "必須") : null;
  const legend = h("legend", {}, `Q${i + 1}. `, q.label, required);
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true, role: "alert" });
  const options = (type, values, labels) => h("div", { class: type === "radio" && q.type === "scale" ? "choices inline" : "choices" },
    ...values.map((v, k) => h("label", { class: "choice" },
      h("input", { type, name: id, value: String(v), "aria-describedby": hintId }), " ", labels[k])));
  let body;
  let hint = "";
  switch (q.type) {
    case "single":
      body = options("radio", q.options.map((_, k) => k), q.options);
      break;
    case "multi":
      hint = t("surveys.multi.hint", {}, "あてはまるものをすべて選んでください");
      body = options("checkbox", q.options.map((_, k) => k), q.options);
      break;
    case "scale": {
      const values = [];
      for (let v = q.min; v <= q.max; v++) values.push(v);
      hint = t("surveys.scale.hint", { min: String(q.min), max: String(q.max) }, `${q.min}（低い）〜${q.max}（高い）から1つ選んでください`);
      body = options("radio", values, values.map(String));
      break;
    }
    default:
      hint = t("surveys.text.hint", {}, "1000文字まで");
      return h("div", { class: "field", "data-question": q.id },
        h("label", { for: id }, `Q${i + 1}. `, q.label, required),
        h("p", { class: "meta", id: hintId }, hint),
        h("textarea", { id, name: id, rows: 4, maxlength: 1000, "aria-describedby": hintId }), error);
  }
  return h("fieldset", { "data-question": q.id }, legend, h("p", { class: "meta", id: hintId }, hint), body, error);
}

function collect(form, s) {
  const answers = {};
  for (const q of s.questions) {
    const name = `s-${s.id}-${q.id}`;
    if (q.type === "text") {
      const v = form.elements[name].value.trim();
      if (v) answers[q.id] = { text: v };
    } else if (q.type === "multi") {
      const vs = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => Number(el.value));
      if (vs.length) answers[q.id] = { choices: vs };
    } else {
      const el = form.querySelector(`input[name="${name}"]:checked`);
      if (el) answers[q.id] = q.type === "scale" ? { value: Number(el.value) } : { choice: Number(el.value) };
    }
  }
  return answers;
}

function showProblems(form, data) {
  let first = null;
  for (const [qid, item] of Object.entries(data || {})) {
    const box = form.querySelector(`[data-question="${qid}"]`);
    const err = box?.querySelector(".field-error");
    if (!err) continue;
    err.textContent = t(`surveys.error.${item.code}`, {}, item.message);
    err.hidden = false;
    first ||= box.querySelector("input,textarea");
  }
  first?.focus();
}

function answerForm(s, card) {
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const button = h("button", { class: "btn btn-block", type: "submit", "data-i18n": "surveys.submit" }, "回答を送る");
  const form = h("form", { novalidate: true }, ...s.questions.map((q, i) => question(s, q, i)), status, button);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    form.querySelectorAll(".field-error").forEach((el) => { el.hidden = true; el.textContent = ""; });
    button.disabled = true;
    setStatus(status, t("surveys.sending", {}, "送信しています…"));
    try {
      await pb.send(`/api/lifestage/surveys/${encodeURIComponent(s.id)}/responses`, { method: "POST", body: { answers: collect(form, s) } });
      s.answered = true;
      card.replaceWith(surveyCard(s));
      setStatus($("page-status"), t("surveys.thanks", {}, "ご回答ありがとうございました。"), "ok");
      $("page-status").focus?.();
    } catch (err) {
      const data = err?.response?.data || {};
      const code = data.survey?.code;
      if (err?.status === 400) {
        showProblems(form, data);
        setStatus(status, t("surveys.fix", {}, "入力内容を確認してください。"), "error");
      } else if (code) {
        setStatus(status, t(`surveys.error.${code}`, {}, err.message), "error");
      } else {
        setStatus(status, t("surveys.error.send", {}, "送信できませんでした。"), "error");
      }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function surveyCard(s) {
  const card = h("article", { class: "card", id: `s-${s.id}` },
    h("h2", {}, s.title, " ", statusTag(s)),
    h("p", { class: "meta" }, t("surveys.until", { date: formatDateTime(s.closesAt) }, `${formatDateTime(s.closesAt)}まで`)),
    s.description ? h("p", { class: "notice-body" }, s.description) : null);
  if (s.open && !s.answered) card.append(answerForm(s, card));
  return card;
}

async function main() {
  initPage();
  await i18nReady();
  const list = $("survey-list");
  try {
    const { items } = await pb.send("/api/lifestage/me/surveys", { method: "GET" });
    list.replaceChildren(...items.map(surveyCard));
    $("survey-empty").hidden = items.length > 0;
    const wanted = new URLSearchParams(location.search).get("id");
    document.getElementById(`s-${wanted}`)?.scrollIntoView({ block: "start" });
  } catch {
    setStatus($("page-status"), t("surveys.error.load", {}, "アンケートを読み込めませんでした。"), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}
