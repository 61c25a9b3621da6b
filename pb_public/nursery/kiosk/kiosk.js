// 登降園端末 (check-in kiosk): a tablet at the nursery's door. Parents pick
// 登園 or 降園 (chosen by the time of day already), then hold the child's QR
// code to the camera or type the PIN. The screen answers with the child's
// first name and class, large, and clears itself for the next family.
import { pb, errorMessage, setStatus, busy } from "/assets/app.js";

const $ = (id) => document.getElementById(id);

const RESULT_MS = 4000; // how long an answer stays up
const ERROR_MS = 7000;
const SAME_CODE_MS = 5000; // a card held up longer is not sent again
const KIOSK_RENEW_MS = 10 * 60 * 1000;
const ACTIVE_RENEW_MS = 5 * 60 * 1000;

let mode = new Date().getHours() < 12 ? "in" : "out";
let sending = false;
let lastCode = { code: "", at: 0 };
let resultTimer = 0;
let lastRenew = Date.now();

function account() {
  const r = pb.authStore.isValid ? pb.authStore.record : null;
  return r?.collectionName === "nursery_staff" ? r : null;
}

function main() {
  tick();
  setInterval(tick, 15 * 1000);
  $("login-form").addEventListener("submit", login);
  $("mode-in").addEventListener("click", () => setMode("in"));
  $("mode-out").addEventListener("click", () => setMode("out"));
  $("pin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    submitPin();
  });
  $("k-keys").addEventListener("click", (e) => {
    const key = e.target.closest("button[data-key]")?.dataset.key;
    if (key) press(key);
  });
  $("k-pin").addEventListener("input", () => {
    $("k-pin").value = $("k-pin").value.replace(/\D/g, "").slice(0, 5);
  });
  $("result").addEventListener("click", hideResult);
  $("k-logout").addEventListener("click", logout);
  $("k-flip").addEventListener("click", flipCamera);
  show();
}

/** The clock in the bar, in Tokyo time whatever the tablet's zone. */
function tick() {
  $("k-clock").textContent = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", hour: "numeric", minute: "2-digit" }).format(new Date());
}

function show() {
  const me = account();
  $("login").hidden = !!me;
  $("kiosk").hidden = !me;
  if (!me) {
    stopCamera();
    $("k-email").focus();
    return;
  }
  $("k-account").textContent = `${me.name || me.email}（${me.role === "kiosk" ? "登降園端末" : "職員"}）でログイン中`;
  loadNurseryName(me.nursery);
  setMode(mode);
  startCamera();
  keepSession(me);
  $("k-pin").focus();
}

async function login(e) {
  e.preventDefault();
  const form = e.currentTarget;
  const status = $("login-status");
  await busy(form, async () => {
    try {
      await pb.collection("nursery_staff").authWithPassword(form.email.value.trim(), form.password.value);
      form.reset();
      setStatus(status, "");
      show();
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    }
  });
}

function logout() {
  if (!confirm("この端末をログアウトしますか？ 再開には職員のログインが必要です。")) return;
  pb.authStore.clear();
  show();
}

async function loadNurseryName(id) {
  try {
    const f = await pb.collection("facilities").getOne(id, { fields: "name" });
    $("k-nursery").textContent = `${f.name} 登降園`;
  } catch {
    // A non-public facility: the title stays generic.
  }
}

/**
 * A kiosk account stays signed in (it can only record check-ins): its token
 * is renewed every 10 minutes. A staff account is renewed only while the
 * screen is used, so it still logs out after 30 idle minutes.
 */
let renewTimer = 0;

function keepSession(me) {
  if (me.role === "kiosk" && !renewTimer) renewTimer = setInterval(renew, KIOSK_RENEW_MS);
}

async function renew() {
  lastRenew = Date.now();
  try {
    await pb.collection("nursery_staff").authRefresh();
  } catch (err) {
    if ([401, 403, 404].includes(err?.status)) {
      pb.authStore.clear();
      show();
    }
  }
}

function activity() {
  if (Date.now() - lastRenew > ACTIVE_RENEW_MS) renew();
}

function setMode(m) {
  mode = m;
  $("mode-in").setAttribute("aria-pressed", String(m === "in"));
  $("mode-out").setAttribute("aria-pressed", String(m === "out"));
  document.body.dataset.mode = m;
}

function press(key) {
  const input = $("k-pin");
  if (key === "del") input.value = input.value.slice(0, -1);
  else if (input.value.length < 5) input.value += key;
  input.focus();
}

function submitPin() {
  const pin = $("k-pin").value.trim();
  if (pin.length !== 5) {
    showResult({ error: true, who: "PINは5桁です", what: "数字を5つ入力して「決定」を押してください。" });
    return;
  }
  send(pin).then(() => {
    $("k-pin").value = "";
  });
}

async function send(code) {
  if (sending) return;
  sending = true;
  activity();
  try {
    const res = await pb.send("/api/lifestage/nursery/checkin", { method: "POST", body: { code, direction: mode } });
    showResult({ kind: res.direction, who: `${res.givenName}ちゃん${res.className ? `（${res.className}）` : ""}`,
      what: `${res.direction === "in" ? "登園" : "降園"} ${res.clock}${res.duplicate ? "（記録済み）" : ""}`,
      note: res.missingCheckIn ? "登園の記録がありません。職員にお知らせください。" : "" });
    beep(true);
  } catch (err) {
    if (err?.status === 401) {
      pb.authStore.clear();
      show();
      return;
    }
    showResult({ error: true, who: err?.status === 409 ? "記録済みです" : "記録できませんでした", what: errorMessage(err) });
    beep(false);
  } finally {
    sending = false;
  }
}

function showResult({ kind = "", error = false, who, what, note = "" }) {
  const box = $("result");
  box.dataset.kind = error ? "error" : kind;
  $("result-who").textContent = who;
  $("result-what").textContent = what;
  $("result-note").textContent = note;
  box.hidden = false;
  clearTimeout(resultTimer);
  resultTimer = setTimeout(hideResult, error ? ERROR_MS : RESULT_MS);
}

function hideResult() {
  $("result").hidden = true;
  $("k-pin").focus();
}

/** A short tone: one high for done, two low for a problem. */
function beep(ok) {
  try {
    const ctx = (beep.ctx ||= new AudioContext());
    const tones = ok ? [[880, 0]] : [[330, 0], [330, 0.22]];
    for (const [freq, at] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.15);
    }
  } catch {
    // No sound: the screen says it all.
  }
}

// ---- camera (where the browser has BarcodeDetector) ------------------------

let stream = null;
let facing = "user"; // a tablet on a stand faces the parents
let detector = null;
let scanning = 0;

async function startCamera() {
  if (stream || !("BarcodeDetector" in window) || !navigator.mediaDevices?.getUserMedia) return;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return;
    detector ||= new window.BarcodeDetector({ formats: ["qr_code"] });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: facing }, audio: false });
  } catch {
    stream = null;
    return; // no camera or no permission: the PIN still works
  }
  const video = $("k-video");
  video.srcObject = stream;
  await video.play().catch(() => {});
  $("camera-box").hidden = false;
  scanning = setInterval(scanFrame, 300);
}

function stopCamera() {
  clearInterval(scanning);
  stream?.getTracks().forEach((t) => t.stop());
  stream = null;
  $("camera-box").hidden = true;
}

async function flipCamera() {
  facing = facing === "user" ? "environment" : "user";
  stopCamera();
  await startCamera();
}

async function scanFrame() {
  const video = $("k-video");
  if (sending || video.readyState < 2) return;
  let codes = [];
  try {
    codes = await detector.detect(video);
  } catch {
    return;
  }
  const code = codes.map((c) => c.rawValue).find((v) => v?.startsWith("LSN1:"));
  if (!code) return;
  const now = Date.now();
  if (code === lastCode.code && now - lastCode.at < SAME_CODE_MS) return;
  lastCode = { code, at: now };
  send(code);
}

main();
