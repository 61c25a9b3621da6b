// Shared by the volunteer's watch pages (/watch/checkin/, /watch/my/): the
// visit labels, sending a check-in, and the queue of visits recorded with no
// network, which is sent as soon as the phone is back online.
import { pb, errorMessage, formatDateTime } from "/assets/app.js";

export const STATUSES = [
  { key: "fine", label: "元気", sub: "いつもどおり" },
  { key: "absent", label: "不在", sub: "会えなかった" },
  { key: "concern", label: "気になる", sub: "様子が気がかり" },
  { key: "emergency", label: "緊急", sub: "すぐに対応が必要" },
];

export const STATUS_LABEL = Object.fromEntries(STATUSES.map((s) => [s.key, s.label]));

// The fixed checklist of the check-in route (collections.VisitChecklist).
export const CHECKLIST = [
  { key: "health", label: "体調" },
  { key: "meals", label: "食事" },
  { key: "sleep", label: "睡眠" },
  { key: "outings", label: "外出" },
  { key: "worries", label: "困りごと" },
];
export const ANSWER_LABEL = { ok: "良い", concern: "気になる" };

export const FREQUENCY = {
  weekly: { label: "毎週", days: 7 },
  biweekly: { label: "隔週", days: 14 },
  monthly: { label: "毎月", days: 31 },
};

export const OFFLINE_MESSAGE = "通信できないため、端末に保存しました。通信が戻ると自動で送信します。";
export const UNUSABLE_CODE_MESSAGE = "このQRコードは使えません。市にご連絡ください。";

const CHECKIN = "/api/lifestage/watch/checkin";
const QUEUE_KEY = "lifestage.watch.queue";
const FAILED_KEY = "lifestage.watch.failed";

// ---- sending -----------------------------------------------------------------

/** True when a failed request never reached the server (no network). */
export function isNetworkError(err) {
  return !navigator.onLine || (err?.status === 0 && !err?.isAbort) || err instanceof TypeError;
}

/** True when the server refused the QR code itself (forged, revoked). */
export function isUnusableCode(err) {
  const code = (err?.response || err?.data || {})?.data?.token?.code;
  return err?.status === 400 && (code === "invalid_token" || code === "revoked_token");
}

/** A Japanese sentence for a refused check-in. */
export function checkinError(err) {
  if (isUnusableCode(err)) return UNUSABLE_CODE_MESSAGE;
  return errorMessage(err);
}

/** Posts one visit; throws like pb.send. */
export function sendVisit(visit) {
  const body = { token: visit.token, status: visit.status, answers: visit.answers || {}, note: visit.note || "" };
  if (visit.lat != null && visit.lng != null) Object.assign(body, { lat: visit.lat, lng: visit.lng });
  return pb.send(CHECKIN, { method: "POST", body });
}

// ---- the offline queue ---------------------------------------------------------

function read(key) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

function write(key, list) {
  localStorage.setItem(key, JSON.stringify(list));
  dispatchEvent(new CustomEvent("watch-queue"));
}

export function queued() {
  return read(QUEUE_KEY);
}

/** Visits the server refused when they were sent later (shown once). */
export function takeFailed() {
  const list = read(FAILED_KEY);
  if (list.length) write(FAILED_KEY, []);
  return list;
}

/**
 * Keeps a visit on the phone. The server stamps visits with its own clock, so
 * the note says when the visit really was.
 */
export function enqueue(visit) {
  const list = queued();
  list.push({ ...visit, queuedAt: new Date().toISOString() });
  write(QUEUE_KEY, list);
}

function withVisitTime(visit) {
  const when = `（通信できず端末に保存した記録。訪問: ${formatDateTime(visit.queuedAt)}）`;
  return { ...visit, note: [visit.note, when].filter(Boolean).join("\n").slice(0, 2000) };
}

let flushing = null;

/**
 * Sends the queued visits in order. Stops at the first network failure (the
 * rest wait for the next try) or when nobody is logged in; a visit the server
 * refuses is dropped from the queue and kept in the failed list with the
 * reason. Returns { sent, left }.
 */
export function flushQueue() {
  flushing ||= (async () => {
    let sent = 0;
    try {
      while (pb.authStore.isValid && pb.authStore.record?.collectionName === "volunteers") {
        const [next] = queued();
        if (!next) break;
        try {
          await sendVisit(withVisitTime(next));
          sent++;
        } catch (err) {
          if (isNetworkError(err) || err?.status === 401 || err?.status >= 500) break;
          write(FAILED_KEY, [...read(FAILED_KEY), { ...next, reason: checkinError(err) }]);
        }
        write(QUEUE_KEY, queued().filter((v) => v.queuedAt !== next.queuedAt || v.token !== next.token));
      }
    } finally {
      flushing = null;
    }
    const left = queued().length;
    retryLater(left);
    return { sent, left };
  })();
  return flushing;
}

// The `online` event can come before requests get through (a captive portal,
// a radio still waking up), so what is left is tried again, waiting longer
// each time up to a minute, for as long as the page stays open.
let retryTimer = null;
let retryDelay = 5000;
function retryLater(left) {
  clearTimeout(retryTimer);
  if (!left) {
    retryDelay = 5000;
    return;
  }
  retryTimer = setTimeout(() => {
    if (navigator.onLine) flushQueue();
    else retryLater(queued().length);
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 60000);
}

/**
 * Every watch page: install the offline shell, send what waits, and send
 * again whenever the network comes back. `onChange` sees the queue length.
 */
export function startWatchPage(onChange = () => {}) {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/watch/sw.js", { scope: "/watch/" }).catch(() => {});
  }
  const report = () => onChange(queued().length);
  addEventListener("watch-queue", report);
  addEventListener("storage", (e) => { if (e.key === QUEUE_KEY) report(); });
  addEventListener("online", () => {
    retryDelay = 5000;
    flushQueue();
  });
  report();
  if (navigator.onLine) flushQueue();
}
