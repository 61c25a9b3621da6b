// 「通知の設定」: turn web push on or off on this device, set quiet hours and
// the kinds of notification to stop. Shared by /me/ and /staff/.
import { pb, h, busy, setStatus, showErrors, errorMessage } from "/assets/app.js";
import { i18nReady, t } from "/assets/i18n.js";

const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

// applicationServerKey wants the raw key bytes, not base64url text.
function keyBytes(base64url) {
  const pad = "=".repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob((base64url + pad).replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function registration() {
  return navigator.serviceWorker.register("/sw.js", { scope: "/" });
}

async function currentSubscription() {
  if (!supported()) return null;
  const reg = await navigator.serviceWorker.getRegistration("/");
  return reg ? reg.pushManager.getSubscription() : null;
}

async function enablePush() {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error("denied");
  const { publicKey } = await pb.send("/api/lifestage/push/key", { method: "GET" });
  const reg = await registration();
  await navigator.serviceWorker.ready;
  const sub = (await reg.pushManager.getSubscription()) ||
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  const json = sub.toJSON();
  await pb.send("/api/lifestage/push/subscriptions", {
    method: "POST",
    body: { endpoint: json.endpoint, keys: json.keys, userAgent: navigator.userAgent.slice(0, 300) },
  });
}

async function disablePush() {
  const sub = await currentSubscription();
  if (!sub) return;
  try {
    await pb.send("/api/lifestage/push/subscriptions", { method: "DELETE", body: { endpoint: sub.endpoint } });
  } catch (err) {
    if (err?.status !== 404) throw err; // already gone on the server
  }
  await sub.unsubscribe();
}

/** Renders the settings into the section element. */
export async function mountPushSettings(section) {
  await i18nReady();
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const pushState = h("p", { id: "push-state" });
  const pushButton = h("button", { class: "btn btn-block", type: "button", id: "push-toggle" });
  section.replaceChildren(
    h("h2", { id: "push-settings-title", text: t("me.push.title", {}, "通知の設定") }),
    h("p", { class: "meta", text: t("me.push.lead", {}, "お知らせをこの端末に通知（プッシュ通知）で受け取れます。通知が届かないときはメールでお知らせします。健康に関わる内容は、通知にもメールにも書かず、アプリの中でだけ表示します。") }),
    pushState, pushButton, status,
  );
  section.setAttribute("aria-labelledby", "push-settings-title");

  let view;
  try {
    view = await pb.send("/api/lifestage/push/preferences", { method: "GET" });
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
    return;
  }
  const form = preferencesForm(view, status);
  section.append(form);

  async function refreshPush() {
    if (!supported()) {
      pushState.textContent = t("me.push.unsupported", {}, "このブラウザはプッシュ通知に対応していません。お知らせはメールでお届けします。");
      pushButton.hidden = true;
      return;
    }
    const sub = await currentSubscription();
    const denied = Notification.permission === "denied";
    pushState.textContent = sub ? t("me.push.on", {}, "この端末で通知を受け取っています。")
      : denied ? t("me.push.denied", {}, "このブラウザで通知が拒否されています。ブラウザの設定から許可してください。")
        : t("me.push.off", {}, "この端末では通知を受け取っていません。");
    pushButton.textContent = sub ? t("me.push.disable", {}, "この端末の通知をやめる") : t("me.push.enable", {}, "この端末で通知を受け取る");
    pushButton.dataset.on = sub ? "true" : "false";
    pushButton.disabled = denied && !sub;
  }
  pushButton.addEventListener("click", async () => {
    pushButton.disabled = true;
    try {
      if (pushButton.dataset.on === "true") {
        await disablePush();
        setStatus(status, t("me.push.disabled", {}, "この端末の通知をやめました。"), "ok");
      } else {
        await enablePush();
        setStatus(status, t("me.push.enabled", {}, "この端末で通知を受け取れるようになりました。"), "ok");
      }
    } catch (err) {
      setStatus(status, err?.message === "denied" ? t("me.push.notAllowed", {}, "通知が許可されませんでした。") : errorMessage(err), "error");
    } finally {
      pushButton.disabled = false;
      await refreshPush();
    }
  });
  await refreshPush();
}

function preferencesForm(view, status) {
  const p = view.preferences;
  const time = (name, label, value) => h("div", { class: "field" },
    h("label", { for: `pref-${name}`, text: label }),
    h("input", { id: `pref-${name}`, name, type: "time", value: value || "", step: 60 }));
  const optOut = new Set(p.optOut || []);
  const form = h("form", { id: "push-preferences", novalidate: true },
    h("fieldset", {},
      h("legend", { text: t("me.push.quiet", {}, "通知しない時間帯（日本時間）") }),
      h("p", { class: "meta", text: t("me.push.quietHint", {}, "この時間帯に出たお知らせは、終わる時刻にまとめて届きます（例: 21:00〜07:00）。空欄にすると時間帯を設けません。見守りや午睡チェックなどの緊急の通知は、この時間帯でも届きます。") }),
      h("div", { class: "grid-2" }, time("quietStart", t("me.push.quietStart", {}, "開始"), p.quietStart), time("quietEnd", t("me.push.quietEnd", {}, "終了"), p.quietEnd))),
    h("fieldset", { "data-field": "optOut" },
      h("legend", { text: t("me.push.kinds", {}, "受け取る通知の種類") }),
      h("p", { class: "meta", text: t("me.push.kindsHint", {}, "チェックを外した種類は届きません。法定の健診・定期予防接種のご案内は、設定にかかわらずお届けします。") }),
      h("div", { class: "choices" }, view.categories.map((c) => h("label", { class: "choice" },
        h("input", { type: "checkbox", name: "receive", value: c.code, checked: !optOut.has(c.code) }), ` ${t(`me.push.category.${c.code}`, {}, c.label)}`)))),
    h("div", { class: "choices" }, h("label", { class: "choice" },
      h("input", { type: "checkbox", name: "noEmail", checked: !!p.noEmail }), ` ${t("me.push.noEmail", {}, "プッシュ通知が届かないときもメールで受け取らない")}`)),
    h("button", { class: "btn btn-secondary btn-block", type: "submit", text: t("me.push.save", {}, "設定を保存する") }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    busy(form, async () => {
      const receive = new Set([...form.querySelectorAll('input[name="receive"]:checked')].map((i) => i.value));
      const body = {
        quietStart: form.quietStart.value,
        quietEnd: form.quietEnd.value,
        optOut: view.categories.map((c) => c.code).filter((c) => !receive.has(c)),
        noEmail: form.noEmail.checked,
      };
      try {
        await pb.send("/api/lifestage/push/preferences", { method: "PUT", body });
        setStatus(status, t("me.push.saved", {}, "通知の設定を保存しました。"), "ok");
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  });
  return form;
}
