// A family's nursery invoices: the household's issued and paid ones (the
// collection's rules leave drafts out), newest month first.
import { pb, requireAccount, initPage, h, errorMessage, setStatus } from "/assets/app.js";
import { STATUS, STATUS_TAG, yen, monthLabel, invoiceUrl } from "/nursery/invoice/labels.js";

const me = requireAccount(["users"]);
if (me) main();

async function main() {
  initPage();
  const status = document.getElementById("invoices-status");
  const listEl = document.getElementById("invoices-list");
  setStatus(status, "読み込んでいます…");
  try {
    const page = await pb.collection("invoices").getList(1, 60, {
      sort: "-month", skipTotal: true, fields: "id,month,nurseryName,total,status",
    });
    setStatus(status, "");
    listEl.replaceChildren(...page.items.map(item));
    document.getElementById("invoices-empty").hidden = page.items.length > 0;
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function item(inv) {
  return h("li", { class: "card" },
    h("h2", { class: "invoice-title" }, h("a", { href: invoiceUrl(inv.id) }, `${monthLabel(inv.month)}分`)),
    h("p", { class: "meta" }, inv.nurseryName || ""),
    h("p", {}, "ご請求金額 ", h("strong", {}, yen(inv.total)), " ",
      h("span", { class: `tag ${STATUS_TAG[inv.status] || ""}` }, STATUS[inv.status] || inv.status)),
    h("a", { class: "btn btn-secondary btn-block", href: invoiceUrl(inv.id) }, "請求書を開く"),
  );
}
