// Shared by the nursery staff pages (クラスの一日, 指導計画, 行事予定): the
// staff guard, the fiscal year, this year's classes and the class picker,
// which remembers the last class so a tablet in a room opens on it.
import { pb, h, requireAccount, initPage, todayTokyo } from "/assets/app.js";
import { AGE_CLASSES } from "/assets/labels.js";

const LAST_CLASS_KEY = "lifestage.nursery.class";

/** The logged-in nursery staff account, or null while redirecting. */
export function requireNurseryStaff() {
  const me = requireAccount(["nursery_staff"]);
  if (me) initPage();
  return me;
}

export const isDirector = (me) => me?.role === "director";

/** The Japanese fiscal year (April to March) of a "YYYY-MM-DD" date. */
export function fiscalYear(date = todayTokyo()) {
  const [y, m] = date.split("-").map(Number);
  return m < 4 ? y - 1 : y;
}

/** The nursery's classes of a fiscal year, youngest first. */
export function loadClasses(nursery, fy = fiscalYear()) {
  return pb.collection("nursery_classes").getFullList({
    filter: pb.filter("nursery = {:n} && fiscalYear = {:fy}", { n: nursery, fy }),
    sort: "ageClass,name",
  });
}

export function classLabel(c) {
  return `${c.name}（${AGE_CLASSES[c.ageClass] ?? ""}）`;
}

/**
 * Fills a <select> with the classes and picks the one in ?class=, else the
 * last one used here, else the first. Calls onChange with the class.
 */
export function mountClassPicker(select, classes, onChange) {
  select.replaceChildren(...classes.map((c) => h("option", { value: c.id }, classLabel(c))));
  const wanted = new URLSearchParams(location.search).get("class") || localStorage.getItem(LAST_CLASS_KEY);
  if (classes.some((c) => c.id === wanted)) select.value = wanted;
  const pick = () => {
    const c = classes.find((x) => x.id === select.value);
    if (!c) return;
    try { localStorage.setItem(LAST_CLASS_KEY, c.id); } catch { /* private mode */ }
    const url = new URL(location.href);
    url.searchParams.set("class", c.id);
    history.replaceState(null, "", url);
    onChange(c);
  };
  select.addEventListener("change", pick);
  pick();
}

/** "13:05" in Tokyo for an RFC 3339 instant. */
export function clockOf(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" });
}
