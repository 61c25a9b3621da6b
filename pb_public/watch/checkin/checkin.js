// 見守り訪問の記録: opened by scanning the QR code at the home
// (/watch/checkin/?t=TOKEN). A logged-in volunteer records "元気" in two taps
// (元気 → 記録する); with no network the visit waits on the phone.
import { pb, h, initPage, setStatus, showErrors, reportInvalid, clearErrors, busy } from "/assets/app.js";
import {
  STATUSES, STATUS_LABEL, CHECKLIST, ANSWER_LABEL, OFFLINE_MESSAGE, startWatchPage, sendVisit, enqueue,
  isNetworkError, isUnusableCode, checkinError,
} from "/watch/watch.js";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("t") || "";
const SECTIONS = ["no-token", "login", "choose", "confirm", "done"];
let chosen = "";

initPage();
startWatchPage(showQueue);
$("statuses").replaceChildren(...STATUSES.map((s) =>
  h("button", { type: "button", id: `st-${s.key}`, class: `watch-status st-${s.key}`, dataset: { status: s.key }, onclick: () => choose(s.key) },
    s.label, h("span", { class: "sub" }, s.sub))));
$("checklist").replaceChildren(...CHECKLIST.map(checkItem));
$("login-form").addEventListener("submit", login);
$("confirm").addEventListener("submit", record);
$("back").addEventListener("click", () => show("choose"));
$("again").addEventListener("click", () => show("choose"));
start();

function show(id) {
  for (const s of SECTIONS) $(s).hidden = s !== id;
}

function showQueue(n) {
  $("queue-note").hidden = n === 0;
  $("queue-note").textContent = n ? `端末に保存した記録が ${n} 件あり、送信を待っています。` : "";
}

/** A volunteer with a valid session, or one offline whose stored session ran out (the visit is queued). */
function canRecord() {
  const rec = pb.authStore.record;
  if (rec?.collectionName !== "volunteers") return false;
  return pb.authStore.isValid || !navigator.onLine;
}

function start() {
  if (!token) return show("no-token");
  if (!canRecord()) {
    if (pb.authStore.record && pb.authStore.record.collectionName !== "volunteers") {
      $("login-lead").textContent = "この画面は見守り協力員のアカウントで使います。協力員のメールアドレスとパスワードでログインしてください。";
    }
    show("login");
    $("w-email").focus();
    return;
  }
  show("choose");
  showWho();
}

// The token's first part names the target; it is not secret (the signature
// is), and it lets the page offer the frailty form for the same person.
function targetOfToken() {
  try {
    return atob(token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/")).split(".")[0];
  } catch {
    return "";
  }
}

// The person's name confirms the right home; it needs the network and is
// only a help, so a failure shows nothing.
async function showWho() {
  const target = targetOfToken();
  if (!target || !navigator.onLine || !pb.authStore.isValid) return;
  try {
    const res = await pb.send("/api/lifestage/watch/my", { method: "GET", query: { target } });
    const t = res.targets.find((x) => x.id === target);
    if (t) {
      $("who").textContent = `${t.name} さん宅の訪問`;
      $("who").hidden = false;
    }
  } catch {
    // Name unknown: the visit can still be recorded.
  }
}

async function login(e) {
  e.preventDefault();
  const form = e.currentTarget;
  const status = $("login-status");
  const email = form.elements.identity.value.trim();
  const password = form.elements.password.value;
  const problems = [];
  if (!email) problems.push(["identity", "メールアドレスを入力してください。"]);
  if (!password) problems.push(["password", "パスワードを入力してください。"]);
  if (!reportInvalid(form, problems, status)) return;
  await busy(form, async () => {
    setStatus(status, "ログインしています…");
    try {
      await pb.collection("volunteers").authWithPassword(email, password);
    } catch (err) {
      showErrors(form, err, status);
      return;
    }
    setStatus(status, "");
    form.reset();
    start();
  });
}

function checkItem(item) {
  const name = `a-${item.key}`;
  return h("fieldset", { class: "watch-check", dataset: { field: name } },
    h("legend", {}, item.label),
    h("div", { class: "choices inline" },
      [["", "未確認"], ["ok", ANSWER_LABEL.ok], ["concern", ANSWER_LABEL.concern]].map(([value, label]) =>
        h("label", { class: "choice" }, h("input", { type: "radio", name, value, checked: value === "" }), h("span", {}, label)))));
}

function choose(status) {
  chosen = status;
  $("confirm-title").textContent = `「${STATUS_LABEL[status]}」で記録します`;
  $("emergency-note").hidden = status !== "emergency";
  $("confirm").classList.toggle("is-emergency", status === "emergency");
  setStatus($("confirm-status"), "");
  show("confirm");
  $("confirm-title").focus();
}

function answers(form) {
  const out = {};
  for (const item of CHECKLIST) {
    const v = form.elements[`a-${item.key}`].value;
    if (v) out[item.key] = v;
  }
  return out;
}

/** The position, only when the volunteer ticked the box; none on refusal or after 8 s. */
function position() {
  if (!$("w-geo").checked || !navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 },
    );
  });
}

async function record(e) {
  e.preventDefault();
  const form = e.currentTarget;
  const status = $("confirm-status");
  clearErrors(form);
  await busy(form, async () => {
    const visit = { token, status: chosen, answers: answers(form), note: form.elements.note.value.trim(), ...(await position()) };
    setStatus(status, "記録しています…");
    try {
      if (!navigator.onLine) throw new TypeError("offline");
      const res = await sendVisit(visit);
      offerAssessment(res.id);
      done(res.updated ? "記録を直しました" : "記録しました",
        `${STATUS_LABEL[chosen]}（${new Date(res.at).toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" })}）。10分以内にもう一度記録すると、この記録が置き換わります。`);
    } catch (err) {
      if (isNetworkError(err)) {
        enqueue(visit);
        offerAssessment("");
        done("端末に保存しました", OFFLINE_MESSAGE);
        return;
      }
      if (err?.status === 401) {
        pb.authStore.clear();
        setStatus(status, "");
        start();
        setStatus($("login-status"), "ログインの有効期限が切れました。もう一度ログインしてください。", "error");
        return;
      }
      if (isUnusableCode(err)) {
        setStatus(status, checkinError(err), "error");
        return;
      }
      showErrors(form, err, status);
    }
  });
}

// A recorded visit can go on to the frailty checklist of the same person.
function offerAssessment(visitId) {
  const link = $("assess-link");
  const target = targetOfToken();
  link.hidden = !target || !visitId;
  if (!link.hidden) link.href = `/watch/assess/?target=${encodeURIComponent(target)}&visit=${encodeURIComponent(visitId)}`;
}

function done(title, text) {
  $("done-title").textContent = title;
  $("done-text").textContent = text;
  $("confirm").reset();
  show("done");
  $("done-title").focus();
}
