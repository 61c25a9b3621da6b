// Citizen self-registration, then straight into the account so a new parent
// does not have to type the password twice more.
import {
  pb, currentAccount, homePath, nextPath, initPage, busy, reportInvalid, showErrors, setStatus,
} from "/assets/app.js";
import { i18nReady, lang, t } from "/assets/i18n.js";

const PASSWORD_MIN = 10; // the users collection's own minimum

const existing = currentAccount();
if (existing) location.replace(homePath(existing));
initPage();
await i18nReady();

const next = new URLSearchParams(location.search).get("next");
const form = document.getElementById("register-form");
const status = document.getElementById("register-status");
if (next) document.getElementById("login-link").href = "/login/?next=" + encodeURIComponent(next);

document.getElementById("reg-show").addEventListener("change", (e) => {
  const type = e.target.checked ? "text" : "password";
  form.elements.password.type = type;
  form.elements.passwordConfirm.type = type;
});

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = form.elements;
  const data = {
    name: f.name.value.trim(),
    nameKana: f.nameKana.value.trim(),
    email: f.email.value.trim(),
    password: f.password.value,
    passwordConfirm: f.passwordConfirm.value,
    // Notifications come in the language the person signed up in.
    language: lang(),
  };

  const problems = [];
  if (!data.name) problems.push(["name", t("login.register.needName", {}, "お名前を入力してください。")]);
  if (!data.email) problems.push(["email", t("login.needEmail", {}, "メールアドレスを入力してください。")]);
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(data.email)) problems.push(["email", t("form.email", {}, "メールアドレスの形式が正しくありません。")]);
  if (data.password.length < PASSWORD_MIN) problems.push(["password", t("form.min", { n: PASSWORD_MIN }, `パスワードは${PASSWORD_MIN}文字以上で入力してください。`)]);
  if (data.password !== data.passwordConfirm) problems.push(["passwordConfirm", t("form.passwordMismatch", {}, "パスワードが一致しません。")]);
  if (!reportInvalid(form, problems, status)) return;

  await busy(form, async () => {
    setStatus(status, t("login.register.busy", {}, "登録しています…"));
    try {
      await pb.collection("users").create(data);
    } catch (err) {
      showErrors(form, err, status);
      return;
    }
    try {
      await pb.collection("users").authWithPassword(data.email, data.password);
    } catch {
      // The account exists; only the automatic login failed.
      setStatus(status, t("login.register.doneLogin", {}, "登録しました。ログイン画面からログインしてください。"), "ok");
      setTimeout(() => location.assign("/login/?type=citizen" + (next ? "&next=" + encodeURIComponent(next) : "")), 1500);
      return;
    }
    setStatus(status, t("login.register.done", {}, "登録しました。移動します…"), "ok");
    location.assign(nextPath(next, pb.authStore.record));
  });
});
