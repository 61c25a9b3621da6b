// 保育園の登降園 (citizens): for each child in a nursery, today's check-in
// and check-out (live: the kiosk's record shows at once), the last two weeks,
// and for guardians the child's QR code and PIN for the kiosk.
import { pb, h, requireAccount, initPage, errorMessage, setStatus, todayTokyo, formatCivilDate, parseDate } from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const HISTORY_DAYS = 14;

const clockFmt = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", hour: "numeric", minute: "2-digit" });
const METHODS = { qr: "QRコード", pin: "PIN", card: "ICカード", staff: "職員", manual: "職員が訂正" };

/** "7:32", or "—" when not yet. */
function clock(value) {
  const d = parseDate(value);
  return d ? clockFmt.format(d) : "—";
}

const me = requireAccount(["users"]);
if (me) main(me);

// child id -> { today: element updater, rows: history tbody }
const views = new Map();

async function main(record) {
  initPage();
  const list = $("kids");
  list.setAttribute("aria-busy", "true");
  try {
    const children = await pb.collection("children").getFullList({ sort: "birthDate" });
    const today = todayTokyo();
    const cards = [];
    for (const child of children) {
      const enrolments = await pb.collection("enrolments").getFullList({
        filter: pb.filter("child = {:c} && start <= {:d} && (end = '' || end >= {:d})", { c: child.id, d: today }),
        sort: "-start",
      });
      if (enrolments.length === 0) continue;
      cards.push(await childCard(child, enrolments[0], record));
    }
    list.replaceChildren(...cards);
    $("kids-empty").hidden = cards.length > 0;
    if (cards.length > 0) subscribe();
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

async function childCard(child, enrolment, record) {
  const [nursery, klass] = await Promise.all([
    pb.collection("facilities").getOne(enrolment.nursery, { fields: "name" }).catch(() => null),
    enrolment.class ? pb.collection("nursery_classes").getOne(enrolment.class, { fields: "name" }).catch(() => null) : null,
  ]);
  const nameId = `kid-${child.id}`;
  const inBox = h("div", {}, h("dt", {}, "登園"), h("dd", {}, "—"));
  const outBox = h("div", {}, h("dt", {}, "降園"), h("dd", {}, "—"));
  const rows = h("tbody");
  const manager = (child.guardians || []).includes(record.id) || (child.familyManagers || []).includes(record.id);
  const card = h("article", { class: "card", "aria-labelledby": nameId },
    h("h2", { id: nameId }, `${child.familyName} ${child.givenName}`),
    h("p", { class: "meta" }, [nursery?.name, klass?.name].filter(Boolean).join("・")),
    h("h3", {}, "今日"),
    h("dl", { class: "today", "aria-live": "polite", id: `today-${child.id}` }, inBox, outBox),
    manager ? codeSection(child) : h("p", { class: "meta" }, "登降園用のQRコードとPINは、保護者のアプリに表示されます。"),
    h("details", { class: "disclosure" },
      h("summary", {}, `これまでの登降園（${HISTORY_DAYS}日分）`),
      h("table", { class: "history" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "日付"), h("th", { scope: "col" }, "登園"), h("th", { scope: "col" }, "降園"), h("th", { scope: "col" }, "お迎え"))),
        rows)),
  );
  const view = { inBox, outBox, rows };
  views.set(child.id, view);
  await loadDays(child.id, view);
  return card;
}

async function loadDays(childId, view) {
  const from = new Date(Date.now() - HISTORY_DAYS * 86400000);
  const res = await pb.collection("attendance").getList(1, HISTORY_DAYS + 1, {
    filter: pb.filter("child = {:c} && date >= {:d}", { c: childId, d: todayTokyo(from) }),
    sort: "-date", skipTotal: true,
  });
  const today = todayTokyo();
  showToday(view, res.items.find((r) => r.date === today));
  view.rows.replaceChildren(...res.items.map(dayRow));
}

function dayRow(r) {
  return h("tr", { dataset: { date: r.date } },
    h("td", {}, formatCivilDate(r.date).replace(/^\d+年/, "")),
    h("td", {}, clock(r.checkIn)),
    h("td", {}, clock(r.checkOut)),
    h("td", {}, r.pickupBy || ""));
}

function showToday(view, r, live = false) {
  const set = (box, value, method) => {
    box.querySelector("dd").textContent = clock(value);
    box.title = value && METHODS[method] ? `記録: ${METHODS[method]}` : "";
    box.classList.toggle("is-live", live && !!value);
  };
  set(view.inBox, r?.checkIn, r?.inMethod);
  set(view.outBox, r?.checkOut, r?.outMethod);
}

/** The kiosk's record arrives at once; the list rule sends only our children's. */
function subscribe() {
  return pb.collection("attendance").subscribe("*", (e) => {
    const view = views.get(e.record.child);
    if (!view) return;
    if (e.record.date === todayTokyo()) showToday(view, e.action === "delete" ? null : e.record, true);
    const row = view.rows.querySelector(`tr[data-date="${e.record.date}"]`);
    if (row) row.replaceWith(dayRow(e.record));
    else if (e.action !== "delete") view.rows.prepend(dayRow(e.record));
  }).then(() => {
    document.body.dataset.live = "on"; // the page follows the kiosk from now on
  }).catch((err) => setStatus($("page-status"), `自動更新を開始できませんでした。${errorMessage(err)}`, "error"));
}

function codeSection(child) {
  const box = h("div", { class: "code-box" }, h("p", { class: "meta" }, "読み込んでいます…"));
  const id = `code-${child.id}`;
  const section = h("details", { class: "disclosure" },
    h("summary", { id }, "登降園用のQRコードとPIN"),
    box);
  section.addEventListener("toggle", () => {
    if (section.open && !box.dataset.loaded) loadCode(child, box);
  }, { once: false });
  return section;
}

async function loadCode(child, box) {
  box.dataset.loaded = "1";
  try {
    const c = await pb.send(`/api/lifestage/nursery/children/${encodeURIComponent(child.id)}/checkin-code`, { method: "GET" });
    box.replaceChildren(
      h("img", { src: c.qrImage, width: 280, height: 280, alt: `${child.givenName}さんの登降園用QRコード` }),
      h("p", { class: "meta" }, "園の端末のカメラにかざしてください。カメラがない端末では、PINを入力します。"),
      h("p", { class: "code-pin", "aria-label": `PIN ${c.pin.split("").join(" ")}` }, c.pin),
      h("p", { class: "meta" }, "QRコードやPINを他の人に見せないでください。なくしたときは園に再発行を頼めます。"),
    );
  } catch (err) {
    delete box.dataset.loaded;
    box.replaceChildren(h("p", { class: "status is-error" }, errorMessage(err)));
  }
}
