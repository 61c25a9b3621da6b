// Public 保育料シミュレーション: posts the family's answers to the fee
// estimate and shows the month's fee with the server's explanations.
import { pb, initPage, h, setStatus, busy, showErrors, clearErrors, todayTokyo } from "/assets/app.js";

const yen = (n) => `${Number(n).toLocaleString("ja-JP")}円`;

initPage();
const form = document.getElementById("fee-form");
const status = document.getElementById("status");
form.month.value = todayTokyo().slice(0, 7);

// The income only matters for households that pay 市民税.
const incomeField = document.getElementById("income-field");
form.addEventListener("change", () => { incomeField.hidden = form.status.value !== "tax"; });

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearErrors(form);
  const body = {
    birthDate: form.birthDate.value,
    month: form.month.value,
    hours: form.hours.value,
    welfare: form.status.value === "welfare",
    taxExempt: form.status.value === "taxExempt",
    incomeTax: form.status.value === "tax" ? Number(form.incomeTax.value || 0) : 0,
    protectedHousehold: form.protectedHousehold.checked,
    siblingOrder: Number(form.siblingOrder.value || 1),
  };
  await busy(form, async () => {
    setStatus(status, "計算しています…");
    try {
      render(await pb.send("/api/lifestage/nursery/fee-estimate", { method: "POST", body }));
      setStatus(status, "計算しました。", "ok");
    } catch (err) {
      document.getElementById("result").hidden = true;
      showErrors(form, err, status);
    }
  });
});

function render(r) {
  const rows = [
    ["年度", `${r.fiscalYear}年度`],
    ["年齢クラス", `${r.classAge}歳児クラス`],
    ["階層", r.tierLabel ? `${r.tier}（${r.tierLabel}）` : r.tier],
    ["基準額", yen(r.baseFee)],
    ["月の保育料", yen(r.fee)],
  ];
  if (r.sideDishFee) rows.push(["副食費（目安）", yen(r.sideDishFee)]);
  document.getElementById("facts").replaceChildren(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  document.getElementById("notes").replaceChildren(...(r.notes || []).map((n) => h("li", {}, n)));
  document.getElementById("result").hidden = false;
}
