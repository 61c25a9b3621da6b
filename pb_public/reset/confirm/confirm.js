// Sets a new password from the link in the reset mail (?token=...). The
// token names its account collection; staff passwords need 12 characters,
// citizens' 10. The server checks again and its field errors are shown.
import { getTokenPayload } from "/vendor/pocketbase/pocketbase.es.mjs";
import { pb, initPage, busy, clearErrors, reportInvalid, showErrors, setStatus } from "/assets/app.js";
import { i18nReady, t } from "/assets/i18n.js";

initPage({ showLogin: false });
await i18nReady();

const USERS_COLLECTION_ID = "_pb_users_auth_"; // citizens (the historical id of "users")

const token = new URLSearchParams(location.search).get("token") || "";
const payload = getTokenPayload(token);
const form = document.getElementById("confirm-form");
const status = document.getElementById("confirm-status");

// The token stays out of the address bar (and out of screenshots and
// shared history) once it has been read.
if (token) history.replaceState(null, "", location.pathname);

function invalid(text) {
  document.getElementById("invalid").hidden = false;
  document.getElementById("invalid-text").textContent = text;
  form.hidden = true;
}

const usable = payload?.type === "passwordReset" && payload.collectionId;
if (!token || !usable) {
  invalid(t("login.confirm.unusable", {}, "このリンクは使えません。メールのリンクをもう一度開くか、再設定をもう一度申し込んでください。"));
} else if (payload.exp && payload.exp * 1000 < Date.now()) {
  invalid(t("login.confirm.expired", {}, "このリンクの有効期限（30分）が切れています。再設定をもう一度申し込んでください。"));
} else {
  setup();
}

function setup() {
  const min = payload.collectionId === USERS_COLLECTION_ID ? 10 : 12;
  form.hidden = false;
  document.getElementById("confirm-lead").textContent = payload.email
    ? t("login.confirm.leadEmail", { email: payload.email }, `${payload.email} の新しいパスワードを入力してください。`)
    : t("login.confirm.lead", {}, "新しいパスワードを入力してください。");
  document.getElementById("confirm-password-hint").textContent =
    t("login.confirm.hint", { n: min }, `${min}文字以上。ほかのサービスと同じパスワードは使わないでください。`);
  form.elements.password.minLength = min;

  document.getElementById("confirm-show").addEventListener("change", (e) => {
    const type = e.target.checked ? "text" : "password";
    form.elements.password.type = type;
    form.elements.passwordConfirm.type = type;
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const password = form.elements.password.value;
    const passwordConfirm = form.elements.passwordConfirm.value;
    const problems = [];
    if (!password) problems.push(["password", t("login.confirm.lead", {}, "新しいパスワードを入力してください。")]);
    else if ([...password].length < min) problems.push(["password", t("form.min", { n: min }, `${min}文字以上で入力してください。`)]);
    if (password && password !== passwordConfirm) problems.push(["passwordConfirm", t("form.passwordMismatch", {}, "パスワードが一致しません。")]);
    if (!reportInvalid(form, problems, status)) return;

    await busy(form, async () => {
      setStatus(status, t("login.confirm.busy", {}, "変更しています…"));
      try {
        await pb.collection(payload.collectionId).confirmPasswordReset(token, password, passwordConfirm);
      } catch (err) {
        const fields = (err?.response || err?.data || {}).data || {};
        if (fields.token) {
          invalid(t("login.confirm.invalid", {}, "このリンクは使えないか、有効期限が切れています。再設定をもう一度申し込んでください。"));
          return;
        }
        showErrors(form, err, status);
        return;
      }
      // Old logins end with the old password; start clean here too.
      pb.authStore.clear();
      form.hidden = true;
      document.getElementById("done").hidden = false;
      document.getElementById("done-text").focus();
    });
  });
}
