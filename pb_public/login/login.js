// One login page for every kind of account: the chosen type decides which
// auth collection is asked, and where the person lands afterwards.
import {
  pb, ACCOUNT_TYPES, accountType, currentAccount, displayName, nextPath, initPage,
  h, busy, clearErrors, reportInvalid, showErrors, setStatus,
} from "/assets/app.js";

// Remembering the type (not the email) saves staff a tap on a shared device
// without revealing who logged in before.
const TYPE_KEY = "lifestage.loginType";

initPage({ showLogin: false });

const params = new URLSearchParams(location.search);
const next = params.get("next");
const form = document.getElementById("login-form");
const status = document.getElementById("login-status");

if (next) {
  document.getElementById("register-link").href = "/register/?next=" + encodeURIComponent(next);
}

const chosen = params.get("type") || localStorage.getItem(TYPE_KEY) || "citizen";
document.getElementById("type-choices").replaceChildren(
  ...ACCOUNT_TYPES.map((t) =>
    h("label", { class: "choice" },
      h("input", { type: "radio", name: "type", value: t.key, checked: t.key === chosen }),
      h("span", {}, t.label, h("span", { class: "sub" }, t.sub)))),
);
if (!form.querySelector('input[name="type"]:checked')) form.elements.type[0].checked = true;

document.getElementById("login-show").addEventListener("change", (e) => {
  form.elements.password.type = e.target.checked ? "text" : "password";
});

const record = currentAccount();
if (record) {
  document.getElementById("already").hidden = false;
  document.getElementById("already-text").textContent =
    `${displayName(record)} さん（${accountType(record)?.label ?? ""}）としてログインしています。別のアカウントでログインするには、先にログアウトしてください。`;
  document.getElementById("already-home").href = nextPath(next, record);
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  clearErrors(form);
  setStatus(status, "");
  const type = ACCOUNT_TYPES.find((t) => t.key === form.elements.type.value) || ACCOUNT_TYPES[0];
  const email = form.elements.identity.value.trim();
  const password = form.elements.password.value;

  const problems = [];
  if (!email) problems.push(["identity", "メールアドレスを入力してください。"]);
  if (!password) problems.push(["password", "パスワードを入力してください。"]);
  if (!reportInvalid(form, problems, status)) return;

  await busy(form, async () => {
    setStatus(status, "ログインしています…");
    try {
      await pb.collection(type.collection).authWithPassword(email, password);
    } catch (err) {
      if (err?.status === 401 && err?.response?.mfaId) {
        // The MFA step is not built yet; say plainly what is needed.
        setStatus(status, "追加の認証が必要です。この画面はまだ追加の認証に対応していません。", "error");
        return;
      }
      showErrors(form, err, status);
      return;
    }
    localStorage.setItem(TYPE_KEY, type.key);
    setStatus(status, "ログインしました。移動します…", "ok");
    location.assign(nextPath(next, pb.authStore.record));
  });
});
