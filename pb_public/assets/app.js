// Shared by every lifestage page: the one PocketBase client, account types and
// login guards, Japanese error display, Asia/Tokyo dates and the page chrome
// (demo banner, account bar). Pages import what they need from here.
import PocketBase, { getTokenPayload } from "/vendor/pocketbase/pocketbase.es.mjs";
import { i18nReady, languageSwitcher, lang, rememberLang, t, DEFAULT_LANG } from "/assets/i18n.js";

export const pb = new PocketBase("/");
// Pages load several lists of the same collection at once (children and their
// shares, notification pages); the SDK's default would cancel all but the last.
pb.autoCancellation(false);

// ---- accounts --------------------------------------------------------------

// The login page offers these in this order; `home` is where each lands.
export const ACCOUNT_TYPES = [
  // A family opens an invoice from a notification; staff work on /nursery/.
  { key: "citizen", collection: "users", label: "市民", sub: "保護者・ご家族・住民の方", home: "/me/", areas: ["/nursery/invoice/"] },
  { key: "city", collection: "city_staff", label: "市職員", sub: "西条市の職員", home: "/staff/", areas: ["/nursery/", "/watch/"] },
  { key: "nursery", collection: "nursery_staff", label: "保育施設", sub: "保育所・こども園の職員", home: "/staff/", areas: ["/nursery/"] },
  { key: "medical", collection: "medical_staff", label: "医療機関", sub: "病院・診療所の職員", home: "/staff/", areas: ["/clinic/"] },
  // A volunteer comes back to the visit being recorded (/watch/checkin/?t=…).
  { key: "volunteer", collection: "volunteers", label: "見守りボランティア", sub: "民生委員・協力団体の方", home: "/staff/", areas: ["/watch/"] },
];

export function accountType(record) {
  return ACCOUNT_TYPES.find((a) => a.collection === record?.collectionName) || null;
}

// An account type's name and description in the page's language: the login
// and reset pages, where everyone starts, show them.
export const typeLabel = (a) => t(`login.type.${a.key}`, {}, a.label);
export const typeSub = (a) => t(`login.type.${a.key}.sub`, {}, a.sub);

/** The logged-in record, or null when there is none or its token expired. */
export function currentAccount() {
  return pb.authStore.isValid ? pb.authStore.record : null;
}

export function homePath(record) {
  return accountType(record)?.home || "/";
}

export function displayName(record) {
  return record?.name || record?.email || "";
}

export function loginUrl(next = location.pathname + location.search) {
  return "/login/?next=" + encodeURIComponent(next);
}

/**
 * Where to go after login. `next` is only honoured when it stays on this site
 * and inside the account's own area, so a crafted link cannot bounce a user
 * elsewhere and a staff member never lands on a citizen page.
 */
export function nextPath(raw, record) {
  const home = homePath(record);
  if (!raw) return home;
  let url;
  try {
    url = new URL(raw, location.origin);
  } catch {
    return home;
  }
  // Some accounts also work outside home (medical staff: the clinic reception).
  const areas = [home, ...(accountType(record)?.areas || [])];
  if (url.origin !== location.origin || !areas.some((a) => url.pathname.startsWith(a))) return home;
  return url.pathname + url.search + url.hash;
}

/**
 * Guards a page: sends guests to the login page and accounts of another type
 * to their own home. Returns the record, or null while redirecting.
 */
export function requireAccount(collections) {
  const record = currentAccount();
  if (!record) {
    // A staff token that ran out here means nobody used the page for its lifetime.
    if (pb.authStore.token && IDLE_LOGOUT[pb.authStore.record?.collectionName]) noteIdleLogout();
    location.replace(loginUrl());
    return null;
  }
  if (!collections.includes(record.collectionName)) {
    location.replace(homePath(record));
    return null;
  }
  return record;
}

/**
 * Re-reads the account from the server so a disabled account or a changed
 * role shows at once. A rejected token logs out; a network failure keeps the
 * stored record so the page still shows something offline.
 */
export async function refreshAccount(options = {}) {
  const record = pb.authStore.record;
  try {
    const res = await pb.collection(record.collectionName).authRefresh(options);
    return res.record;
  } catch (err) {
    if ([401, 403, 404].includes(err?.status)) {
      pb.authStore.clear();
      location.replace(loginUrl());
      return null;
    }
    return record;
  }
}

export function logout() {
  // Realtime keeps an open connection under the old token; close it first.
  pb.realtime.unsubscribe().catch(() => {});
  pb.authStore.clear();
  location.assign("/");
}

// ---- errors ----------------------------------------------------------------

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]/;

/** PocketBase's built-in messages are English; ours are already Japanese. */
function isJapanese(text) {
  return typeof text === "string" && JAPANESE.test(text);
}

function errorBody(err) {
  // The SDK puts the JSON body in `response` (alias `data`).
  return err?.response || err?.data || {};
}

/** One Japanese sentence for any failed request. */
export function errorMessage(err) {
  const status = err?.status ?? 0;
  const body = errorBody(err);
  // The server writes its messages in Japanese; in another language the
  // generic message for the status is more use than a sentence one cannot read.
  const serverText = lang() === DEFAULT_LANG && isJapanese(body.message) ? body.message : "";
  if (status === 401 && body.mfaId) return t("common.error.mfa", {}, "追加の認証が必要です。");
  // A login lockout explains itself (until when); the rate limiter does not.
  if (status === 429) return serverText || t("common.error.rate", {}, "試行回数が多すぎます。しばらくしてからお試しください。");
  if (status === 400 && body.message === "Failed to authenticate.") {
    return t("common.error.credentials", {}, "メールアドレスまたはパスワードが正しくありません。");
  }
  if (serverText) return serverText;
  if (err?.isAbort) return t("common.error.abort", {}, "通信が中断されました。もう一度お試しください。");
  switch (true) {
    case status === 0:
      return t("common.error.network", {}, "サーバーに接続できませんでした。通信環境を確かめて、もう一度お試しください。");
    case status === 400:
      return t("common.error.input", {}, "入力内容を確認してください。");
    case status === 401:
      return t("common.error.login", {}, "ログインが必要です。もう一度ログインしてください。");
    case status === 403:
      return t("common.error.forbidden", {}, "この操作を行う権限がありません。");
    case status === 404:
      return t("common.error.notfound", {}, "見つかりませんでした。");
    case status === 409:
      return t("common.error.conflict", {}, "すでに登録されているか、ほかの人が先に変更しました。");
    case status === 413:
      return t("common.error.toolarge", {}, "送信する内容が大きすぎます。");
    case status >= 500:
      return t("common.error.server", {}, "サーバーでエラーが発生しました。時間をおいてもう一度お試しください。");
    default:
      return t("common.error.generic", {}, "エラーが発生しました。もう一度お試しください。");
  }
}

/**
 * Text for one field error `{code, message, params}`: our routes' own
 * Japanese message on a Japanese page, else the catalogue's wording of the
 * code in the page's language.
 */
export function fieldMessage(field, item) {
  if (lang() === DEFAULT_LANG && isJapanese(item?.message)) return item.message;
  const p = item?.params || {};
  switch (item?.code) {
    case "validation_required":
    case "validation_nil_or_not_empty_required":
      return t("form.required", {}, "入力してください。");
    case "validation_is_email":
    case "validation_invalid_email":
      return t("form.email", {}, "メールアドレスの形式が正しくありません。");
    case "validation_not_unique":
      return field === "email"
        ? t("form.emailTaken", {}, "このメールアドレスはすでに登録されています。")
        : t("form.taken", {}, "すでに使われています。");
    case "validation_values_mismatch":
      return field === "passwordConfirm"
        ? t("form.passwordMismatch", {}, "パスワードが一致しません。")
        : t("form.mismatch", {}, "入力した値が一致しません。");
    case "validation_min_text_constraint":
    case "validation_length_too_short":
      return p.min ? t("form.min", { n: p.min }, `${p.min}文字以上で入力してください。`) : t("form.short", {}, "文字数が足りません。");
    case "validation_max_text_constraint":
    case "validation_length_too_long":
      return p.max ? t("form.max", { n: p.max }, `${p.max}文字以内で入力してください。`) : t("form.long", {}, "文字数が多すぎます。");
    case "validation_length_out_of_range":
      return p.min && p.max
        ? t("form.range", { min: p.min, max: p.max }, `${p.min}〜${p.max}文字で入力してください。`)
        : t("form.length", {}, "文字数を確認してください。");
    case "validation_invalid_format":
    case "validation_match_invalid":
      return t("form.format", {}, "形式が正しくありません。");
    case "validation_in_invalid":
    case "validation_invalid_value":
      return t("form.choose", {}, "選択肢から選んでください。");
    case "validation_date_invalid":
      return t("form.date", {}, "日付が正しくありません。");
    default:
      return t("common.error.input", {}, "入力内容を確認してください。");
  }
}

export function setStatus(el, text, kind = "") {
  if (!el) return;
  el.textContent = text || "";
  el.classList.toggle("is-error", kind === "error");
  el.classList.toggle("is-ok", kind === "ok");
}

/** Removes every field message and invalid mark a form shows. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error[data-error-for]")) {
    el.textContent = "";
    el.hidden = true;
  }
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute("aria-invalid");
}

/**
 * Shows a field's message under it and links the two for screen readers.
 * A group of radios is marked through its <fieldset data-field="name">.
 */
export function showFieldError(form, name, text) {
  const group = form.querySelector(`fieldset[data-field="${name}"]`);
  const named = form.elements.namedItem(name);
  let inputs = [];
  if (group) inputs = [...group.querySelectorAll("input, select, textarea")];
  else if (named instanceof RadioNodeList) inputs = [...named];
  else if (named) inputs = [named];
  if (inputs.length === 0) return false;

  let msg = form.querySelector(`.field-error[data-error-for="${name}"]`);
  if (!msg) {
    msg = document.createElement("p");
    msg.className = "field-error";
    msg.dataset.errorFor = name;
    msg.id = `${inputs[0].id || form.id || "form"}-${name}-error`;
    // Right under a single box; after the options for a group.
    if (inputs.length > 1) (group || inputs[0].closest("fieldset") || inputs[0].parentElement).append(msg);
    else inputs[0].after(msg);
  }
  msg.textContent = text;
  msg.hidden = false;
  for (const input of inputs) {
    input.setAttribute("aria-invalid", "true");
    const ids = new Set((input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
    ids.add(msg.id);
    input.setAttribute("aria-describedby", [...ids].join(" "));
  }
  return true;
}

/**
 * Shows a failed request on a form: field messages next to their fields, the
 * general message in the status box, and focus on the first bad field so
 * keyboard and screen reader users land where the fix is.
 */
export function showErrors(form, err, statusEl) {
  clearErrors(form);
  const fields = errorBody(err).data || {};
  let first = null;
  const unplaced = [];
  for (const [name, item] of Object.entries(fields)) {
    const text = fieldMessage(name, item);
    if (showFieldError(form, name, text)) {
      first ??= form.querySelector(`[aria-invalid="true"]`);
    } else {
      unplaced.push(text);
    }
  }
  let general = errorMessage(err);
  // Our routes repeat the field's message as the main one; once it sits next
  // to the field, the summary only needs to point there.
  if (first && Object.values(fields).some((item) => item?.message === general)) general = t("common.error.input", {}, "入力内容を確認してください。");
  setStatus(statusEl, [general, ...unplaced.filter((t) => t !== general)].join(" "), "error");
  first?.focus();
  return general;
}

/**
 * Shows problems found before sending ([field, message] pairs) the same way
 * server errors are shown. Returns true when there are none.
 */
export function reportInvalid(form, problems, statusEl) {
  clearErrors(form);
  if (problems.length === 0) return true;
  for (const [name, text] of problems) showFieldError(form, name, text);
  setStatus(statusEl, t("common.error.input", {}, "入力内容を確認してください。"), "error");
  form.querySelector('[aria-invalid="true"]')?.focus();
  return false;
}

// ---- dates (Asia/Tokyo) ----------------------------------------------------

export const TIME_ZONE = "Asia/Tokyo";

const dateFmt = new Intl.DateTimeFormat("ja-JP", { timeZone: TIME_ZONE, year: "numeric", month: "long", day: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat("ja-JP", {
  timeZone: TIME_ZONE, year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit",
});
const partsFmt = new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** PocketBase sends "2025-01-02 03:04:05.000Z"; Safari wants the "T". */
export function parseDate(value) {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(String(value).replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(value) {
  const d = parseDate(value);
  return d ? dateFmt.format(d) : "";
}

export function formatDateTime(value) {
  const d = parseDate(value);
  return d ? dateTimeFmt.format(d) : "";
}

/** Today's calendar date in Tokyo as "YYYY-MM-DD", whatever the phone's zone. */
export function todayTokyo(now = new Date()) {
  const p = Object.fromEntries(partsFmt.formatToParts(now).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

function civilParts(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
  return m ? { y: +m[1], m: +m[2], d: +m[3] } : null;
}

/** A calendar date ("YYYY-MM-DD", no time zone) in Japanese. */
export function formatCivilDate(s) {
  const p = civilParts(s);
  return p ? `${p.y}年${p.m}月${p.d}日` : "";
}

/**
 * Completed years and months between a birth date and today (both calendar
 * dates). A birthday on the 29th–31st counts as reached on the last day of a
 * shorter month, as people count it.
 */
export function ageOn(birthDate, today = todayTokyo()) {
  const b = civilParts(birthDate);
  const t = civilParts(today);
  if (!b || !t) return null;
  let months = (t.y - b.y) * 12 + (t.m - b.m);
  const lastDay = new Date(Date.UTC(t.y, t.m, 0)).getUTCDate();
  if (t.d < b.d && t.d < lastDay) months -= 1;
  if (months < 0) return null;
  return { years: Math.floor(months / 12), months: months % 12 };
}

export function ageText(birthDate, today) {
  const a = ageOn(birthDate, today);
  return a ? t("me.age", { y: a.years, m: a.months }, `${a.years}歳${a.months}か月`) : "";
}

// ---- DOM -------------------------------------------------------------------

/**
 * Builds an element. Text always goes in as text nodes, never as HTML, so
 * names and messages from the server cannot inject markup.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

/**
 * Downloads a file from an authenticated route. A plain link would not carry
 * the token, so fetch with the Authorization header and hand the blob to the
 * browser. Returns the file name; a refused request throws like pb.send.
 */
export async function downloadFile(path, query, fallbackName) {
  const res = await fetch(pb.buildURL(path) + "?" + new URLSearchParams(query), {
    headers: { Authorization: pb.authStore.token },
  });
  if (!res.ok) {
    let body = {};
    try { body = await res.json(); } catch { /* not JSON */ }
    throw Object.assign(new Error("download failed"), { status: res.status, response: body });
  }
  const blob = await res.blob();
  const name = /filename="?([^";]+)"?/.exec(res.headers.get("Content-Disposition") || "")?.[1] || fallbackName;
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/** Disables a form's controls while a request runs, so a double tap sends once. */
export async function busy(form, fn) {
  const controls = [...form.querySelectorAll("button, input, select, textarea")].filter((c) => !c.disabled);
  form.setAttribute("aria-busy", "true");
  controls.forEach((c) => (c.disabled = true));
  try {
    return await fn();
  } finally {
    controls.forEach((c) => (c.disabled = false));
    form.removeAttribute("aria-busy");
  }
}

// ---- page chrome -----------------------------------------------------------

async function loadDemoBanner() {
  const slot = document.getElementById("demo-banner");
  if (!slot) return;
  try {
    const res = await fetch("/api/lifestage/meta", { headers: { Accept: "application/json" } });
    if (!res.ok) return; // 404 until the backend has it: show nothing
    const meta = await res.json();
    if (meta?.demo === true) {
      slot.textContent = t("common.demo", {}, "デモ環境：架空のデータです");
      slot.hidden = false;
    }
  } catch {
    // No banner is the safe default.
  }
}

function renderAccountSlot(showLogin) {
  const slot = document.getElementById("account-slot");
  if (!slot) return;
  const record = currentAccount();
  if (record) {
    slot.replaceChildren(
      h("a", { href: homePath(record), class: "who" }, t("common.who", { name: displayName(record) }, `${displayName(record)} さん`)),
      h("button", { type: "button", class: "btn btn-small", onclick: logout, "data-i18n": "common.logout" }, "ログアウト"),
    );
  } else if (showLogin) {
    // Come back to this page after logging in (nextPath keeps it safe).
    const href = location.pathname === "/" ? "/login/" : loginUrl();
    slot.replaceChildren(h("a", { href, class: "btn btn-small", "data-i18n": "common.login" }, "ログイン"));
  } else {
    slot.replaceChildren();
  }
}

// The header, banner slot and footer are the same on every page, so they are
// built here rather than repeated in each HTML file.
function renderChrome() {
  if (document.getElementById("account-slot")) return;
  const main = document.getElementById("main");
  document.body.prepend(
    h("a", { class: "skip-link", href: "#main", "data-i18n": "common.skip" }, "本文へ移動"),
    h("p", { id: "demo-banner", class: "demo-banner", hidden: true, "data-i18n": "common.demo" }),
    h("header", { class: "site-header" },
      h("a", { class: "brand", href: "/" }, "lifestage ", h("span", { class: "brand-sub", "data-i18n": "common.brand.sub" }, "西条市")),
      h("span", { id: "lang-slot", class: "lang-slot" }),
      h("nav", { id: "account-slot", class: "account-slot", "aria-label": "アカウント", "data-i18n-aria-label": "common.nav.account" }),
    ),
  );
  (main || document.body).after(h("footer", { class: "site-footer", "data-i18n": "common.footer" }, "西条市 lifestage"));
}

// Staff work in Japanese; citizens and guests choose their language.
async function renderLanguageSlot(showLogin) {
  await i18nReady();
  renderAccountSlot(showLogin); // its greeting is drawn with the catalogue
  const slot = document.getElementById("lang-slot");
  const record = currentAccount();
  if (!slot || (record && record.collectionName !== "users")) return;
  slot.replaceChildren(languageSwitcher(chooseLanguage));
}

async function chooseLanguage(code) {
  rememberLang(code);
  const record = currentAccount();
  if (record?.collectionName === "users") {
    try {
      // Notifications follow the account's language, not the device's.
      await pb.collection("users").update(record.id, { language: code });
    } catch {
      // The page still switches; the account keeps its old language.
    }
  }
  location.reload();
}

/** Call once per page: builds the page chrome, the demo banner and the account bar. */
export function initPage({ showLogin = true } = {}) {
  renderChrome();
  renderAccountSlot(showLogin);
  renderLanguageSlot(showLogin);
  pb.authStore.onChange(() => renderAccountSlot(showLogin));
  loadDemoBanner();
  keepStaffSession();
}

// ---- staff session keeper --------------------------------------------------

// Staff tokens are short (30 minutes; 4 hours for volunteers). Renewing the
// token while the person works makes it run out only after that long WITHOUT
// use (別紙1: 一定時間操作がない場合のログアウト). Minutes per collection:
const IDLE_LOGOUT = { city_staff: 30, nursery_staff: 30, medical_staff: 30, volunteers: 240 };
const RENEW_AFTER_MS = 5 * 60 * 1000; // at most one renewal per 5 minutes
/** sessionStorage key of the message the login page shows after an idle logout. */
export const LOGOUT_NOTICE_KEY = "lifestage.logoutNotice";

function idleText(collection) {
  const min = IDLE_LOGOUT[collection] || 30;
  return min % 60 === 0 ? `${min / 60}時間` : `${min}分間`;
}

function noteIdleLogout() {
  const collection = pb.authStore.record?.collectionName;
  try {
    sessionStorage.setItem(LOGOUT_NOTICE_KEY, `${idleText(collection)}操作がなかったため、ログアウトしました。もう一度ログインしてください。`);
  } catch {
    // Private mode without storage: the login page still opens.
  }
}

let keeping = false;

function keepStaffSession() {
  const collection = currentAccount()?.collectionName;
  const idleMs = (IDLE_LOGOUT[collection] || 0) * 60 * 1000;
  if (!idleMs || keeping) return;
  keeping = true;
  const token = () => pb.authStore.token;
  const expiresAt = () => (getTokenPayload(token())?.exp || 0) * 1000;
  let timer = 0;
  let renewing = false;

  function expired() {
    if (!token()) return; // logged out meanwhile
    if (pb.authStore.isValid) return watch(); // renewed in another tab
    noteIdleLogout();
    pb.realtime.unsubscribe().catch(() => {});
    pb.authStore.clear();
    location.assign(loginUrl());
  }

  // Background tabs run timers late, so activity and a return to the tab
  // check the clock as well.
  function watch() {
    clearTimeout(timer);
    if (!token()) return;
    timer = setTimeout(expired, Math.min(Math.max(0, expiresAt() - Date.now()) + 1000, 2 ** 31 - 1));
  }

  async function onActivity() {
    if (!token() || pb.authStore.record?.collectionName !== collection) return;
    if (!pb.authStore.isValid) return expired();
    // The token's age follows from its expiry, so pages and tabs share the pace.
    if (renewing || Date.now() - (expiresAt() - idleMs) < RENEW_AFTER_MS) return;
    renewing = true;
    // A logout (the tap that started this may be on its button) must not be
    // undone by the renewal arriving after it.
    let loggedOut = false;
    const stopWatching = pb.authStore.onChange((t) => { if (!t) loggedOut = true; });
    try {
      await pb.collection(collection).authRefresh();
      if (loggedOut) pb.authStore.clear();
    } catch (err) {
      // A refused token (disabled account, changed role) ends the session;
      // a network failure leaves the timer to decide.
      if ([401, 403, 404].includes(err?.status)) {
        pb.authStore.clear();
        location.assign(loginUrl());
      }
    } finally {
      stopWatching();
      renewing = false;
    }
  }

  addEventListener("pointerdown", onActivity, { capture: true, passive: true });
  addEventListener("keydown", onActivity, { capture: true });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && token() && !pb.authStore.isValid) expired();
  });
  pb.authStore.onChange(watch);
  watch();
}
