// Records a frailty screening of a watch target: the 基本チェックリスト (25
// yes/no items, item 12 from height and weight) or the 後期高齢者の質問票 (15
// items). For the assigned volunteer during a visit, or 高齢福祉担当. The
// questions come from the server, which also scores the answers.
import {
  pb, h, requireAccount, refreshAccount, initPage, errorMessage, setStatus, showErrors, reportInvalid,
  busy, formatCivilDate, todayTokyo,
} from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const ID = /^[a-z0-9]{15}$/;

const DOMAINS = {
  iadl: "生活機能", physical: "運動器", nutrition: "栄養", oral: "口腔",
  housebound: "閉じこもり", cognitive: "認知機能", depression: "こころ（うつ）",
};
const CLASSES = { robust: "健常", prefrail: "プレフレイル", frail: "フレイル" };
const CRITERIA = {
  multiple: "① 複数の項目に支障", physical: "② 運動機能の低下", nutrition: "③ 低栄養状態", oral: "④ 口腔機能の低下",
  housebound: "⑤ 閉じこもり", cognitive: "⑥ 認知機能の低下", depression: "⑦ うつ病の可能性",
};
const INSTRUMENTS = { kihon: "基本チェックリスト", kouki: "後期高齢者の質問票" };

function radio(name, value, text) {
  return h("label", { class: "choice" }, h("input", { type: "radio", name, value }), h("span", {}, text));
}

function question(name, no, text, options) {
  return h("fieldset", { class: "q", "data-field": name },
    h("legend", {}, h("span", { class: "no" }, `${no}.`), text),
    h("div", { class: "choices inline" }, options.map(([v, t]) => radio(name, v, t))));
}

function renderKihon(items) {
  const out = [];
  let domain = "";
  for (const it of items) {
    if (it.domain !== domain) {
      domain = it.domain;
      out.push(h("h2", { class: "q-group" }, DOMAINS[domain] || domain));
    }
    if (it.fromBmi) {
      out.push(h("fieldset", { class: "q", "data-field": "bmi" },
        h("legend", {}, h("span", { class: "no" }, `${it.no}.`), "身長と体重（BMIを計算します）"),
        h("div", { class: "field" }, h("label", { for: "heightCm" }, "身長（cm）"),
          h("input", { id: "heightCm", name: "heightCm", type: "number", inputmode: "decimal", min: "100", max: "220", step: "0.1", required: true })),
        h("div", { class: "field" }, h("label", { for: "weightKg" }, "体重（kg）"),
          h("input", { id: "weightKg", name: "weightKg", type: "number", inputmode: "decimal", min: "20", max: "200", step: "0.1", required: true }))));
      continue;
    }
    out.push(question(`k${it.no}`, it.no, it.question, [["yes", "はい"], ["no", "いいえ"]]));
  }
  $("kihon-items").replaceChildren(...out);
}

function renderKouki(items) {
  $("kouki-items").replaceChildren(...items.map((it) =>
    question(`q${it.no}`, it.no, `${it.question}（${it.category}）`, it.options.map((o, i) => [String(i + 1), o]))));
}

/** The body to send, or null after marking what is missing. */
function readForm(form, inst, status) {
  const fd = new FormData(form);
  const instrument = fd.get("instrument");
  const problems = [];
  const body = { instrument, assessedOn: fd.get("assessedOn") || "" };
  const visit = new URLSearchParams(location.search).get("visit");
  if (visit && ID.test(visit)) body.visitId = visit;
  if (instrument === "kihon") {
    body.answers = inst.kihon.map((it) => {
      if (it.fromBmi) return null;
      const v = fd.get(`k${it.no}`);
      if (!v) problems.push([`k${it.no}`, "はい・いいえのどちらかを選んでください。"]);
      return v === "yes";
    });
    for (const [name, label] of [["heightCm", "身長"], ["weightKg", "体重"]]) {
      body[name] = Number.parseFloat(fd.get(name));
      if (!Number.isFinite(body[name])) problems.push([name, `${label}を入力してください。`]);
    }
  } else {
    body.answers = inst.kouki.map((it) => {
      const v = fd.get(`q${it.no}`);
      if (!v) problems.push([`q${it.no}`, "選択肢を1つ選んでください。"]);
      return Number(v);
    });
  }
  return reportInvalid(form, problems, status) ? body : null;
}

function showResult(r) {
  const facts = [h("dt", {}, "調査票"), h("dd", {}, INSTRUMENTS[r.instrument]), h("dt", {}, "実施日"), h("dd", {}, formatCivilDate(r.assessedOn))];
  if (r.instrument === "kihon") {
    const met = Object.entries(r.criteria || {}).filter(([, v]) => v).map(([k]) => CRITERIA[k]);
    facts.push(
      h("dt", {}, "判定"), h("dd", { class: "result-class" }, `${CLASSES[r.frailty]}（${r.total}点）`),
      h("dt", {}, "BMI"), h("dd", {}, String(r.bmi)),
      h("dt", {}, "領域の点数"), h("dd", {}, Object.entries(r.domains || {}).map(([k, v]) => `${DOMAINS[k]} ${v}`).join("、")),
      h("dt", {}, "事業対象者の基準"), h("dd", {}, met.length ? met.join("、") : "当てはまりません"),
    );
  } else {
    facts.push(h("dt", {}, "該当した項目"), h("dd", { class: "result-class" }, `${r.total}項目`));
  }
  $("result-facts").replaceChildren(...facts);
  $("result-notes").replaceChildren(...(r.notes || []).map((n) => h("li", {}, n)));
  $("result").hidden = false;
  $("assess-form").hidden = true;
  $("result").focus();
}

async function loadHistory(target) {
  try {
    const list = await pb.collection("frailty_assessments").getList(1, 20, {
      filter: pb.filter("target = {:t}", { t: target }), sort: "-assessedOn,-created", skipTotal: true,
    });
    $("history-rows").replaceChildren(...list.items.map((a) => h("tr", {},
      h("td", {}, formatCivilDate(a.assessedOn)),
      h("td", {}, INSTRUMENTS[a.instrument]),
      h("td", { class: "num" }, a.instrument === "kihon" ? `${a.total}点` : `${a.total}項目`),
      h("td", {}, a.instrument === "kihon" ? CLASSES[a.frailty] || "" : ""))));
    $("history").hidden = list.items.length === 0;
  } catch {
    $("history").hidden = true;
  }
}

/** Says whom the screening is for: the name when the account may read it. */
async function showTarget(target) {
  try {
    const t = await pb.collection("watch_targets").getOne(target, { expand: "resident,area" });
    const r = t.expand?.resident;
    const area = t.expand?.area?.name;
    $("who").textContent = [r ? `${r.familyName} ${r.givenName} さん` : "担当の見守り対象者", area].filter(Boolean).join("・");
    return true;
  } catch (err) {
    setStatus($("page-status"), err?.status === 404 ? "この見守り対象者の記録は、担当の方と市の高齢福祉担当だけが開けます。" : errorMessage(err), "error");
    return false;
  }
}

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  const target = new URLSearchParams(location.search).get("target") || "";
  const status = $("page-status");
  if (!ID.test(target)) {
    setStatus(status, "見守り対象者が指定されていません。訪問の画面や対象者の一覧から開いてください。", "error");
    return;
  }
  if (me.collectionName === "city_staff" && me.department !== "elderly") {
    setStatus(status, "この画面は、見守り協力員と市の高齢福祉担当の職員が使えます。", "error");
    return;
  }
  if (!(await showTarget(target))) return;
  let inst;
  try {
    inst = await pb.send("/api/lifestage/frailty/instruments", {});
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
    return;
  }
  renderKihon(inst.kihon);
  renderKouki(inst.kouki);
  const form = $("assess-form");
  const formStatus = $("form-status");
  form.elements.assessedOn.value = todayTokyo();
  form.elements.assessedOn.max = todayTokyo();
  form.hidden = false;
  form.addEventListener("change", (ev) => {
    if (ev.target.name !== "instrument") return;
    $("kihon-items").hidden = ev.target.value !== "kihon";
    $("kouki-items").hidden = ev.target.value !== "kouki";
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = readForm(form, inst, formStatus);
    if (!body) return;
    await busy(form, async () => {
      setStatus(formStatus, "記録しています…");
      try {
        const r = await pb.send(`/api/lifestage/watch/targets/${encodeURIComponent(target)}/assessments`, { method: "POST", body });
        setStatus(formStatus, "");
        showResult(r);
        loadHistory(target);
      } catch (err) {
        showErrors(form, err, formStatus);
      }
    });
  });
  $("again").addEventListener("click", () => {
    form.reset();
    form.elements.assessedOn.value = todayTokyo();
    $("kihon-items").hidden = false;
    $("kouki-items").hidden = true;
    $("result").hidden = true;
    form.hidden = false;
    form.elements.instrument[0].focus();
  });
  loadHistory(target);
}

if (requireAccount(["volunteers", "city_staff"])) main();
