// Ask a question: a resident first chooses a nickname (once, for good),
// then writes the question, public or as a private consultation.
import { pb, h, initPage, requireAccount, setStatus, busy } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";
import { fillCategories, myProfile, qaError } from "/qa/qa.js";

const $ = (id) => document.getElementById(id);
const me = requireAccount(["users"]);
if (me) main();

async function main() {
  initPage();
  await i18nReady();
  fillCategories($("category"));
  $("nick-form").addEventListener("submit", chooseNickname);
  $("ask-form").addEventListener("submit", ask);
  try {
    show(await myProfile());
  } catch (err) {
    setStatus($("page-status"), qaError(err), "error");
  }
}

function show(profile) {
  $("nick-section").hidden = !!profile;
  $("ask-section").hidden = !profile;
  if (profile) $("my-nickname").textContent = t("qa.nick.yours", { nickname: profile.nickname });
}

async function chooseNickname(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  await busy(form, async () => {
    try {
      const profile = await pb.send("/api/lifestage/qa/profile", { method: "POST", body: { nickname: form.elements.nickname.value } });
      show(profile);
      $("title").focus();
    } catch (err) {
      setStatus($("nick-status"), qaError(err), "error");
      form.elements.nickname.setAttribute("aria-invalid", "true");
      form.elements.nickname.focus();
    }
  });
}

async function ask(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const status = $("ask-status");
  const missing = ["title", "body"].find((n) => !form.elements[n].value.trim());
  if (missing) {
    setStatus(status, t("qa.error.required"), "error");
    form.elements[missing].focus();
    return;
  }
  await busy(form, async () => {
    try {
      const thread = await pb.send("/api/lifestage/qa/threads", {
        method: "POST",
        body: {
          title: form.elements.title.value, body: form.elements.body.value,
          category: form.elements.category.value, private: form.elements.private.checked,
        },
      });
      form.reset();
      status.replaceChildren(
        t(thread.status === "visible" ? "qa.ask.sent" : "qa.ask.pending"), " ",
        h("a", { href: `/qa/thread/?id=${encodeURIComponent(thread.id)}` }, t("qa.ask.view")));
      status.className = "status is-ok";
    } catch (err) {
      setStatus(status, qaError(err), "error");
    }
  });
}
