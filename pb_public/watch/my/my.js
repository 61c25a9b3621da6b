// 担当の見守り (volunteer home): the people assigned to me with when the next
// visit is due, the past visits of my people, a QR scanner and the visits
// still waiting on the phone.
import { pb, h, requireAccount, initPage, setStatus, errorMessage, formatDate, formatDateTime, todayTokyo } from "/assets/app.js";
import { STATUS_LABEL, CHECKLIST, ANSWER_LABEL, FREQUENCY, startWatchPage, flushQueue, takeFailed } from "/watch/watch.js";

const $ = (id) => document.getElementById(id);
const DAY = 24 * 60 * 60 * 1000;

// Offline, a stored (even expired) volunteer session still shows the queue;
// online, the usual guard sends others to the login page.
const stored = pb.authStore.record?.collectionName === "volunteers" ? pb.authStore.record : null;
const me = !navigator.onLine && stored ? stored : requireAccount(["volunteers"]);
if (me) main();

function main() {
  initPage();
  startWatchPage(showQueue);
  showFailed();
  $("send-now").addEventListener("click", sendNow);
  $("scan").addEventListener("click", scan);
  $("scan-stop").addEventListener("click", stopScan);
  load();
}

function showQueue(n) {
  $("queue-box").hidden = n === 0;
  $("queue-count").textContent = n ? `端末に保存した記録が ${n} 件、送信を待っています。` : "";
}

function showFailed() {
  const failed = takeFailed();
  if (!failed.length) return;
  setStatus($("queue-status"),
    `送信できなかった記録が ${failed.length} 件あります（${failed.map((f) => `${formatDateTime(f.queuedAt)}: ${f.reason}`).join(" / ")}）。市にご連絡ください。`, "error");
}

async function sendNow() {
  const status = $("queue-status");
  if (!navigator.onLine) {
    setStatus(status, "いまは通信できません。通信が戻ると自動で送信します。", "error");
    return;
  }
  setStatus(status, "送信しています…");
  const { sent, left } = await flushQueue();
  setStatus(status, left ? `${sent} 件を送信しました。${left} 件はまだ送信できていません。` : `${sent} 件を送信しました。`, left ? "error" : "ok");
  showFailed();
  if (sent) load();
}

// ---- lists -------------------------------------------------------------------

async function load() {
  const status = $("targets-status");
  if (!navigator.onLine) {
    setStatus(status, "通信できないため、一覧を表示できません。QRコードの読み取りと記録はできます。");
    return;
  }
  setStatus(status, "読み込んでいます…");
  let targets = [];
  try {
    targets = (await pb.send("/api/lifestage/watch/my", { method: "GET" })).targets;
    // The most pressing first: never visited, then the fewest days left.
    const left = (t) => dueText(t).left;
    $("targets").replaceChildren(...[...targets].sort((a, b) => left(a) - left(b)).map(targetItem));
    setStatus(status, targets.length ? "" : "担当している方はまだいません。");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
  loadVisits(new Map(targets.map((t) => [t.id, t.name])));
}

/** Whole days from one instant's Tokyo date to another's. */
function daysBetween(from, to) {
  const utc = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  return Math.round((utc(to) - utc(from)) / DAY);
}

/** When the next visit is due, from the last visit and the frequency. */
function dueText(t, today = todayTokyo()) {
  const freq = FREQUENCY[t.frequency];
  if (!t.lastVisitAt) return { text: "まだ訪問の記録がありません", kind: "is-overdue", left: -1e9 };
  if (!freq) return { text: "", kind: "", left: 1e9 };
  const left = freq.days - daysBetween(todayTokyo(new Date(t.lastVisitAt)), today);
  if (left < 0) return { text: `訪問の目安を ${-left} 日過ぎています`, kind: "is-overdue", left };
  if (left === 0) return { text: "きょうが訪問の目安です", kind: "is-soon", left };
  return { text: `次の訪問の目安まで あと ${left} 日`, kind: left <= 2 ? "is-soon" : "", left };
}

function targetItem(t) {
  const due = dueText(t);
  return h("li", { class: "card watch-target", dataset: { target: t.id } },
    h("h3", {}, `${t.name} さん`, t.kana ? h("span", { class: "kana" }, t.kana) : null),
    h("p", { class: `due ${due.kind}` }, due.text),
    h("dl", { class: "facts" },
      h("dt", {}, "地区"), h("dd", {}, t.areaName || "—"),
      h("dt", {}, "住所"), h("dd", {}, t.address || "—"),
      h("dt", {}, "頻度"), h("dd", {}, FREQUENCY[t.frequency]?.label || "未設定"),
      h("dt", {}, "前回"), h("dd", {}, t.lastVisitAt ? `${formatDate(t.lastVisitAt)}（${STATUS_LABEL[t.lastStatus] || ""}）` : "—"),
    ),
  );
}

async function loadVisits(names) {
  const status = $("visits-status");
  try {
    // The list rule keeps this to the visits a volunteer may see.
    const page = await pb.collection("watch_visits").getList(1, 30, { sort: "-at", skipTotal: true });
    $("visits").hidden = page.items.length === 0;
    $("visits").replaceChildren(...page.items.map((v) => visitItem(v, names)));
    setStatus(status, page.items.length ? "" : "訪問の記録はまだありません。");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function visitItem(v, names) {
  const concerns = CHECKLIST.filter((c) => v.answers?.[c.key] === "concern").map((c) => `${c.label}: ${ANSWER_LABEL.concern}`);
  return h("li", { dataset: { visit: v.id } },
    h("strong", {}, formatDateTime(v.at)), " ",
    h("span", { class: `tag ${v.status === "fine" ? "tag-ok" : "tag-primary"}` }, STATUS_LABEL[v.status] || v.status), " ",
    names.get(v.target) ? `${names.get(v.target)} さん` : "",
    concerns.length ? h("p", { class: "meta" }, concerns.join("・")) : null,
    v.note ? h("p", { class: "meta" }, v.note) : null,
  );
}

// ---- QR scanner ----------------------------------------------------------------

let stream = null;

async function scan() {
  const supported = "BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia &&
    (await window.BarcodeDetector.getSupportedFormats().catch(() => [])).includes("qr_code");
  if (!supported) {
    $("scan-help").hidden = false;
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch {
    $("scan-help").hidden = false;
    return;
  }
  const video = $("scan-video");
  video.srcObject = stream;
  $("scan-box").hidden = false;
  $("scan").hidden = true;
  await video.play().catch(() => {});
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  while (stream) {
    const url = checkinURL(await detector.detect(video).catch(() => []));
    if (url) {
      stopScan();
      location.assign(url);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The check-in page of a scanned code, kept on this site. */
function checkinURL(codes) {
  for (const c of codes) {
    try {
      const u = new URL(c.rawValue, location.origin);
      if (u.pathname === "/watch/checkin/" && u.searchParams.get("t")) return "/watch/checkin/?t=" + encodeURIComponent(u.searchParams.get("t"));
    } catch {
      // Not a URL: keep looking.
    }
  }
  return "";
}

function stopScan() {
  stream?.getTracks().forEach((t) => t.stop());
  stream = null;
  $("scan-box").hidden = true;
  $("scan").hidden = false;
}
