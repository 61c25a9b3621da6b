// 園の写真 for families: the photos of their children (and their classes)
// one nursery and one school year at a time, a cart of prints and data, and
// the order history with cancelling and data downloads. The server decides
// what is visible and what it costs; this page only shows and asks.
import {
  pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, busy, formatCivilDate, todayTokyo,
} from "/assets/app.js";
import { PHOTO_SIZES, PHOTO_ORDER_STATUS, label } from "/assets/labels.js";
import { fileToken, photoImg, photoURL, formatMonth, yen, fiscalYearOf } from "/assets/photos.js";

const PER_PAGE = 60;
const MAX_QUANTITY = 20;
const $ = (id) => document.getElementById(id);

const state = {
  me: null,
  nurseries: [], // [{id, name}]
  enrolments: [],
  children: [],
  nursery: "",
  year: 0,
  page: 0,
  prices: {}, // size -> yen
  cart: [], // [{photo, size, quantity}]
  current: null, // the photo open in the dialog
};

const me = requireAccount(["users"]);
if (me) main(me);

async function main(record) {
  initPage();
  state.me = record;
  const status = $("page-status");
  try {
    const today = todayTokyo();
    const [children, enrolments] = await Promise.all([
      pb.collection("children").getFullList({ fields: "id,familyName,givenName,guardians", sort: "-birthDate" }),
      pb.collection("enrolments").getFullList({ sort: "-start", expand: "nursery" }),
    ]);
    state.children = children;
    state.enrolments = enrolments;
    const seen = new Map();
    for (const e of enrolments) {
      if (!seen.has(e.nursery)) seen.set(e.nursery, e.expand?.nursery?.name || "園");
    }
    state.nurseries = [...seen].map(([id, name]) => ({ id, name }));
    if (state.nurseries.length === 0) {
      setStatus(status, "保育所・こども園に在籍しているお子さまがいないため、写真はありません。");
      return;
    }
    setupFilters(today);
    setupDialog();
    setupOrderForm();
    $("photos-view").hidden = false;
    await Promise.all([loadNursery(), loadOrders()]);
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

// ---- filters -----------------------------------------------------------------

function setupFilters(today) {
  const nurserySelect = $("nursery-select");
  nurserySelect.replaceChildren(...state.nurseries.map((n) => h("option", { value: n.id }, n.name)));
  $("nursery-field").hidden = state.nurseries.length < 2;
  state.nursery = state.nurseries[0].id;

  const fy = fiscalYearOf(today);
  state.year = fy;
  $("year-select").replaceChildren(...[fy, fy - 1, fy - 2].map((y, i) =>
    h("option", { value: String(y) }, `${y}年度${i === 0 ? "（今年度）" : ""}`)));

  nurserySelect.addEventListener("change", () => {
    state.nursery = nurserySelect.value;
    state.cart = []; // one order is one nursery's invoice
    loadNursery();
  });
  $("year-select").addEventListener("change", () => {
    state.year = Number($("year-select").value);
    loadPhotos(true);
  });
  $("gallery-more").addEventListener("click", () => loadPhotos(false));
}

async function loadNursery() {
  try {
    const prices = await pb.collection("photo_prices").getFullList({ filter: pb.filter("nursery = {:n}", { n: state.nursery }) });
    state.prices = Object.fromEntries(prices.map((p) => [p.size, p.price]));
  } catch (err) {
    state.prices = {};
    setStatus($("gallery-status"), errorMessage(err), "error");
  }
  renderCart();
  await loadPhotos(true);
}

// ---- gallery -----------------------------------------------------------------

async function loadPhotos(reset) {
  const gallery = $("gallery");
  const status = $("gallery-status");
  const more = $("gallery-more");
  if (reset) {
    state.page = 0;
    gallery.replaceChildren();
  }
  gallery.setAttribute("aria-busy", "true");
  setStatus(status, "写真を読み込んでいます…");
  try {
    // One nursery and one school year: the server then checks who may see
    // each photo on that year only (see the photo index).
    const filter = pb.filter("nursery = {:n} && takenOn >= {:from} && takenOn <= {:to}", {
      n: state.nursery, from: `${state.year}-04-01`, to: `${state.year + 1}-03-31`,
    });
    const res = await pb.collection("nursery_photos").getList(state.page + 1, PER_PAGE, {
      filter, sort: "-takenOn,-created", skipTotal: true,
    });
    state.page += 1;
    const tok = await fileToken();
    appendAlbums(gallery, res.items, tok);
    more.hidden = res.items.length < PER_PAGE;
    $("gallery-empty").hidden = gallery.childElementCount > 0;
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    gallery.removeAttribute("aria-busy");
  }
}

// Photos arrive newest first; consecutive photos of one event and day form
// an album.
function appendAlbums(gallery, photos, tok) {
  for (const p of photos) {
    const key = `${p.takenOn}|${p.title}`;
    let album = gallery.lastElementChild;
    if (!album || album.dataset.key !== key) {
      const id = `album-${gallery.childElementCount + 1}`;
      album = h("section", { class: "album", dataset: { key }, "aria-labelledby": id },
        h("h2", { id }, p.title),
        h("p", { class: "meta" }, formatCivilDate(p.takenOn)),
        h("ul", { class: "photo-grid" }));
      gallery.append(album);
    }
    const grid = album.querySelector(".photo-grid");
    const n = grid.childElementCount + 1;
    grid.append(h("li", {},
      h("button", {
        type: "button", class: "photo-tile", "aria-label": `${p.title}（${formatCivilDate(p.takenOn)}）の写真 ${n}枚目をひらく`,
        onclick: () => openPhoto(p),
      }, photoImg(p, "300x300", tok, { alt: "", loading: "lazy", width: 300, height: 300 }))));
  }
}

// ---- one photo: size and quantity ------------------------------------------

function setupDialog() {
  const dialog = $("photo-dialog");
  $("dialog-close").addEventListener("click", () => dialog.close());
  $("line-form").addEventListener("change", (e) => {
    if (e.target.name === "size") syncQuantity();
  });
  $("line-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = $("line-form").elements;
    const size = f.size.value;
    if (!size) {
      setStatus($("line-status"), "サイズをえらんでください。", "error");
      return;
    }
    addToCart(state.current, size, Number(f.quantity.value));
    dialog.close();
  });
}

async function openPhoto(photo) {
  state.current = photo;
  const dialog = $("photo-dialog");
  $("dialog-title").textContent = photo.title;
  $("dialog-date").textContent = `${formatCivilDate(photo.takenOn)}撮影`;
  setStatus($("line-status"), "");
  const sizes = Object.keys(PHOTO_SIZES).filter((s) => s in state.prices);
  $("size-choices").replaceChildren(...sizes.map((s, i) =>
    h("label", { class: "choice" },
      h("input", { type: "radio", name: "size", value: s, checked: i === 0 }),
      `${PHOTO_SIZES[s]}　${yen(state.prices[s])}`)));
  const canOrder = orderableChildren().length > 0 && sizes.length > 0 && onSale(photo);
  $("line-form").querySelector("fieldset").hidden = !canOrder;
  $("line-quantity").closest(".field").hidden = !canOrder;
  $("line-add").hidden = !canOrder;
  if (!canOrder) {
    setStatus($("line-status"), !onSale(photo) ? "この写真の販売期間は終わりました。"
      : sizes.length === 0 ? "この園では写真の販売をしていません。" : "注文は保護者の方ができます。");
  }
  syncQuantity();
  $("dialog-image").replaceChildren(photoImg(photo, "800x0", await fileToken(), {
    alt: `${photo.title}（${formatCivilDate(photo.takenOn)}）の写真`,
  }));
  if (!dialog.open) dialog.showModal();
}

function onSale(photo) {
  return !photo.salesUntil || photo.salesUntil >= todayTokyo();
}

// Data is one download; prints go up to the server's limit.
function syncQuantity() {
  const f = $("line-form").elements;
  const max = f.size?.value === "data" ? 1 : MAX_QUANTITY;
  $("line-quantity").replaceChildren(...Array.from({ length: max }, (_, i) =>
    h("option", { value: String(i + 1) }, `${i + 1}枚`)));
}

// ---- cart and ordering -------------------------------------------------------

// Children the user may order for at this nursery: their own (guardian),
// enrolled there today.
function orderableChildren() {
  const today = todayTokyo();
  const enrolled = new Set(state.enrolments
    .filter((e) => e.nursery === state.nursery && e.start <= today && (!e.end || e.end >= today))
    .map((e) => e.child));
  return state.children.filter((c) => enrolled.has(c.id) && (c.guardians || []).includes(state.me.id));
}

function addToCart(photo, size, quantity) {
  const line = state.cart.find((l) => l.photo.id === photo.id && l.size === size);
  if (line) line.quantity = size === "data" ? 1 : Math.min(MAX_QUANTITY, line.quantity + quantity);
  else state.cart.push({ photo, size, quantity });
  renderCart();
  setStatus($("order-status"), `${photo.title}の写真（${PHOTO_SIZES[size]}）をカートに入れました。`, "ok");
}

function renderCart() {
  const kids = orderableChildren();
  $("order-note").hidden = kids.length > 0;
  $("cart-empty").hidden = state.cart.length > 0;
  $("order-form").hidden = state.cart.length === 0;
  $("order-child-field").hidden = kids.length < 2;
  const select = $("order-child");
  const chosen = select.value;
  select.replaceChildren(...kids.map((c) => h("option", { value: c.id }, `${c.familyName} ${c.givenName}`)));
  if (kids.some((c) => c.id === chosen)) select.value = chosen;
  let total = 0;
  $("cart-lines").replaceChildren(...state.cart.map((l, i) => {
    const amount = (state.prices[l.size] || 0) * l.quantity;
    total += amount;
    return h("li", { class: "cart-line" },
      h("span", {}, `${l.photo.title}（${formatCivilDate(l.photo.takenOn)}）`, h("br"),
        `${PHOTO_SIZES[l.size]} × ${l.quantity}枚　${yen(amount)}`),
      h("button", {
        type: "button", class: "btn btn-small btn-secondary", "aria-label": `${l.photo.title}の${PHOTO_SIZES[l.size]}をカートから外す`,
        onclick: () => { state.cart.splice(i, 1); renderCart(); },
      }, "外す"));
  }));
  $("cart-total").textContent = yen(total);
  const month = todayTokyo().slice(0, 7);
  $("cart-billing").textContent = `${formatMonth(month)}分の園の請求に含まれます。請求される前なら取り消せます。`;
}

function setupOrderForm() {
  const form = $("order-form");
  const status = $("order-status");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (state.cart.length === 0) return;
    await busy(form, async () => {
      setStatus(status, "注文しています…");
      try {
        const order = await pb.send("/api/lifestage/nursery/photo-orders", {
          method: "POST",
          body: {
            child: $("order-child").value,
            items: state.cart.map((l) => ({ photo: l.photo.id, size: l.size, quantity: l.quantity })),
          },
        });
        state.cart = [];
        renderCart();
        setStatus(status, `注文しました（${yen(order.total)}）。${formatMonth(order.month)}分の請求に含まれます。`, "ok");
        await loadOrders();
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  });
}

// ---- order history -----------------------------------------------------------

async function loadOrders() {
  const list = $("orders");
  const status = $("orders-status");
  list.setAttribute("aria-busy", "true");
  try {
    const res = await pb.collection("photo_orders").getList(1, 30, { sort: "-created", skipTotal: true });
    list.replaceChildren(...res.items.map(orderItem));
    $("orders-empty").hidden = res.items.length > 0;
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function orderItem(order) {
  const live = order.status !== "cancelled";
  return h("li", { class: "order-line" },
    h("strong", {}, `${formatMonth(order.month)}分　${yen(order.total)}　`,
      h("span", { class: `tag ${order.status === "ordered" ? "tag-primary" : "tag-muted"}` }, label(PHOTO_ORDER_STATUS, order.status))),
    h("ul", { class: "order-items" }, (order.items || []).map((it) => h("li", {},
      `${it.title}（${formatCivilDate(it.takenOn)}）${PHOTO_SIZES[it.size] || it.size} × ${it.quantity}枚　${yen(it.amount)}`,
      live && it.size === "data"
        ? h("button", { type: "button", class: "btn btn-small btn-secondary", onclick: () => download(it.photo) }, "データをダウンロード")
        : null))),
    order.status === "ordered"
      ? h("div", { class: "actions" }, h("button", {
        type: "button", class: "btn btn-small btn-danger", onclick: () => cancelOrder(order),
      }, "この注文を取り消す"))
      : null);
}

async function cancelOrder(order) {
  if (!confirm(`${formatMonth(order.month)}分の注文（${yen(order.total)}）を取り消しますか。`)) return;
  const status = $("orders-status");
  try {
    await pb.send(`/api/lifestage/nursery/photo-orders/${encodeURIComponent(order.id)}/cancel`, { method: "POST" });
    setStatus(status, "注文を取り消しました。", "ok");
    await loadOrders();
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

async function download(photoId) {
  const status = $("orders-status");
  try {
    const photo = await pb.collection("nursery_photos").getOne(photoId);
    location.assign(photoURL(photo, "", await fileToken(true), { download: 1 }));
  } catch (err) {
    setStatus(status, err?.status === 404 ? "この写真は公開が終わったため、ダウンロードできません。園にお問い合わせください。" : errorMessage(err), "error");
  }
}
