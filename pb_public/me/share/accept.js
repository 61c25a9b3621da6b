// Accepting a family-sharing invitation. Guests are sent through login or
// registration and brought back here with the code still in the link.
import {
  pb, currentAccount, loginUrl, initPage, busy, reportInvalid, showErrors, setStatus,
} from "/assets/app.js";
import { SHARE_SCOPES, labelT } from "/assets/labels.js";
import { i18nReady, t } from "/assets/i18n.js";

initPage();
await i18nReady();

const code = new URLSearchParams(location.search).get("code") || "";
const here = location.pathname + location.search;
const record = currentAccount();

if (!record) {
  document.getElementById("need-login").hidden = false;
  document.getElementById("login-link").href = loginUrl(here) + "&type=citizen";
  document.getElementById("register-link").href = "/register/?next=" + encodeURIComponent(here);
} else if (record.collectionName !== "users") {
  document.getElementById("wrong-account").hidden = false;
} else {
  setupForm();
}

/** Codes are read aloud or typed from paper: accept any case and spacing. */
function normalise(value) {
  return value.normalize("NFKC").toUpperCase().replace(/[\s\u30fc\u2010-\u2015\u2212]/g, (c) => (/\s/.test(c) ? "" : "-"));
}

function setupForm() {
  const form = document.getElementById("accept-form");
  const status = document.getElementById("accept-status");
  const input = form.elements.code;
  form.hidden = false;
  input.value = normalise(code);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = normalise(input.value);
    input.value = value;
    if (!reportInvalid(form, value ? [] : [["code", t("share.needCode", {}, "招待コードを入力してください。")]], status)) return;

    await busy(form, async () => {
      setStatus(status, t("login.otp.checking", {}, "確認しています…"));
      try {
        const res = await pb.send("/api/lifestage/family/shares/accept", { method: "POST", body: { code: value } });
        // The code is spent; keep it out of the address bar and history.
        history.replaceState(null, "", location.pathname);
        form.hidden = true;
        const done = document.getElementById("accept-done");
        document.getElementById("accept-done-text").textContent =
          t("share.done", { name: res.child?.givenName ?? "", scope: labelT("shareScope", SHARE_SCOPES, res.scope) },
            `${res.child?.givenName ?? "お子さま"}さんの記録の共有を受け取りました（${labelT("shareScope", SHARE_SCOPES, res.scope)}）。`);
        done.hidden = false;
        done.focus();
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  });
}
