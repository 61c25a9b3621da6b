// 予診票 (guardian): choose the clinic and date, answer the questions, submit
// and show the reception QR code. The header data comes from the server.
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, reportInvalid, clearErrors,
  busy, formatCivilDate, todayTokyo,
} from "/assets/app.js";
import { VACCINES, label } from "/assets/labels.js";

const $ = (id) => document.getElementById(id);
const ID = /^[a-z0-9]{15}$/;

const state = { q: null, questions: [], facilityName: "" };
let qrUrl = "";

function showStep(name) {
  for (const s of ["create", "answers", "qr"]) $(`step-${s}`).hidden = s !== name;
}

function targetText(vaccine, dose) {
  return `${label(VACCINES, vaccine)}（${dose}回目）`;
}

async function main(record) {
  initPage();
  const params = new URLSearchParams(location.search);
  const childId = params.get("child") || "";
  const vaccine = params.get("vaccine") || "";
  const dose = Number.parseInt(params.get("dose") || "0", 10);
  const pageStatus = $("page-status");
  if (!ID.test(childId) || !(vaccine in VACCINES) || !(dose >= 1 && dose <= 5)) {
    setStatus(pageStatus, "予診票の対象が指定されていません。母子手帳の「予防接種の予定」からひらいてください。", "error");
    return;
  }
  $("back-link").href = `/me/child/?id=${encodeURIComponent(childId)}`;

  let child;
  try {
    child = await pb.collection("children").getOne(childId);
  } catch (err) {
    setStatus(pageStatus, err?.status === 404 ? "お子さまが見つかりません。" : errorMessage(err), "error");
    return;
  }
  const canWrite = [...(child.guardians || []), ...(child.familyManagers || [])].includes(record.id);
  $("q-target").textContent = `${child.familyName} ${child.givenName}さん・${targetText(vaccine, dose)}`;
  if (!canWrite) {
    setStatus(pageStatus, "予診票を作成できるのは保護者と管理を共有された家族だけです。", "error");
    return;
  }

  const facilities = await loadFacilities();
  setupCreate(child.id, vaccine, dose, facilities);
  setupAnswers();
  setupCancel();

  // An open form for the same dose continues where it was left.
  let open = null;
  try {
    open = await pb.collection("vaccination_questionnaires").getFirstListItem(
      pb.filter('child = {:c} && vaccine = {:v} && dose = {:d} && (status = "draft" || status = "submitted")',
        { c: child.id, v: vaccine, d: dose }),
      { sort: "-created" });
  } catch (err) {
    if (err?.status !== 404) setStatus(pageStatus, errorMessage(err), "error");
  }
  if (!open) {
    showStep("create");
    return;
  }
  state.facilityName = facilities.get(open.institution) || "";
  if (open.status === "submitted") {
    state.q = open;
    showQR();
  } else {
    await resumeDraft(open);
  }
}

async function loadFacilities() {
  const names = new Map();
  const select = $("q-institution");
  try {
    const res = await pb.collection("facilities").getList(1, 200, {
      filter: 'type = "clinic" || type = "hospital"', sort: "name", fields: "id,name,type",
    });
    for (const f of res.items) {
      names.set(f.id, f.name);
      select.append(h("option", { value: f.id }, f.name));
    }
  } catch (err) {
    setStatus($("create-form-status"), errorMessage(err), "error");
  }
  return names;
}

// ---- 1. 作成 ------------------------------------------------------------------

function setupCreate(childId, vaccine, dose, facilities) {
  const form = $("create-form");
  const status = $("create-form-status");
  form.plannedDate.min = todayTokyo();
  form.plannedDate.value = todayTokyo();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setStatus(status, "");
    const institution = form.institution.value;
    const plannedDate = form.plannedDate.value;
    const problems = [];
    if (!institution) problems.push(["institution", "接種を受ける医療機関を選んでください。"]);
    if (!plannedDate) problems.push(["plannedDate", "接種予定日を入力してください。"]);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      let q;
      try {
        q = await pb.send(`/api/lifestage/children/${encodeURIComponent(childId)}/questionnaires`, {
          method: "POST", body: { vaccine, dose, plannedDate, institution },
        });
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      clearErrors(form);
      state.facilityName = facilities.get(institution) || "";
      showAnswers(q);
      setStatus($("answers-form-status"), "予診票を作成しました。質問に答えてください。", "ok");
      $("answers-title").focus();
    });
  });
}

// ---- 2. 回答 ------------------------------------------------------------------

function parseAnswers(raw) {
  if (raw && typeof raw === "object") return raw;
  try {
    const v = JSON.parse(raw || "{}");
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

// The questions come only with a route's answer, so a draft is re-saved
// unchanged to get them.
async function resumeDraft(rec) {
  const answers = parseAnswers(rec.answers);
  try {
    const q = await pb.send(`/api/lifestage/questionnaires/${encodeURIComponent(rec.id)}/answers`, {
      method: "PATCH", body: { answers },
    });
    showAnswers(q);
    setStatus($("answers-form-status"), "記入中の予診票をひらきました。", "ok");
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
  }
}

function showAnswers(q) {
  state.q = q;
  state.questions = q.questions || [];
  const warn = $("q-warning");
  warn.textContent = q.warning ? `${q.warning}。接種を受けられる期間は限られています。お早めに受けてください。` : "";
  warn.hidden = !q.warning;

  $("base-data").replaceChildren(...[
    ["氏名", q.childName],
    ["生年月日", formatCivilDate(q.birthDate)],
    ["接種予定日の年齢", q.ageText],
    ["住所", q.address],
    ["保護者", q.guardianName],
    ["ワクチン", targetText(q.vaccine, q.dose)],
    ["接種予定日", formatCivilDate(q.plannedDate)],
    ["医療機関", state.facilityName],
  ].filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));

  const answers = q.answers || {};
  const form = $("answers-form");
  form.birthWeightG.value = answers.birthWeightG ?? "";
  $("questions").replaceChildren(...state.questions.map((qq, i) => questionItem(qq, i, answers[qq.key])));
  showStep("answers");
}

function questionItem(qq, i, answer) {
  const name = `q-${qq.key}`;
  const yes = answer?.yes;
  const detailId = `${name}-detail`;
  const radio = (value, text) => h("label", { class: "choice" },
    h("input", { type: "radio", name, value, checked: yes === (value === "yes") && yes != null, required: true }),
    h("span", {}, text));
  const fieldset = h("fieldset", { dataset: { field: name } },
    h("legend", {}, `${i + 1}. ${qq.text}`),
    h("div", { class: "choices inline" }, radio("yes", "はい"), radio("no", "いいえ")));
  const detail = qq.detail
    ? h("div", { class: "field" },
      h("label", { for: detailId }, `「はい」の方: ${qq.detail}`),
      h("textarea", { id: detailId, name: `${name}-detail`, rows: 2, maxlength: 200 }, answer?.detail || ""))
    : null;
  return h("li", { class: "question", dataset: { key: qq.key } }, fieldset, detail);
}

/** Reads the form; complete=true also requires every はい/いいえ. */
function readAnswers(form, complete) {
  const answers = {};
  const problems = [];
  const w = form.birthWeightG.value.trim();
  if (w) {
    const g = Number(w);
    if (!Number.isInteger(g) || g < 300 || g > 6000) problems.push(["birthWeightG", "出生体重はグラムの整数（300〜6000）で入力してください。"]);
    else answers.birthWeightG = g;
  }
  for (const qq of state.questions) {
    const name = `q-${qq.key}`;
    const picked = form.querySelector(`input[name="${name}"]:checked`)?.value;
    const detail = qq.detail ? form.elements.namedItem(`${name}-detail`).value.trim() : "";
    if (picked) answers[qq.key] = detail ? { yes: picked === "yes", detail } : { yes: picked === "yes" };
    else if (complete) problems.push([name, "「はい」か「いいえ」を選んでください。"]);
    if (detail.length > 200) problems.push([`${name}-detail`, "記入欄は200文字以内で入力してください。"]);
  }
  return { answers, problems };
}

/** Places "answers.KEY" errors from the server next to their question. */
function showAnswerErrors(form, err, status) {
  const data = err?.response?.data || {};
  const key = Object.keys(data).find((k) => k.startsWith("answers."));
  if (key) {
    const qKey = key.slice("answers.".length);
    const name = qKey === "birthWeightG" ? "birthWeightG" : `q-${qKey}`;
    reportInvalid(form, [[name, data[key].message || "回答を確認してください。"]], status);
    setStatus(status, data[key].message || errorMessage(err), "error");
    return;
  }
  showErrors(form, err, status);
}

async function saveAnswers(form, status, complete) {
  const { answers, problems } = readAnswers(form, complete);
  if (!reportInvalid(form, problems, status)) return false;
  try {
    const q = await pb.send(`/api/lifestage/questionnaires/${encodeURIComponent(state.q.id)}/answers`, {
      method: "PATCH", body: { answers },
    });
    state.q = { ...state.q, ...q };
    return true;
  } catch (err) {
    showAnswerErrors(form, err, status);
    return false;
  }
}

function setupAnswers() {
  const form = $("answers-form");
  const status = $("answers-form-status");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setStatus(status, "");
    await busy(form, async () => {
      if (await saveAnswers(form, status, false)) {
        clearErrors(form);
        setStatus(status, "回答を保存しました。", "ok");
      }
    });
  });
  $("submit-btn").addEventListener("click", async () => {
    setStatus(status, "");
    await busy(form, async () => {
      if (!(await saveAnswers(form, status, true))) return;
      try {
        const res = await pb.send(`/api/lifestage/questionnaires/${encodeURIComponent(state.q.id)}/submit`, { method: "POST" });
        state.q = { ...state.q, ...res };
      } catch (err) {
        showAnswerErrors(form, err, status);
        return;
      }
      clearErrors(form);
      setStatus(status, "");
      showQR();
    });
  });
}

// ---- 3. QRコード ---------------------------------------------------------------

async function showQR() {
  const q = state.q;
  showStep("qr");
  $("qr-facts").replaceChildren(...[
    ["ワクチン", targetText(q.vaccine, q.dose)],
    ["接種予定日", formatCivilDate(q.plannedDate)],
    ["医療機関", state.facilityName],
    ["受ける人", q.childName],
  ].filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  const box = $("qr-box");
  box.setAttribute("aria-busy", "true");
  try {
    // The image needs the login, which an <img src> cannot send.
    const res = await fetch(`/api/lifestage/questionnaires/${encodeURIComponent(q.id)}/qr.png`, {
      headers: { Authorization: pb.authStore.token }, cache: "no-store",
    });
    if (!res.ok) {
      let body = {};
      try { body = await res.json(); } catch { /* not JSON */ }
      throw { status: res.status, response: body };
    }
    const blob = new Blob([await res.blob()], { type: "image/png" });
    if (qrUrl) URL.revokeObjectURL(qrUrl);
    qrUrl = URL.createObjectURL(blob);
    box.replaceChildren(h("img", { id: "qr-img", src: qrUrl, class: "qr-img", width: 320, height: 320, alt: "受付用のQRコード" }));
    setStatus($("qr-status"), "");
  } catch (err) {
    box.replaceChildren();
    setStatus($("qr-status"), errorMessage(err), "error");
  } finally {
    box.removeAttribute("aria-busy");
  }
  $("qr-title").focus();
}

// ---- 取り消し -----------------------------------------------------------------

function setupCancel() {
  const cancel = async (btn, status) => {
    if (!confirm("この予診票を取り消しますか？取り消すとQRコードは使えなくなります。")) return;
    btn.disabled = true;
    try {
      await pb.send(`/api/lifestage/questionnaires/${encodeURIComponent(state.q.id)}/cancel`, { method: "POST" });
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
      btn.disabled = false;
      return;
    }
    btn.disabled = false;
    state.q = null;
    if (qrUrl) URL.revokeObjectURL(qrUrl);
    qrUrl = "";
    $("qr-box").replaceChildren();
    showStep("create");
    setStatus($("create-form-status"), "予診票を取り消しました。作り直すときは、もう一度作成してください。", "ok");
  };
  $("cancel-draft").addEventListener("click", (e) => cancel(e.currentTarget, $("answers-form-status")));
  $("cancel-submitted").addEventListener("click", (e) => cancel(e.currentTarget, $("qr-status")));
}

// Started last, so every module-level binding above is initialised.
const me = requireAccount(["users"]);
if (me) main(me);
