// One login page for every kind of account: the chosen type decides which
// auth collection is asked, and where the person lands afterwards.
// 運用 staff (and superusers) get a second step: a 6-digit code by email.
import {
  pb, ACCOUNT_TYPES, accountType, typeLabel, typeSub, currentAccount, displayName, nextPath, initPage, LOGOUT_NOTICE_KEY,
  h, busy, clearErrors, reportInvalid, showErrors, setStatus, errorMessage,
} from "/assets/app.js";
import { i18nReady, t } from "/assets/i18n.js";

// Remembering the type (not the email) saves staff a tap on a shared device
// without revealing who logged in before.
const TYPE_KEY = "lifestage.loginType";

initPage({ showLogin: false });
await i18nReady();

const params = new URLSearchParams(location.search);
const next = params.get("next");
const form = document.getElementById("login-form");
const status = document.getElementById("login-status");
const otpForm = document.getElementById("otp-form");
const otpStatus = document.getElementById("otp-status");
const resetLink = document.getElementById("reset-link");

if (next) {
  document.getElementById("register-link").href = "/register/?next=" + encodeURIComponent(next);
}

// Why the last session ended (set by the staff session keeper in app.js).
try {
  const notice = sessionStorage.getItem(LOGOUT_NOTICE_KEY);
  if (notice) {
    sessionStorage.removeItem(LOGOUT_NOTICE_KEY);
    setStatus(document.getElementById("notice"), notice);
  }
} catch {
  // No storage: nothing to show.
}

const chosen = params.get("type") || localStorage.getItem(TYPE_KEY) || "citizen";
document.getElementById("type-choices").replaceChildren(
  ...ACCOUNT_TYPES.map((a) =>
    h("label", { class: "choice" },
      h("input", { type: "radio", name: "type", value: a.key, checked: a.key === chosen }),
      h("span", {}, typeLabel(a), h("span", { class: "sub" }, typeSub(a))))),
);
if (!form.querySelector('input[name="type"]:checked')) form.elements.type[0].checked = true;

const selectedType = () => ACCOUNT_TYPES.find((a) => a.key === form.elements.type.value) || ACCOUNT_TYPES[0];
const resetHref = (type) => "/reset/?type=" + encodeURIComponent(type.key);
const syncResetLink = () => { resetLink.href = resetHref(selectedType()); };
syncResetLink();
document.getElementById("type-choices").addEventListener("change", syncResetLink);

document.getElementById("login-show").addEventListener("change", (e) => {
  form.elements.password.type = e.target.checked ? "text" : "password";
});

const record = currentAccount();
if (record) {
  document.getElementById("already").hidden = false;
  document.getElementById("already-text").textContent =
    t("login.already", { name: displayName(record), type: accountType(record) ? typeLabel(accountType(record)) : "" },
      `${displayName(record)} さん（${accountType(record)?.label ?? ""}）としてログインしています。別のアカウントでログインするには、先にログアウトしてください。`);
  document.getElementById("already-home").href = nextPath(next, record);
}

function fieldCode(err, field) {
  return (err?.response || err?.data || {})?.data?.[field]?.code;
}

function loggedIn(type) {
  localStorage.setItem(TYPE_KEY, type.key);
  setStatus(otpForm.hidden ? status : otpStatus, t("login.done", {}, "ログインしました。移動します…"), "ok");
  location.assign(nextPath(next, pb.authStore.record));
}

/**
 * Shows refusals that are not a typing mistake: a lockout (429) says until
 * when; an expired password (403) points to the reset page. Returns false
 * for any other error.
 */
function showLoginRefusal(err, statusEl, type) {
  if (err?.status === 429 && fieldCode(err, "identity") === "login_locked") {
    clearErrors(form);
    setStatus(statusEl, errorMessage(err), "error");
    return true;
  }
  if (err?.status === 403 && fieldCode(err, "password") === "password_expired") {
    clearErrors(form);
    setStatus(statusEl, errorMessage(err), "error");
    statusEl.append(" ", h("a", { href: resetHref(type) }, t("login.resetLink", {}, "パスワードを再設定する")));
    return true;
  }
  return false;
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  clearErrors(form);
  setStatus(status, "");
  const type = selectedType();
  const email = form.elements.identity.value.trim();
  const password = form.elements.password.value;

  const problems = [];
  if (!email) problems.push(["identity", t("login.needEmail", {}, "メールアドレスを入力してください。")]);
  if (!password) problems.push(["password", t("login.needPassword", {}, "パスワードを入力してください。")]);
  if (!reportInvalid(form, problems, status)) return;

  await busy(form, async () => {
    setStatus(status, t("login.busy", {}, "ログインしています…"));
    try {
      await pb.collection(type.collection).authWithPassword(email, password);
    } catch (err) {
      const mfaId = (err?.response || err?.data)?.mfaId;
      if (err?.status === 401 && mfaId) {
        setStatus(status, "");
        startCodeStep({ type, email, mfaId });
        return;
      }
      if (!showLoginRefusal(err, status, type)) showErrors(form, err, status);
      return;
    }
    loggedIn(type);
  });
});

// ---- second step: a code by email ------------------------------------------

let step = null; // { type, email, mfaId, otpId }

function startCodeStep(s) {
  step = { ...s, otpId: "" };
  form.hidden = true;
  otpForm.hidden = false;
  otpForm.reset();
  clearErrors(otpForm);
  document.getElementById("otp-lead").textContent =
    t("login.otp.lead", {}, "このアカウントは、パスワードに加えて、メールで届く確認コードが必要です。");
  document.getElementById("otp-title").focus();
  sendCode();
}

async function sendCode() {
  const resend = document.getElementById("otp-resend");
  resend.disabled = true;
  setStatus(otpStatus, t("login.otp.sending", {}, "確認コードを送っています…"));
  try {
    const res = await pb.collection(step.type.collection).requestOTP(step.email);
    step.otpId = res.otpId;
    setStatus(otpStatus, t("login.otp.sent", { email: step.email }, `確認コードを ${step.email} あてに送りました。メールに届いた6桁のコードを入力してください。`), "ok");
    otpForm.elements.code.focus();
  } catch (err) {
    setStatus(otpStatus, t("login.otp.sendFailed", { error: errorMessage(err) }, `確認コードを送れませんでした。${errorMessage(err)}`), "error");
  } finally {
    resend.disabled = false;
  }
}

document.getElementById("otp-resend").addEventListener("click", () => {
  otpForm.elements.code.value = "";
  sendCode();
});

document.getElementById("otp-cancel").addEventListener("click", () => {
  step = null;
  otpForm.hidden = true;
  form.hidden = false;
  form.elements.password.value = "";
  setStatus(otpStatus, "");
  setStatus(status, t("login.again", {}, "もう一度、メールアドレスとパスワードを入力してください。"));
  form.elements.password.focus();
});

otpForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!step) return;
  // Phones may type full-width digits; the code is plain ASCII.
  const input = otpForm.elements.code;
  const code = input.value.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s/g, "");
  input.value = code;
  if (!reportInvalid(otpForm, /^\d{6}$/.test(code) ? [] : [["code", t("login.otp.needCode", {}, "メールに届いた6桁の数字を入力してください。")]], otpStatus)) return;
  if (!step.otpId) {
    setStatus(otpStatus, t("login.otp.notSent", {}, "確認コードがまだ送られていません。「コードを送り直す」を押してください。"), "error");
    return;
  }

  await busy(otpForm, async () => {
    setStatus(otpStatus, t("login.otp.checking", {}, "確認しています…"));
    try {
      await pb.collection(step.type.collection).authWithOTP(step.otpId, code, { mfaId: step.mfaId });
    } catch (err) {
      if (showLoginRefusal(err, otpStatus, step.type)) return;
      if (err?.status === 400 || err?.status === 401) {
        clearErrors(otpForm);
        setStatus(otpStatus, t("login.otp.wrong", {},
          "確認コードが正しくないか、有効期限が切れています。コードを確かめるか、「コードを送り直す」を押してください。10分以上たった場合は「最初からやり直す」を押してください。"),
        "error");
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      showErrors(otpForm, err, otpStatus);
      return;
    }
    loggedIn(step.type);
  });
});

// ---- My Number card login ------------------------------------------------

// The button shows only when the city has configured the login. After the
// card is read, the server sends the browser back here with a one-time
// ticket in the fragment (never sent to any server), which is traded once
// for the login token.
async function setupMyNumber() {
  const box = document.getElementById("mynumber");
  const mnStatus = document.getElementById("mynumber-status");
  const ticket = new URLSearchParams(location.hash.slice(1)).get("mynumber");
  if (ticket) {
    history.replaceState(null, "", location.pathname + location.search);
    box.hidden = false;
    setStatus(mnStatus, t("login.mynumber.checked", {}, "マイナンバーカードの確認が済みました。ログインしています…"));
    try {
      const res = await pb.send("/api/lifestage/auth/mynumber/token", { method: "POST", body: { ticket } });
      pb.authStore.save(res.token, res.record);
      loggedIn(ACCOUNT_TYPES.find((a) => a.collection === "users") || ACCOUNT_TYPES[0]);
    } catch (err) {
      setStatus(mnStatus, errorMessage(err), "error");
    }
    return;
  }
  try {
    const res = await pb.send("/api/lifestage/auth/mynumber/status", {});
    box.hidden = !res?.enabled;
  } catch {
    box.hidden = true; // the password login still works
  }
}
if (!record) setupMyNumber();
