// 妊娠の記録 (the mother): register a pregnancy by due date or by last
// menstrual period (the server adds 280 days), see the 14 standard prenatal
// visits with done marks and the maternal RSV vaccine window, and record
// checkups. Wrong checkups are withdrawn, never deleted.
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, reportInvalid, clearErrors,
  busy, formatCivilDate, todayTokyo,
} from "/assets/app.js";
import {
  PREGNANCY_STATUS, PRENATAL_VISIT_STATUS, URINE_RESULTS, RECORD_SOURCES, labelT,
} from "/assets/labels.js";
import { i18nReady, t } from "/assets/i18n.js";

// The catalogue group (labels.<group>.<code>) of each code list; urine
// results (−, ±, +) are symbols and stay as they are.
const GROUPS = new Map([[PREGNANCY_STATUS, "pregnancyStatus"], [PRENATAL_VISIT_STATUS, "prenatalVisitStatus"], [RECORD_SOURCES, "recordSource"]]);
const label = (map, code) => (GROUPS.has(map) ? labelT(GROUPS.get(map), map, code) : (code && map[code]) || code || "");
const sep = () => t("me.children.sep", {}, "・");

const $ = (id) => document.getElementById(id);
const WITHDRAWN = "entered_in_error";
const DAY_MS = 24 * 60 * 60 * 1000;

const state = { pregnancies: [], current: null };

/** Days from one calendar date to another (both "YYYY-MM-DD"). */
function daysBetween(from, to) {
  const utc = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/** Completed weeks of pregnancy on a date, from the due date (= 40w0d). */
function weekOn(dueDate, date) {
  return Math.floor((daysBetween(dueDate, date) + 280) / 7);
}

async function main() {
  initPage();
  await i18nReady();
  setupRegister();
  setupStatus();
  setupCheckupForm();
  await loadPregnancies(new URLSearchParams(location.search).get("id"));
}

// ---- pregnancies -------------------------------------------------------------

async function loadPregnancies(wanted) {
  const pageStatus = $("page-status");
  try {
    state.pregnancies = await pb.collection("pregnancies").getFullList({ sort: "-dueDate,-created" });
  } catch (err) {
    setStatus(pageStatus, errorMessage(err), "error");
    return;
  }
  const list = state.pregnancies;
  $("pregnancy").hidden = list.length === 0;
  if (list.length === 0) {
    setStatus(pageStatus, t("pregnancy.none", {}, "登録された妊娠はありません。下の「妊娠を登録」から登録できます。"));
    return;
  }
  setStatus(pageStatus, "");
  const pick = list.find((p) => p.id === wanted) || list.find((p) => p.status === "ongoing") || list[0];
  renderPicker(pick.id);
  await show(pick);
}

function renderPicker(currentId) {
  const nav = $("pregnancy-picker");
  nav.hidden = state.pregnancies.length < 2;
  $("pregnancy-list").replaceChildren(...state.pregnancies.map((p) => h("li", {},
    h("a", {
      href: `?id=${encodeURIComponent(p.id)}`, "aria-current": p.id === currentId ? "page" : null,
      onclick: (e) => { e.preventDefault(); history.replaceState(null, "", `?id=${encodeURIComponent(p.id)}`); renderPicker(p.id); show(p); },
    }, t("pregnancy.pick", { date: formatCivilDate(p.dueDate), status: label(PREGNANCY_STATUS, p.status) },
      `予定日 ${formatCivilDate(p.dueDate)}（${label(PREGNANCY_STATUS, p.status)}）`)))));
}

async function show(p) {
  state.current = p;
  $("preg-facts").replaceChildren(...[
    [t("pregnancy.by.dueDate", {}, "分娩予定日"), formatCivilDate(p.dueDate)],
    [t("pregnancy.by.lmpDate", {}, "最終月経開始日"), formatCivilDate(p.lmpDate)],
    [t("pregnancy.f.pregStatus", {}, "状態"), label(PREGNANCY_STATUS, p.status)],
  ].filter(([, v]) => v).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  $("preg-status").value = p.status || "ongoing";
  $("preg-due").value = p.dueDate || "";
  const f = $("checkup-form").elements;
  f.date.min = p.lmpDate || "";
  await Promise.all([renderSchedule(p), renderCheckups(p)]);
}

// ---- 予定 ---------------------------------------------------------------------

async function renderSchedule(p) {
  const list = $("visits");
  const status = $("visits-status");
  list.setAttribute("aria-busy", "true");
  try {
    const res = await pb.send(`/api/lifestage/pregnancies/${encodeURIComponent(p.id)}/schedule`, { method: "GET" });
    const ga = res.gestationalAge || {};
    $("preg-age").textContent = p.status === "ongoing" && ga.weeks >= 0 && ga.weeks <= 42
      ? t("pregnancy.today", { w: ga.weeks, d: ga.days }, `きょうは妊娠${ga.weeks}週${ga.days}日です`) : "";
    renderRSV(res.rsv);
    const next = (res.visits || []).find((v) => v.status === "upcoming");
    list.replaceChildren(...(res.visits || []).map((v) => h("li", { class: `visit${v === next ? " is-next" : ""}` },
      h("span", { class: "visit-week" }, t("pregnancy.week", { n: v.week }, `${v.week}週`)),
      h("span", {}, formatCivilDate(v.date), v === next ? h("span", { class: "visually-hidden" }, t("pregnancy.next", {}, "（次の健診）")) : null),
      h("span", { class: `status-badge vb-${v.status}` }, label(PRENATAL_VISIT_STATUS, v.status)))));
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

// The maternal RSV vaccine (母子免疫ワクチン) is given from 28w0d to 36w6d.
function renderRSV(rsv) {
  const box = $("rsv");
  if (!rsv?.from) {
    box.replaceChildren();
    return;
  }
  const today = todayTokyo();
  const now = today >= rsv.from && today <= rsv.to;
  const when = today < rsv.from ? t("pregnancy.rsv.from", { date: formatCivilDate(rsv.from) }, `${formatCivilDate(rsv.from)}から受けられます。`)
    : now ? t("pregnancy.rsv.now", {}, "いまが接種できる時期です。かかりつけの産科でご相談ください。")
      : t("pregnancy.rsv.over", {}, "接種できる時期は終わりました。");
  box.classList.toggle("is-now", now);
  box.replaceChildren(
    h("p", {}, h("strong", {}, t("pregnancy.rsv.title", {}, "RSウイルス母子免疫ワクチン"))),
    h("p", {}, t("pregnancy.rsv.window", { from: formatCivilDate(rsv.from), to: formatCivilDate(rsv.to) },
      `妊娠28週0日〜36週6日（${formatCivilDate(rsv.from)}〜${formatCivilDate(rsv.to)}）`)),
    h("p", {}, when));
}

// ---- 健診の記録 ----------------------------------------------------------------

async function renderCheckups(p) {
  const list = $("checkup-list");
  const status = $("checkups-status");
  list.setAttribute("aria-busy", "true");
  try {
    const recs = await pb.collection("prenatal_checkups").getFullList({
      filter: pb.filter("pregnancy = {:p}", { p: p.id }), sort: "-date,-created",
    });
    const valid = recs.filter((r) => r.status !== WITHDRAWN);
    list.replaceChildren(...valid.map(checkupItem));
    $("checkups-empty").hidden = valid.length > 0;
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function checkupItem(r) {
  const bp = r.bloodPressureSys && r.bloodPressureDia
    ? t("pregnancy.ck.bp", { sys: r.bloodPressureSys, dia: r.bloodPressureDia }, `血圧 ${r.bloodPressureSys}/${r.bloodPressureDia}`) : "";
  const what = t("pregnancy.ck.what", { date: formatCivilDate(r.date) }, `${formatCivilDate(r.date)}の健診の記録`);
  return h("li", { class: "record", dataset: { id: r.id } },
    h("p", { class: "record-head" },
      h("strong", {}, formatCivilDate(r.date)),
      r.week ? h("span", {}, t("pregnancy.ck.week", { n: r.week }, `妊娠${r.week}週`)) : null),
    h("p", { class: "meta" }, [
      r.weightKg ? t("pregnancy.ck.weight", { n: r.weightKg }, `体重 ${r.weightKg} kg`) : "", bp,
      r.urineProtein ? t("pregnancy.ck.protein", { v: label(URINE_RESULTS, r.urineProtein) }, `尿たんぱく ${label(URINE_RESULTS, r.urineProtein)}`) : "",
      r.urineSugar ? t("pregnancy.ck.sugar", { v: label(URINE_RESULTS, r.urineSugar) }, `尿糖 ${label(URINE_RESULTS, r.urineSugar)}`) : "",
      r.fundalHeightCm ? t("pregnancy.ck.fundal", { n: r.fundalHeightCm }, `子宮底長 ${r.fundalHeightCm} cm`) : "",
      r.source ? t("child.source", { source: label(RECORD_SOURCES, r.source) }, `記録: ${label(RECORD_SOURCES, r.source)}`) : "",
    ].filter(Boolean).join(sep())),
    r.findings ? h("p", { class: "note" }, r.findings) : null,
    h("div", { class: "actions" },
      h("button", {
        type: "button", class: "btn btn-danger btn-small", "aria-label": t("child.withdraw.label", { what }, `${what}を誤入力として取り消す`),
        onclick: (e) => withdraw(e.currentTarget, r.id, what),
      }, t("child.withdraw.button", {}, "誤入力として取り消す"))));
}

async function withdraw(btn, id, what) {
  const status = $("checkups-status");
  if (!confirm(t("pregnancy.ck.withdrawQuestion", { what }, `${what}を誤入力として取り消しますか？\n取り消した記録は予定の「受診済」に数えなくなります。`))) return;
  btn.disabled = true;
  try {
    await pb.collection("prenatal_checkups").update(id, { status: WITHDRAWN });
  } catch (err) {
    btn.disabled = false;
    setStatus(status, errorMessage(err), "error");
    return;
  }
  await Promise.all([renderCheckups(state.current), renderSchedule(state.current)]);
  if (!status.classList.contains("is-error")) setStatus(status, t("child.withdraw.done", { what }, `${what}を取り消しました。`), "ok");
}

function options(select, map, blank) {
  select.replaceChildren(h("option", { value: "" }, blank), ...Object.keys(map).map((v) => h("option", { value: v }, label(map, v))));
}

function setupCheckupForm() {
  const form = $("checkup-form");
  const status = $("checkup-form-status");
  const f = form.elements;
  options(f.urineProtein, URINE_RESULTS, t("pregnancy.ck.untested", {}, "未検査・未記入"));
  options(f.urineSugar, URINE_RESULTS, t("pregnancy.ck.untested", {}, "未検査・未記入"));
  f.date.max = todayTokyo();
  f.date.value = todayTokyo();
  const fillWeek = () => {
    if (!state.current || !/^\d{4}-\d{2}-\d{2}$/.test(f.date.value)) return;
    const w = weekOn(state.current.dueDate, f.date.value);
    f.week.value = w >= 0 && w <= 42 ? String(w) : "";
  };
  f.date.addEventListener("change", fillWeek);
  form.closest("details").addEventListener("toggle", fillWeek);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setStatus(status, "");
    const problems = [];
    if (!f.date.value) problems.push(["date", t("pregnancy.err.date", {}, "受診日を入力してください。")]);
    else if (f.date.value > todayTokyo()) problems.push(["date", t("pregnancy.err.future", {}, "受診日に未来の日付は入力できません。")]);
    const data = {
      pregnancy: state.current.id, date: f.date.value, source: "parent", status: "completed",
      urineProtein: f.urineProtein.value, urineSugar: f.urineSugar.value, findings: f.findings.value.trim(),
    };
    for (const name of ["week", "weightKg", "fundalHeightCm", "bloodPressureSys", "bloodPressureDia"]) {
      const input = f[name];
      if (input.value === "" && !input.validity.badInput) continue;
      const v = Number(input.value);
      if (input.validity.badInput || !Number.isFinite(v) || v < Number(input.min) || v > Number(input.max)) {
        problems.push([name, t("child.err.range", { min: input.min, max: input.max }, `${input.min}〜${input.max}の範囲で入力してください。`)]);
      } else if (input.step === "1" && !Number.isInteger(v)) {
        problems.push([name, t("child.err.whole", {}, "整数で入力してください。")]);
      } else {
        data[name] = v;
      }
    }
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      try {
        await pb.collection("prenatal_checkups").create(data);
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      form.reset();
      clearErrors(form);
      f.date.value = todayTokyo();
      fillWeek();
      await Promise.all([renderCheckups(state.current), renderSchedule(state.current)]);
      setStatus(status, t("pregnancy.ck.added", {}, "健診の記録を追加しました。予定も更新しました。"), "ok");
    });
  });
}

// ---- 分娩予定日・状態 -------------------------------------------------------------

function setupStatus() {
  const form = $("status-form");
  const status = $("status-form-status");
  options(form.elements.status, PREGNANCY_STATUS, t("child.choose", {}, "選んでください"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = { dueDate: form.elements.dueDate.value, status: form.elements.status.value };
    const problems = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(data.dueDate)) problems.push(["dueDate", t("pregnancy.err.due", {}, "分娩予定日を入力してください。")]);
    if (!data.status) problems.push(["status", t("pregnancy.err.status", {}, "状態を選んでください。")]);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      try {
        await pb.collection("pregnancies").update(state.current.id, data);
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      clearErrors(form);
      await loadPregnancies(state.current.id);
      setStatus(status, t("pregnancy.saved", {}, "保存しました。"), "ok");
    });
  });
}

// ---- 登録 ---------------------------------------------------------------------

function setupRegister() {
  const form = $("register-form");
  const status = $("register-form-status");
  const date = form.elements.date;
  const sync = () => {
    const byLMP = form.elements.by.value === "lmpDate";
    $("reg-date-label").firstChild.textContent = byLMP ? t("pregnancy.by.lmpDate", {}, "最終月経開始日") : t("pregnancy.by.dueDate", {}, "分娩予定日");
    // The LMP is in the past; a due date is in the next ten months or so.
    date.max = byLMP ? todayTokyo() : "";
  };
  for (const r of form.querySelectorAll('input[name="by"]')) r.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setStatus(status, "");
    const by = form.elements.by.value;
    const problems = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.value)) problems.push(["date", t("pregnancy.err.regDate", {}, "日付を入力してください。")]);
    else if (by === "lmpDate" && date.value > todayTokyo()) problems.push(["date", t("pregnancy.err.lmpFuture", {}, "最終月経開始日に未来の日付は入力できません。")]);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      let p;
      try {
        p = await pb.collection("pregnancies").create({ [by]: date.value });
      } catch (err) {
        // The server names lmpDate or dueDate; both are this one box.
        const data = err?.response?.data || {};
        if (data[by]) reportInvalid(form, [["date", data[by].message || errorMessage(err)]], status);
        else showErrors(form, err, status);
        return;
      }
      form.reset();
      sync();
      clearErrors(form);
      history.replaceState(null, "", `?id=${encodeURIComponent(p.id)}`);
      await loadPregnancies(p.id);
      setStatus(status, t("pregnancy.registered", { date: formatCivilDate(p.dueDate) }, `登録しました。分娩予定日は${formatCivilDate(p.dueDate)}です。`), "ok");
      $("preg-title").focus();
    });
  });
}

// Started last, so every module-level binding above is initialised.
if (requireAccount(["users"])) main();
