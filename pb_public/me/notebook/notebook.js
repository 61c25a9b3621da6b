// 連絡帳 for families: today's home side (written by guardians and family
// who manage the child), the nursery's published entries as they arrive,
// absence / late / pickup notices with symptoms, and the nursery's
// infection notices. Family with a view share only read.
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, reportInvalid, clearErrors,
  busy, todayTokyo, formatCivilDate, formatDateTime,
} from "/assets/app.js";
import { loadCodes, options, homeView, nurseryView, noticeSummary, noticeState } from "/nursery/notes.js";

const $ = (id) => document.getElementById(id);

const state = { me: null, codes: null, kids: [], kid: null, canWrite: false, home: null };

async function main(me) {
  initPage();
  state.me = me;
  const pageStatus = $("page-status");
  try {
    state.codes = await loadCodes();
    state.kids = await enrolledKids();
  } catch (err) {
    setStatus(pageStatus, errorMessage(err), "error");
    return;
  }
  if (state.kids.length === 0) {
    setStatus(pageStatus, "保育所・こども園に在籍しているお子さまがいません。");
    return;
  }
  setupForms();
  const wanted = new URLSearchParams(location.search).get("child");
  renderTabs();
  $("notebook").hidden = false;
  await selectKid(state.kids.find((k) => k.child.id === wanted) || state.kids[0]);
  await renderNotices();
  pb.collection("notebook_nursery").subscribe("*", onNurseryEntry).catch(() => {});
  addEventListener("pagehide", () => pb.collection("notebook_nursery").unsubscribe().catch(() => {}), { once: true });
  if (location.hash === "#notices") $("notices").scrollIntoView();
}

/** The caller's children with their enrolment today, youngest first. */
async function enrolledKids() {
  const today = todayTokyo();
  const children = await pb.collection("children").getFullList({ sort: "-birthDate" });
  const enrolments = await pb.collection("enrolments").getFullList({
    filter: pb.filter("start <= {:d} && (end = '' || end >= {:d})", { d: today }),
    expand: "class,nursery",
  });
  return children
    .map((child) => ({ child, enrolment: enrolments.find((e) => e.child === child.id) }))
    .filter((k) => k.enrolment);
}

function renderTabs() {
  const tabs = $("kid-tabs");
  tabs.hidden = state.kids.length < 2;
  tabs.replaceChildren(...state.kids.map((k) => h("button", {
    type: "button", class: "btn btn-secondary", "aria-pressed": "false", dataset: { id: k.child.id },
    onclick: () => selectKid(k),
  }, k.child.givenName)));
}

async function selectKid(kid) {
  state.kid = kid;
  const { child, enrolment } = kid;
  for (const b of $("kid-tabs").children) b.setAttribute("aria-pressed", String(b.dataset.id === child.id));
  state.canWrite = [...(child.guardians || []), ...(child.familyManagers || [])].includes(state.me.id);
  $("readonly-note").hidden = state.canWrite;
  for (const el of document.querySelectorAll(".write-only")) el.hidden = !state.canWrite;
  const place = [enrolment.expand?.nursery?.name, enrolment.expand?.class?.name].filter(Boolean).join(" ");
  $("kid-facts").textContent = `${child.familyName} ${child.givenName}さん${place ? "（" + place + "）" : ""}`;
  history.replaceState(null, "", `?child=${encodeURIComponent(child.id)}${location.hash}`);
  $("home-date").value = todayTokyo();
  await Promise.all([renderHome(), renderNursery(), renderAbsences()]);
}

// ---- 家庭から ----------------------------------------------------------------

async function renderHome() {
  const form = $("home-form");
  const date = form.elements.date.value || todayTokyo();
  const view = $("home-view");
  clearErrors(form);
  setStatus($("home-status"), "");
  let entry = null;
  try {
    const page = await pb.collection("notebook_home").getList(1, 1, {
      filter: pb.filter("child = {:c} && date = {:d}", { c: state.kid.child.id, d: date }),
    });
    entry = page.items[0] || null;
  } catch (err) {
    view.replaceChildren(h("p", { class: "status is-error" }, errorMessage(err)));
    return;
  }
  state.home = entry;
  const heading = h("p", { class: "meta" }, `${formatCivilDate(date)}の記入${entry ? "" : "はまだありません"}`);
  view.replaceChildren(heading, entry ? homeView(entry, state.codes) : "");
  view.hidden = false;
  if (!state.canWrite) return;
  view.hidden = Boolean(entry); // the form shows the same values, ready to change
  for (const name of ["temperature", "bedtime", "wakeTime", "meals", "mealNote", "bowel", "homeNote"]) {
    form.elements[name].value = entry?.[name] ?? "";
  }
  for (const r of form.querySelectorAll('input[name="mood"]')) r.checked = entry?.mood === r.value;
  form.querySelector('button[type="submit"]').textContent = entry ? "内容を直して送る" : "園へ送る";
}

function setupForms() {
  const nb = state.codes.notebook || {};
  $("home-meals").replaceChildren(...options(nb.meals, "選んでください"));
  $("home-bowel").replaceChildren(...options(nb.bowel, "選んでください"));
  $("home-mood").replaceChildren(...(nb.mood || []).map((c) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: "mood", value: c.code }), ` ${c.label}`)));
  const homeForm = $("home-form");
  homeForm.elements.date.max = todayTokyo();
  homeForm.elements.date.addEventListener("change", () => renderHome());
  homeForm.addEventListener("submit", (ev) => { ev.preventDefault(); saveHome(homeForm); });

  $("absence-kind").replaceChildren(...state.codes.kinds.map((c, i) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: "kind", value: c.code, checked: i === 0 }), ` ${c.label}`)));
  $("absence-symptoms").replaceChildren(...state.codes.symptoms.map((c) =>
    h("label", { class: "choice" }, h("input", { type: "checkbox", name: "symptoms", value: c.code }), ` ${c.label}`)));
  $("absence-infection").replaceChildren(...options(state.codes.infections, "なし・わからない"));
  const absenceForm = $("absence-form");
  absenceForm.elements.date.value = todayTokyo();
  absenceForm.addEventListener("change", () => kindChanged(absenceForm));
  kindChanged(absenceForm);
  absenceForm.addEventListener("submit", (ev) => { ev.preventDefault(); sendAbsence(absenceForm); });
}

async function saveHome(form) {
  const status = $("home-status");
  const f = form.elements;
  const data = {
    temperature: f.temperature.value === "" ? null : Number(f.temperature.value),
    bedtime: f.bedtime.value, wakeTime: f.wakeTime.value, meals: f.meals.value, mealNote: f.mealNote.value.trim(),
    mood: form.querySelector('input[name="mood"]:checked')?.value || "", bowel: f.bowel.value, homeNote: f.homeNote.value.trim(),
  };
  const problems = [];
  if (!f.date.value) problems.push(["date", "日付を入力してください。"]);
  if (data.temperature !== null && (data.temperature < 34 || data.temperature > 42)) problems.push(["temperature", "体温は34〜42℃で入力してください。"]);
  if (!reportInvalid(form, problems, status)) return;
  await busy(form, async () => {
    try {
      if (state.home) await pb.collection("notebook_home").update(state.home.id, data);
      else await pb.collection("notebook_home").create({ ...data, child: state.kid.child.id, date: f.date.value });
    } catch (err) {
      showErrors(form, err, status);
      return;
    }
    await renderHome();
    setStatus(status, "園へ送りました。", "ok");
  });
}

// ---- 園から ------------------------------------------------------------------

async function renderNursery(freshId) {
  const list = $("nursery-list");
  const status = $("nursery-status");
  list.setAttribute("aria-busy", "true");
  try {
    const page = await pb.collection("notebook_nursery").getList(1, 14, {
      filter: pb.filter("child = {:c}", { c: state.kid.child.id }), sort: "-date",
    });
    const items = await Promise.all(page.items.map(async (e) => h("article", { class: "note-day" + (e.id === freshId ? " fresh" : "") },
      h("h3", {}, formatCivilDate(e.date)), await nurseryView(e, state.codes))));
    list.replaceChildren(...items);
    if (items.length === 0) list.replaceChildren(h("p", { class: "meta" }, "まだ届いていません。"));
    if (!freshId) setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.setAttribute("aria-busy", "false");
  }
}

function onNurseryEntry(ev) {
  if (ev.record?.child !== state.kid?.child.id) return;
  setStatus($("nursery-status"), `${formatCivilDate(ev.record.date)}の連絡帳が届きました。`, "ok");
  renderNursery(ev.record.id);
}

// ---- 欠席・遅刻・お迎え -----------------------------------------------------

function kindChanged(form) {
  const kind = form.querySelector('input[name="kind"]:checked')?.value;
  $("absence-time-label").textContent = kind === "late" ? "登園する時刻" : kind === "pickup_change" ? "お迎えの時刻" : "時刻";
  form.elements.expectedTime.closest(".field").hidden = kind === "absence";
  form.elements.pickupPerson.closest(".field").hidden = kind !== "pickup_change";
}

async function sendAbsence(form) {
  const status = $("absence-status");
  const f = form.elements;
  const kind = form.querySelector('input[name="kind"]:checked')?.value || "";
  const data = {
    child: state.kid.child.id, date: f.date.value, kind,
    expectedTime: kind === "absence" ? "" : f.expectedTime.value,
    pickupPerson: kind === "pickup_change" ? f.pickupPerson.value.trim() : "",
    symptoms: [...form.querySelectorAll('input[name="symptoms"]:checked')].map((c) => c.value),
    infection: f.infection.value, note: f.note.value.trim(),
    temperature: f.temperature.value === "" ? null : Number(f.temperature.value),
  };
  const problems = [];
  if (!data.date) problems.push(["date", "日付を入力してください。"]);
  if (kind === "late" && !data.expectedTime) problems.push(["expectedTime", "登園する時刻を入力してください。"]);
  if (kind === "pickup_change" && !data.expectedTime && !data.pickupPerson) problems.push(["pickupPerson", "お迎えの時刻かお迎えに来る人を入力してください。"]);
  if (!reportInvalid(form, problems, status)) return;
  await busy(form, async () => {
    try {
      await pb.collection("absence_notices").create(data);
    } catch (err) {
      showErrors(form, err, status);
      return;
    }
    form.reset();
    f.date.value = todayTokyo();
    form.querySelector('input[name="kind"]').checked = true;
    kindChanged(form);
    setStatus(status, "園へ連絡しました。", "ok");
    await renderAbsences();
  });
}

async function renderAbsences() {
  const list = $("absence-list");
  const status = $("absence-list-status");
  try {
    const page = await pb.collection("absence_notices").getList(1, 10, {
      filter: pb.filter("child = {:c}", { c: state.kid.child.id }), sort: "-date,-created",
    });
    list.replaceChildren(...page.items.map(absenceItem));
    if (page.items.length === 0) list.replaceChildren(h("li", { class: "meta" }, "連絡はありません。"));
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function absenceItem(n) {
  const canCancel = state.canWrite && !n.cancelled && !n.acknowledgedAt;
  return h("li", { class: "notice" },
    h("p", { class: "notice-title" }, formatCivilDate(n.date), " ", noticeState(n)),
    h("p", { class: "notice-body" }, noticeSummary(n, state.codes)),
    n.note ? h("p", { class: "notice-body" }, n.note) : null,
    canCancel ? h("div", { class: "actions" }, h("button", {
      type: "button", class: "btn btn-small btn-secondary",
      onclick: async (ev) => {
        ev.target.disabled = true;
        try {
          await pb.collection("absence_notices").update(n.id, { cancelled: true });
          await renderAbsences();
          setStatus($("absence-list-status"), "連絡を取り消しました。", "ok");
        } catch (err) {
          ev.target.disabled = false;
          setStatus($("absence-list-status"), errorMessage(err), "error");
        }
      },
    }, "この連絡を取り消す")) : null,
  );
}

// ---- 園からのお知らせ ----------------------------------------------------------

async function renderNotices() {
  const list = $("notices-list");
  try {
    const page = await pb.collection("infection_notices").getList(1, 10, { sort: "-publishedAt" });
    list.replaceChildren(...page.items.map((n) => h("article", { class: "notice" },
      h("p", { class: "notice-title" }, n.title),
      h("p", { class: "notice-body", style: "white-space: pre-wrap" }, n.body),
      h("p", { class: "meta" }, [formatDateTime(n.publishedAt),
        n.periodFrom ? `期間: ${formatCivilDate(n.periodFrom)}〜${formatCivilDate(n.periodTo)}` : ""].filter(Boolean).join("　")),
    )));
    if (page.items.length === 0) list.replaceChildren(h("p", { class: "meta" }, "お知らせはありません。"));
  } catch (err) {
    setStatus($("notices-status"), errorMessage(err), "error");
  }
}

// Started last, so every module-level binding above is initialised.
const me = requireAccount(["users"]);
if (me) main(me);
