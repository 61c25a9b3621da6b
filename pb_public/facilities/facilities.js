// Public facility and clinic search. Needs no login: it asks
// /api/lifestage/facilities/search, which reads only public facilities. The
// search lives in the address (?q=&type=&area=&vaccine=&checkup=&open=&near=
// &radiusKm=) so a result can be bookmarked or sent to someone, in the
// language it was found in (?lang= is kept).
import { pb, h, initPage, errorMessage, setStatus } from "/assets/app.js";
import { t, i18nReady, lang } from "/assets/i18n.js";
import { FACILITY_TYPES, FACILITY_SERVICES, VACCINES } from "/assets/labels.js";

const PER_PAGE = 20;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"];
const RADII = [1, 3, 5, 10, 20, 50];
const DEFAULT_RADIUS = "5";
// Japanese fallbacks for codes labels.js does not name.
const CHECKUPS = {
  "1m": "1か月児健診", "3-4m": "3〜4か月児健診", "9-10m": "9〜10か月児健診", "1y6m": "1歳6か月児健診",
  "3y": "3歳児健診", "5y": "5歳児健診", prenatal: "妊婦健診",
};
const DAY_JA = { mon: "月曜日", tue: "火曜日", wed: "水曜日", thu: "木曜日", fri: "金曜日", sat: "土曜日", sun: "日曜日", holiday: "祝日" };
const DAY_SHORT_JA = { mon: "月", tue: "火", wed: "水", thu: "木", fri: "金", sat: "土", sun: "日", holiday: "祝" };
const FIELDS = ["q", "type", "area", "vaccine", "checkup", "open", "near", "radiusKm", "centre"];

initPage();

const form = document.getElementById("search-form");
const list = document.getElementById("results");
const status = document.getElementById("results-status");
const more = document.getElementById("more");
const nearStatus = document.getElementById("near-status");
const nearClear = document.getElementById("near-clear");
const centreField = document.getElementById("centre-field");

let query = {};
let page = 0;
let seq = 0; // only the latest search may write the results
const centres = new Map(); // area id -> {name, lat, lon}

/** A code's label in the page language; the Japanese label before the catalogue arrives. */
function tr(ns, code, ja = {}) {
  return t(`search.${ns}.${code}`, {}, ja[code] || code);
}

function fillSelects() {
  const add = (select, entries) => select.append(...entries.map(([value, text]) => h("option", { value }, text)));
  add(form.elements.type, Object.keys(FACILITY_TYPES).map((c) => [c, tr("type", c, FACILITY_TYPES)]));
  add(form.elements.vaccine, Object.keys(VACCINES).map((c) => [c, tr("vaccine", c, VACCINES)]));
  add(form.elements.checkup, Object.keys(CHECKUPS).map((c) => [c, tr("checkup", c, CHECKUPS)]));
  add(form.elements.open, DAYS.map((d) => [d, t("search.open.on", { day: tr("day", d, DAY_JA) }, `${DAY_JA[d]}に開いている`)]));
  add(form.elements.radiusKm, RADII.map((km) => [String(km), t("search.radius.km", { km: String(km) }, `${km}km以内`)]));
}

function telHref(phone) {
  const digits = (phone || "").replace(/[^\d+]/g, "");
  return digits ? `tel:${digits}` : "";
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : "";
}

function mapUrl(loc) {
  const lat = loc.lat.toFixed(6);
  const lon = loc.lon.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

/** Opening hours in the page language: days with the same times grouped. */
function hoursText(oh) {
  const ranges = (d) => (oh[d] || []).map(([a, b]) => `${a.replace(/^0/, "")}–${b.replace(/^0/, "")}`).join(", ");
  const day = (d) => tr("dayShort", d, DAY_SHORT_JA);
  const parts = [];
  const week = DAYS.slice(0, 7);
  for (let i = 0; i < week.length;) {
    let j = i;
    while (j + 1 < week.length && ranges(week[j + 1]) === ranges(week[i])) j++;
    const days = j === i ? day(week[i]) : `${day(week[i])}–${day(week[j])}`;
    const r = ranges(week[i]);
    parts.push(`${days} ${r === "0:00–24:00" ? t("search.hours.allDay", {}, "24時間") : r || t("search.hours.closed", {}, "休み")}`);
    i = j + 1;
  }
  if (oh.holiday) parts.push(`${day("holiday")} ${ranges("holiday") || t("search.hours.closed", {}, "休み")}`);
  return parts.join(" / ");
}

function tags(label, codes, ns, ja) {
  if (!codes?.length) return null;
  return h("p", { class: "tags", "aria-label": label },
    codes.map((c) => h("span", { class: "tag tag-muted" }, tr(ns, c, ja))));
}

function card(f) {
  const tel = telHref(f.phone);
  const url = safeUrl(f.url);
  // Japanese pages keep the facility's own wording; other languages get
  // the machine-readable hours written in their words.
  const hours = f.openingHours && lang() !== "ja" ? hoursText(f.openingHours) : f.hours || (f.openingHours ? hoursText(f.openingHours) : "");
  const facts = [
    f.address ? [t("search.card.address", {}, "住所"), f.address] : null,
    f.phone ? [t("search.card.phone", {}, "電話"), tel ? h("span", { class: "tel" }, h("a", { href: tel }, f.phone)) : f.phone] : null,
    hours ? [t("search.card.hours", {}, "時間"), hours] : null,
    f.capacity > 0 ? [t("search.card.capacity", {}, "定員"), t("search.card.capacityN", { n: String(f.capacity) }, `${f.capacity}人`)] : null,
  ].filter(Boolean);
  const distance = typeof f.distanceKm === "number"
    ? h("span", { class: "tag tag-primary distance" }, t("search.card.distance", { km: f.distanceKm.toFixed(1) }, `${f.distanceKm.toFixed(1)}km`))
    : null;
  const open = f.openingHours
    ? h("span", { class: f.openNow ? "tag tag-ok" : "tag tag-muted" },
      f.openNow ? t("search.card.openNow", {}, "いま開いています") : t("search.card.closedNow", {}, "いまは時間外です"))
    : null;
  return h("li", { class: "card facility", tabindex: "-1", "data-code": f.code },
    h("h3", {}, f.name, f.kana ? h("span", { class: "kana" }, f.kana) : null),
    h("p", { class: "tags" },
      h("span", { class: "tag tag-primary" }, tr("type", f.type, FACILITY_TYPES)),
      f.areaName ? h("span", { class: "tag" }, f.areaName) : null, distance, open),
    facts.length ? h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])) : null,
    tags(t("search.card.services", {}, "サービス"), f.services, "service", FACILITY_SERVICES),
    tags(t("search.card.vaccines", {}, "予防接種"), f.vaccines, "vaccine", VACCINES),
    tags(t("search.card.checkups", {}, "健診"), f.checkups, "checkup", CHECKUPS),
    f.location ? h("p", {}, h("a", { href: mapUrl(f.location), rel: "noopener noreferrer", target: "_blank", class: "map-link" },
      t("search.card.map", {}, "地図で見る（OpenStreetMap）"))) : null,
    url ? h("p", {}, h("a", { href: url, rel: "noopener noreferrer" }, t("search.card.web", {}, "ウェブサイトを見る"))) : null,
  );
}

function apiParams(nextPage) {
  const p = { page: nextPage, perPage: PER_PAGE };
  for (const k of ["q", "type", "area", "vaccine", "checkup"]) if (query[k]) p[k] = query[k];
  if (query.open === "now") p.openAt = "now";
  else if (query.open) p.openOn = query.open;
  if (query.near) {
    p.near = query.near;
    p.radiusKm = query.radiusKm || DEFAULT_RADIUS;
  }
  return p;
}

/** The search's own 400 codes read better than a generic message. */
function searchError(err) {
  const data = err?.response?.data || err?.data?.data || {};
  const code = Object.values(data).map((v) => v?.code).find(Boolean);
  if (err?.status === 400 && code) return t(`search.error.${code}`, {}, "") || t("search.error.generic", {}, "検索の条件を確かめてください。");
  return errorMessage(err);
}

async function load({ append }) {
  const mine = ++seq;
  const nextPage = append ? page + 1 : 1;
  more.disabled = true;
  list.setAttribute("aria-busy", "true");
  setStatus(status, t("search.results.searching", {}, "さがしています…"));
  try {
    const res = await pb.send("/api/lifestage/facilities/search", { query: apiParams(nextPage), requestKey: null });
    if (mine !== seq) return;
    page = nextPage;
    const cards = res.items.map(card);
    if (append) list.append(...cards);
    else list.replaceChildren(...cards);
    more.hidden = !res.hasMore;
    const n = String(list.children.length);
    if (n === "0") setStatus(status, t("search.results.none", {}, "条件に合う施設は見つかりませんでした。条件を変えてお試しください。"));
    else if (append && !res.hasMore) setStatus(status, t("search.results.end", { n }, `これ以上はありません。${n}件を表示しています。`));
    else if (res.hasMore) setStatus(status, t("search.results.countMore", { n }, `${n}件を表示しています。「もっと見る」で続きを表示できます。`));
    else setStatus(status, t("search.results.count", { n }, `${n}件を表示しています。`));
    // Keyboard users continue from the first newly shown facility (or the
    // last one, when the hidden button took the focus with it).
    if (append) (cards[0] || list.lastElementChild)?.focus();
  } catch (err) {
    if (mine !== seq) return;
    list.replaceChildren();
    more.hidden = true;
    setStatus(status, searchError(err), "error");
  } finally {
    if (mine === seq) {
      more.disabled = false;
      list.removeAttribute("aria-busy");
    }
  }
}

function showNear() {
  nearClear.hidden = !query.near;
  if (!query.near) return;
  const km = query.radiusKm || DEFAULT_RADIUS;
  const centre = centres.get(query.centre);
  setStatus(nearStatus, centre
    ? t("search.near.activeArea", { area: centre.name, km }, `${centre.name}の中心の近く（${km}km以内）を近い順に表示します。`)
    : t("search.near.active", { km }, `現在地の近く（${km}km以内）を近い順に表示します。`));
}

function writeUrl() {
  const p = new URLSearchParams();
  const keep = new URLSearchParams(location.search).get("lang");
  if (keep) p.set("lang", keep);
  for (const k of FIELDS) if (query[k]) p.set(k, query[k]);
  const s = p.toString();
  history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
}

function search() {
  writeUrl();
  showNear();
  load({ append: false });
}

function readForm() {
  const el = form.elements;
  return {
    ...query,
    q: el.q.value.trim(), type: el.type.value, area: el.area.value, vaccine: el.vaccine.value,
    checkup: el.checkup.value, open: el.open.value, radiusKm: el.radiusKm.value === DEFAULT_RADIUS ? "" : el.radiusKm.value,
  };
}

function useCentre(id) {
  const c = centres.get(id);
  if (!c) return;
  query = { ...readForm(), near: `${c.lat},${c.lon}`, centre: id };
  search();
}

function locate() {
  const refused = () => {
    centreField.hidden = false;
    setStatus(nearStatus, t("search.near.denied", {}, "現在地を使えませんでした。地区の中心から近い順にさがせます。"), "error");
    form.elements.centre.focus();
  };
  if (!navigator.geolocation) return refused();
  setStatus(nearStatus, t("search.near.locating", {}, "現在地を調べています…"));
  navigator.geolocation.getCurrentPosition((pos) => {
    query = { ...readForm(), near: `${pos.coords.latitude.toFixed(5)},${pos.coords.longitude.toFixed(5)}`, centre: "" };
    search();
  }, refused, { timeout: 10000, maximumAge: 60000 });
}

async function loadAreas() {
  try {
    const areas = await pb.collection("areas").getFullList({ sort: "kana,code", fields: "id,name,parent,location", requestKey: null });
    const children = new Map();
    for (const a of areas) {
      if (a.location && (a.location.lat || a.location.lon)) centres.set(a.id, { name: a.name, lat: a.location.lat, lon: a.location.lon });
      if (!a.parent) continue;
      if (!children.has(a.parent)) children.set(a.parent, []);
      children.get(a.parent).push(a);
    }
    const known = new Set(areas.map((a) => a.id));
    // Former towns first, each followed by its districts, indented.
    const add = (select, area, depth, onlyCentres) => {
      if (!onlyCentres || centres.has(area.id)) select.append(h("option", { value: area.id }, "\u3000".repeat(depth) + area.name));
      if (depth < 4) for (const sub of children.get(area.id) || []) add(select, sub, depth + 1, onlyCentres);
    };
    for (const a of areas.filter((x) => !x.parent || !known.has(x.parent))) {
      add(form.elements.area, a, 0, false);
      add(form.elements.centre, a, 0, true);
    }
    if (query.area) form.elements.area.value = query.area;
    if (query.centre) form.elements.centre.value = query.centre;
    showNear();
  } catch {
    // The search still works without the area list.
  }
}

function restore() {
  const params = new URLSearchParams(location.search);
  query = Object.fromEntries(FIELDS.map((k) => [k, params.get(k) || ""]));
  const el = form.elements;
  for (const k of ["q", "type", "vaccine", "checkup", "open"]) {
    el[k].value = query[k];
    if (el[k].value !== query[k]) query[k] = ""; // an unknown code in a hand-edited address
  }
  el.radiusKm.value = RADII.includes(Number(query.radiusKm)) ? query.radiusKm : DEFAULT_RADIUS;
  if (query.centre) centreField.hidden = false;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  query = readForm();
  search();
});
more.addEventListener("click", () => load({ append: true }));
document.getElementById("locate").addEventListener("click", locate);
form.elements.centre.addEventListener("change", (e) => useCentre(e.target.value));
nearClear.addEventListener("click", () => {
  query = { ...readForm(), near: "", centre: "" };
  setStatus(nearStatus, "");
  search();
});

await i18nReady();
fillSelects();
restore();
loadAreas();
showNear();
load({ append: false });
