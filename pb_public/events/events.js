// イベント・教室の申込 (public): upcoming events with seats left from
// GET /api/lifestage/events/upcoming, a detail view (?id=) and the
// application form, which POSTs /api/lifestage/events/{id}/apply.
import { pb, h, initPage, currentAccount, loginUrl, setStatus, formatDateTime } from "/assets/app.js";
import { t, i18nReady } from "/assets/i18n.js";
import { seatsText, windowText, ageRangeText, feeText, applyErrorText } from "/events/labels.js";

const $ = (id) => document.getElementById(id);
let events = [];

function filters() {
  const f = new FormData($("filter-form"));
  return Object.fromEntries([...f].filter(([, v]) => v !== ""));
}

function summary(ev) {
  return [ageRangeText(ev), feeText(ev)].filter(Boolean).join("・");
}

function card(ev) {
  const href = `/events/?id=${encodeURIComponent(ev.id)}`;
  return h("li", { class: "card" },
    h("p", { class: "tags" }, h("span", { class: "tag tag-primary" }, t(`events.kind.${ev.kind}`))),
    h("h2", {}, h("a", { href, onclick: (e) => { e.preventDefault(); show(ev.id, true); } }, ev.title)),
    h("p", {}, h("time", { datetime: ev.startsAt }, formatDateTime(ev.startsAt)), "・", ev.place || ""),
    h("p", { class: "meta" }, summary(ev)),
    h("p", { class: "seats" }, h("strong", {}, seatsText(ev)), "・", windowText(ev)),
  );
}

async function loadList() {
  const status = $("list-status");
  setStatus(status, t("events.list.loading"));
  try {
    const res = await pb.send("/api/lifestage/events/upcoming", { query: filters() });
    events = res.items || [];
    $("event-list").replaceChildren(...events.map(card));
    setStatus(status, events.length ? t("events.list.count", { n: String(events.length) }) : t("events.list.empty"));
  } catch (err) {
    setStatus(status, applyErrorText(err), "error");
  }
}

async function loadAreas() {
  try {
    const areas = await pb.collection("areas").getFullList({ sort: "code", fields: "id,name" });
    $("area").append(...areas.map((a) => h("option", { value: a.id }, a.name)));
  } catch {
    // The filter still works without areas.
  }
}

/** Shows one event; push adds a history entry so Back returns to the list. */
async function show(id, push) {
  if (push) history.pushState({ id }, "", `/events/?id=${encodeURIComponent(id)}`);
  let ev = events.find((e) => e.id === id);
  if (!ev) {
    try {
      const res = await pb.send("/api/lifestage/events/upcoming", {});
      ev = (res.items || []).find((e) => e.id === id);
    } catch { /* shown as not found */ }
  }
  $("list-view").hidden = true;
  $("detail-view").hidden = false;
  const detail = $("detail");
  if (!ev) {
    detail.replaceChildren(h("p", { class: "card" }, t("events.detail.notFound")));
    $("apply-section").hidden = true;
    return;
  }
  detail.replaceChildren(
    h("p", { class: "tags" }, h("span", { class: "tag tag-primary" }, t(`events.kind.${ev.kind}`))),
    h("h1", { tabindex: "-1" }, ev.title),
    ev.description ? h("p", {}, ev.description) : null,
    h("dl", { class: "facts" },
      h("dt", {}, t("events.detail.when")), h("dd", {}, formatDateTime(ev.startsAt)),
      h("dt", {}, t("events.detail.where")), h("dd", {}, [ev.place, ev.address].filter(Boolean).join("　")),
      ev.contact ? [h("dt", {}, t("events.detail.contact")), h("dd", {}, ev.contact)] : null,
    ),
    h("p", { class: "meta" }, summary(ev)),
    h("p", { class: "seats" }, h("strong", {}, seatsText(ev)), "・", windowText(ev)),
    ev.url ? h("p", {}, h("a", { href: ev.url, rel: "noopener" }, t("events.detail.more"))) : null,
  );
  detail.querySelector("h1").focus();
  await applyForm(ev);
}

function question(q) {
  const id = `q-${q.id}`;
  const label = h("label", { for: id }, q.label, q.required ? h("span", { class: "req" }, t("events.apply.required")) : null);
  let input;
  switch (q.kind) {
    case "choice":
      input = h("select", { id, name: q.id, required: q.required },
        h("option", { value: "" }, t("events.apply.childChoose")), ...q.options.map((o) => h("option", { value: o }, o)));
      break;
    case "number":
      input = h("input", { id, name: q.id, type: "number", inputmode: "numeric", required: q.required, min: q.min ?? null, max: q.max ?? null });
      break;
    case "check":
      return h("div", { class: "field" }, h("label", { class: "check" }, h("input", { type: "checkbox", name: q.id }), q.label));
    default:
      input = h("textarea", { id, name: q.id, rows: 2, maxlength: 500, required: q.required });
  }
  return h("div", { class: "field" }, label, input);
}

function answersOf(form, ev) {
  const out = {};
  for (const q of ev.questions) {
    const el = form.elements[q.id];
    if (q.kind === "check") out[q.id] = el.checked;
    else if (el.value.trim() === "") continue;
    else out[q.id] = q.kind === "number" ? Number(el.value) : el.value;
  }
  return out;
}

async function myChildren(user) {
  return pb.collection("children").getFullList({
    filter: pb.filter("guardians ~ {:u} || familyManagers ~ {:u}", { u: user.id }),
    sort: "-birthDate", fields: "id,givenName,familyName,birthDate",
  });
}

async function applyForm(ev) {
  const section = $("apply-section");
  const body = $("apply-body");
  setStatus($("apply-status"), "");
  section.hidden = ev.window !== "open" || (!ev.waitlistOpen && ev.remaining === 0);
  if (section.hidden) return;
  const user = currentAccount();
  if (!user) {
    body.replaceChildren(h("p", {}, t("events.apply.loginFirst")),
      h("a", { class: "btn btn-block", href: loginUrl() }, t("events.apply.login")));
    return;
  }
  if (user.collectionName !== "users") {
    body.replaceChildren(h("p", {}, t("events.apply.citizenOnly")));
    return;
  }
  const fields = [];
  if (ev.needsChild) {
    const kids = await myChildren(user).catch(() => []);
    if (!kids.length) {
      body.replaceChildren(h("p", {}, t("events.apply.noChild")));
      return;
    }
    fields.push(h("div", { class: "field" },
      h("label", { for: "childId" }, t("events.apply.child"), h("span", { class: "req" }, t("events.apply.required"))),
      h("select", { id: "childId", name: "childId", required: true },
        kids.length > 1 ? h("option", { value: "" }, t("events.apply.childChoose")) : null,
        ...kids.map((k) => h("option", { value: k.id }, `${k.familyName} ${k.givenName}`)))));
  }
  fields.push(...ev.questions.map(question));
  const full = ev.remaining === 0;
  const form = h("form", { novalidate: false },
    ...fields,
    h("button", { class: "btn btn-big", type: "submit" }, t(full ? "events.apply.waitSubmit" : "events.apply.submit")));
  form.addEventListener("submit", (e) => { e.preventDefault(); send(form, ev); });
  body.replaceChildren(form);
}

async function send(form, ev) {
  const status = $("apply-status");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  setStatus(status, t("events.apply.sending"));
  const payload = { answers: answersOf(form, ev) };
  if (form.elements.childId) payload.childId = form.elements.childId.value;
  try {
    const res = await pb.send(`/api/lifestage/events/${encodeURIComponent(ev.id)}/apply`, { method: "POST", body: payload });
    const text = res.status === "waitlisted"
      ? t("events.apply.waitlisted", { n: String(res.position || "") })
      : t("events.apply.confirmed");
    $("apply-body").replaceChildren(h("p", { class: "card" }, h("strong", {}, text)),
      h("a", { class: "btn btn-secondary btn-block", href: "/me/applications/" }, t("events.apply.history")));
    setStatus(status, text, "ok");
  } catch (err) {
    setStatus(status, applyErrorText(err), "error");
    button.disabled = false;
  }
}

function route() {
  const id = new URLSearchParams(location.search).get("id");
  if (id) return show(id, false);
  $("detail-view").hidden = true;
  $("list-view").hidden = false;
}

async function main() {
  initPage();
  await i18nReady();
  $("filter-form").addEventListener("submit", (e) => { e.preventDefault(); loadList(); });
  window.addEventListener("popstate", route);
  $("back-link").addEventListener("click", (e) => { e.preventDefault(); history.pushState({}, "", "/events/"); route(); });
  loadAreas();
  await loadList();
  route();
}

main();
