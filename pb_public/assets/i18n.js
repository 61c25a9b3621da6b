// Languages of the public and citizen pages: Japanese (default), やさしい日本語,
// English, Vietnamese and Chinese. Every message lives in the server's one
// catalogue (i18n/locales/<lang>/<namespace>.json) and arrives here as one
// JSON per language. Static text is marked in the HTML with data-i18n
// attributes and keeps its Japanese as the text shown before (or without)
// the catalogue; text built in JS calls t() after i18nReady().
//
// This module reads the login from localStorage itself instead of importing
// app.js, so app.js can import it without a cycle.

const LANG_KEY = "lifestage.lang";
const AUTH_KEY = "pocketbase_auth"; // the PocketBase SDK's LocalAuthStore key
export const DEFAULT_LANG = "ja";
const NEGOTIABLE = ["ja", "en", "vi", "zh"]; // easy-ja is chosen, never negotiated

let bundle = null; // {lang, htmlLang, langs:[{code,name,htmlLang}], messages}
let loading = null;

function storedAccount() {
  try {
    return JSON.parse(localStorage.getItem(AUTH_KEY) || "null")?.record || null;
  } catch {
    return null;
  }
}

function storedLang() {
  try {
    return localStorage.getItem(LANG_KEY) || "";
  } catch {
    return ""; // private mode without storage
  }
}

/**
 * The language this page is shown in. Staff pages stay Japanese. For
 * everyone else: ?lang= in the address (a link shared in a language keeps
 * it), then the choice made on this device, then the citizen's account
 * setting, then the browser's languages, then Japanese.
 */
export function currentLang() {
  const account = storedAccount();
  if (account && account.collectionName !== "users") return DEFAULT_LANG;
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl) return fromUrl;
  const chosen = storedLang() || account?.language;
  if (chosen) return chosen;
  for (const tag of navigator.languages || [navigator.language || ""]) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (NEGOTIABLE.includes(base)) return base;
  }
  return DEFAULT_LANG;
}

/** Remembers the choice on this device; the caller reloads the page. */
export function rememberLang(code) {
  try {
    localStorage.setItem(LANG_KEY, code);
  } catch {
    // Without storage the account setting (if any) still carries the choice.
  }
}

async function fetchBundle(lang) {
  const res = await fetch(`/api/lifestage/i18n/${encodeURIComponent(lang)}`, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`catalogue ${lang}: ${res.status}`);
  return res.json();
}

/** Resolves once the catalogue is loaded and the page translated. */
export function i18nReady() {
  if (!loading) {
    const lang = currentLang();
    loading = fetchBundle(lang)
      .catch(() => (lang === DEFAULT_LANG ? null : fetchBundle(DEFAULT_LANG)))
      .catch(() => null) // offline: the Japanese in the HTML stays
      .then((b) => {
        bundle = b;
        // A shared link in a language (?lang=en) keeps that language on the next pages.
        if (b && new URLSearchParams(location.search).get("lang") === b.lang) rememberLang(b.lang);
        if (b) {
          document.documentElement.lang = b.htmlLang || b.lang;
          translate(document);
          observe();
        }
        return b;
      });
  }
  return loading;
}

/** The language actually loaded (after i18nReady), else the wanted one. */
export function lang() {
  return bundle?.lang || currentLang();
}

/** The supported languages, each {code, name, htmlLang} (after i18nReady). */
export function languages() {
  return bundle?.langs || [];
}

/**
 * The message for key with {name} placeholders filled from vars. Before the
 * catalogue is loaded, or for an unknown key, it returns fallback when given
 * (the Japanese text a caller had before) and otherwise the key itself, so a
 * gap is visible rather than blank.
 */
export function t(key, vars = {}, fallback) {
  const text = bundle?.messages?.[key] ?? fallback ?? key;
  return text.replace(/\{([A-Za-z0-9_]+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

const ATTRIBUTES = [
  ["data-i18n-placeholder", "placeholder"],
  ["data-i18n-aria-label", "aria-label"],
  ["data-i18n-title", "title"],
];
const SELECTOR = "[data-i18n],[data-i18n-placeholder],[data-i18n-aria-label],[data-i18n-title]";

function translateElement(el) {
  const messages = bundle?.messages;
  if (!messages) return;
  const key = el.getAttribute("data-i18n");
  if (key && key in messages) el.textContent = messages[key];
  for (const [data, attr] of ATTRIBUTES) {
    const k = el.getAttribute(data);
    if (k && k in messages) el.setAttribute(attr, messages[k]);
  }
}

/** Translates root and everything marked inside it. */
export function translate(root) {
  if (root.nodeType === Node.ELEMENT_NODE && root.matches(SELECTOR)) translateElement(root);
  root.querySelectorAll?.(SELECTOR).forEach(translateElement);
}

// Pages build most of their markup after load; marked elements they add are
// translated as they arrive, so a page needs no call of its own.
let observer = null;
function observe() {
  if (observer || !document.body) return;
  observer = new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) translate(node);
      }
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
}

/**
 * A labelled language select for the page header. onChoose(code) saves the
 * choice and reloads, so every text (including what the page rendered from
 * data) is drawn again in the new language.
 */
export function languageSwitcher(onChoose) {
  const label = document.createElement("label");
  label.className = "lang-switch";
  const text = document.createElement("span");
  text.className = "visually-hidden";
  text.textContent = t("common.lang.label", {}, "言語");
  const select = document.createElement("select");
  select.name = "lang";
  for (const l of languages()) {
    const opt = document.createElement("option");
    opt.value = l.code;
    opt.lang = l.htmlLang;
    opt.textContent = l.name;
    opt.selected = l.code === lang();
    select.append(opt);
  }
  select.addEventListener("change", () => onChoose(select.value));
  label.append(text, select);
  return label;
}
