// The audience builder shared by the announcement and survey pages: all, or
// an age range in months AND areas (any) AND nurseries (any), with the live
// recipient count from /api/lifestage/announcements/preview.
import { pb, h } from "/assets/app.js";

function checkList(legend, name, items) {
  return h("fieldset", {}, h("legend", {}, legend),
    h("div", { class: "choices inline" }, ...items.map((it) => h("label", { class: "choice" },
      h("input", { type: "checkbox", name, value: it.id }), " ", it.name))));
}

/** Builds the controls into slot; read() returns the audience object. */
export async function audienceBuilder(slot, onChange) {
  const [areas, nurseries] = await Promise.all([
    pb.collection("areas").getFullList({ filter: "parent != ''", sort: "code", fields: "id,name" }).catch(() => []),
    pb.collection("facilities").getFullList({ filter: "type = 'nursery'", sort: "name", fields: "id,name" }).catch(() => []),
  ]);
  const count = h("p", { class: "status", role: "status", "aria-live": "polite" }, "対象を選ぶと人数を表示します。");
  const all = h("input", { type: "checkbox", name: "aud-all", id: "aud-all" });
  const min = h("input", { type: "number", id: "aud-min", min: 0, max: 216, inputmode: "numeric" });
  const max = h("input", { type: "number", id: "aud-max", min: 0, max: 216, inputmode: "numeric" });
  const targeted = h("div", {},
    h("div", { class: "grid-2" },
      h("div", { class: "field" }, h("label", { for: "aud-min" }, "子の月齢（下限・か月）"), min),
      h("div", { class: "field" }, h("label", { for: "aud-max" }, "子の月齢（上限・か月）"), max)),
    h("p", { class: "meta" }, "例: 3か月〜4か月児の保護者は 下限3・上限4。1歳は12か月です。"),
    checkList("地区（どれか）", "aud-area", areas),
    checkList("保育所に在籍（どれか）", "aud-nursery", nurseries));
  slot.replaceChildren(
    h("fieldset", {}, h("legend", {}, "対象"),
      h("label", { class: "choice" }, all, " 全員（すべての市民アカウント）"),
      targeted,
      h("p", { class: "meta" }, "項目の間は「かつ」、同じ項目の中は「または」で絞り込みます。対象は子の保護者と、管理を共有された家族です。"),
      count));
  const checked = (name) => [...slot.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);
  const read = () => {
    if (all.checked) return { all: true };
    const a = {};
    if (min.value !== "") a.minAgeMonths = Number(min.value);
    if (max.value !== "") a.maxAgeMonths = Number(max.value);
    const ar = checked("aud-area");
    const nu = checked("aud-nursery");
    if (ar.length) a.areas = ar;
    if (nu.length) a.nurseries = nu;
    return a;
  };
  let timer = 0;
  let seq = 0;
  const preview = async () => {
    const mine = ++seq;
    try {
      const r = await pb.send("/api/lifestage/announcements/preview", { method: "POST", body: { audience: read() } });
      if (mine === seq) count.textContent = `今日配信すると ${r.count.toLocaleString("ja-JP")} 人に届きます。`;
    } catch (err) {
      if (mine === seq) count.textContent = err?.response?.data?.audience?.message || "対象を選んでください。";
    }
  };
  slot.addEventListener("input", () => {
    targeted.hidden = all.checked;
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
    onChange?.();
  });
  const set = (a = {}) => {
    all.checked = !!a.all;
    targeted.hidden = all.checked;
    min.value = a.minAgeMonths ?? "";
    max.value = a.maxAgeMonths ?? "";
    slot.querySelectorAll('input[name="aud-area"]').forEach((el) => { el.checked = (a.areas || []).includes(el.value); });
    slot.querySelectorAll('input[name="aud-nursery"]').forEach((el) => { el.checked = (a.nurseries || []).includes(el.value); });
    preview();
  };
  return { read, set };
}

/** The value of a datetime-local input as an ISO instant ("" when empty). */
export function instant(input) {
  return input.value ? new Date(input.value).toISOString() : "";
}

/** Whether the signed-in account is 子育て city staff. */
export function isChildStaff(me) {
  return me?.collectionName === "city_staff" && me.department === "child";
}
