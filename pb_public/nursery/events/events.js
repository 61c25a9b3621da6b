// 行事予定: the nursery's events from today on. Staff add drafts, publish
// them (the families are told), change them and call them off.
import { pb, h, errorMessage, setStatus, showErrors, clearErrors, busy, todayTokyo, formatCivilDate } from "/assets/app.js";
import { EVENT_STATUS, EVENT_AUDIENCE, label } from "/assets/labels.js";
import { requireNurseryStaff, loadClasses, classLabel } from "/nursery/day/classes.js";

const $ = (id) => document.getElementById(id);
const me = requireNurseryStaff();
if (me) main();

let classes = [];
let editing = null; // the event in the form, or null for a new one

async function main() {
  const form = $("event-form");
  $("event-date").min = todayTokyo();
  form.addEventListener("change", (ev) => { if (ev.target.name === "audience") showClassField(); });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); save(); });
  $("event-new").addEventListener("click", () => edit(null));
  try {
    classes = await loadClasses(me.nursery);
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
  }
  $("event-class").replaceChildren(...classes.map((c) => h("option", { value: c.id }, classLabel(c))));
  await loadEvents();
}

function showClassField() {
  $("class-field").hidden = $("event-form").elements.audience.value !== "class";
}

async function loadEvents() {
  let events;
  try {
    events = await pb.collection("nursery_events").getFullList({
      filter: pb.filter("nursery = {:n} && date >= {:d}", { n: me.nursery, d: todayTokyo() }),
      sort: "date,startTime",
    });
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
    return;
  }
  $("event-list").replaceChildren(...events.map(eventItem));
  $("event-empty").hidden = events.length > 0;
}

function when(ev) {
  const time = ev.startTime ? ` ${ev.startTime}〜${ev.endTime || ""}` : "";
  return `${formatCivilDate(ev.date)}${time}`;
}

function eventItem(ev) {
  const cls = classes.find((c) => c.id === ev.class);
  const tag = { draft: "tag-muted", published: "tag-ok", cancelled: "tag-danger" }[ev.status] || "tag-muted";
  return h("article", { class: `event-item is-${ev.status}` },
    h("h3", {}, ev.title, " ", h("span", { class: `tag ${tag}` }, label(EVENT_STATUS, ev.status))),
    h("p", {}, when(ev), ev.place ? `・${ev.place}` : ""),
    h("p", { class: "meta" }, `対象：${ev.audience === "class" && cls ? cls.name : label(EVENT_AUDIENCE, ev.audience)}`),
    ev.description ? h("p", { class: "meta" }, ev.description) : null,
    h("div", { class: "actions" },
      ev.status === "draft" ? h("button", { type: "button", class: "btn btn-small", onclick: () => act(ev, "publish") }, "公開して保護者に知らせる") : null,
      ev.status !== "cancelled" ? h("button", { type: "button", class: "btn btn-small btn-secondary", onclick: () => edit(ev) }, "変更する") : null,
      ev.status !== "cancelled" ? h("button", { type: "button", class: "btn btn-small btn-secondary", onclick: () => act(ev, "cancel") }, "中止にする") : null));
}

async function act(ev, action) {
  const question = action === "publish"
    ? `「${ev.title}」を公開し、保護者に通知しますか？`
    : `「${ev.title}」を中止にしますか？${ev.status === "published" ? "保護者に中止を通知します。" : ""}`;
  if (!confirm(question)) return;
  try {
    const res = await pb.send(`/api/lifestage/nursery/events/${ev.id}/${action}`, { method: "POST" });
    const done = action === "publish" ? "公開しました" : "中止にしました";
    setStatus($("page-status"), `「${ev.title}」を${done}（通知 ${res.notified}件）。`, "ok");
    await loadEvents();
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
  }
}

function edit(ev) {
  editing = ev;
  const form = $("event-form");
  clearErrors(form);
  setStatus($("form-status"), "");
  for (const name of ["title", "date", "startTime", "endTime", "place", "description"]) form.elements[name].value = ev?.[name] || "";
  form.elements.audience.value = ev?.audience || "all";
  if (ev?.class) form.elements.class.value = ev.class;
  showClassField();
  $("form-title").textContent = ev ? `「${ev.title}」を変更` : "行事を追加";
  $("event-save").textContent = ev ? (ev.status === "published" ? "変更を保存して保護者に知らせる" : "変更を保存") : "下書きとして保存";
  $("event-new").hidden = !ev;
  form.elements.title.focus();
}

async function save() {
  const form = $("event-form");
  const data = {};
  for (const name of ["title", "date", "startTime", "endTime", "place", "description", "audience"]) data[name] = form.elements[name].value;
  data.class = data.audience === "class" ? form.elements.class.value : "";
  let saved = false;
  await busy(form, async () => {
    try {
      if (editing) await pb.collection("nursery_events").update(editing.id, data);
      else await pb.collection("nursery_events").create({ ...data, nursery: me.nursery });
      saved = true;
    } catch (err) {
      showErrors(form, err, $("form-status"));
    }
  });
  if (!saved) return;
  const text = editing ? "変更を保存しました。" : "下書きとして保存しました。一覧の「公開して保護者に知らせる」で公開します。";
  edit(null);
  setStatus($("form-status"), text, "ok");
  await loadEvents();
}
