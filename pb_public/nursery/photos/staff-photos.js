// 写真の販売 for nursery staff: upload several photos at once with the
// children in each (from the class roster) or as class-wide, publish or
// withdraw them, delete ones nobody ordered, and read the month's orders as
// a print list. The server checks every tag and computes who may see what.
import {
  pb, h, requireAccount, initPage, errorMessage, fieldMessage, setStatus, reportInvalid, busy, formatCivilDate, todayTokyo,
} from "/assets/app.js";
import { PHOTO_SIZES, PHOTO_STATUS, PHOTO_ORDER_STATUS, label } from "/assets/labels.js";
import { fileToken, photoImg, formatMonth, yen, fiscalYearOf } from "/assets/photos.js";

const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ["image/jpeg", "image/png", "image/webp"];
const $ = (id) => document.getElementById(id);

const state = {
  nursery: "",
  classes: [], // this school year's classes
  names: new Map(), // child id -> "氏 名" (whole nursery, today)
  files: [], // [{file, url, children:Set, classWide}]
  roster: [], // the chosen class on the chosen day
};

const me = requireAccount(["nursery_staff"]);
if (me) main(me);

async function main(record) {
  initPage();
  state.nursery = record.nursery;
  const status = $("page-status");
  try {
    const today = todayTokyo();
    const [nursery, classes] = await Promise.all([
      pb.collection("facilities").getOne(record.nursery).catch(() => null),
      pb.collection("nursery_classes").getFullList({
        filter: pb.filter("nursery = {:n} && fiscalYear = {:fy}", { n: record.nursery, fy: fiscalYearOf(today) }),
        sort: "ageClass,name",
      }),
    ]);
    $("nursery-name").textContent = nursery?.name || "";
    state.classes = classes;
    await loadNames();
    setupUpload(today);
    setupList(today);
    setupOrders(today);
    $("staff-view").hidden = false;
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function roster(params = {}) {
  const q = new URLSearchParams(params);
  return pb.send(`/api/lifestage/nursery/photos/roster?${q}`, { method: "GET" });
}

async function loadNames() {
  const res = await roster();
  state.names = new Map(res.items.map((c) => [c.id, `${c.familyName} ${c.givenName}`]));
}

function className(id) {
  return state.classes.find((c) => c.id === id)?.name || "";
}

// ---- upload ------------------------------------------------------------------

function setupUpload(today) {
  const form = $("upload-form");
  const status = $("upload-status");
  const f = form.elements;
  f.takenOn.max = today;
  f.takenOn.value = today;
  $("up-class").replaceChildren(h("option", { value: "" }, "クラスを選ばない"),
    ...state.classes.map((c) => h("option", { value: c.id }, c.name)));

  const refreshRoster = async () => {
    state.roster = [];
    if (f.class.value && f.takenOn.value) {
      try {
        state.roster = (await roster({ class: f.class.value, on: f.takenOn.value })).items;
      } catch (err) {
        setStatus(status, errorMessage(err), "error");
      }
    }
    renderCards();
  };
  f.class.addEventListener("change", refreshRoster);
  f.takenOn.addEventListener("change", refreshRoster);
  f.image.addEventListener("change", () => {
    for (const x of state.files) URL.revokeObjectURL(x.url);
    state.files = [...f.image.files].map((file) => ({ file, url: URL.createObjectURL(file), children: new Set(), classWide: false }));
    renderCards();
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const publish = e.submitter?.value === "published";
    const problems = [];
    if (!f.title.value.trim()) problems.push(["title", "行事・アルバム名を入力してください。"]);
    if (!f.takenOn.value) problems.push(["takenOn", "撮影日を入力してください。"]);
    else if (f.takenOn.value > todayTokyo()) problems.push(["takenOn", "撮影日に未来の日付は入力できません。"]);
    if (f.salesUntil.value && f.takenOn.value && f.salesUntil.value < f.takenOn.value) {
      problems.push(["salesUntil", "販売期限は撮影日より後の日付にしてください。"]);
    }
    if (state.files.length === 0) problems.push(["image", "写真をえらんでください。"]);
    for (const x of state.files) {
      if (!TYPES.includes(x.file.type)) problems.push(["image", `${x.file.name} は JPEG・PNG・WebP ではありません。`]);
      else if (x.file.size > MAX_BYTES) problems.push(["image", `${x.file.name} は10MBを超えています。`]);
      else if (publish && x.children.size === 0 && !x.classWide) {
        problems.push(["image", `${x.file.name} は、写っている子をえらぶか「クラス全体」にしてから公開してください。`]);
      }
    }
    if (!reportInvalid(form, problems.length ? [problems[0]] : [], status)) return;
    await busy(form, () => uploadAll(form, publish ? "published" : "draft"));
  });
}

function renderCards() {
  const hasClass = !!$("up-class").value;
  $("upload-cards").replaceChildren(...state.files.map((x, i) => {
    return h("div", { class: "upload-card", dataset: { index: String(i) } },
      h("img", { src: x.url, alt: "" }),
      h("div", {},
        h("p", {}, h("strong", {}, `${i + 1}枚目`), `　${x.file.name}`),
        hasClass
          ? h("label", { class: "check" },
            h("input", { type: "checkbox", checked: x.classWide, onchange: (e) => { x.classWide = e.target.checked; } }),
            "クラス全体の写真にする")
          : null,
        state.roster.length
          ? h("fieldset", {},
            h("legend", {}, "写っている子"),
            h("div", { class: "choices" }, state.roster.map((c) =>
              h("label", { class: "choice" },
                h("input", {
                  type: "checkbox", value: c.id, checked: x.children.has(c.id),
                  onchange: (e) => { e.target.checked ? x.children.add(c.id) : x.children.delete(c.id); },
                }),
                `${c.familyName} ${c.givenName}`))))
          : h("p", { class: "meta" }, hasClass ? "この日にこのクラスに在籍している子はいません。" : "クラスを選ぶと、写っている子をえらべます。"),
        h("p", { class: "upload-state" })));
  }));
}

// Uploads one photo at a time, so a bad file does not stop the rest and each
// card says how it went.
async function uploadAll(form, status) {
  const f = form.elements;
  const summary = $("upload-status");
  let ok = 0;
  const failed = [];
  for (const [i, x] of state.files.entries()) {
    const note = $("upload-cards").querySelector(`[data-index="${i}"] .upload-state`);
    setStatus(summary, `${state.files.length}枚のうち${i + 1}枚目を登録しています…`);
    const data = new FormData();
    data.append("nursery", state.nursery);
    data.append("title", f.title.value.trim());
    data.append("takenOn", f.takenOn.value);
    if (f.salesUntil.value) data.append("salesUntil", f.salesUntil.value);
    if (f.class.value) data.append("class", f.class.value);
    data.append("classWide", String(!!(f.class.value && x.classWide)));
    for (const c of x.children) data.append("children", c);
    data.append("status", status);
    data.append("image", x.file);
    try {
      await pb.collection("nursery_photos").create(data);
      ok += 1;
      note.textContent = "登録しました";
      note.className = "upload-state is-ok";
    } catch (err) {
      failed.push(x);
      const [field, item] = Object.entries(err?.response?.data || {})[0] || [];
      note.textContent = item ? fieldMessage(field, item) : errorMessage(err);
      note.className = "upload-state is-error";
    }
  }
  const verb = status === "published" ? "登録して公開しました" : "下書きとして登録しました";
  if (failed.length === 0) {
    setStatus(summary, `${ok}枚を${verb}。`, "ok");
    state.files = [];
    f.image.value = "";
    renderCards();
  } else {
    setStatus(summary, `${ok}枚を${verb}。${failed.length}枚は登録できませんでした（理由は各写真の下）。`, "error");
    state.files = failed;
  }
  await loadList();
}

// ---- the nursery's photos ----------------------------------------------------

function setupList(today) {
  const month = $("list-month");
  month.value = today.slice(0, 7);
  month.max = today.slice(0, 7);
  month.addEventListener("change", loadList);
  loadList();
}

function monthRange(month) {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

async function loadList() {
  const list = $("staff-photos");
  const status = $("list-status");
  const month = $("list-month").value;
  if (!month) return;
  list.setAttribute("aria-busy", "true");
  try {
    const { from, to } = monthRange(month);
    const items = await pb.collection("nursery_photos").getFullList({
      filter: pb.filter("nursery = {:n} && takenOn >= {:from} && takenOn <= {:to}", { n: state.nursery, from, to }),
      sort: "-takenOn,-created",
    });
    const tok = await fileToken();
    list.replaceChildren(...items.map((p) => staffPhoto(p, tok)));
    list.hidden = items.length === 0;
    $("list-empty").hidden = items.length > 0;
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function staffPhoto(p, tok) {
  const who = [
    p.classWide ? `${className(p.class) || "クラス"}全体` : null,
    ...(p.children || []).map((id) => state.names.get(id) || "（在籍していない子）"),
  ].filter(Boolean);
  const act = (text, fn, cls = "btn-secondary") => h("button", { type: "button", class: `btn btn-small ${cls}`, onclick: fn }, text);
  return h("li", { class: "staff-photo" },
    photoImg(p, "300x300", tok, { alt: "", loading: "lazy" }),
    h("div", {},
      h("strong", {}, p.title), " ", h("span", { class: `tag ${p.status === "published" ? "tag-ok" : "tag-muted"}` }, label(PHOTO_STATUS, p.status)),
      h("p", { class: "meta" }, [formatCivilDate(p.takenOn), className(p.class), p.salesUntil ? `販売期限 ${formatCivilDate(p.salesUntil)}` : ""].filter(Boolean).join("・")),
      h("p", {}, who.length ? `写っている子: ${who.join("、")}` : "写っている子: まだえらんでいません"),
      tagEditor(p),
      h("div", { class: "actions" },
        p.status !== "published" ? act("公開する", () => setPhotoStatus(p, "published"), "") : act("公開を停止する", () => setPhotoStatus(p, "withdrawn")),
        act("削除", () => deletePhoto(p), "btn-danger"))));
}

// A wrong tag shows a photo to the wrong family: staff fix the tags in
// place, from the roster of the photo's class on the day it was taken.
function tagEditor(p) {
  const box = h("div");
  const details = h("details", { class: "disclosure quiet" }, h("summary", {}, "写っている子を直す"), box);
  details.addEventListener("toggle", async () => {
    if (!details.open || box.childElementCount) return;
    try {
      const params = { on: p.takenOn };
      if (p.class) params.class = p.class;
      const kids = (await roster(params)).items;
      const form = h("form", { novalidate: true },
        h("fieldset", {}, h("legend", { class: "visually-hidden" }, "写っている子"),
          h("div", { class: "choices" }, kids.map((c) => h("label", { class: "choice" },
            h("input", { type: "checkbox", name: "children", value: c.id, checked: (p.children || []).includes(c.id) }),
            `${c.familyName} ${c.givenName}`)))),
        h("button", { class: "btn btn-small", type: "submit" }, "保存する"));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const children = [...form.querySelectorAll('input[name="children"]:checked')].map((i) => i.value);
        try {
          await pb.collection("nursery_photos").update(p.id, { children });
          setStatus($("list-status"), `「${p.title}」の写っている子を直しました。`, "ok");
          await loadList();
        } catch (err) {
          const fields = err?.response?.data || {};
          setStatus($("list-status"), fields.children?.message || errorMessage(err), "error");
        }
      });
      box.replaceChildren(form);
    } catch (err) {
      box.replaceChildren(h("p", { class: "status is-error" }, errorMessage(err)));
    }
  });
  return details;
}

async function setPhotoStatus(p, status) {
  const box = $("list-status");
  try {
    await pb.collection("nursery_photos").update(p.id, { status });
    setStatus(box, status === "published" ? `「${p.title}」の写真を公開しました。` : `「${p.title}」の写真の公開を停止しました。`, "ok");
    await loadList();
  } catch (err) {
    const fields = err?.response?.data || {};
    setStatus(box, fields.children?.message || errorMessage(err), "error");
  }
}

async function deletePhoto(p) {
  if (!confirm(`「${p.title}」（${formatCivilDate(p.takenOn)}）の写真を削除しますか。元に戻せません。`)) return;
  const box = $("list-status");
  try {
    await pb.send(`/api/lifestage/nursery/photos/${encodeURIComponent(p.id)}`, { method: "DELETE" });
    setStatus(box, "写真を削除しました。", "ok");
    await loadList();
  } catch (err) {
    setStatus(box, errorMessage(err), "error");
  }
}

// ---- orders ------------------------------------------------------------------

function setupOrders(today) {
  const month = $("orders-month");
  month.value = today.slice(0, 7);
  month.addEventListener("change", loadOrders);
  loadOrders();
}

async function loadOrders() {
  const month = $("orders-month").value;
  const status = $("orders-status");
  if (!month) return;
  try {
    const orders = await pb.collection("photo_orders").getFullList({
      filter: pb.filter("nursery = {:n} && month = {:m}", { n: state.nursery, m: month }),
      sort: "created",
    });
    renderPrintList(orders.filter((o) => o.status !== "cancelled"));
    $("staff-orders").replaceChildren(...orders.map(staffOrder));
    $("orders-empty").hidden = orders.length > 0;
    setStatus(status, orders.length ? `${formatMonth(month)}分の注文は${orders.length}件です。` : "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

// Prints to make: the live orders' quantities summed per photo and size.
function renderPrintList(orders) {
  const rows = new Map();
  for (const o of orders) {
    for (const it of o.items || []) {
      if (it.size === "data") continue; // downloaded by the family
      const key = `${it.photo}|${it.size}`;
      const row = rows.get(key) || { ...it, quantity: 0 };
      row.quantity += it.quantity;
      rows.set(key, row);
    }
  }
  $("print-rows").replaceChildren(...[...rows.values()].map((r) => h("tr", {},
    h("td", {}, `${r.title}（${formatCivilDate(r.takenOn)}）`, h("br"), h("span", { class: "meta" }, `写真ID ${r.photo}`)),
    h("td", {}, PHOTO_SIZES[r.size] || r.size),
    h("td", { class: "num" }, `${r.quantity}枚`))));
}

function staffOrder(o) {
  return h("li", { class: "order-line" },
    h("strong", {}, `${state.names.get(o.child) || "退所した子"}さんの分　${yen(o.total)}　`,
      h("span", { class: `tag ${o.status === "ordered" ? "tag-primary" : "tag-muted"}` }, label(PHOTO_ORDER_STATUS, o.status))),
    h("ul", { class: "order-items" }, (o.items || []).map((it) =>
      h("li", {}, `${it.title}（${formatCivilDate(it.takenOn)}）${PHOTO_SIZES[it.size] || it.size} × ${it.quantity}枚`))),
    o.status === "ordered"
      ? h("div", { class: "actions" }, h("button", {
        type: "button", class: "btn btn-small btn-danger", onclick: () => cancelOrder(o),
      }, "この注文を取り消す"))
      : null);
}

async function cancelOrder(o) {
  if (!confirm("この注文を取り消しますか。ご家族に取り消しのお知らせが届きます。")) return;
  const status = $("orders-status");
  try {
    await pb.send(`/api/lifestage/nursery/photo-orders/${encodeURIComponent(o.id)}/cancel`, { method: "POST" });
    setStatus(status, "注文を取り消しました。", "ok");
    await loadOrders();
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}
