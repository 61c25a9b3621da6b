// 連絡帳 for nursery staff: a class's day with what each family wrote and
// sent (absence, late, pickup notices to acknowledge), the nursery's own
// entry per child (saved as a draft, then published to the family), the
// nursery's infection counts and its infection notices to families.
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, reportInvalid, busy,
  todayTokyo, formatCivilDate, formatDateTime,
} from "/assets/app.js";
import { loadCodes, options, labelOf, homeView, noticeSummary, noticeState, countsTable } from "/nursery/notes.js";

const $ = (id) => document.getElementById(id);
const state = { me: null, codes: null, classes: [], day: null };

async function main(me) {
  initPage();
  state.me = me;
  try {
    state.codes = await loadCodes();
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
    return;
  }
  const form = $("day-form");
  form.elements.date.value = todayTokyo();
  form.addEventListener("change", () => loadDay());
  setupNoticeForm();
  $("day").hidden = false;
  await loadDay();
  await Promise.all([renderCounts(), renderNotices()]);
  // A family's notice or home entry is announced at once; the list is
  // redrawn on request, so that nothing typed in an open form is lost.
  for (const c of ["absence_notices", "notebook_home"]) {
    pb.collection(c).subscribe("*", announce).catch(() => {});
  }
  addEventListener("pagehide", () => pb.realtime.unsubscribe().catch(() => {}), { once: true });
}

// ---- the class's day ------------------------------------------------------------

function announce(ev) {
  if (ev.record?.date !== state.day?.date) return;
  const text = ev.record.collectionName === "absence_notices" ? "保護者から新しい連絡が届きました。" : "家庭からの連絡帳が届きました。";
  $("page-status").replaceChildren(text, " ",
    h("button", { type: "button", class: "btn btn-small", onclick: () => loadDay() }, "一覧を更新"));
}

async function loadDay() {
  const form = $("day-form");
  const kids = $("kids");
  const query = new URLSearchParams({ date: form.elements.date.value || todayTokyo() });
  if (form.elements.class.value) query.set("class", form.elements.class.value);
  kids.setAttribute("aria-busy", "true");
  try {
    state.day = await pb.send(`/api/lifestage/nursery/notebook/day?${query}`, { method: "GET" });
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
    return;
  } finally {
    kids.setAttribute("aria-busy", "false");
  }
  setStatus($("page-status"), "");
  if (state.classes.length === 0) {
    state.classes = state.day.classes;
    const opts = state.classes.map((c) => h("option", { value: c.id }, c.name));
    form.elements.class.replaceChildren(h("option", { value: "" }, "すべてのクラス"), ...opts);
    $("notice-class").replaceChildren(h("option", { value: "" }, "園全体"), ...opts.map((o) => o.cloneNode(true)));
  }
  const open = new Set([...kids.querySelectorAll("details[open]")].map((d) => d.dataset.id));
  kids.replaceChildren(...state.day.children.map((c) => kidCard(c, open.has(c.id))));
  if (state.day.children.length === 0) kids.replaceChildren(h("p", { class: "meta" }, "この日に在籍しているお子さまはいません。"));
  const absent = state.day.children.filter((c) => c.notices.some((n) => n.kind === "absence" && !n.cancelled)).length;
  const published = state.day.children.filter((c) => c.entry?.status === "published").length;
  $("day-summary").textContent = `${formatCivilDate(state.day.date)}　${state.day.children.length}人　欠席の連絡 ${absent}人　連絡帳の公開 ${published}人`;
}

function className(id) {
  return state.classes.find((c) => c.id === id)?.name || "";
}

function kidCard(c, open) {
  const live = c.notices.filter((n) => !n.cancelled);
  const tags = [
    h("span", { class: "tag tag-muted" }, className(c.class)),
    c.home ? h("span", { class: "tag tag-ok" }, "家庭から記入あり") : null,
    ...live.map((n) => h("span", { class: n.acknowledgedAt ? "tag" : "tag tag-primary" }, labelOf(state.codes.kinds, n.kind) + (n.acknowledgedAt ? "" : "（未確認）"))),
    c.entry ? h("span", { class: c.entry.status === "published" ? "tag tag-ok" : "tag" }, c.entry.status === "published" ? "公開済み" : "下書き") : null,
  ];
  return h("details", { class: "kid", dataset: { id: c.id }, open },
    h("summary", {}, h("span", { class: "name" }, `${c.familyName} ${c.givenName}`), h("span", { class: "kana" }, `${c.familyNameKana} ${c.givenNameKana}`), ...tags),
    h("div", { class: "kid-body" },
      h("h4", {}, "家庭から"),
      c.home ? homeView(c.home, state.codes) : h("p", { class: "meta" }, "記入はまだありません。"),
      h("h4", {}, "欠席・遅刻・お迎えの連絡"),
      c.notices.length ? h("ul", { class: "plain-list" }, c.notices.map(noticeItem)) : h("p", { class: "meta" }, "連絡はありません。"),
      h("h4", {}, "園から"),
      entryForm(c),
    ));
}

function noticeItem(n) {
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  return h("li", { class: "notice" },
    h("p", { class: "notice-title" }, noticeState(n)),
    h("p", { class: "notice-body" }, noticeSummary(n, state.codes)),
    n.note ? h("p", { class: "notice-body" }, n.note) : null,
    n.acknowledgedAt ? h("p", { class: "meta" }, `${formatDateTime(n.acknowledgedAt)} 確認`) : null,
    !n.acknowledgedAt && !n.cancelled ? h("div", { class: "actions" }, h("button", {
      type: "button", class: "btn btn-small",
      onclick: async (ev) => {
        ev.target.disabled = true;
        try {
          const done = await pb.send(`/api/lifestage/nursery/absences/${encodeURIComponent(n.id)}/acknowledge`, { method: "POST" });
          Object.assign(n, done);
          ev.target.closest("li").replaceWith(noticeItem(n));
        } catch (err) {
          ev.target.disabled = false;
          setStatus(status, errorMessage(err), "error");
        }
      },
    }, "確認しました")) : null,
    status,
  );
}

let formSeq = 0;

function entryForm(c) {
  const e = c.entry || {};
  const nb = state.codes.notebook || {};
  const id = (name) => `entry-${++formSeq}-${name}`;
  const field = (labelText, control) => h("div", { class: "field" }, h("label", { for: control.id }, labelText), control);
  const meals = h("select", { id: id("meals"), name: "meals" }, options(nb.meals, "選んでください"));
  meals.value = e.meals || "";
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const published = e.status === "published";
  const form = h("form", { novalidate: true },
    h("div", { class: "grid-2" },
      field("給食の量", meals),
      field("給食・おやつの様子", h("input", { id: id("mealNote"), name: "mealNote", type: "text", maxlength: "200", value: e.mealNote || "" }))),
    h("div", { class: "grid-2" },
      field("午睡（はじめ）", h("input", { id: id("napFrom"), name: "napFrom", type: "time", value: e.napFrom || "" })),
      field("午睡（おわり）", h("input", { id: id("napTo"), name: "napTo", type: "time", value: e.napTo || "" }))),
    field("今日の活動", h("textarea", { id: id("activities"), name: "activities", rows: "3", maxlength: "1000" }, e.activities || "")),
    field("保育士から", h("textarea", { id: id("staffComment"), name: "staffComment", rows: "3", maxlength: "2000" }, e.staffComment || "")),
    field(`写真を追加（6枚まで${e.photos?.length ? `、いま${e.photos.length}枚` : ""}）`,
      h("input", { id: id("photos"), name: "photos", type: "file", accept: "image/jpeg,image/png,image/webp", multiple: true })),
    status,
    h("div", { class: "actions" },
      published ? null : h("button", { type: "submit", class: "btn btn-secondary", value: "draft" }, "下書き保存"),
      h("button", { type: "submit", class: "btn", value: "published" }, published ? "訂正を公開する" : "保護者へ公開する")),
    published ? h("p", { class: "meta" }, `${formatDateTime(e.publishedAt)} 公開済み。保存するとすぐに保護者に見えます。`) : null,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveEntry(form, c, ev.submitter?.value || "draft", status);
  });
  return form;
}

async function saveEntry(form, c, status, statusEl) {
  const f = form.elements;
  const problems = [];
  if (f.napFrom.value && f.napTo.value && f.napTo.value <= f.napFrom.value) problems.push(["napTo", "午睡の終わりは始めより後にしてください。"]);
  if (f.photos.files.length + (c.entry?.photos?.length || 0) > 6) problems.push(["photos", "写真は6枚までです。"]);
  if (!reportInvalid(form, problems, statusEl)) return;
  const data = new FormData();
  for (const name of ["meals", "mealNote", "napFrom", "napTo", "activities", "staffComment"]) data.append(name, f[name].value);
  for (const file of f.photos.files) data.append("photos+", file);
  data.append("status", status);
  await busy(form, async () => {
    try {
      if (c.entry) await pb.collection("notebook_nursery").update(c.entry.id, data);
      else {
        data.append("child", c.id);
        data.append("date", state.day.date);
        await pb.collection("notebook_nursery").create(data);
      }
    } catch (err) {
      showErrors(form, err, statusEl);
      return;
    }
    await loadDay();
  });
}

// ---- infections -----------------------------------------------------------------

async function renderCounts() {
  try {
    const res = await pb.send("/api/lifestage/nursery/infections", { method: "GET" });
    $("infections").replaceChildren(countsTable(res, false));
  } catch (err) {
    setStatus($("infections-status"), errorMessage(err), "error");
  }
}

function setupNoticeForm() {
  const form = $("notice-form");
  form.elements.infection.replaceChildren(...options(state.codes.infections, "選んでください"));
  $("notice-draft").addEventListener("click", async () => {
    const status = $("notice-status");
    if (!form.elements.infection.value) {
      reportInvalid(form, [["infection", "感染症を選んでください。"]], status);
      return;
    }
    const q = new URLSearchParams({ infection: form.elements.infection.value });
    if (form.elements.class.value) q.set("class", form.elements.class.value);
    try {
      const d = await pb.send(`/api/lifestage/nursery/infections/draft?${q}`, { method: "GET" });
      form.elements.title.value = d.title;
      form.elements.body.value = d.body;
      form.elements.periodFrom.value = d.periodFrom;
      form.elements.periodTo.value = d.periodTo;
      setStatus(status, `過去7日の連絡では${d.children}人です。文面を確かめてから公開してください。`, "ok");
    } catch (err) {
      showErrors(form, err, status);
    }
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const status = $("notice-status");
    const f = form.elements;
    const problems = [];
    if (!f.infection.value) problems.push(["infection", "感染症を選んでください。"]);
    if (!f.title.value.trim()) problems.push(["title", "件名を入力してください。"]);
    if (!f.body.value.trim()) problems.push(["body", "本文を入力してください。"]);
    if (!reportInvalid(form, problems, status)) return;
    await busy(form, async () => {
      try {
        await pb.collection("infection_notices").create({
          infection: f.infection.value, class: f.class.value, title: f.title.value.trim(), body: f.body.value.trim(),
          periodFrom: f.periodFrom.value, periodTo: f.periodTo.value,
        });
      } catch (err) {
        showErrors(form, err, status);
        return;
      }
      form.reset();
      setStatus(status, "保護者へ公開しました。", "ok");
      await renderNotices();
    });
  });
}

async function renderNotices() {
  const list = $("notices-list");
  try {
    const page = await pb.collection("infection_notices").getList(1, 10, {
      filter: pb.filter("nursery = {:n}", { n: state.me.nursery }), sort: "-publishedAt",
    });
    list.replaceChildren(...page.items.map((n) => h("article", { class: "notice" },
      h("p", { class: "notice-title" }, n.title, n.class ? `（${className(n.class)}）` : "（園全体）"),
      h("p", { class: "notice-body", style: "white-space: pre-wrap" }, n.body),
      h("p", { class: "meta" }, formatDateTime(n.publishedAt)))));
    if (page.items.length === 0) list.replaceChildren(h("p", { class: "meta" }, "まだありません。"));
  } catch (err) {
    list.replaceChildren(h("p", { class: "status is-error" }, errorMessage(err)));
  }
}

// Started last, so every module-level binding above is initialised.
const me = requireAccount(["nursery_staff"]);
if (me) main(me);
