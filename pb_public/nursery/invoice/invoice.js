// The printable invoice (請求書): a family opens its issued invoices, nursery
// staff and 保育担当 any invoice they may read (drafts included, with the
// checks to make before issuing). Access is the invoices collection's rules.
import { pb, requireAccount, initPage, h, errorMessage, setStatus, formatDate } from "/assets/app.js";
import { STATUS, KIND, yen, monthLabel, list } from "/nursery/invoice/labels.js";

const me = requireAccount(["users", "nursery_staff", "city_staff"]);
if (me) main(me);

async function main(record) {
  initPage();
  const status = document.getElementById("page-status");
  const staff = record.collectionName !== "users";
  const id = new URLSearchParams(location.search).get("id") || "";
  if (!id) {
    setStatus(status, "請求書が指定されていません。", "error");
    return;
  }
  let inv;
  try {
    inv = await pb.collection("invoices").getOne(id);
  } catch (err) {
    const msg = err?.status === 404
      ? "請求書が見つかりません。発行前の請求書はご覧いただけません。"
      : errorMessage(err);
    setStatus(status, msg, "error");
    return;
  }
  setStatus(status, "");
  if (staff) {
    const back = document.getElementById("back-link");
    back.href = `/nursery/billing/?month=${encodeURIComponent(inv.month)}&nursery=${encodeURIComponent(inv.nursery)}`;
    back.textContent = "← 請求の一覧へ戻る";
  }
  render(inv, staff);
  const print = document.getElementById("print");
  print.hidden = false;
  print.addEventListener("click", () => window.print());
}

function render(inv, staff) {
  const text = (id, value) => (document.getElementById(id).textContent = value);
  document.title = `請求書 ${monthLabel(inv.month)}分｜lifestage 西条市`;
  text("addressee", inv.addressee || "保護者");
  text("month", `${monthLabel(inv.month)}分`);
  text("issued", inv.issuedAt ? formatDate(inv.issuedAt) : "未発行");
  text("nursery", inv.nurseryName || "");
  text("total", yen(inv.total));
  text("total-foot", yen(inv.total));
  const state = document.getElementById("invoice-state");
  state.textContent = inv.status === "paid" && inv.paidAt ? `入金済（${formatDate(inv.paidAt)}）` : STATUS[inv.status] || inv.status;
  state.classList.toggle("is-draft", inv.status === "draft");

  const lines = list(inv.lines);
  document.getElementById("lines").replaceChildren(...lines.map(lineRow));
  document.getElementById("no-lines").hidden = lines.length > 0;

  if (inv.note) {
    const note = document.getElementById("note");
    note.textContent = `備考: ${inv.note}`;
    note.hidden = false;
  }
  explain(lines);
  if (staff) warnings(list(inv.warnings));
  document.getElementById("invoice").hidden = false;
}

function lineRow(l) {
  const who = l.childName ? `${l.childName} さん` : "";
  return h("tr", {},
    h("th", { scope: "row" }, KIND[l.kind] || l.label),
    h("td", {}, who, l.detail ? h("span", { class: "detail" }, l.detail) : null),
    h("td", { class: "num" }, l.quantity ? `${l.quantity}${l.unit || ""}` : ""),
    h("td", { class: "num" }, yen(l.yen)),
  );
}

/** The fee's reasoning, per child, for a family that wants to check it. */
function explain(lines) {
  const withNotes = lines.filter((l) => l.kind === "hoikuryo" && (l.notes || []).length);
  if (!withNotes.length) return;
  document.getElementById("explain-body").replaceChildren(...withNotes.map((l) =>
    h("div", {}, h("h3", {}, `${l.childName} さん`), h("ul", {}, l.notes.map((n) => h("li", {}, n))))));
  document.getElementById("explain").hidden = false;
}

function warnings(items) {
  if (!items.length) return;
  document.getElementById("warnings-list").replaceChildren(...items.map((w) =>
    h("li", { class: w.hold ? "hold" : "" }, w.hold ? "【要確認】" : "【お知らせ】", w.message)));
  document.getElementById("warnings").hidden = false;
}
