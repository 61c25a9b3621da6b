// 予診票の受付 (medical staff): open a submitted form by its QR token, read
// the answers (はい stands out), record the doctor's check and the dose.
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, reportInvalid, clearErrors,
  busy, formatCivilDate, formatDateTime, todayTokyo,
} from "/assets/app.js";
import { VACCINES, INJECTION_SITES, label } from "/assets/labels.js";

const $ = (id) => document.getElementById(id);

const STATUS = { draft: "記入中", submitted: "提出済（未確認）", reviewed: "医師確認済", administered: "接種済", cancelled: "取消" };
const JUDGEMENT = { ok: "実施可", postpone: "見合わせ" };

let current = null;

function main() {
  initPage();
  const site = $("c-site");
  for (const [code, text] of Object.entries(INJECTION_SITES)) site.append(h("option", { value: code }, text));

  const form = $("token-form");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const token = extractToken(form.t.value);
    if (!reportInvalid(form, token ? [] : [["t", "受付コードを入力してください。"]], $("token-form-status"))) return;
    await busy(form, () => open(token, form));
  });
  setupReview();
  setupAdminister();
  loadList();

  const t = new URLSearchParams(location.search).get("t");
  if (t) {
    form.t.value = t;
    busy(form, () => open(t, form));
  }
}

/** Accepts the bare token or the whole reception URL. */
function extractToken(raw) {
  const s = raw.trim();
  if (!s) return "";
  try {
    const u = new URL(s);
    return u.searchParams.get("t") || "";
  } catch {
    return s;
  }
}

async function open(token, form) {
  const status = $("token-form-status");
  setStatus(status, "予診票を読み込んでいます…");
  let q;
  try {
    q = await pb.send("/api/lifestage/clinic/questionnaires", { method: "GET", query: { t: token } });
  } catch (err) {
    $("sheet").hidden = true;
    current = null;
    setStatus(status, err?.status === 404
      ? "予診票が見つかりません。受付コードが正しいか、この医療機関あての予診票か、取り消されていないか確かめてください。"
      : errorMessage(err), "error");
    return;
  }
  clearErrors(form);
  setStatus(status, "");
  // Keep the token in the address so a reload shows the same form.
  history.replaceState(null, "", `${location.pathname}?t=${encodeURIComponent(token)}`);
  render(q);
  markCurrent();
  $("base-title").focus();
}

// ---- 受付一覧 ---------------------------------------------------------------

// The list rule already keeps it to this clinic's forms past the draft.
async function loadList() {
  const list = $("c-list");
  const status = $("list-status");
  list.setAttribute("aria-busy", "true");
  try {
    const res = await pb.collection("vaccination_questionnaires").getList(1, 30, {
      filter: 'status != "cancelled"', sort: "-plannedDate,-submittedAt",
      fields: "id,childName,vaccine,dose,plannedDate,status",
    });
    list.replaceChildren(...res.items.map(listItem));
    setStatus(status, res.items.length ? "" : "提出された予診票はまだありません。");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function listItem(q) {
  return h("li", {},
    h("button", {
      type: "button", class: "reception-item", dataset: { id: q.id }, "aria-current": current?.id === q.id ? "true" : null,
      onclick: () => openById(q.id),
    },
    h("strong", {}, q.childName || "（氏名なし）"),
    h("span", { class: "tag" }, STATUS[q.status] || q.status),
    h("span", { class: "meta" }, `${label(VACCINES, q.vaccine)}（${q.dose}回目）・接種予定日 ${formatCivilDate(q.plannedDate)}`)));
}

async function openById(id) {
  const status = $("list-status");
  setStatus(status, "予診票を読み込んでいます…");
  try {
    render(await pb.send(`/api/lifestage/clinic/questionnaires/${encodeURIComponent(id)}`, { method: "GET" }));
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
    return;
  }
  setStatus(status, "");
  markCurrent();
  $("base-title").focus();
}

function markCurrent() {
  for (const b of document.querySelectorAll("#c-list .reception-item")) {
    b.setAttribute("aria-current", String(b.dataset.id === current?.id));
  }
}

// ---- 予診票 ---------------------------------------------------------------

function render(q) {
  current = q;
  $("sheet").hidden = false;
  const warn = $("c-warning");
  warn.textContent = q.warning || "";
  warn.hidden = !q.warning;

  const a = q.answers || {};
  $("c-base").replaceChildren(...[
    ["状態", STATUS[q.status] || q.status],
    ["氏名", q.childName],
    ["生年月日", formatCivilDate(q.birthDate)],
    ["年齢（予定日）", q.ageText],
    ["住所", q.address],
    ["保護者", q.guardianName],
    ["ワクチン", `${label(VACCINES, q.vaccine)}（${q.dose}回目）`],
    ["接種予定日", formatCivilDate(q.plannedDate)],
    ["出生体重", a.birthWeightG ? `${a.birthWeightG} g` : "記入なし"],
    ["提出", formatDateTime(q.submittedAt)],
  ].filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));

  const questions = q.questions || [];
  let yes = 0;
  $("c-answers").replaceChildren(...questions.map((qq, i) => {
    const ans = a[qq.key];
    const isYes = ans?.yes === true;
    if (isYes) yes++;
    const value = ans?.yes === true ? "はい" : ans?.yes === false ? "いいえ" : "未回答";
    return h("li", { class: `answer ${isYes ? "is-yes" : ans?.yes === false ? "is-no" : "is-missing"}`, dataset: { key: qq.key } },
      h("p", {}, `${i + 1}. ${qq.text}`),
      h("p", { class: "answer-value" }, isYes ? "● " : "", value),
      ans?.detail ? h("p", { class: "answer-detail" }, `${qq.detail || "記入"}: ${ans.detail}`) : null);
  }));
  $("c-yes-count").textContent = yes ? `「はい」の回答が ${yes} 件あります（赤枠）。` : "「はい」の回答はありません。";

  const rf = $("review-form");
  const reviewed = q.status === "reviewed" || q.status === "administered";
  $("c-review-state").textContent = reviewed
    ? `確認済み：体温 ${q.temperature}℃・${JUDGEMENT[q.judgement] || ""}・同意${q.consent ? "あり" : "なし"}（${formatDateTime(q.reviewedAt)}）`
    : "";
  if (reviewed) {
    rf.temperature.value = q.temperature ?? "";
    for (const r of rf.querySelectorAll('input[name="judgement"]')) r.checked = r.value === q.judgement;
    rf.consent.checked = !!q.consent;
  }
  const canReview = q.status === "submitted" || q.status === "reviewed";
  rf.hidden = !canReview;

  const ready = q.status === "reviewed" && q.judgement === "ok" && q.consent;
  $("administer-card").hidden = !ready && q.status !== "administered";
  $("administer-form").hidden = !ready;
  const af = $("administer-form");
  if (!af.date.value) af.date.value = todayTokyo();
  af.date.max = todayTokyo();
  if (q.status === "administered") {
    setStatus($("administer-form-status"), "");
    setStatus($("sheet-status"), "この予診票の接種は記録済みです。", "ok");
  } else if (q.status === "cancelled") {
    setStatus($("sheet-status"), "この予診票は取り消されています。", "error");
  } else {
    setStatus($("sheet-status"), "");
  }
}

function setupReview() {
  const form = $("review-form");
  const status = $("review-form-status");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!current) return;
    const temp = Number.parseFloat(form.temperature.value);
    const judgement = form.querySelector('input[name="judgement"]:checked')?.value || "";
    const problems = [];
    if (!(temp >= 34 && temp <= 42)) problems.push(["temperature", "診察前の体温（34.0〜42.0℃）を入力してください。"]);
    if (!judgement) problems.push(["judgement", "実施可か見合わせかを選んでください。"]);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      try {
        const q = await pb.send(`/api/lifestage/questionnaires/${encodeURIComponent(current.id)}/review`, {
          method: "POST", body: { temperature: temp, judgement, consent: form.consent.checked },
        });
        render({ ...current, ...q });
        loadList();
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      clearErrors(form);
      const ready = judgement === "ok" && form.consent.checked;
      setStatus(status, ready
        ? "確認結果を保存しました。接種後に「接種の記録」を入力してください。"
        : judgement === "ok" ? "確認結果を保存しました。接種の記録には保護者の同意が必要です。" : "確認結果（見合わせ）を保存しました。", "ok");
      if (ready) $("administer-title").focus();
    });
  });
}

function setupAdminister() {
  const form = $("administer-form");
  const status = $("administer-form-status");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!current) return;
    const body = {
      product: form.product.value.trim(), lot: form.lot.value.trim(), site: form.site.value, date: form.date.value,
    };
    const problems = [];
    if (!body.product) problems.push(["product", "製品名を入力してください。"]);
    if (!body.lot) problems.push(["lot", "ロット番号を入力してください。"]);
    if (!body.site) problems.push(["site", "接種部位を選んでください。"]);
    if (!body.date) problems.push(["date", "接種日を入力してください。"]);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      try {
        const q = await pb.send(`/api/lifestage/questionnaires/${encodeURIComponent(current.id)}/administer`, { method: "POST", body });
        render({ ...current, ...q });
        loadList();
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      clearErrors(form);
      setStatus($("sheet-status"), "接種を記録しました。母子手帳に反映され、保護者に通知しました。", "ok");
    });
  });
}

// Started last, so every module-level binding above is initialised.
if (requireAccount(["medical_staff"])) main();
