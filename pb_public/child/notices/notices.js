// お知らせ配信 for 子育て staff: compose an announcement, aim it (with the
// live recipient count), schedule it, and follow delivery and read rates.
import { pb, h, refreshAccount, initPage, setStatus, busy, showErrors, errorMessage, formatDateTime } from "/assets/app.js";
import { audienceBuilder, instant, isChildStaff } from "/child/notices/audience.js";

const $ = (id) => document.getElementById(id);
const STATUS = { draft: "下書き", scheduled: "配信予約", sending: "配信中", sent: "配信済み", cancelled: "取消" };

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (!isChildStaff(me)) {
    $("denied").hidden = false;
    return;
  }
  $("page").hidden = false;
  const audience = await audienceBuilder($("audience"));
  const events = await pb.collection("events").getFullList({ filter: `startsAt >= @now`, sort: "startsAt", fields: "id,title,startsAt" }).catch(() => []);
  $("event").append(...events.map((ev) => h("option", { value: ev.id }, `${ev.title}（${formatDateTime(ev.startsAt)}）`)));
  const form = $("compose");
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const status = ev.submitter?.value || "scheduled";
    busy(form, async () => {
      const later = form.elements.when.value === "later";
      const body = {
        title: $("title").value, body: $("body").value, category: $("category").value, event: $("event").value,
        audience: audience.read(), status,
        scheduledAt: later ? instant($("scheduledAt")) : new Date().toISOString(),
      };
      try {
        await pb.collection("announcements").create(body);
        setStatus($("compose-status"), status === "draft" ? "下書きに保存しました。" : "配信を予約しました。", "ok");
        form.reset();
        audience.set({});
        await list();
      } catch (err) {
        showErrors(form, err, $("compose-status"));
      }
    });
  });
  await list();
  setInterval(list, 30_000); // delivery runs every minute; keep the counts fresh
}

function rate(a) {
  const n = a.recipientCount || 0;
  const r = n ? a.readCount / n : 0;
  return h("div", { class: "rate" }, h("div", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width:${(r * 100).toFixed(1)}%` })),
    `${(r * 100).toFixed(1)}%`);
}

async function list() {
  try {
    const items = await pb.collection("announcements").getList(1, 50, { sort: "-created", skipTotal: true });
    $("rows").replaceChildren(...items.items.map((a) => h("tr", {},
      h("td", {}, a.title), h("td", {}, STATUS[a.status] || a.status),
      h("td", {}, formatDateTime(a.sentAt || a.scheduledAt)),
      h("td", {}, String(a.recipientCount || 0)), h("td", {}, String(a.readCount || 0)), h("td", {}, rate(a)),
      h("td", {}, a.status === "scheduled" || a.status === "draft"
        ? h("button", { class: "btn btn-small btn-secondary", type: "button", onclick: () => cancel(a) }, "取り消す") : ""))));
  } catch (err) {
    setStatus($("list-status"), errorMessage(err), "error");
  }
}

async function cancel(a) {
  if (!confirm(`「${a.title}」の配信を取り消しますか。`)) return;
  try {
    await pb.collection("announcements").update(a.id, { status: "cancelled" });
    await list();
  } catch (err) {
    setStatus($("list-status"), errorMessage(err), "error");
  }
}

main();
