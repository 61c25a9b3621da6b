// Password reset request. The answer is the same whether or not the address
// is registered, so this page cannot be used to find out who has an account.
import {
  pb, ACCOUNT_TYPES, typeLabel, typeSub, initPage, h, busy, clearErrors, reportInvalid, showErrors, setStatus,
} from "/assets/app.js";
import { i18nReady, t } from "/assets/i18n.js";

initPage({ showLogin: false });
await i18nReady();

const SENT = t("login.reset.sent", {}, "登録されていれば、再設定のメールを送りました。メールのリンクから新しいパスワードを設定してください（リンクは30分間有効です）。");

const params = new URLSearchParams(location.search);
const form = document.getElementById("reset-form");
const status = document.getElementById("reset-status");

const chosen = params.get("type") || localStorage.getItem("lifestage.loginType") || "citizen";
document.getElementById("type-choices").replaceChildren(
  ...ACCOUNT_TYPES.map((a) =>
    h("label", { class: "choice" },
      h("input", { type: "radio", name: "type", value: a.key, checked: a.key === chosen }),
      h("span", {}, typeLabel(a), h("span", { class: "sub" }, typeSub(a))))),
);
if (!form.querySelector('input[name="type"]:checked')) form.elements.type[0].checked = true;

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  clearErrors(form);
  const type = ACCOUNT_TYPES.find((a) => a.key === form.elements.type.value) || ACCOUNT_TYPES[0];
  const email = form.elements.email.value.trim();
  const problems = [];
  if (!email) problems.push(["email", t("login.needEmail", {}, "メールアドレスを入力してください。")]);
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push(["email", t("form.email", {}, "メールアドレスの形式が正しくありません。")]);
  if (!reportInvalid(form, problems, status)) return;

  await busy(form, async () => {
    setStatus(status, t("login.reset.busy", {}, "送っています…"));
    try {
      await pb.collection(type.collection).requestPasswordReset(email);
    } catch (err) {
      // Only problems that say nothing about the account are shown: a bad
      // address format, too many requests, no connection.
      if ([0, 400, 429].includes(err?.status ?? 0) || err?.status >= 500) {
        showErrors(form, err, status);
        return;
      }
    }
    setStatus(status, SENT, "ok");
  });
});
