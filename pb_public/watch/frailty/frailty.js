// The city's frailty analysis for 高齢福祉担当: the split of robust /
// prefrail / frail by area, age band and sex, the 事業対象者 criteria, the
// questionnaire's items, the change per person and area, and the trend.
import {
  pb, h, requireAccount, refreshAccount, initPage, errorMessage, setStatus, busy, reportInvalid, formatCivilDate, downloadFile,
} from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const number = (n) => Number(n).toLocaleString("ja-JP");
const pct = (p) => `${Number(p).toFixed(1)}%`;
const CLASSES = { robust: "健常", prefrail: "プレフレイル", frail: "フレイル" };
const CHANGES = { improved: "改善", same: "維持", worse: "悪化" };

function table(id, head, rows) {
  $(id).replaceChildren(
    h("thead", {}, h("tr", {}, head.map(([text, num]) => h("th", { scope: "col", class: num ? "num" : null }, text)))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: head.length }, "記録がありません"))));
}

const DIST_HEAD = [["人数", 1], ["健常", 1], ["プレフレイル", 1], ["フレイル", 1], ["フレイルの割合", 1], ["事業対象者", 1]];

function distCells(d) {
  return [number(d.total), number(d.robust), number(d.prefrail), number(d.frail), pct(d.frailPct), number(d.jigyoTaishosha)]
    .map((v) => h("td", { class: "num" }, v));
}

function distTable(id, first, rows) {
  table(id, [[first], ...DIST_HEAD], rows.map((d) => h("tr", {}, h("th", { scope: "row" }, d.label), distCells(d))));
}

function prevalenceTable(id, first, rows) {
  table(id, [[first], ["人数", 1], ["割合", 1]], rows.map((p) =>
    h("tr", {}, h("th", { scope: "row" }, p.label), h("td", { class: "num" }, number(p.count)), h("td", { class: "num" }, pct(p.pct)))));
}

function render(res) {
  const r = res.report;
  const c = res.cutoffs;
  $("overall").replaceChildren(
    h("dt", {}, "基本チェックリストの対象者"), h("dd", {}, `${number(r.kihonTargets)}人`),
    h("dt", {}, "健常・プレフレイル・フレイル"), h("dd", {}, `${number(r.overall.robust)}人・${number(r.overall.prefrail)}人・${number(r.overall.frail)}人（フレイル ${pct(r.overall.frailPct)}）`),
    h("dt", {}, "事業対象者"), h("dd", {}, `${number(r.overall.jigyoTaishosha)}人`),
    h("dt", {}, "後期高齢者の質問票の対象者"), h("dd", {}, `${number(r.koukiTargets)}人`),
    h("dt", {}, "記録の件数"), h("dd", {}, `${number(r.assessments)}件`),
    h("dt", {}, "判定の基準"), h("dd", {}, `健常 0〜${c.prefrailFrom - 1}点・プレフレイル ${c.prefrailFrom}〜${c.frailFrom - 1}点・フレイル ${c.frailFrom}点以上`),
  );
  distTable("by-area", "地区", r.byArea);
  distTable("by-age", "年齢階級", r.byAgeBand);
  distTable("by-sex", "性別", r.bySex);
  prevalenceTable("criteria", "基準", r.criteria);
  prevalenceTable("kouki", "項目", r.koukiItems);
  const change = (x) => [x.improved, x.same, x.worse].map((v) => h("td", { class: "num" }, number(v)));
  table("changes", [["地区"], ["改善", 1], ["維持", 1], ["悪化", 1]], [
    h("tr", {}, h("th", { scope: "row" }, "全体"), change(r.changes)),
    ...r.changesByArea.map((x) => h("tr", {}, h("th", { scope: "row" }, x.label), change(x))),
  ]);
  table("people", [["記録"], ["地区"], ["初回"], ["最新"], ["変化"]], r.targetChanges.map((x) => h("tr", {},
    h("td", {}, h("a", { href: `/watch/assess/?target=${encodeURIComponent(x.target)}` }, "記録を開く")),
    h("td", {}, x.areaLabel),
    h("td", {}, `${formatCivilDate(x.firstOn)} ${x.firstTotal}点 ${CLASSES[x.firstClass]}`),
    h("td", {}, `${formatCivilDate(x.latestOn)} ${x.latestTotal}点 ${CLASSES[x.latestClass]}`),
    h("td", {}, CHANGES[x.change]))));
  table("trend", [["期間"], ["地区"], ...DIST_HEAD], r.trend.map((p) => h("tr", { class: p.key ? null : "total" },
    h("th", { scope: "row" }, p.period), h("td", {}, p.key ? p.label : "（全体）"), distCells(p))));
}

async function loadAreas() {
  try {
    const areas = await pb.collection("areas").getFullList({ sort: "name", fields: "id,name,parent" });
    $("area").append(...areas.filter((a) => a.parent).map((a) => h("option", { value: a.id }, a.name)));
  } catch {
    // Without the list the whole city is still there.
  }
}

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (me.collectionName !== "city_staff" || me.department !== "elderly") {
    $("denied").hidden = false;
    return;
  }
  $("analysis").hidden = false;
  const form = $("filter-form");
  const status = $("status");
  await loadAreas();

  const query = () => {
    const fd = new FormData(form);
    const q = { from: fd.get("from") || "", to: fd.get("to") || "", area: fd.get("area") || "", period: fd.get("period") || "fy" };
    const ok = reportInvalid(form, q.from && q.to && q.from > q.to ? [["to", "終わりの日は始めの日より後にしてください。"]] : [], status);
    return ok ? q : null;
  };
  const fail = (err) => {
    const fields = err?.response?.data || {};
    const bad = Object.entries(fields).map(([k, v]) => [k, v.message]);
    if (bad.length) reportInvalid(form, bad, status);
    setStatus(status, bad[0]?.[1] || errorMessage(err), "error");
  };

  async function show() {
    const q = query();
    if (!q) return;
    await busy(form, async () => {
      setStatus(status, "集計しています…");
      try {
        render(await pb.send("/api/lifestage/watch/frailty/analysis", { query: q }));
        setStatus(status, "集計しました。", "ok");
      } catch (err) {
        fail(err);
      }
    });
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
  $("download").addEventListener("click", async () => {
    const q = query();
    if (!q) return;
    await busy(form, async () => {
      try {
        const name = await downloadFile("/api/lifestage/watch/frailty/analysis.xlsx", q, "frailty-analysis.xlsx");
        setStatus(status, `${name} を保存しました。`, "ok");
      } catch (err) {
        fail(err);
      }
    });
  });
  show();
}

if (requireAccount(["city_staff"])) main();
