// The city's overview of nursery use, for 保育担当 city staff: capacity,
// enrolment, attendance rate and infection reports per nursery and class.
import {
  pb, requireAccount, refreshAccount, initPage, h, errorMessage, setStatus, busy, reportInvalid, todayTokyo, downloadFile,
} from "/assets/app.js";

const number = (n) => Number(n).toLocaleString("ja-JP");
const percent = (r, expected) => (expected > 0 ? `${(r * 100).toFixed(1)}%` : "—");

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (me.collectionName !== "city_staff" || me.department !== "nursery") {
    document.getElementById("denied").hidden = false;
    return;
  }
  document.getElementById("overview").hidden = false;
  const form = document.getElementById("month-form");
  const input = document.getElementById("month");
  const status = document.getElementById("status");
  input.value = todayTokyo().slice(0, 7);

  const month = () => (reportInvalid(form, /^\d{4}-\d{2}$/.test(input.value) ? [] : [["month", "月を選んでください。"]], status) ? input.value : "");
  const fail = (err) => {
    const msg = err?.response?.data?.month?.message;
    if (msg) reportInvalid(form, [["month", msg]], status);
    setStatus(status, msg || errorMessage(err), "error");
  };

  async function show() {
    const m = month();
    if (!m) return;
    await busy(form, async () => {
      setStatus(status, "集計しています…");
      try {
        render(await pb.send("/api/lifestage/nursery/overview", { query: { month: m } }));
        const [y, mo] = m.split("-").map(Number);
        setStatus(status, `${y}年${mo}月の利用状況を表示しました。`, "ok");
      } catch (err) {
        fail(err);
      }
    });
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
  document.getElementById("download").addEventListener("click", async () => {
    const m = month();
    if (!m) return;
    await busy(form, async () => {
      try {
        const name = await downloadFile("/api/lifestage/nursery/overview", { month: m, format: "xlsx" }, `nursery-overview-${m}.xlsx`);
        setStatus(status, `${name} を保存しました。`, "ok");
      } catch (err) {
        fail(err);
      }
    });
  });
  show();
}

function render(r) {
  const items = r.items || [];
  const sum = (k) => items.reduce((a, it) => a + Number(it[k] || 0), 0);
  const expected = sum("expectedDays");
  document.getElementById("totals").replaceChildren(
    h("dt", {}, "施設数"), h("dd", {}, number(new Set(items.map((it) => it.nursery)).size)),
    h("dt", {}, "定員"), h("dd", {}, number(sum("capacity"))),
    h("dt", {}, "在籍"), h("dd", {}, number(sum("enrolled"))),
    h("dt", {}, "出席率"), h("dd", {}, percent(expected ? sum("childDays") / expected : 0, expected)),
    h("dt", {}, "感染症の報告"), h("dd", {}, number(sum("infections"))),
  );
  document.getElementById("rows").replaceChildren(...items.map((it) =>
    h("tr", {},
      h("th", { scope: "row" }, it.nurseryName),
      h("td", {}, `${it.className}（${it.ageClass}歳児）`),
      h("td", { class: "num" }, number(it.capacity)),
      h("td", { class: "num" }, number(it.enrolled)),
      h("td", { class: "num" }, number(it.vacancies)),
      h("td", { class: "num" }, percent(it.attendanceRate, it.expectedDays)),
      h("td", { class: "num" }, number(it.infections)))));
}

if (requireAccount(["city_staff"])) main();
