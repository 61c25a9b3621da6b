// 指導計画: a class's annual plan and its twelve monthly plans for a fiscal
// year. Staff write drafts; the director approves (and may reopen).
import { pb, h, errorMessage, setStatus, showErrors, clearErrors, busy } from "/assets/app.js";
import { DOC_STATUS, PLAN_KINDS, label } from "/assets/labels.js";
import { requireNurseryStaff, isDirector, fiscalYear, loadClasses, mountClassPicker } from "/nursery/day/classes.js";

const $ = (id) => document.getElementById(id);
const MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3];
const FIELDS = ["aims", "content", "environment", "support", "evaluation"];

const me = requireNurseryStaff();
if (me) main();

let current = null; // class
let plans = []; // the class's plans of the year
let open = null; // { kind, month, record }

async function main() {
  const fy = fiscalYear();
  $("year-select").replaceChildren(...[fy - 1, fy, fy + 1].map((y) => h("option", { value: y, selected: y === fy }, `${y}年度`)));
  $("year-select").addEventListener("change", loadPlans);
  $("plan-form").addEventListener("submit", (ev) => { ev.preventDefault(); save({}); });
  $("plan-approve").addEventListener("click", () => save({ status: "approved" }));
  $("plan-reopen").addEventListener("click", () => save({ status: "draft" }, true));
  let classes;
  try {
    classes = await loadClasses(me.nursery, fy);
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
    return;
  }
  if (classes.length === 0) {
    setStatus($("page-status"), "今年度のクラスがまだ登録されていません。", "error");
    return;
  }
  mountClassPicker($("class-select"), classes, (c) => {
    current = c;
    $("back-link").href = `/nursery/day/?class=${c.id}`;
    loadPlans();
  });
}

const year = () => Number($("year-select").value);

async function loadPlans() {
  $("editor").hidden = true;
  open = null;
  try {
    plans = await pb.collection("guidance_plans").getFullList({
      filter: pb.filter("class = {:c} && fiscalYear = {:y}", { c: current.id, y: year() }),
    });
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
    return;
  }
  setStatus($("page-status"), "");
  const slots = [{ kind: "annual", month: 0 }, ...MONTHS.map((m) => ({ kind: "monthly", month: m }))];
  $("plan-list").replaceChildren(...slots.map((slot) => {
    const rec = plans.find((p) => p.kind === slot.kind && p.month === slot.month);
    const tag = rec
      ? h("span", { class: `tag ${rec.status === "approved" ? "tag-ok" : "tag-primary"}` }, label(DOC_STATUS, rec.status))
      : h("span", { class: "tag tag-muted" }, "未作成");
    return h("li", { class: "doc-item" },
      h("span", {}, titleOf(slot)), tag,
      h("button", { type: "button", class: "btn btn-small", onclick: () => openPlan(slot, rec) }, rec ? "ひらく" : "作成する"));
  }));
}

function titleOf({ kind, month }) {
  return kind === "annual" ? label(PLAN_KINDS, kind) : `${month}月の月間指導計画`;
}

function openPlan(slot, rec) {
  open = { ...slot, record: rec || null };
  fill();
  $("editor").hidden = false;
  $("plan-aims").focus();
}

function fill() {
  const form = $("plan-form");
  clearErrors(form);
  setStatus($("plan-status"), "");
  const r = open.record || {};
  for (const f of FIELDS) form.elements[f].value = r[f] || "";
  const approved = r.status === "approved";
  const director = isDirector(me);
  for (const el of form.querySelectorAll("textarea")) el.disabled = approved;
  $("plan-save").hidden = approved;
  $("plan-approve").hidden = !director || !open.record || approved;
  $("plan-reopen").hidden = !director || !approved;
  $("editor-title").textContent = `${current.name} ${year()}年度 ${titleOf(open)}`;
  $("editor-facts").textContent = open.record
    ? `${label(DOC_STATUS, r.status)}${approved ? (director ? "（変更するには承認を取り消してください）" : "（承認済みのため、職員は変更できません）") : ""}`
    : "まだ作成されていません。書いて保存してください。";
}

async function save(extra, statusOnly = false) {
  const form = $("plan-form");
  const data = {};
  if (!statusOnly) for (const f of FIELDS) data[f] = form.elements[f].value;
  Object.assign(data, extra);
  let saved = false;
  await busy(form, async () => {
    try {
      open.record = open.record
        ? await pb.collection("guidance_plans").update(open.record.id, data)
        : await pb.collection("guidance_plans").create({
          ...data, nursery: me.nursery, class: current.id, kind: open.kind, fiscalYear: year(), month: open.month,
        });
      saved = true;
    } catch (err) {
      showErrors(form, err, $("plan-status"));
    }
  });
  if (!saved) return;
  plans = plans.filter((p) => p.id !== open.record.id).concat(open.record);
  const keep = open;
  await loadPlans();
  openPlan(keep, keep.record);
  setStatus($("plan-status"), { approved: "承認しました。", draft: extra.status ? "承認を取り消しました。" : "保存しました。" }[keep.record.status], "ok");
}
