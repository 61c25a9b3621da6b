// Shared by the photo pages (/me/photos/, /nursery/photos/): photos are
// protected files, so every image URL carries a short-lived file token
// (PocketBase's default: 3 minutes). The token is fetched once and renewed
// before it runs out; an image that still fails (loaded lazily after the
// token expired) retries once with a fresh one.
import { pb, h } from "/assets/app.js";

const RENEW_MS = 2 * 60 * 1000;
let token = "";
let fetchedAt = 0;

export async function fileToken(force = false) {
  if (force || !token || Date.now() - fetchedAt > RENEW_MS) {
    token = await pb.files.getToken();
    fetchedAt = Date.now();
  }
  return token;
}

/** The URL of a photo (a thumbnail size, or "" for the original). */
export function photoURL(photo, thumb, tok, extra = {}) {
  const q = { token: tok, ...extra };
  if (thumb) q.thumb = thumb;
  return pb.files.getURL(photo, photo.image, q);
}

/** An <img> of a photo that renews the token once if it fails to load. */
export function photoImg(photo, thumb, tok, props = {}) {
  let retried = false;
  const img = h("img", { src: photoURL(photo, thumb, tok), decoding: "async", ...props });
  img.addEventListener("error", async () => {
    if (retried) return;
    retried = true;
    try {
      img.src = photoURL(photo, thumb, await fileToken(true));
    } catch {
      /* offline: the alt text stays */
    }
  });
  return img;
}

/** "2026-11" → "2026年11月". */
export function formatMonth(month) {
  const m = /^(\d{4})-(\d{2})$/.exec(month || "");
  return m ? `${+m[1]}年${+m[2]}月` : "";
}

export function yen(n) {
  return `${Number(n || 0).toLocaleString("ja-JP")}円`;
}

/** The fiscal year (April–March) of a "YYYY-MM-DD" date. */
export function fiscalYearOf(date) {
  const [y, m] = date.split("-").map(Number);
  return m >= 4 ? y : y - 1;
}
