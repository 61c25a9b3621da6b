// 申請履歴: the caller's applications to events, newest first, from
// GET /api/lifestage/me/applications, with cancellation (after a confirm).
import { pb, h, requireAccount, initPage, setStatus, formatDateTime } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";
import { applyErrorText } from "/events/labels.js";

const $ = (id) => document.getElementById(id);
const TAG = { confirmed: "tag-ok", waitlisted: "tag-primary", cancelled: "tag-muted" };

function item(a) {
  const ev = a.event;
  const lines = [
    a.childName ? t("events.my.child", { name: a.childName }) : "",
    t("events.my.appliedAt", { date: formatDateTime(a.appliedAt) }),
    a.promotedAt ? t("events.my.promotedAt", { date: formatDateTime(a.promotedAt) }) : "",
    a.cancelledBy === "staff" ? t("events.my.byStaff") : "",
  ].filter(Boolean);
  return h("li", { class: "card", tabindex: "-1" },
    h("p", { class: "tags" },
      h("span", { class: `tag ${TAG[a.status] || ""}` }, t(`events.status.${a.status}`)),
      a.status === "waitlisted" && a.position ? h("span", { class: "tag" }, t("events.my.position", { n: String(a.position) })) : null),
    h("h2", {}, ev.title),
    h("p", {}, h("time", { datetime: ev.startsAt }, formatDateTime(ev.startsAt)), ev.place ? `・${ev.place}` : ""),
    h("p", { class: "meta" }, lines.join("・")),
    a.cancellable ? h("button", { type: "button", class: "btn btn-secondary btn-block", onclick: (e) => cancel(a, e.currentTarget) },
      t("events.my.cancel")) : null,
  );
}

async function cancel(a, button) {
  if (!confirm(t("events.my.confirmCancel", { title: a.event.title }))) return;
  button.disabled = true;
  try {
    await pb.send(`/api/lifestage/applications/${encodeURIComponent(a.id)}/cancel`, { method: "POST" });
    await load();
    setStatus($("status"), t("events.my.cancelled"), "ok");
  } catch (err) {
    setStatus($("status"), applyErrorText(err), "error");
    button.disabled = false;
  }
}

async function load() {
  const list = $("list");
  list.setAttribute("aria-busy", "true");
  try {
    const res = await pb.send("/api/lifestage/me/applications", {});
    const items = res.items || [];
    list.replaceChildren(...items.map(item));
    $("empty").hidden = items.length > 0;
    setStatus($("status"), "");
  } catch (err) {
    setStatus($("status"), applyErrorText(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

async function main() {
  initPage();
  await i18nReady();
  setStatus($("status"), t("events.list.loading"));
  await load();
}

if (requireAccount(["users"])) main();
