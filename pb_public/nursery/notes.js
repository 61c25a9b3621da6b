// Shared by the families' and the staff's notebook pages: the codes of the
// notices and the notebook (labels come from the server, never a second
// copy here) and the read-only views of a home entry, a nursery entry and a
// notice.
import { pb, h, formatCivilDate, formatDateTime } from "/assets/app.js";

let codesPromise = null;

/** The codes route's answer, fetched once per page. */
export function loadCodes() {
  codesPromise ??= pb.send("/api/lifestage/nursery/codes", { method: "GET" });
  return codesPromise;
}

/** Label of a code in a [{code,label}] list; the code itself when unknown. */
export function labelOf(list, code) {
  return (list || []).find((c) => c.code === code)?.label || code || "";
}

/** <option>s for a select, with an empty first choice when `empty` is set. */
export function options(list, empty) {
  const out = empty ? [h("option", { value: "" }, empty)] : [];
  return out.concat((list || []).map((c) => h("option", { value: c.code }, c.label)));
}

function row(term, value) {
  return value ? [h("dt", {}, term), h("dd", {}, value)] : [];
}

/** A home entry (家庭から) as a definition list. */
export function homeView(entry, codes) {
  const nb = codes.notebook || {};
  const sleep = entry.bedtime || entry.wakeTime ? `${entry.bedtime || "?"} 就寝 → ${entry.wakeTime || "?"} 起床` : "";
  return h("dl", { class: "note-facts" },
    row("体温", entry.temperature ? `${entry.temperature}℃` : ""),
    row("睡眠", sleep),
    row("朝食", [labelOf(nb.meals, entry.meals), entry.mealNote].filter(Boolean).join("（") + (entry.mealNote && entry.meals ? "）" : "")),
    row("機嫌", labelOf(nb.mood, entry.mood)),
    row("排便", labelOf(nb.bowel, entry.bowel)),
    row("家庭から", entry.homeNote),
  );
}

/** Protected photo URLs need a short-lived file token. */
async function photoLinks(entry) {
  if (!entry.photos?.length) return null;
  let token = "";
  try {
    token = await pb.files.getToken();
  } catch {
    return h("p", { class: "meta" }, "写真を表示できませんでした。");
  }
  return h("div", { class: "note-photos" }, entry.photos.map((name, i) => {
    const full = pb.files.getURL(entry, name, { token });
    const thumb = pb.files.getURL(entry, name, { token, thumb: "480x0" });
    return h("a", { href: full, target: "_blank", rel: "noopener" },
      h("img", { src: thumb, alt: `写真${i + 1}`, loading: "lazy" }));
  }));
}

/** A nursery entry (園から) as a definition list with its photos. */
export async function nurseryView(entry, codes) {
  const nb = codes.notebook || {};
  const nap = entry.napFrom || entry.napTo ? `${entry.napFrom || "?"}〜${entry.napTo || "?"}` : "";
  return h("div", {},
    h("dl", { class: "note-facts" },
      row("給食", [labelOf(nb.meals, entry.meals), entry.mealNote].filter(Boolean).join("・")),
      row("午睡", nap),
      row("活動", entry.activities),
      row("先生から", entry.staffComment),
    ),
    await photoLinks(entry),
    entry.publishedAt ? h("p", { class: "meta" }, `${formatDateTime(entry.publishedAt)} 公開`) : null,
  );
}

/** One absence notice as a line of text: kind, time, symptoms, diagnosis. */
export function noticeSummary(n, codes) {
  const parts = [labelOf(codes.kinds, n.kind)];
  if (n.expectedTime) parts.push(n.kind === "late" ? `${n.expectedTime}ごろ登園` : `${n.expectedTime}お迎え`);
  if (n.pickupPerson) parts.push(`お迎え: ${n.pickupPerson}`);
  if (n.symptoms?.length) parts.push(n.symptoms.map((s) => labelOf(codes.symptoms, s)).join("・"));
  if (n.temperature) parts.push(`${n.temperature}℃`);
  if (n.infection) parts.push(`診断: ${labelOf(codes.infections, n.infection)}`);
  return parts.join("／");
}

/** The state of a notice as a tag. */
export function noticeState(n) {
  if (n.cancelled) return h("span", { class: "tag tag-muted" }, "取消");
  if (n.acknowledgedAt) return h("span", { class: "tag tag-ok" }, "園が確認済み");
  return h("span", { class: "tag tag-primary" }, "未確認");
}

/**
 * The infections route's rows with an infection or a symptom, newest first,
 * as a table: counts only, as the route gives them (no child is named).
 */
export function countsTable(res, withNursery) {
  const rows = res.rows.filter((r) => Object.keys(r.infections).length || Object.keys(r.symptoms).length).reverse();
  if (rows.length === 0) return h("p", { class: "meta" }, "この期間の感染症・症状の連絡はありません。");
  const list = (m, labels) => Object.entries(m).map(([k, n]) => `${labels[k] || k} ${n}人`).join("、");
  const head = ["日付", withNursery ? "施設" : null, "クラス", "欠席", "感染症", "症状"].filter(Boolean);
  return h("table", { class: "counts" },
    h("thead", {}, h("tr", {}, head.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("td", {}, formatCivilDate(r.date)), withNursery ? h("td", {}, r.nurseryName) : null, h("td", {}, r.className),
      h("td", {}, `${r.absent}人`), h("td", {}, list(r.infections, res.labels.infections)), h("td", {}, list(r.symptoms, res.labels.symptoms))))));
}
