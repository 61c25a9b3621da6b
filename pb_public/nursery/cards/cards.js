// 登降園カード (nursery staff): a printable card per enrolled child with the
// QR code and PIN for the kiosk, and 再発行 for a lost card.
import { pb, h, requireAccount, initPage, errorMessage, setStatus } from "/assets/app.js";

const $ = (id) => document.getElementById(id);

const me = requireAccount(["nursery_staff"]);
if (me) main(me);

async function main(record) {
  initPage();
  if (record.role === "kiosk") {
    location.replace("/nursery/kiosk/");
    return;
  }
  $("print").addEventListener("click", () => window.print());
  $("show-pin").addEventListener("change", (e) => $("cards").classList.toggle("hide-pin", !e.target.checked));
  const status = $("cards-status");
  setStatus(status, "カードを用意しています…");
  try {
    const res = await pb.send("/api/lifestage/nursery/checkin-cards", { method: "GET" });
    $("sheet-title").textContent = `${res.nurseryName} 登降園カード（${res.cards.length}人）`;
    $("cards").replaceChildren(...res.cards.map(card));
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function card(c) {
  const li = h("li", { class: "checkin-card", dataset: { child: c.child } });
  fill(li, c);
  return li;
}

function fill(li, c) {
  const name = `${c.familyName || ""} ${c.givenName}`.trim();
  li.replaceChildren(
    h("h2", {}, name),
    h("p", { class: "meta" }, c.className || ""),
    h("img", { src: c.qrImage, width: 150, height: 150, alt: `${name}さんの登降園用QRコード` }),
    h("p", { class: "pin", "aria-label": `PIN ${c.pin.split("").join(" ")}` }, c.pin),
    h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => rotate(li, c, name) }, "再発行"),
  );
}

async function rotate(li, c, name) {
  if (!confirm(`${name}さんのQRコードとPINを新しくします。今のカードとアプリのコードは使えなくなります。よろしいですか？`)) return;
  const status = $("cards-status");
  try {
    const fresh = await pb.send(`/api/lifestage/nursery/children/${encodeURIComponent(c.child)}/checkin-code/rotate`, { method: "POST" });
    fill(li, { ...fresh, familyName: c.familyName });
    setStatus(status, `${name}さんのコードを再発行しました。新しいカードを印刷して渡してください。`, "ok");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}
