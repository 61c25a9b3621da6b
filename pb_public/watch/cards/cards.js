// 見守りQRカード (高齢福祉担当): choose watch targets, print a card per
// person with the check-in QR code, and reissue (rotate) a lost code.
import { pb, h, requireAccount, initPage, errorMessage, setStatus, formatCivilDate, todayTokyo } from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const CONSENT = { pending: "確認中", consented: "同意済", declined: "辞退" };

let targets = [];
const selected = new Set();
const images = new Map(); // target id → blob URL of its QR code

const me = requireAccount(["city_staff"]);
if (me) main(me);

async function main(record) {
  initPage();
  const status = $("list-status");
  if (record.department !== "elderly") {
    setStatus(status, "この画面は高齢福祉の担当職員が使います。", "error");
    return;
  }
  $("search").addEventListener("input", render);
  $("search").addEventListener("submit", (e) => e.preventDefault());
  $("select-all").addEventListener("click", () => { visible().forEach((t) => selected.add(t.id)); render(); });
  $("select-none").addEventListener("click", () => { selected.clear(); render(); });
  $("make").addEventListener("click", makeCards);
  $("print").addEventListener("click", () => window.print());
  setStatus(status, "読み込んでいます…");
  try {
    targets = await pb.collection("watch_targets").getFullList({ expand: "resident,area", batch: 500 });
    for (const t of targets) {
      const r = t.expand?.resident || {};
      t.name = `${r.familyName || ""} ${r.givenName || ""}`.trim();
      t.kana = `${r.familyNameKana || ""} ${r.givenNameKana || ""}`.trim();
      t.areaName = t.expand?.area?.name || "";
    }
    targets.sort((a, b) => a.kana.localeCompare(b.kana, "ja"));
    setStatus(status, "");
    render();
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function visible() {
  const q = $("q").value.trim().toLowerCase();
  const active = $("only-active").checked;
  return targets.filter((t) => (!active || t.active) && (!q || [t.name, t.kana, t.areaName].some((s) => s.toLowerCase().includes(q))));
}

function render() {
  const list = visible();
  $("rows").replaceChildren(...list.map(row));
  setStatus($("list-status"), `${list.length} 人を表示しています（選択 ${selected.size} 人）。`);
}

function row(t) {
  const id = `pick-${t.id}`;
  return h("tr", { dataset: { target: t.id } },
    h("td", {}, h("input", {
      type: "checkbox", id, checked: selected.has(t.id),
      onchange: (e) => { e.target.checked ? selected.add(t.id) : selected.delete(t.id); render(); },
    })),
    h("td", {}, h("label", { for: id }, t.name, h("span", { class: "kana" }, t.kana))),
    h("td", {}, t.areaName || "—"),
    h("td", {}, CONSENT[t.consentStatus] || ""),
    h("td", {}, h("button", { type: "button", class: "btn btn-danger btn-small", onclick: () => rotate(t) }, "再発行")),
  );
}

/** The QR code as a blob URL: the image route needs the Authorization header. */
async function qrImage(t, fresh = false) {
  if (images.has(t.id) && !fresh) return images.get(t.id);
  const res = await fetch(pb.buildURL(`/api/lifestage/watch/targets/${encodeURIComponent(t.id)}/qr.png`), {
    headers: { Authorization: pb.authStore.token },
  });
  if (!res.ok) {
    let body = {};
    try { body = await res.json(); } catch { /* not JSON */ }
    throw Object.assign(new Error("qr failed"), { status: res.status, response: body });
  }
  if (images.has(t.id)) URL.revokeObjectURL(images.get(t.id));
  const url = URL.createObjectURL(await res.blob());
  images.set(t.id, url);
  return url;
}

async function makeCards() {
  const status = $("cards-status");
  const chosen = targets.filter((t) => selected.has(t.id));
  if (!chosen.length) {
    setStatus(status, "カードを作る方を選んでください。", "error");
    return;
  }
  setStatus(status, "カードを作っています…");
  $("print").disabled = true;
  try {
    const cards = [];
    for (const t of chosen) cards.push(card(t, await qrImage(t)));
    $("cards").replaceChildren(...cards);
    $("print").disabled = false;
    setStatus(status, `${cards.length} 枚のカードを作りました。「印刷する」で印刷できます。`, "ok");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function card(t, src) {
  return h("li", { class: "watch-card", dataset: { target: t.id } },
    h("p", { class: "card-kind" }, "見守り訪問のQRコード"),
    h("p", { class: "card-name" }, `${t.name} 様`),
    h("img", { src, width: 200, height: 200, alt: `${t.name}様の見守り訪問用QRコード` }),
    h("p", { class: "card-help" },
      "見守り協力員の方へ：スマートフォンのカメラでこのQRコードを読み取り、開いた画面で様子を選んで「記録する」を押してください。緊急のときは、先に119番へ電話してください。"),
    h("p", { class: "card-foot" }, `西条市 高齢者見守り　発行 ${formatCivilDate(todayTokyo())}`),
  );
}

async function rotate(t) {
  const ok = confirm(`${t.name}さんのQRコードを再発行します。\n今のカードは使えなくなり、協力員が読み取っても記録できません。新しいカードを印刷して届けてください。\nよろしいですか？`);
  if (!ok) return;
  const status = $("cards-status");
  try {
    await pb.send(`/api/lifestage/watch/targets/${encodeURIComponent(t.id)}/rotate`, { method: "POST" });
    const src = await qrImage(t, true);
    const shown = $("cards").querySelector(`li[data-target="${t.id}"]`);
    if (shown) shown.replaceWith(card(t, src));
    setStatus(status, `${t.name}さんのQRコードを再発行しました。古いカードは使えません。新しいカードを印刷してください。`, "ok");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}
