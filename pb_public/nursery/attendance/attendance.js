// 登降園・出退勤 (nursery staff): clock in and out, who is in today, and the
// children's day with hand corrections (a reason is required and audited).
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, busy, todayTokyo, parseDate,
} from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const clockFmt = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", hour: "numeric", minute: "2-digit" });
const hhmmFmt = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit", hour12: false });
const METHODS = { qr: "QR", pin: "PIN", card: "カード", staff: "職員", manual: "訂正" };

const clock = (v) => (parseDate(v) ? clockFmt.format(parseDate(v)) : "—");
const hhmm = (v) => (parseDate(v) ? hhmmFmt.format(parseDate(v)) : "");
/** A Tokyo date and "HH:MM" as an instant, "" when empty. */
const instant = (date, t) => (t ? new Date(`${date}T${t}:00+09:00`).toISOString() : "");

const me = requireAccount(["nursery_staff"]);
if (me) main(me);

let board = null; // the day shown: { date, children }
const rows = new Map(); // child id -> <li>

async function main(record) {
  initPage();
  if (record.role === "kiosk") {
    location.replace("/nursery/kiosk/");
    return;
  }
  $("board-date").value = todayTokyo();
  $("board-date").max = todayTokyo();
  $("board-date").addEventListener("change", loadBoard);
  $("me-form").addEventListener("submit", (e) => clockInOut(e, record));
  await Promise.all([loadClasses(record), loadStaff(record), loadBoard()]);
  pb.collection("attendance").subscribe("*", (e) => live(e.record)).catch(() => {});
  pb.collection("staff_attendance").subscribe("*", () => loadStaff(record)).catch(() => {});
}

async function loadClasses(record) {
  try {
    const classes = await pb.collection("nursery_classes").getFullList({
      filter: pb.filter("nursery = {:n}", { n: record.nursery }), sort: "-fiscalYear,ageClass",
    });
    const year = classes[0]?.fiscalYear;
    $("me-class").append(...classes.filter((c) => c.fiscalYear === year).map((c) => h("option", { value: c.id }, c.name)));
  } catch {
    // No classes to choose from: clocking in works without one.
  }
}

async function loadStaff(record) {
  const list = $("staff-today");
  try {
    const days = await pb.collection("staff_attendance").getFullList({
      filter: pb.filter("nursery = {:n} && date = {:d}", { n: record.nursery, d: todayTokyo() }), sort: "checkIn", expand: "staff,class",
    });
    const mine = days.find((d) => d.staff === record.id);
    $("me-today").replaceChildren(h("dt", {}, "出勤"), h("dd", {}, clock(mine?.checkIn)), h("dt", {}, "退勤"), h("dd", {}, clock(mine?.checkOut)));
    list.replaceChildren(...days.map((d) => h("li", {},
      `${d.expand?.staff?.name || "職員"}　${clock(d.checkIn)}〜${d.checkOut ? clock(d.checkOut) : ""}`,
      d.expand?.class ? h("span", { class: "meta" }, `（${d.expand.class.name}）`) : null)));
    if (days.length === 0) list.replaceChildren(h("li", { class: "meta" }, "まだ誰も出勤していません。"));
  } catch (err) {
    list.replaceChildren(h("li", { class: "status is-error" }, errorMessage(err)));
  }
}

async function clockInOut(e, record) {
  e.preventDefault();
  const form = e.currentTarget;
  const direction = e.submitter?.value || "in";
  const status = $("me-status");
  await busy(form, async () => {
    try {
      const res = await pb.send("/api/lifestage/nursery/staff-checkin", { method: "POST", body: { direction, class: form.class.value } });
      setStatus(status, res.message, "ok");
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    }
    await loadStaff(record);
  });
}

async function loadBoard() {
  const status = $("board-status");
  setStatus(status, "読み込んでいます…");
  try {
    board = await pb.send("/api/lifestage/nursery/attendance", { method: "GET", query: { date: $("board-date").value } });
    rows.clear();
    $("board").replaceChildren(...board.children.map((k) => {
      const li = h("li");
      rows.set(k.child, li);
      renderRow(li, k);
      return li;
    }));
    summarise();
    setStatus(status, board.children.length ? "" : "この日に在籍しているお子さまはいません。");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function summarise() {
  const all = board.children;
  const inCount = all.filter((k) => k.attendance?.checkIn).length;
  const outCount = all.filter((k) => k.attendance?.checkOut).length;
  $("board-summary").textContent = `在籍 ${all.length}人・登園 ${inCount}人・降園 ${outCount}人・まだ ${all.length - inCount}人`;
}

function renderRow(li, k) {
  const a = k.attendance;
  const method = (m) => (m ? h("span", {}, METHODS[m] || m) : null);
  li.className = a?.checkIn ? "" : "missing";
  li.replaceChildren(h("div", { class: "board-row" },
    h("span", { class: "name" }, `${k.familyName} ${k.givenName}`, h("span", { class: "kana" }, k.className)),
    h("span", { class: "time", "aria-label": `登園 ${clock(a?.checkIn)}` }, clock(a?.checkIn), method(a?.inMethod)),
    h("span", { class: "time", "aria-label": `降園 ${clock(a?.checkOut)}` }, clock(a?.checkOut), method(a?.outMethod)),
    correction(k)));
}

function correction(k) {
  const a = k.attendance || {};
  const id = `fix-${k.child}`;
  const form = h("form", { novalidate: true },
    h("div", { class: "grid-2" },
      h("div", { class: "field" }, h("label", { for: `${id}-in` }, "登園"), h("input", { id: `${id}-in`, name: "checkIn", type: "time", value: hhmm(a.checkIn) })),
      h("div", { class: "field" }, h("label", { for: `${id}-out` }, "降園"), h("input", { id: `${id}-out`, name: "checkOut", type: "time", value: hhmm(a.checkOut) }))),
    h("div", { class: "field" }, h("label", { for: `${id}-pickup` }, "お迎えの人"), h("input", { id: `${id}-pickup`, name: "pickupBy", type: "text", maxlength: 50, value: a.pickupBy || "" })),
    h("div", { class: "field" }, h("label", { for: `${id}-note` }, "訂正の理由", h("span", { class: "req" }, "時刻を変えるとき必須")),
      h("input", { id: `${id}-note`, name: "note", type: "text", maxlength: 500, value: "" })),
    h("p", { class: "status", role: "status", "aria-live": "polite" }),
    h("button", { type: "submit", class: "btn btn-block" }, "保存する"));
  form.addEventListener("submit", (e) => save(e, k));
  return h("details", { class: "disclosure" }, h("summary", {}, "訂正する"), form);
}

async function save(e, k) {
  e.preventDefault();
  const form = e.currentTarget;
  const status = form.querySelector(".status");
  const a = k.attendance;
  const date = board.date;
  const body = { pickupBy: form.pickupBy.value.trim() };
  if (form.checkIn.value !== hhmm(a?.checkIn)) body.checkIn = instant(date, form.checkIn.value);
  if (form.checkOut.value !== hhmm(a?.checkOut)) body.checkOut = instant(date, form.checkOut.value);
  if (form.note.value.trim()) body.note = form.note.value.trim();
  await busy(form, async () => {
    try {
      const saved = a?.id
        ? await pb.collection("attendance").update(a.id, body)
        : await pb.collection("attendance").create({ ...body, child: k.child, nursery: board.nursery, class: k.class, date });
      k.attendance = saved;
      renderRow(rows.get(k.child), k);
      summarise();
    } catch (err) {
      showErrors(form, err, status);
    }
  });
}

/** A kiosk check-in (or a colleague's correction) shows at once. */
function live(rec) {
  if (!board || rec.date !== board.date) return;
  const k = board.children.find((c) => c.child === rec.child);
  const li = rows.get(rec.child);
  if (!k || !li) return;
  k.attendance = rec;
  renderRow(li, k);
  li.classList.add("is-live");
  summarise();
}
