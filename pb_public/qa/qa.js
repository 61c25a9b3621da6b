// Shared by the Q&A pages (子育て相談): topics, badges, error codes and the
// caller's nickname. Everything a resident reads goes through t() so the
// pages follow the chosen language; the Japanese is the fallback.
import { pb, h, currentAccount, errorMessage } from "/assets/app.js";
import { t } from "/assets/i18n.js";

export const CATEGORIES = ["pregnancy", "feeding", "weaning", "development", "illness", "sleep", "nursery", "life"];
export const REPORT_REASONS = ["abuse", "personal_info", "spam", "wrong_info", "other"];

// Posts store the staff badge in Japanese (from the qualification); pages
// show it in the reader's language.
const BADGE_KEYS = {
  保健師: "qa.badge.public_health_nurse", 助産師: "qa.badge.midwife", 栄養士: "qa.badge.dietitian",
  看護師: "qa.badge.nurse", 保育士: "qa.badge.childcare_worker", 市職員: "qa.badge.staff",
};

export function categoryLabel(code) {
  return t(`qa.cat.${code}`, {}, code);
}

/** A staff badge (保健師…) in the reader's language. */
export function badgeName(badge) {
  return BADGE_KEYS[badge] ? t(BADGE_KEYS[badge], {}, badge) : badge;
}

/** The badge as shown on an answer: 市の保健師, City Public health nurse… */
export function badgeLabel(badge) {
  return t("qa.badge.city", { badge: badgeName(badge) }, `市の${badge}`);
}

/** Fills a <select> with the topics, after an optional first option. */
export function fillCategories(select) {
  for (const c of CATEGORIES) select.append(h("option", { value: c }, categoryLabel(c)));
}

/** The logged-in resident, or null for guests and staff. */
export function citizen() {
  const me = currentAccount();
  return me?.collectionName === "users" ? me : null;
}

/** The resident's nickname profile ({id, nickname}) or null. */
export async function myProfile() {
  if (!citizen()) return null;
  const list = await pb.collection("qa_profiles").getList(1, 1, { skipTotal: true });
  return list.items[0] || null;
}

/**
 * A failed request in the reader's language: known codes have a message in
 * the catalogue; anything else falls back to the server's Japanese.
 */
export function qaError(err) {
  const fields = err?.response?.data || {};
  for (const item of Object.values(fields)) {
    if (item?.code) {
      const text = t(`qa.error.${item.code}`, {}, "");
      if (text && text !== `qa.error.${item.code}`) return text;
    }
  }
  if (err?.status === 409) return t("qa.report.already", {}, errorMessage(err));
  return errorMessage(err) || t("qa.error.generic");
}

/** The status tag of a thread or post that is not (yet) public. */
export function statusTag(rec) {
  if (rec.status === "visible") return null;
  return h("span", { class: "tag tag-muted" }, t(`qa.status.${rec.status}`));
}
