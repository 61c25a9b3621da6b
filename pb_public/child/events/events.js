// Applicants of the city's events for 子育て staff: every event with its
// confirmed and waitlisted counts, then one event's applicants (name, child,
// age in months on the day, answers, status), cancellation on a resident's
// behalf (the waitlist moves up) and the xlsx export.
import {
  pb, requireAccount, refreshAccount, initPage, h, errorMessage, setStatus, downloadFile, formatDateTime, formatCivilDate,
} from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const STATUS = { confirmed: "確定", waitlisted: "キャンセル待ち", cancelled: "取消" };
let current = null;

async function loadEvents() {
  const status = $("events-status");
  setStatus(status, "読み込んでいます…");
  try {
    const [events, counts] = await Promise.all([
      pb.collection("events").getFullList({ sort: "-startsAt", filter: "onlineApplication = true", fields: "id,title,startsAt,capacity,published" }),
      pb.send("/api/lifestage/events/counts", {}),
    ]);
    $("event-rows").replaceChildren(...events.map((ev) => {
      const c = counts.items?.[ev.id] || {};
      return h("tr", {},
        h("th", { scope: "row" }, ev.title, ev.published ? null : h("span", { class: "tag tag-muted" }, "下書き")),
        h("td", {}, formatDateTime(ev.startsAt)),
        h("td", { class: "num" }, ev.capacity || "なし"),
        h("td", { class: "num" }, c.confirmed || 0),
        h("td", { class: "num" }, c.waitlisted || 0),
        h("td", {}, h("button", { type: "button", class: "btn btn-small", onclick: () => showRoster(ev.id) }, "申込者を見る")));
    }));
    setStatus(status, `${events.length}件のイベントが申込を受け付けています。`);
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function answerText(v) {
  if (v === true) return "はい";
  if (v === false) return "いいえ";
  return v == null ? "" : String(v);
}

async function showRoster(id) {
  current = id;
  const section = $("roster");
  section.hidden = false;
  const status = $("roster-status");
  setStatus(status, "読み込んでいます…");
  try {
    const r = await pb.send(`/api/lifestage/events/${encodeURIComponent(id)}/applications`, {});
    const ev = r.event;
    $("roster-title").textContent = `申込者：${ev.title}`;
    $("roster-meta").textContent = `${formatDateTime(ev.startsAt)}・定員 ${ev.capacity || "なし"}・確定 ${ev.confirmed}・キャンセル待ち ${ev.waitlisted}`;
    $("roster-head").replaceChildren(h("tr", {},
      ...["状態", "申込者", "子", "当日の月齢", ...r.questions.map((q) => q.label), "申込日時", ""].map((l) => h("th", { scope: "col" }, l))));
    $("roster-rows").replaceChildren(...r.items.map((a) => h("tr", {},
      h("td", {}, STATUS[a.status], a.position ? `（${a.position}番目）` : "", a.cancelledBy === "staff" ? "（職員）" : ""),
      h("th", { scope: "row" }, a.userName || a.userEmail, h("span", { class: "meta" }, ` ${a.userPhone || ""}`)),
      h("td", {}, a.childName, a.birthDate ? h("span", { class: "meta" }, `（${formatCivilDate(a.birthDate)}生）`) : null),
      h("td", { class: "num" }, a.ageMonths ?? ""),
      ...r.questions.map((q) => h("td", {}, answerText(a.answers?.[q.id]))),
      h("td", {}, formatDateTime(a.appliedAt)),
      h("td", {}, a.status === "cancelled" ? null
        : h("button", { type: "button", class: "btn btn-small btn-secondary", onclick: () => cancel(a) }, "代理で取消")))));
    setStatus(status, `${r.items.length}件の申込があります。`);
    $("roster-title").focus();
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

async function cancel(a) {
  if (!confirm(`${a.userName || a.userEmail} さんの申込を取り消します。キャンセル待ちの先頭が繰り上がり、通知されます。よろしいですか？`)) return;
  try {
    const r = await pb.send(`/api/lifestage/applications/${encodeURIComponent(a.id)}/cancel`, { method: "POST" });
    await Promise.all([showRoster(current), loadEvents()]);
    setStatus($("roster-status"), r.promoted ? `取り消しました。${r.promoted}人が繰り上がりました。` : "取り消しました。", "ok");
  } catch (err) {
    setStatus($("roster-status"), errorMessage(err), "error");
  }
}

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (me.collectionName !== "city_staff" || me.department !== "child") {
    $("denied").hidden = false;
    return;
  }
  $("page").hidden = false;
  $("download").addEventListener("click", async () => {
    try {
      const name = await downloadFile(`/api/lifestage/events/${encodeURIComponent(current)}/applications.xlsx`, {}, "applications.xlsx");
      setStatus($("roster-status"), `${name} を保存しました。`, "ok");
    } catch (err) {
      setStatus($("roster-status"), errorMessage(err), "error");
    }
  });
  await loadEvents();
}

if (requireAccount(["city_staff"])) main();
