// Public facility search. Needs no login: the facilities and areas rules let
// guests read public facilities. The search lives in the address (?q=&type=&
// area=) so a result can be bookmarked or sent to someone.
import { pb, h, initPage, errorMessage, setStatus } from "/assets/app.js";
import { FACILITY_TYPES, FACILITY_SERVICES, label } from "/assets/labels.js";

const PER_PAGE = 20;

initPage();

const form = document.getElementById("search-form");
const list = document.getElementById("results");
const status = document.getElementById("results-status");
const more = document.getElementById("more");

let query = { q: "", type: "", area: "" };
let page = 0;
let seq = 0; // only the latest search may write the results

for (const [value, text] of Object.entries(FACILITY_TYPES)) {
  form.elements.type.append(h("option", { value }, text));
}

// Kana may be stored in katakana or hiragana, and people type either.
function toHiragana(s) {
  return s.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}
function toKatakana(s) {
  return s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

function buildFilter({ q, type, area }) {
  const parts = ["public = true"];
  if (q) {
    const hira = toHiragana(q);
    const kata = toKatakana(q);
    parts.push(pb.filter(
      "(name ~ {:q} || kana ~ {:q} || address ~ {:q}"
        + (hira !== q ? " || kana ~ {:hira}" : "")
        + (kata !== q ? " || kana ~ {:kata}" : "") + ")",
      { q, hira, kata },
    ));
  }
  if (type) parts.push(pb.filter("type = {:type}", { type }));
  // A whole former town (parent area) includes its districts.
  if (area) parts.push(pb.filter("(area = {:area} || area.parent = {:area})", { area }));
  return parts.join(" && ");
}

function telHref(phone) {
  const digits = (phone || "").replace(/[^\d+]/g, "");
  return digits ? `tel:${digits}` : "";
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : "";
}

function card(f) {
  const tel = telHref(f.phone);
  const url = safeUrl(f.url);
  const facts = [
    f.address ? ["住所", f.address] : null,
    f.phone ? ["電話", tel ? h("span", { class: "tel" }, h("a", { href: tel }, f.phone)) : f.phone] : null,
    f.hours ? ["時間", f.hours] : null,
    f.capacity > 0 ? ["定員", `${f.capacity}人`] : null,
  ].filter(Boolean);
  const services = (f.services || []).map((s) => label(FACILITY_SERVICES, s));
  return h("li", { class: "card facility", tabindex: "-1" },
    h("h3", {}, f.name, f.kana ? h("span", { class: "kana" }, f.kana) : null),
    h("p", { class: "tags" },
      h("span", { class: "tag tag-primary" }, label(FACILITY_TYPES, f.type)),
      f.expand?.area?.name ? h("span", { class: "tag" }, f.expand.area.name) : null),
    facts.length ? h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])) : null,
    services.length
      ? h("p", { class: "tags", "aria-label": "サービス" }, services.map((s) => h("span", { class: "tag tag-muted" }, s)))
      : null,
    url ? h("p", {}, h("a", { href: url, rel: "noopener noreferrer" }, "ウェブサイトを見る")) : null,
  );
}

async function load({ append }) {
  const mine = ++seq;
  const nextPage = append ? page + 1 : 1;
  more.disabled = true;
  list.setAttribute("aria-busy", "true");
  setStatus(status, "さがしています…");
  try {
    const res = await pb.collection("facilities").getList(nextPage, PER_PAGE, {
      filter: buildFilter(query),
      sort: "kana,name",
      expand: "area",
      skipTotal: true,
    });
    if (mine !== seq) return;
    page = nextPage;
    const cards = res.items.map(card);
    if (append) list.append(...cards);
    else list.replaceChildren(...cards);
    const hasMore = res.items.length === PER_PAGE;
    more.hidden = !hasMore;
    const shown = list.children.length;
    if (shown === 0) setStatus(status, "条件に合う施設は見つかりませんでした。条件を変えてお試しください。");
    else if (append && cards.length === 0) setStatus(status, `これ以上はありません。${shown}件を表示しています。`);
    else setStatus(status, `${shown}件を表示しています。${hasMore ? "「もっと見る」で続きを表示できます。" : ""}`);
    // Keyboard users continue from the first newly shown facility (or the
    // last one, when the hidden button took the focus with it).
    if (append) (cards[0] || list.lastElementChild)?.focus();
  } catch (err) {
    if (mine !== seq) return;
    setStatus(status, errorMessage(err), "error");
  } finally {
    if (mine === seq) {
      more.disabled = false;
      list.removeAttribute("aria-busy");
    }
  }
}

function readForm() {
  return {
    q: form.elements.q.value.trim(),
    type: form.elements.type.value,
    area: form.elements.area.value,
  };
}

function writeUrl() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, v);
  const s = p.toString();
  history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
}

async function loadAreas() {
  try {
    const areas = await pb.collection("areas").getFullList({ sort: "kana,code", fields: "id,name,parent" });
    const children = new Map();
    for (const a of areas) {
      if (!a.parent) continue;
      if (!children.has(a.parent)) children.set(a.parent, []);
      children.get(a.parent).push(a);
    }
    const select = form.elements.area;
    const known = new Set(areas.map((a) => a.id));
    // Former towns first, each followed by its districts, indented.
    const add = (area, depth) => {
      select.append(h("option", { value: area.id }, "\u3000".repeat(depth) + area.name));
      if (depth < 4) for (const sub of children.get(area.id) || []) add(sub, depth + 1);
    };
    areas.filter((a) => !a.parent || !known.has(a.parent)).forEach((a) => add(a, 0));
    if (query.area) select.value = query.area;
  } catch {
    // The search still works without the area list.
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  query = readForm();
  writeUrl();
  load({ append: false });
});
more.addEventListener("click", () => load({ append: true }));

const params = new URLSearchParams(location.search);
query = { q: params.get("q") || "", type: params.get("type") || "", area: params.get("area") || "" };
form.elements.q.value = query.q;
if (query.type in FACILITY_TYPES) form.elements.type.value = query.type;
else query.type = "";
loadAreas();
load({ append: false });
