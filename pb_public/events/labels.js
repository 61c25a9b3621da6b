// Translated texts about an event or an application, shared by the public
// event pages and the 申請履歴.
import { t } from "/assets/i18n.js";
import { formatDateTime } from "/assets/app.js";

export function seatsText(ev) {
  if (ev.remaining < 0) return t("events.seats.noLimit");
  if (ev.remaining > 0) return t("events.seats.left", { n: String(ev.remaining) });
  return ev.waitlistOpen ? t("events.seats.waitlist") : t("events.seats.full");
}

export function windowText(ev) {
  switch (ev.window) {
    case "not_open":
      return t("events.window.not_open", { date: formatDateTime(ev.applicationOpens) });
    case "open":
      return ev.applicationCloses
        ? `${t("events.window.open")}（${t("events.window.until", { date: formatDateTime(ev.applicationCloses) })}）`
        : t("events.window.open");
    default:
      return t(`events.window.${ev.window}`);
  }
}

export function ageRangeText(ev) {
  const min = String(ev.minAgeMonths), max = String(ev.maxAgeMonths);
  if (ev.minAgeMonths > 0 && ev.maxAgeMonths > 0) return t("events.age.range", { min, max });
  if (ev.minAgeMonths > 0) return t("events.age.from", { min });
  if (ev.maxAgeMonths > 0) return t("events.age.to", { max });
  return "";
}

export function feeText(ev) {
  return ev.fee > 0 ? t("events.fee.yen", { n: ev.fee.toLocaleString() }) : t("events.fee.free");
}

const CODES = ["not_open", "closed", "not_online", "already_applied", "full", "child_required", "not_your_child",
  "age_not_eligible", "required", "invalid_answer", "already_cancelled", "started"];

/**
 * The translated message of a refused application or cancellation, by the
 * stable code the server puts in the error data; other failures get a
 * generic line (the server's own message is Japanese only).
 */
export function applyErrorText(err) {
  const data = err?.response?.data || err?.data?.data || {};
  for (const item of Object.values(data)) {
    if (CODES.includes(item?.code)) return t(`events.error.${item.code}`);
    if (item?.code === "unknown_question") return t("events.error.invalid_answer");
  }
  return t("events.error.generic");
}
