// 母子手帳: one child's birth record, immunization schedule, growth chart and
// handbook records (growth, immunizations, allergies, weaning). Guardians and
// family who manage the child add entries and withdraw wrong ones (never
// delete) and correct the birth record; family with a view share only read.
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, reportInvalid, clearErrors,
  busy, formatCivilDate, ageText, todayTokyo,
} from "/assets/app.js";
import {
  SEX, VACCINES, SCHEDULE_STATUS, RECORD_SOURCES, ALLERGY_SEVERITY, WEANING_REACTION,
  INJECTION_SITES, GROWTH_POSITIONS, DELIVERY_METHODS, BIRTH_ABNORMALITY, BIRTH_PLACES, labelT,
} from "/assets/labels.js";
import { i18nReady, t } from "/assets/i18n.js";

// The catalogue group (labels.<group>.<code>) of each code list this page shows.
const GROUPS = new Map([
  [SEX, "sex"], [VACCINES, "vaccine"], [SCHEDULE_STATUS, "scheduleStatus"], [RECORD_SOURCES, "recordSource"],
  [ALLERGY_SEVERITY, "allergySeverity"], [WEANING_REACTION, "weaningReaction"], [INJECTION_SITES, "injectionSite"],
  [GROWTH_POSITIONS, "growthPosition"], [DELIVERY_METHODS, "deliveryMethod"], [BIRTH_ABNORMALITY, "birthAbnormality"],
  [BIRTH_PLACES, "birthPlace"],
]);
const label = (map, code) => labelT(GROUPS.get(map), map, code);
const sep = () => t("me.children.sep", {}, "・");
const range = (min, max) => t("child.err.range", { min, max }, `${min}〜${max}の範囲で入力してください。`);
const vaccineDose = (code, dose) => t("child.vaccineDose", { vaccine: label(VACCINES, code), dose }, `${label(VACCINES, code)} ${dose}回目`);

const WITHDRAWN = "entered_in_error";

const $ = (id) => document.getElementById(id);

async function main(record) {
  initPage();
  await i18nReady(); // before the page writes its own texts, which translate() would overwrite
  const pageStatus = $("page-status");
  const childId = new URLSearchParams(location.search).get("id") || "";
  if (!/^[a-z0-9]{15}$/.test(childId)) {
    setStatus(pageStatus, t("child.err.noChild", {}, "お子さまが指定されていません。マイページからひらいてください。"), "error");
    return;
  }

  let child;
  try {
    child = await pb.collection("children").getOne(childId);
  } catch (err) {
    setStatus(pageStatus, err?.status === 404 ? t("child.err.notFound", {}, "お子さまが見つかりません。") : errorMessage(err), "error");
    return;
  }

  const name = `${child.familyName} ${child.givenName}`;
  document.title = t("child.pageTitle", { name }, `${name}さんの母子手帳｜lifestage 西条市`);
  $("child-name").textContent = t("child.heading", { name }, `${name}さんの母子手帳`);
  $("child-age").textContent = ageText(child.birthDate);
  const born = t("me.children.born", { date: formatCivilDate(child.birthDate) }, formatCivilDate(child.birthDate) + "生まれ");
  $("child-facts").textContent = [born, label(SEX, child.sex)].filter(Boolean).join(sep());

  const canWrite = [...(child.guardians || []), ...(child.familyManagers || [])].includes(record.id);
  $("readonly-note").hidden = canWrite;
  for (const el of document.querySelectorAll(".write-only")) el.hidden = !canWrite;
  $("handbook").hidden = false;

  const ctx = { child, canWrite };
  const loadSchedule = () => renderSchedule(ctx);
  const loadGrowth = () => Promise.all([renderGrowth(ctx), renderChart(child.id)]);
  const loadImm = () => renderList(ctx, immunizationList);
  const loadAllergies = () => renderList(ctx, allergyList);
  const loadWeaning = () => renderList(ctx, weaningList);
  const loadBirth = () => renderBirth(ctx);
  ctx.reload = {
    birth_records: loadBirth,
    growth_measurements: loadGrowth,
    immunizations: () => Promise.all([loadImm(), loadSchedule()]),
    allergies: loadAllergies,
    weaning_logs: loadWeaning,
  };

  if (canWrite) setupForms(ctx);
  await Promise.all([loadBirth(), loadSchedule(), loadGrowth(), loadImm(), loadAllergies(), loadWeaning()]);
}

// ---- 出生の記録 --------------------------------------------------------------

const BIRTH_NUMBERS = ["weightG", "lengthCm", "headCm", "chestCm", "gestationalWeeks", "gestationalDays", "apgar1", "apgar5"];
const BIRTH_CHOICES = ["deliveryMethod", "abnormality", "birthPlace", "institution"];

// A child has one birth record at most; a missing one is a 404.
async function renderBirth(ctx) {
  const facts = $("birth-facts");
  const status = $("birth-status");
  facts.setAttribute("aria-busy", "true");
  try {
    ctx.birth = await pb.collection("birth_records").getFirstListItem(
      pb.filter("child = {:c}", { c: ctx.child.id }), { expand: "institution" });
  } catch (err) {
    ctx.birth = null;
    if (err?.status !== 404) setStatus(status, errorMessage(err), "error");
  }
  const r = ctx.birth;
  facts.replaceChildren(...(r ? birthFacts(r) : []).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  facts.hidden = !r;
  facts.removeAttribute("aria-busy");
  $("birth-empty").hidden = !!r;
  $("birth-summary").textContent = r ? t("child.birthSummaryEdit", {}, "出生の記録を直す") : t("child.birthSummary", {}, "出生の記録を入力");
  if (ctx.canWrite) {
    await ctx.birthFormReady; // the institution list must be there to select one
    fillBirthForm(r);
  }
}

function birthFacts(r) {
  const unit = (v, u) => (v ? `${v} ${u}` : "");
  const weeks = r.gestationalWeeks
    ? t("child.birth.weeks", { w: r.gestationalWeeks, d: r.gestationalDays || 0 }, `${r.gestationalWeeks}週${r.gestationalDays || 0}日`) : "";
  const apgar = [
    r.apgar1 ? t("child.birth.apgar1", { n: r.apgar1 }, `1分 ${r.apgar1}点`) : "",
    r.apgar5 ? t("child.birth.apgar5", { n: r.apgar5 }, `5分 ${r.apgar5}点`) : "",
  ].filter(Boolean).join(sep());
  const place = [label(BIRTH_PLACES, r.birthPlace), r.expand?.institution?.name || r.institutionName].filter(Boolean).join(sep());
  return [
    [t("child.birth.weight", {}, "出生体重"), unit(r.weightG, "g")],
    [t("child.birth.length", {}, "身長"), unit(r.lengthCm, "cm")],
    [t("child.birth.head", {}, "頭囲"), unit(r.headCm, "cm")],
    [t("child.birth.chest", {}, "胸囲"), unit(r.chestCm, "cm")],
    [t("child.birth.gestation", {}, "在胎週数"), weeks],
    [t("child.birth.method", {}, "分娩の方法"), label(DELIVERY_METHODS, r.deliveryMethod)],
    [t("child.birth.abnormality", {}, "異常"), label(BIRTH_ABNORMALITY, r.abnormality)],
    [t("child.birth.place", {}, "出生した場所"), place],
    [t("child.birth.apgar", {}, "アプガースコア"), apgar],
    [t("child.birth.note", {}, "メモ"), r.note],
    [t("child.birth.source", {}, "記録"), label(RECORD_SOURCES, r.source)],
  ].filter(([, v]) => v);
}

function fillBirthForm(r) {
  const f = $("birth-form").elements;
  for (const name of BIRTH_NUMBERS) f[name].value = r?.[name] || "";
  for (const name of BIRTH_CHOICES) f[name].value = r?.[name] || "";
  f.institutionName.value = r?.institutionName || "";
  f.note.value = r?.note || "";
}

/** Reads the birth form; an emptied number is sent as 0, which means unknown. */
function readBirthForm(f) {
  const problems = [];
  const data = {};
  for (const name of BIRTH_NUMBERS) {
    const input = f[name];
    if (input.value === "" && !input.validity.badInput) {
      data[name] = 0;
      continue;
    }
    const v = Number(input.value);
    const whole = input.step === "1";
    if (input.validity.badInput || !Number.isFinite(v) || (whole && !Number.isInteger(v))) {
      problems.push([name, whole ? t("child.err.whole", {}, "整数で入力してください。") : t("child.err.number", {}, "数字で入力してください。")]);
    } else if (v < Number(input.min) || v > Number(input.max)) {
      problems.push([name, range(input.min, input.max)]);
    } else {
      data[name] = v;
    }
  }
  if (data.gestationalDays > 0 && !data.gestationalWeeks) problems.push(["gestationalWeeks", t("child.err.weeks", {}, "在胎週数の「週」も入力してください。")]);
  for (const name of BIRTH_CHOICES) data[name] = f[name].value;
  data.institutionName = f.institutionName.value.trim();
  data.note = f.note.value.trim();
  return { problems, data };
}

async function loadInstitutions(select, status) {
  try {
    const res = await pb.collection("facilities").getList(1, 200, {
      filter: 'type = "hospital" || type = "clinic"', sort: "name", fields: "id,name",
    });
    select.append(...res.items.map((x) => h("option", { value: x.id }, x.name)));
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function setupBirthForm(ctx) {
  const form = $("birth-form");
  const status = $("birth-form-status");
  const unset = t("child.unset", {}, "未選択");
  options(form.elements.deliveryMethod, DELIVERY_METHODS, { blank: unset });
  options(form.elements.abnormality, BIRTH_ABNORMALITY, { blank: unset });
  options(form.elements.birthPlace, BIRTH_PLACES, { blank: unset });
  options(form.elements.institution, {}, { blank: t("child.birth.notListed", {}, "一覧にない・選ばない") });
  ctx.birthFormReady = loadInstitutions(form.elements.institution, status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setStatus(status, "");
    const { problems, data } = readBirthForm(form.elements);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      try {
        if (ctx.birth) await pb.collection("birth_records").update(ctx.birth.id, data);
        else await pb.collection("birth_records").create({ ...data, child: ctx.child.id, source: "parent" });
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      clearErrors(form);
      await ctx.reload.birth_records();
      setStatus(status, t("child.birth.saved", {}, "出生の記録を保存しました。"), "ok");
    });
  });
}

// ---- 予防接種の予定 ----------------------------------------------------------

async function renderSchedule(ctx) {
  const childId = ctx.child.id;
  const list = $("schedule-list");
  const status = $("schedule-status");
  list.setAttribute("aria-busy", "true");
  try {
    const res = await pb.send(`/api/lifestage/children/${encodeURIComponent(childId)}/schedule`, { method: "GET" });
    const groups = new Map();
    for (const it of res.items || []) {
      if (!groups.has(it.vaccine)) groups.set(it.vaccine, []);
      groups.get(it.vaccine).push(it);
    }
    list.replaceChildren(...[...groups].map(([code, items]) => vaccineGroup(ctx, code, items)));
    if (groups.size === 0) list.replaceChildren(h("p", { class: "meta" }, t("child.schedule.none", {}, "表示できる予定はありません。")));
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

// Guardians and managers may fill the 予診票 for a dose that is open now.
function questionnaireLink(ctx, code, it) {
  if (!ctx.canWrite || (it.status !== "due" && it.status !== "overdue")) return null;
  const q = new URLSearchParams({ child: ctx.child.id, vaccine: code, dose: String(it.dose) });
  return h("a", { class: "btn btn-small dose-action", href: `/me/questionnaire/?${q}` },
    t("child.schedule.questionnaire", {}, "予診票を作成"), h("span", { class: "visually-hidden" }, ` (${vaccineDose(code, it.dose)})`));
}

function vaccineGroup(ctx, code, items) {
  const headingId = `vaccine-${code}`;
  return h("section", { class: "vaccine", "aria-labelledby": headingId },
    h("h3", { id: headingId }, label(VACCINES, code)),
    h("ul", { class: "plain-list doses" }, items.map((it) =>
      h("li", { class: `dose is-${it.status}` },
        h("span", { class: "dose-no" }, t("child.dose", { n: it.dose }, `${it.dose}回目`)),
        h("span", { class: `status-badge sb-${it.status}` }, label(SCHEDULE_STATUS, it.status)),
        h("span", { class: "dose-when" },
          it.date
            ? t("child.schedule.given", { date: formatCivilDate(it.date) }, `接種日 ${formatCivilDate(it.date)}`)
            : t("child.schedule.window", { from: formatCivilDate(it.earliest), to: formatCivilDate(it.latest) },
              `${formatCivilDate(it.earliest)}〜${formatCivilDate(it.latest)}`)),
        questionnaireLink(ctx, code, it),
      ))),
  );
}

// ---- 成長曲線 ----------------------------------------------------------------

let chartUrl = "";

async function renderChart(childId) {
  const box = $("chart");
  const status = $("chart-status");
  box.setAttribute("aria-busy", "true");
  try {
    // The chart needs the login, which an <img src> cannot send: fetch it
    // with the token and show it from a blob.
    const res = await fetch(`/api/lifestage/children/${encodeURIComponent(childId)}/growth.svg`, {
      headers: { Authorization: pb.authStore.token }, cache: "no-store",
    });
    if (!res.ok) {
      let body = {};
      try { body = await res.json(); } catch { /* not JSON */ }
      throw { status: res.status, response: body };
    }
    const blob = new Blob([await res.blob()], { type: "image/svg+xml" });
    if (chartUrl) URL.revokeObjectURL(chartUrl);
    chartUrl = URL.createObjectURL(blob);
    box.replaceChildren(h("img", {
      src: chartUrl, class: "chart-img",
      alt: t("child.chart.alt", {}, "体重と身長の成長曲線。記録の数値は下の「成長の記録」にあります。"),
    }));
    setStatus(status, "");
  } catch (err) {
    box.replaceChildren();
    setStatus(status, errorMessage(err), "error");
  } finally {
    box.removeAttribute("aria-busy");
  }
}

// ---- 成長の記録 --------------------------------------------------------------

async function renderGrowth(ctx) {
  const list = $("growth-list");
  const status = $("growth-status");
  list.setAttribute("aria-busy", "true");
  try {
    const res = await pb.send(`/api/lifestage/children/${encodeURIComponent(ctx.child.id)}/growth`, { method: "GET" });
    const items = [...(res.items || [])].reverse(); // newest first
    list.replaceChildren(...items.map((it) => growthItem(ctx, it)));
    $("growth-empty").hidden = items.length > 0;
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function monthsText(m) {
  const whole = Math.floor(m ?? 0);
  return t("me.age", { y: Math.floor(whole / 12), m: whole % 12 }, `${Math.floor(whole / 12)}歳${whole % 12}か月`);
}

function growthItem(ctx, it) {
  const measure = (title, m, unit) => {
    if (!m) return null;
    return h("li", {},
      h("span", { class: "measure-name" }, title), " ",
      h("strong", {}, `${m.value} ${unit}`),
      m.position ? h("span", { class: "meta" }, ` (${label(GROWTH_POSITIONS, m.position)})`) : null);
  };
  return h("li", { class: "record", dataset: { id: it.id } },
    h("p", { class: "record-head" }, h("strong", {}, formatCivilDate(it.date)), h("span", { class: "meta" }, t("child.growth.at", { age: monthsText(it.ageMonths) }, `${monthsText(it.ageMonths)}のとき`))),
    h("ul", { class: "plain-list measures" },
      measure(t("child.growth.weight", {}, "体重"), it.weight, "kg"),
      measure(t("child.birth.length", {}, "身長"), it.height, "cm"),
      measure(t("child.birth.head", {}, "頭囲"), it.head, "cm")),
    withdrawButton(ctx, "growth_measurements", it.id,
      t("child.growth.what", { date: formatCivilDate(it.date) }, `${formatCivilDate(it.date)}の成長の記録`), $("growth-status")),
  );
}

// ---- records read through the SDK --------------------------------------------

const immunizationList = {
  collection: "immunizations", list: "imm-list", empty: "imm-empty", status: "imm-status",
  item: (r) => [
    h("p", { class: "record-head" },
      h("strong", {}, vaccineDose(r.vaccine, r.dose)),
      h("span", {}, formatCivilDate(r.date))),
    h("p", { class: "meta" }, [
      r.lot ? t("child.imm.lot", { lot: r.lot }, `ロット ${r.lot}`) : "",
      r.product ? t("child.imm.product", { product: r.product }, `製品 ${r.product}`) : "",
      r.site ? label(INJECTION_SITES, r.site) : "",
      r.source ? t("child.source", { source: label(RECORD_SOURCES, r.source) }, `記録: ${label(RECORD_SOURCES, r.source)}`) : "",
    ].filter(Boolean).join(sep())),
  ],
  what: (r) => t("child.imm.what", { date: formatCivilDate(r.date), vaccine: vaccineDose(r.vaccine, r.dose) },
    `${formatCivilDate(r.date)}の${vaccineDose(r.vaccine, r.dose)}の記録`),
};

const allergyList = {
  collection: "allergies", list: "allergy-list", empty: "allergy-empty", status: "allergy-status",
  item: (r) => [
    h("p", { class: "record-head" },
      h("strong", {}, r.substance),
      r.severity ? h("span", { class: `tag sev-${r.severity}` }, label(ALLERGY_SEVERITY, r.severity)) : null),
    h("p", { class: "meta" }, [
      t("child.allergy.found", { date: formatCivilDate(r.date) }, `わかった日 ${formatCivilDate(r.date)}`),
      r.source ? t("child.source", { source: label(RECORD_SOURCES, r.source) }, `記録: ${label(RECORD_SOURCES, r.source)}`) : "",
    ].filter(Boolean).join(sep())),
    r.note ? h("p", { class: "note" }, r.note) : null,
  ],
  what: (r) => t("child.allergy.what", { substance: r.substance }, `アレルギー「${r.substance}」の記録`),
};

const weaningList = {
  collection: "weaning_logs", list: "weaning-list", empty: "weaning-empty", status: "weaning-status",
  item: (r) => [
    h("p", { class: "record-head" },
      h("strong", {}, r.food),
      h("span", {}, formatCivilDate(r.date)),
      r.reaction ? h("span", { class: `tag react-${r.reaction}` }, label(WEANING_REACTION, r.reaction)) : null),
  ],
  what: (r) => t("child.weaning.what", { date: formatCivilDate(r.date), food: r.food }, `${formatCivilDate(r.date)}の「${r.food}」の記録`),
};

async function renderList(ctx, spec) {
  const list = $(spec.list);
  const status = $(spec.status);
  list.setAttribute("aria-busy", "true");
  try {
    const recs = await pb.collection(spec.collection).getFullList({
      filter: pb.filter("child = {:c}", { c: ctx.child.id }),
      sort: "-date,-created",
    });
    // Withdrawn entries stay on file but are not part of the handbook.
    const valid = recs.filter((r) => r.status !== WITHDRAWN);
    list.replaceChildren(...valid.map((r) => h("li", { class: "record", dataset: { id: r.id } },
      spec.item(r),
      withdrawButton(ctx, spec.collection, r.id, spec.what(r), status))));
    $(spec.empty).hidden = valid.length > 0;
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function withdrawButton(ctx, collection, id, what, status) {
  if (!ctx.canWrite) return null;
  return h("div", { class: "actions" },
    h("button", {
      type: "button", class: "btn btn-danger btn-small",
      "aria-label": t("child.withdraw.label", { what }, `${what}を誤入力として取り消す`),
      onclick: async (e) => {
        const btn = e.currentTarget;
        if (!confirm(t("child.withdraw.question", { what }, `${what}を誤入力として取り消しますか？\n取り消した記録は一覧や予定に使われなくなります。`))) return;
        btn.disabled = true;
        try {
          await pb.collection(collection).update(id, { status: WITHDRAWN });
        } catch (err) {
          btn.disabled = false;
          setStatus(status, errorMessage(err), "error");
          return;
        }
        // Reloading clears the list's status, so the message comes after it
        // (unless the reload itself failed and says so).
        await ctx.reload[collection]();
        if (!status.classList.contains("is-error")) setStatus(status, t("child.withdraw.done", { what }, `${what}を取り消しました。`), "ok");
      },
    }, t("child.withdraw.button", {}, "誤入力として取り消す")));
}

// ---- add forms ---------------------------------------------------------------

function options(select, map, { blank } = {}) {
  select.replaceChildren(
    ...(blank ? [h("option", { value: "" }, blank)] : []),
    ...Object.keys(map).map((code) => h("option", { value: code }, label(map, code))),
  );
}

function setupForms(ctx) {
  const today = todayTokyo();
  const birth = ctx.child.birthDate || "";
  for (const input of document.querySelectorAll('#handbook input[type="date"]')) {
    input.max = today;
    if (birth) input.min = birth;
  }
  options($("imm-vaccine"), VACCINES, { blank: t("child.choose", {}, "選んでください") });
  options($("allergy-severity"), ALLERGY_SEVERITY, { blank: t("child.allergy.unknown", {}, "わからない・未選択") });
  options($("weaning-reaction"), WEANING_REACTION, { blank: t("child.unset", {}, "未選択") });
  $("growth-date").value = today;
  $("weaning-date").value = today;

  const base = { child: ctx.child.id, source: "parent", status: "completed" };
  setupBirthForm(ctx);

  handle(ctx, "growth-form", "growth_measurements", (f) => {
    const problems = [];
    if (!f.date.value) problems.push(["date", t("child.err.growthDate", {}, "測った日を入力してください。")]);
    const data = { ...base, date: f.date.value };
    let any = false;
    for (const name of ["weightKg", "heightCm", "headCm"]) {
      const input = f[name];
      if (input.value === "" && !input.validity.badInput) continue;
      const v = Number(input.value);
      if (input.validity.badInput || !Number.isFinite(v) || v <= 0) {
        problems.push([name, t("child.err.number", {}, "数字で入力してください。")]);
        continue;
      }
      // The same bounds the server keeps (they catch grams for kilograms).
      if (v < Number(input.min) || v > Number(input.max)) {
        problems.push([name, range(input.min, input.max)]);
        continue;
      }
      data[name] = v;
      any = true;
    }
    if (!any && !problems.some(([n]) => n !== "date")) problems.push(["weightKg", t("child.err.growthAny", {}, "体重・身長・頭囲のどれかを入力してください。")]);
    return { problems, data };
  }, t("child.growth.added", {}, "成長の記録を追加しました。"), (f) => { f.date.value = todayTokyo(); });

  handle(ctx, "imm-form", "immunizations", (f) => {
    const problems = [];
    if (!f.vaccine.value) problems.push(["vaccine", t("child.err.vaccine", {}, "ワクチンを選んでください。")]);
    const dose = Number(f.dose.value);
    if (!Number.isInteger(dose) || dose < 1 || dose > 5) problems.push(["dose", range(1, 5)]);
    if (!f.date.value) problems.push(["date", t("child.err.immDate", {}, "接種日を入力してください。")]);
    const data = { ...base, vaccine: f.vaccine.value, dose, date: f.date.value, lot: f.lot.value.trim() };
    return { problems, data };
  }, t("child.imm.added", {}, "予防接種の記録を追加しました。予定も更新しました。"), (f) => { f.dose.value = "1"; });

  handle(ctx, "allergy-form", "allergies", (f) => {
    const problems = [];
    const substance = f.substance.value.trim();
    if (!substance) problems.push(["substance", t("child.err.substance", {}, "原因を入力してください。")]);
    if (!f.date.value) problems.push(["date", t("child.err.allergyDate", {}, "わかった日を入力してください。")]);
    const data = { ...base, substance, severity: f.severity.value, date: f.date.value, note: f.note.value.trim() };
    return { problems, data };
  }, t("child.allergy.added", {}, "アレルギーを追加しました。"));

  handle(ctx, "weaning-form", "weaning_logs", (f) => {
    const problems = [];
    const food = f.food.value.trim();
    if (!f.date.value) problems.push(["date", t("child.err.weaningDate", {}, "食べた日を入力してください。")]);
    if (!food) problems.push(["food", t("child.err.food", {}, "食品を入力してください。")]);
    const data = { ...base, food, reaction: f.reaction.value, date: f.date.value };
    return { problems, data };
  }, t("child.weaning.added", {}, "離乳食の記録を追加しました。"), (f) => { f.date.value = todayTokyo(); });
}

function handle(ctx, formId, collection, read, done, afterReset) {
  const form = $(formId);
  const status = $(`${formId}-status`);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setStatus(status, "");
    const { problems, data } = read(form.elements);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      try {
        await pb.collection(collection).create(data);
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      form.reset();
      clearErrors(form);
      afterReset?.(form.elements);
      setStatus(status, done, "ok");
      await ctx.reload[collection]();
    });
  });
}

// Started last, so every module-level binding above is initialised.
const me = requireAccount(["users"]);
if (me) main(me);
