// Online manuals (spec §5(2)ア). The server decides what each caller may read:
// everyone gets the user manuals and FAQs, staff also the admin manuals. The
// manual HTML is rendered on the server from the repository's Markdown with
// raw HTML dropped, so it goes into the page as is. /manuals/?m=child/user
// shows one manual; the bare address lists them all.
import { pb, h, initPage, errorMessage, setStatus } from "/assets/app.js";
import { t, i18nReady, lang, DEFAULT_LANG } from "/assets/i18n.js";

const SITE = "lifestage 西条市";
const API = "/api/lifestage/manuals";

initPage();

const listView = document.getElementById("list-view");
const docView = document.getElementById("doc-view");
const listStatus = document.getElementById("list-status");
const docStatus = document.getElementById("doc-status");
const doc = document.getElementById("doc");

const manualHref = (m) => `/manuals/?m=${encodeURIComponent(m.system)}/${encodeURIComponent(m.kind)}`;

// "子育て 利用者マニュアル" reads as "利用者マニュアル" under the heading 子育て.
function shortTitle(m) {
  const prefix = `${m.systemLabel} `;
  return m.title.startsWith(prefix) ? m.title.slice(prefix.length) : m.title;
}

function entry(m) {
  return h("li", {},
    h("a", { class: "btn btn-secondary btn-big menu-link", href: manualHref(m) },
      h("span", {}, shortTitle(m)),
      m.kind === "admin" ? h("span", { class: "tag tag-muted", "data-i18n": "manuals.forStaff" }, "職員向け") : null));
}

function bySystem(items) {
  const groups = new Map();
  for (const m of items) {
    if (!groups.has(m.system)) groups.set(m.system, { label: m.systemLabel, items: [] });
    groups.get(m.system).items.push(m);
  }
  return groups;
}

async function fetchList() {
  const res = await pb.send(API, {});
  return res.items || [];
}

async function showList(problem) {
  listView.hidden = false;
  docView.hidden = true;
  const box = document.getElementById("manual-list");
  box.setAttribute("aria-busy", "true");
  if (problem) setStatus(listStatus, problem, "error");
  try {
    const items = await fetchList();
    const sections = [];
    for (const [system, g] of bySystem(items)) {
      const id = `system-${system}`;
      sections.push(h("section", { "aria-labelledby": id },
        h("h2", { id }, g.label),
        h("ul", { class: "plain-list menu" }, g.items.map(entry))));
    }
    box.replaceChildren(...sections);
    const staff = items.some((m) => m.kind === "admin");
    document.getElementById("list-note").textContent = staff
      ? t("manuals.staffNote", {}, "職員のアカウントでログインしているので、管理者マニュアルも表示しています。")
      : t("manuals.guestNote", {}, "はじめての方は「データ連携基盤」の「利用者マニュアル（共通の使い方）」からお読みください。管理者マニュアルは、職員のアカウントでログインすると表示されます。");
  } catch (err) {
    setStatus(listStatus, errorMessage(err), "error");
  } finally {
    box.removeAttribute("aria-busy");
  }
}

async function showRelated(current) {
  try {
    const others = (await fetchList()).filter((m) => m.system === current.system && m.kind !== current.kind);
    if (others.length === 0) return;
    document.getElementById("related-list").replaceChildren(...others.map(entry));
    document.getElementById("related").hidden = false;
  } catch {
    // The manual itself is shown; the links to its siblings are extra.
  }
}

// Wide tables scroll sideways inside their own box on a phone instead of
// widening the page; the box is focusable so keyboards can scroll it too.
function wrapTables(root) {
  for (const table of root.querySelectorAll("table")) {
    const box = h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("manuals.tableRegion", {}, "表（横にスクロールできます）") });
    table.replaceWith(box);
    box.append(table);
  }
}

async function showManual(system, kind) {
  listView.hidden = true;
  docView.hidden = false;
  document.getElementById("print").addEventListener("click", () => window.print());
  doc.setAttribute("aria-busy", "true");
  setStatus(docStatus, t("manuals.loading", {}, "読み込んでいます…"));
  try {
    const res = await pb.send(`${API}/${encodeURIComponent(system)}/${encodeURIComponent(kind)}`, {});
    // Safe: goldmark on the server escapes raw HTML and drops script links.
    doc.innerHTML = res.html;
    wrapTables(doc);
    document.title = `${res.title}｜${SITE}`;
    setStatus(docStatus, "");
    showRelated(res);
  } catch (err) {
    document.getElementById("print").hidden = true;
    doc.replaceChildren(h("h1", { "data-i18n": "manuals.title" }, "マニュアル"));
    setStatus(docStatus, errorMessage(err), "error");
    if (err?.status === 401) {
      doc.append(
        h("p", { "data-i18n": "manuals.staffLogin" }, "職員の方は、ログインしてから職員ホームの「マニュアル」を開いてください。"),
        h("p", {}, h("a", { class: "btn", href: "/login/", "data-i18n": "common.login" }, "ログイン")));
    }
  } finally {
    doc.removeAttribute("aria-busy");
  }
}

const wanted = new URLSearchParams(location.search).get("m");
const match = /^([a-z]+)\/([a-z]+)$/.exec(wanted || "");
// The notes below are drawn from the catalogue, so wait for it.
await i18nReady();
document.getElementById("japanese-only").hidden = lang() === DEFAULT_LANG;
if (match) showManual(match[1], match[2]);
else showList(wanted ? t("manuals.notFound", {}, "マニュアルが見つかりません。一覧から選んでください。") : "");
