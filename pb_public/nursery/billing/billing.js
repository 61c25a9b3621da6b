// 保育施設の請求 for staff: 保育担当 picks any nursery, runs the month's
// billing, issues drafts and records payment; a nursery's staff see their
// own nursery's invoices, and its director records payment. Everyone here
// exports the month as xlsx and opens the printable invoices.
import {
  pb, requireAccount, initPage, h, errorMessage, setStatus, todayTokyo, busy,
} from "/assets/app.js";
import { STATUS, STATUS_TAG, yen, monthLabel, lastMonth, list, invoiceUrl } from "/nursery/invoice/labels.js";

const me = requireAccount(["city_staff", "nursery_staff"]);
if (me) main(me);

async function main(record) {
  initPage();
  const city = record.collectionName === "city_staff" && record.department === "nursery";
  const director = record.collectionName === "nursery_staff" && record.role === "director";
  const status = document.getElementById("billing-status");
  if (record.collectionName === "city_staff" && !city) {
    setStatus(status, "保育担当の職員と保育施設の職員だけが使えるページです。", "error");
    document.getElementById("pick").hidden = true;
    return;
  }
  const form = document.getElementById("pick");
  const params = new URLSearchParams(location.search);
  const month = form.elements.month;
  month.max = lastMonth(todayTokyo());
  month.value = params.get("month") || month.max;

  try {
    await fillNurseries(form.elements.nursery, record, params.get("nursery"));
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
    return;
  }
  const state = { city, director, status };
  const show = () => load(form, state);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    history.replaceState(null, "", `?month=${month.value}&nursery=${form.elements.nursery.value}`);
    show();
  });
  document.getElementById("xlsx").addEventListener("click", () => download(form, status));
  if (city) {
    document.getElementById("city-actions").hidden = false;
    document.getElementById("run").addEventListener("click", () => act(form, status, "run", show));
    document.getElementById("issue").addEventListener("click", () => act(form, status, "issue", show));
  }
  show();
}

/** 保育担当 chooses among all nurseries; a nursery's staff have their own. */
async function fillNurseries(select, record, wanted) {
  const rows = await pb.collection("nurseries").getFullList({ expand: "nursery", fields: "nursery,expand.nursery.name" });
  const options = rows
    .map((r) => ({ id: r.nursery, name: r.expand?.nursery?.name || r.nursery }))
    .sort((a, b) => a.name.localeCompare(b.name, "ja"));
  select.replaceChildren(...options.map((o) => h("option", { value: o.id }, o.name)));
  if (record.collectionName === "nursery_staff") {
    select.value = record.nursery;
    select.disabled = true;
  } else if (wanted && options.some((o) => o.id === wanted)) {
    select.value = wanted;
  }
}

function picked(form) {
  return { month: form.elements.month.value, nursery: form.elements.nursery.value };
}

async function load(form, state) {
  const { month, nursery } = picked(form);
  const listEl = document.getElementById("invoice-list");
  const summary = document.getElementById("list-summary");
  // The list has its own status line, so a reload after a run keeps the
  // run's result in view.
  const status = document.getElementById("list-status");
  if (!month || !nursery) return;
  setStatus(status, "読み込んでいます…");
  try {
    const items = await pb.collection("invoices").getFullList({
      filter: pb.filter("month = {:month} && nursery = {:nursery}", { month, nursery }),
    });
    items.sort((a, b) => (a.addressee || "").localeCompare(b.addressee || "", "ja"));
    setStatus(status, "");
    const total = items.reduce((s, i) => s + (i.total || 0), 0);
    const held = items.filter((i) => i.status === "draft" && list(i.warnings).some((w) => w.hold)).length;
    summary.textContent = items.length
      ? `${monthLabel(month)}分 ${items.length}件・合計 ${yen(total)}${held ? `（要確認の下書き ${held}件）` : ""}`
      : "";
    listEl.replaceChildren(...items.map((i) => row(i, state, () => load(form, state))));
    document.getElementById("list-empty").hidden = items.length > 0;
    document.getElementById("xlsx").hidden = items.length === 0;
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function row(inv, state, reload) {
  const lines = list(inv.lines);
  const kids = [...new Set(lines.map((l) => l.childName).filter(Boolean))];
  const checks = list(inv.warnings);
  const buttons = [];
  if (state.city && inv.status === "draft") buttons.push(["発行する", "issued"]);
  if ((state.city || state.director) && inv.status === "issued") buttons.push(["入金済にする", "paid"]);
  return h("li", { class: "card invoice-row" },
    h("h3", {}, `${inv.addressee || "（宛名なし）"} 様`),
    h("p", { class: "meta" }, kids.join("、")),
    h("p", {}, h("span", { class: "amount" }, yen(inv.total)), " ",
      h("span", { class: `tag ${STATUS_TAG[inv.status] || ""}` }, STATUS[inv.status] || inv.status)),
    checks.length ? h("ul", { class: "checks" }, checks.map((w) => h("li", { class: w.hold ? "hold" : "" }, w.message))) : null,
    h("div", { class: "actions" },
      h("a", { class: "btn btn-secondary btn-small", href: invoiceUrl(inv.id) }, "請求書を開く"),
      buttons.map(([label, to]) => h("button", {
        class: "btn btn-small", type: "button",
        onclick: async (e) => {
          e.target.disabled = true;
          try {
            await pb.collection("invoices").update(inv.id, { status: to });
            reload();
          } catch (err) {
            setStatus(state.status, errorMessage(err), "error");
            e.target.disabled = false;
          }
        },
      }, label)),
    ),
  );
}

async function act(form, status, what, reload) {
  const body = picked(form);
  await busy(document.getElementById("city-actions"), async () => {
    setStatus(status, what === "run" ? "計算しています…" : "発行しています…");
    try {
      const s = await pb.send(`/api/lifestage/nursery/billing/${what}`, { method: "POST", body });
      const problems = (s.problems || []).map((p) => `\n・${p}`).join("");
      setStatus(status, what === "run"
        ? `計算しました: 新規 ${s.created}件・更新 ${s.updated}件・変更なし ${s.unchanged}件・発行済のため対象外 ${s.skipped}件（要確認 ${s.held}件、合計 ${yen(s.totalYen)}）${problems}`
        : `${s.issued}件を発行しました。確認事項のある下書き ${s.held}件は発行していません。`, "ok");
      await reload();
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    }
  });
}

/** The xlsx comes from an authenticated route, so it is fetched, then saved. */
async function download(form, status) {
  const { month, nursery } = picked(form);
  try {
    const res = await fetch(`/api/lifestage/nursery/billing/${month}/invoices.xlsx?nursery=${encodeURIComponent(nursery)}`,
      { headers: { Authorization: pb.authStore.token } });
    if (!res.ok) throw { status: res.status, response: await res.json().catch(() => ({})) };
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: `invoices-${month}.xlsx` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}
