// Public 保育料シミュレーション: posts the family's answers to the fee
// estimate and shows the month's fee with the server's explanations.
import { pb, initPage, h, setStatus, busy, showErrors, clearErrors, todayTokyo } from "/assets/app.js";
import { t, lang, DEFAULT_LANG } from "/assets/i18n.js";

const yen = (n) => t("fees.value.yen", { amount: Number(n).toLocaleString("ja-JP") }, `${Number(n).toLocaleString("ja-JP")}円`);

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
    setStatus(status, t("fees.calculating", {}, "計算しています…"));
    try {
      render(await pb.send("/api/lifestage/nursery/fee-estimate", { method: "POST", body }));
      setStatus(status, t("fees.done", {}, "計算しました。"), "ok");
    } catch (err) {
      document.getElementById("result").hidden = true;
      showErrors(form, err, status);
    }
  });
});

function render(r) {
  const rows = [
    [t("fees.row.fiscalYear", {}, "年度"), t("fees.value.fiscalYear", { year: r.fiscalYear }, `${r.fiscalYear}年度`)],
    [t("fees.row.classAge", {}, "年齢クラス"), t("fees.value.classAge", { age: r.classAge }, `${r.classAge}歳児クラス`)],
    [t("fees.row.tier", {}, "階層"), r.tierLabel ? `${r.tier}（${r.tierLabel}）` : r.tier],
    [t("fees.row.baseFee", {}, "基準額"), yen(r.baseFee)],
    [t("fees.row.fee", {}, "月の保育料"), yen(r.fee)],
  ];
  if (r.sideDishFee) rows.push([t("fees.row.sideDish", {}, "副食費（目安）"), yen(r.sideDishFee)]);
  document.getElementById("facts").replaceChildren(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  // The server explains the bracket in Japanese; say so in other languages.
  document.getElementById("server-text-note").hidden = lang() === DEFAULT_LANG || !(r.notes || []).length;
  document.getElementById("notes").replaceChildren(...(r.notes || []).map((n) => h("li", {}, n)));
  document.getElementById("result").hidden = false;
}
