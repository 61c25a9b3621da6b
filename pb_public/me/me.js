// Citizen home: notifications, my children with their family shares, and
// registering a child.
import {
  pb, requireAccount, refreshAccount, displayName, initPage, todayTokyo,
  busy, reportInvalid, showErrors, setStatus,
} from "/assets/app.js";
import { i18nReady, t } from "/assets/i18n.js";
import { mountNotifications } from "/assets/notifications.js";
import { mountPushSettings } from "/assets/push-settings.js";
import { loadChildren } from "/me/children.js";

const me = requireAccount(["users"]);
if (me) main(me);

const hello = (record) => t("me.hello", { name: displayName(record) }, `${displayName(record)} さん、こんにちは。`);

async function main(record) {
  initPage();
  await i18nReady();
  const welcome = document.getElementById("welcome");
  welcome.textContent = hello(record);

  mountNotifications(document.getElementById("notices"), { perPage: 5 });

  mountPushSettings(document.getElementById("push-settings"));

  const list = document.getElementById("children-list");
  const empty = document.getElementById("children-empty");
  const childrenStatus = document.getElementById("children-status");
  const reload = () => loadChildren({ list, empty, status: childrenStatus, me: record, reload });
  reload();

  // Refresh the stored account in the background so a renamed or removed
  // account shows without logging out.
  refreshAccount().then((fresh) => {
    if (fresh) welcome.textContent = hello(fresh);
  });

  setupChildForm(reload);
  showWatchLink();
}

// The family view of the watch-over is offered only to a family member the
// city recorded an active consent for (the consent list is their own).
async function showWatchLink() {
  const link = document.getElementById("watch-link");
  try {
    const page = await pb.collection("watch_family_consents").getList(1, 1, { filter: 'revokedAt = ""', fields: "id", skipTotal: true });
    link.hidden = page.items.length === 0;
  } catch {
    // No link is the safe default.
  } finally {
    link.dataset.checked = "true";
  }
}

function setupChildForm(reload) {
  const form = document.getElementById("child-form");
  const status = document.getElementById("child-form-status");
  const birth = form.elements.birthDate;
  birth.max = todayTokyo();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = form.elements;
    const data = {
      familyName: f.familyName.value.trim(),
      givenName: f.givenName.value.trim(),
      familyNameKana: f.familyNameKana.value.trim(),
      givenNameKana: f.givenNameKana.value.trim(),
      birthDate: birth.value,
      sex: f.sex.value,
    };
    const problems = [];
    if (!data.familyName) problems.push(["familyName", t("me.child.needFamilyName", {}, "氏を入力してください。")]);
    if (!data.givenName) problems.push(["givenName", t("me.child.needGivenName", {}, "名を入力してください。")]);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(data.birthDate)) problems.push(["birthDate", t("me.child.needBirthDate", {}, "生年月日を入力してください。")]);
    // Dates compare as strings in this format; "today" is Tokyo's today.
    else if (data.birthDate > todayTokyo()) problems.push(["birthDate", t("me.child.futureBirthDate", {}, "生年月日に未来の日付は入力できません。")]);
    if (!reportInvalid(form, problems, status)) return;
    if (!data.sex) delete data.sex;

    await busy(form, async () => {
      setStatus(status, t("me.child.busy", {}, "登録しています…"));
      try {
        const child = await pb.collection("children").create(data);
        form.reset();
        setStatus(status, t("me.child.done", { name: `${child.familyName} ${child.givenName}` }, `${child.familyName} ${child.givenName} さんを登録しました。`), "ok");
        await reload();
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  });
}
