// Words and formats shared by the invoice pages: the printable invoice, the
// family's list and the staff's billing page.

export const STATUS = { draft: "下書き（未発行）", issued: "発行済", paid: "入金済" };
export const STATUS_TAG = { draft: "tag-muted", issued: "tag-primary", paid: "tag-ok" };
export const KIND = { hoikuryo: "保育料", side_dish: "副食費", extension: "延長保育料", photos: "写真代" };

const yenFmt = new Intl.NumberFormat("ja-JP");

/** 35100 → "35,100円" */
export function yen(n) {
  return `${yenFmt.format(Number(n) || 0)}円`;
}

/** "2026-10" → "2026年10月" */
export function monthLabel(month) {
  const m = /^(\d{4})-(\d{2})$/.exec(month || "");
  return m ? `${+m[1]}年${+m[2]}月` : month || "";
}

/** The last month that has ended, in Tokyo, as "YYYY-MM". */
export function lastMonth(today) {
  const [y, m] = today.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The stored JSON list of an invoice field, [] when absent. */
export function list(value) {
  if (Array.isArray(value)) return value;
  try {
    const v = JSON.parse(value || "[]");
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

export function invoiceUrl(id) {
  return `/nursery/invoice/?id=${encodeURIComponent(id)}`;
}
