// 感染症の状況 for the city's 保育 staff (every nursery) and nursery staff
// (their own): counts per nursery, class and day from the families'
// notices. Counts only; the route never names a child.
import { pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors } from "/assets/app.js";
import { countsTable } from "/nursery/notes.js";

const $ = (id) => document.getElementById(id);

async function load() {
  const form = $("range-form");
  const q = new URLSearchParams();
  if (form.elements.from.value) q.set("from", form.elements.from.value);
  if (form.elements.to.value) q.set("to", form.elements.to.value);
  const rows = $("rows");
  rows.setAttribute("aria-busy", "true");
  try {
    const res = await pb.send(`/api/lifestage/nursery/infections?${q}`, { method: "GET" });
    form.elements.from.value = res.from;
    form.elements.to.value = res.to;
    rows.replaceChildren(countsTable(res, true));
    const totals = {};
    for (const r of res.rows) for (const [k, n] of Object.entries(r.infections)) totals[k] = (totals[k] || 0) + n;
    const items = Object.entries(totals).sort((a, b) => b[1] - a[1]);
    $("totals").replaceChildren(items.length
      ? h("ul", { class: "plain-list" }, items.map(([k, n]) => h("li", {}, `${res.labels.infections[k] || k}: のべ${n}人日`)))
      : h("p", { class: "meta" }, "この期間の感染症の連絡はありません。"));
    setStatus($("page-status"), "");
  } catch (err) {
    showErrors(form, err, $("page-status"));
  } finally {
    rows.setAttribute("aria-busy", "false");
  }
}

function main() {
  initPage();
  $("range-form").addEventListener("change", load);
  load().catch((err) => setStatus($("page-status"), errorMessage(err), "error"));
}

// Started last, so every module-level binding above is initialised.
if (requireAccount(["city_staff", "nursery_staff"])) main();
