// クラスの一日: the nap-check screen (big buttons per sleeping child, one tap
// for the whole room), the live staffing ratios and the class's daily
// journal. Made for a tablet in the room as much as for a phone.
import {
  pb, h, errorMessage, setStatus, showErrors, clearErrors, busy, todayTokyo, formatCivilDate,
} from "/assets/app.js";
import { DOC_STATUS, WEATHER, NAP_POSITIONS, NAP_STATE, AGE_CLASSES, label } from "/assets/labels.js";
import { requireNurseryStaff, isDirector, loadClasses, mountClassPicker, clockOf } from "/nursery/day/classes.js";

const $ = (id) => document.getElementById(id);
const NAP_REFRESH_MS = 15 * 1000;
const RATIO_REFRESH_MS = 60 * 1000;

const me = requireNurseryStaff();
if (me) main();

let current = null; // the class shown
let naps = null; // the last nap status from the server
// What staff chose for each sleeping child since the last round:
// child id → { position, breathingOk }.
const choices = new Map();

async function main() {
  let classes;
  try {
    classes = await loadClasses(me.nursery);
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
    return;
  }
  if (classes.length === 0) {
    setStatus($("page-status"), "今年度のクラスがまだ登録されていません。施設長または市の保育担当にご連絡ください。", "error");
    return;
  }
  setupNaps();
  setupJournal();
  mountClassPicker($("class-select"), classes, (c) => {
    current = c;
    choices.clear();
    $("plans-link").href = `/nursery/plans/?class=${c.id}`;
    loadNaps();
    loadRatios();
    loadJournal();
  });
  setInterval(() => { if (!document.hidden) loadNaps(); }, NAP_REFRESH_MS);
  setInterval(() => { if (!document.hidden) loadRatios(); }, RATIO_REFRESH_MS);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) { loadNaps(); loadRatios(); } });
}

// ---- 午睡チェック ----------------------------------------------------------

function napURL(suffix = "") {
  return `/api/lifestage/nursery/classes/${current.id}/naps${suffix}`;
}

async function loadNaps() {
  if (!current) return;
  const classId = current.id;
  try {
    const st = await pb.send(napURL(), { method: "GET" });
    if (current?.id === classId) renderNaps(st);
  } catch (err) {
    setStatus($("nap-status"), errorMessage(err), "error");
  }
}

function setupNaps() {
  $("nap-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const sleepers = (naps?.children || []).filter((c) => c.sleeping);
    if (sleepers.length === 0) return;
    await checkChildren(sleepers);
  });
  $("sleep-present").addEventListener("click", () => {
    const ids = (naps?.children || []).filter((c) => !c.sleeping && c.present).map((c) => c.id);
    if (ids.length === 0) {
      setStatus($("nap-status"), "登園している起きた子はいません。", "");
      return;
    }
    napAction("/start", ids, "人が眠りました。");
  });
  $("wake-all").addEventListener("click", () => {
    if (!confirm("眠っている子を全員「起きた」にしますか？")) return;
    napAction("/end", [], "人が起きました。");
  });
}

async function checkChildren(children) {
  const form = $("nap-form");
  const body = {
    class: current.id,
    checks: children.map((c) => {
      const choice = choices.get(c.id) || {};
      return { child: c.id, position: choice.position || "supine", breathingOk: choice.breathingOk ?? true };
    }),
  };
  await busy(form, async () => {
    try {
      const res = await pb.send("/api/lifestage/nursery/nap-checks", { method: "POST", body });
      for (const c of children) choices.delete(c.id);
      const at = clockOf(res.status?.now);
      setStatus($("nap-status"), `${res.saved}人のチェックを記録しました（${at}）。`, "ok");
      renderNaps(res.status, res.alerts);
    } catch (err) {
      setStatus($("nap-status"), errorMessage(err), "error");
    }
  });
}

async function napAction(suffix, children, doneText) {
  const section = $("naps");
  await busy(section, async () => {
    try {
      const res = await pb.send(napURL(suffix), { method: "POST", body: { children } });
      const n = res.started ?? res.ended ?? 0;
      setStatus($("nap-status"), `${n}${doneText}`, "ok");
      renderNaps(res.status);
    } catch (err) {
      setStatus($("nap-status"), errorMessage(err), "error");
    }
  });
}

function ageOf(c) {
  return AGE_CLASSES[c.classAge] ?? "";
}

function renderNaps(st, alerts = []) {
  naps = st;
  $("nap-rule").textContent =
    `0・1歳児は${st.intervals.infantMinutes}分ごと、2歳児以上は${st.intervals.olderMinutes}分ごとに、体の向きと呼吸を確かめます。` +
    `${st.graceMinutes}分を過ぎても記録がないと、クラスの職員に通知します。`;
  const sleepers = st.children.filter((c) => c.sleeping);
  const awake = st.children.filter((c) => !c.sleeping);
  renderAlert(sleepers, alerts);
  $("check-all").disabled = sleepers.length === 0;
  $("check-all").textContent = sleepers.length
    ? `眠っている${sleepers.length}人をまとめてチェック`
    : "眠っている子はいません";
  $("sleepers").replaceChildren(...sleepers.map(sleeperCard));
  $("awake").replaceChildren(...awake.map(awakeRow));
  if (awake.length === 0) $("awake").append(h("li", { class: "meta" }, "全員眠っています。"));
}

function renderAlert(sleepers, alerts) {
  const late = sleepers.filter((c) => c.state === "missed").map((c) => c.name);
  const prone = sleepers.filter((c) => c.prone).map((c) => c.name);
  const breathing = alerts.filter((a) => a.reason === "breathing").map((a) => a.name);
  const lines = [];
  if (breathing.length) lines.push(`呼吸・顔色に異常の記録：${breathing.join("、")}さん。すぐに様子を確かめてください。`);
  if (prone.length) lines.push(`うつぶせの0・1歳児：${prone.join("、")}さん。あおむけに直してください。`);
  if (late.length) lines.push(`確認が遅れています：${late.join("、")}さん。`);
  const box = $("nap-alert");
  box.replaceChildren(...lines.map((t) => h("p", {}, t)));
  box.hidden = lines.length === 0;
}

function stateTag(c) {
  const cls = { ok: "tag-ok", due: "tag-warn", missed: "tag-danger" }[c.state] || "tag-muted";
  return h("span", { class: `tag ${cls}` }, label(NAP_STATE, c.state));
}

function sleeperCard(c) {
  const choice = choices.get(c.id) || { position: "supine", breathingOk: true };
  choices.set(c.id, choice);
  const group = `pos-${c.id}`;
  const legendId = `legend-${c.id}`;
  const last = c.lastCheckAt
    ? `最後の確認 ${clockOf(c.lastCheckAt)}（${label(NAP_POSITIONS, c.lastPosition)}）`
    : "まだ確認していません";
  return h("li", { class: `nap-card is-${c.state}${c.prone ? " is-prone" : ""}` },
    h("div", { class: "nap-head" },
      h("span", { class: "nap-name" }, c.name),
      h("span", { class: "meta" }, ageOf(c)),
      stateTag(c),
      c.prone ? h("span", { class: "tag tag-danger" }, "うつぶせ") : null),
    h("p", { class: "meta nap-times" },
      `入眠 ${clockOf(c.startedAt)}・${last}・次は ${clockOf(c.nextDueAt)}（${c.intervalMinutes}分ごと）`),
    h("fieldset", { class: "positions", "aria-labelledby": legendId },
      h("legend", { id: legendId, class: "visually-hidden" }, `${c.name}さんの体の向き`),
      ...Object.entries(NAP_POSITIONS).map(([value, text]) =>
        h("label", { class: `choice pos pos-${value}` },
          h("input", {
            type: "radio", name: group, value, checked: choice.position === value,
            onchange: () => { choice.position = value; },
          }),
          text))),
    h("label", { class: "check" },
      h("input", {
        type: "checkbox", checked: choice.breathingOk,
        onchange: (ev) => { choice.breathingOk = ev.target.checked; },
      }),
      "呼吸・顔色 異常なし"),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "btn btn-secondary", onclick: () => checkChildren([c]) }, "この子だけチェック"),
      h("button", { type: "button", class: "btn btn-secondary", onclick: () => napAction("/end", [c.id], "人が起きました。") }, "起きた")));
}

function awakeRow(c) {
  return h("li", { class: "awake-row" },
    h("span", { class: "nap-name" }, c.name),
    h("span", { class: "meta" }, ageOf(c)),
    h("span", { class: `tag ${c.present ? "tag-ok" : "tag-muted"}` }, c.present ? "登園中" : "未登園・降園"),
    h("button", { type: "button", class: "btn btn-small", onclick: () => napAction("/start", [c.id], "人が眠りました。") }, "寝た"));
}

// ---- 職員配置 --------------------------------------------------------------

async function loadRatios() {
  try {
    renderRatios(await pb.send("/api/lifestage/nursery/ratios", { method: "GET" }));
    setStatus($("ratio-status"), "");
  } catch (err) {
    setStatus($("ratio-status"), errorMessage(err), "error");
  }
}

function renderRatios(r) {
  const s = r.standard;
  $("ratio-standard").textContent = `0歳児 ${s.age0}:1・1〜2歳児 ${s.age12}:1・3歳児 ${s.age3}:1・4〜5歳児 ${s.age45}:1`;
  $("ratio-note").textContent = r.staffNote || "";
  const t = r.total;
  const short = r.classes.reduce((n, c) => n + c.short, 0);
  let verdict = h("span", { class: "tag tag-ok" }, "充足");
  if (t.staff < t.required) verdict = h("span", { class: "tag tag-danger" }, `施設全体で${t.required - t.staff}人不足`);
  else if (short > 0) verdict = h("span", { class: "tag tag-danger" }, `クラスの配置で${short}人不足`);
  $("ratio-summary").replaceChildren(
    `施設全体：子ども ${t.children.total}人・基準上の必要 ${t.required}人・在室 ${t.staff}人（うちクラスなし ${t.floating}人） `, verdict);
  $("ratio-rows").replaceChildren(...r.classes.map((c) => {
    const status = c.understaffed
      ? h("span", { class: "tag tag-danger" }, `あと${c.short}人`)
      : c.children.total === 0
        ? h("span", { class: "tag tag-muted" }, "子どもなし")
        : h("span", { class: "tag tag-ok" }, c.cover ? `応援${c.cover}人で充足` : "充足");
    return h("tr", { class: c.id === current?.id ? "is-current" : "" },
      h("th", { scope: "row" }, c.name),
      h("td", { class: "num" }, `${c.children.total}`),
      h("td", { class: "num" }, `${c.required}（${c.exact}）`),
      h("td", { class: "num" }, `${c.staff}`),
      h("td", {}, status));
  }));
}

// ---- 保育日誌 --------------------------------------------------------------

let journal = null; // the record shown, or null for a new one

function setupJournal() {
  $("journal-date").value = todayTokyo();
  $("journal-date").max = todayTokyo();
  $("weather-choices").replaceChildren(...Object.entries(WEATHER).map(([value, text]) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: "weather", value }), text)));
  $("journal-date").addEventListener("change", loadJournal);
  $("journal-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveJournal({});
  });
  $("journal-approve").addEventListener("click", () => saveJournal({ status: "approved" }));
  $("journal-reopen").addEventListener("click", () => saveJournal({ status: "draft" }, true));
}

async function loadJournal() {
  if (!current) return;
  const form = $("journal-form");
  clearErrors(form);
  setStatus($("journal-status"), "");
  const date = $("journal-date").value;
  try {
    journal = await pb.collection("nursery_journals").getFirstListItem(pb.filter("class = {:c} && date = {:d}", { c: current.id, d: date }));
  } catch (err) {
    if (err?.status !== 404) {
      setStatus($("journal-status"), errorMessage(err), "error");
      return;
    }
    journal = null;
  }
  fillJournal(date);
}

function fillJournal(date) {
  const form = $("journal-form");
  const j = journal || {};
  form.elements.activities.value = j.activities || "";
  form.elements.childNotes.value = j.childNotes || "";
  form.elements.reflection.value = j.reflection || "";
  for (const r of form.querySelectorAll('input[name="weather"]')) r.checked = r.value === j.weather;
  const approved = j.status === "approved";
  const locked = approved && !isDirector(me);
  for (const el of form.querySelectorAll("textarea, input[name=weather]")) el.disabled = locked;
  $("journal-save").hidden = locked || (approved && isDirector(me));
  $("journal-approve").hidden = !isDirector(me) || !journal || approved;
  $("journal-reopen").hidden = !isDirector(me) || !approved;
  $("journal-facts").textContent = journal
    ? `${formatCivilDate(date)}・出席 ${j.present}人・欠席 ${j.absent}人（保存のたびに登降園の記録から数えます）・${label(DOC_STATUS, j.status)}` +
      (approved ? "（承認済みのため、職員は変更できません）" : "")
    : `${formatCivilDate(date)}の日誌はまだありません。書いて保存してください。`;
}

async function saveJournal(extra, statusOnly = false) {
  const form = $("journal-form");
  const data = statusOnly ? {} : {
    weather: form.elements.weather.value || "",
    activities: form.elements.activities.value,
    childNotes: form.elements.childNotes.value,
    reflection: form.elements.reflection.value,
  };
  Object.assign(data, extra);
  let saved = false;
  await busy(form, async () => {
    try {
      if (journal) {
        journal = await pb.collection("nursery_journals").update(journal.id, data);
      } else {
        journal = await pb.collection("nursery_journals").create({
          ...data, nursery: me.nursery, class: current.id, date: $("journal-date").value,
        });
      }
      saved = true;
    } catch (err) {
      showErrors(form, err, $("journal-status"));
    }
  });
  if (!saved) return;
  // After busy() has given the controls back: an approved journal locks them.
  fillJournal(journal.date);
  const text = { approved: "承認しました。", draft: extra.status ? "承認を取り消しました。" : "保存しました。" }[journal.status];
  setStatus($("journal-status"), text, "ok");
}
