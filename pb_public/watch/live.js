// The city's live view of the watch-over (/watch/), for 高齢福祉担当:
// visit counts, the latest visits (concern and emergency first), the people
// whose visits are late, coverage by area, and the family consents with
// the record of who in the family viewed what. New visits arrive through
// PocketBase realtime on watch_visits.
import {
  pb, refreshAccount, initPage, h, errorMessage, setStatus, busy, showErrors, reportInvalid, formatDateTime, formatCivilDate, todayTokyo,
} from "/assets/app.js";

const STATUS = { fine: "元気", absent: "不在", concern: "気になる", emergency: "緊急" };
const NOTIFY = { volunteer: "担当の協力員", organization: "団体のとりまとめ役", city: "市（高齢福祉担当）" };
const SCOPE = { visits: "訪問の記録", visits_frailty: "訪問の記録とフレイル判定" };
const EVIDENCE = { paper: "同意書", in_person: "対面で確認", other: "その他" };
const RECENT = 30;
const RELOAD_DELAY_MS = 1500; // several visits in a burst reload once

const number = (n) => Number(n || 0).toLocaleString("ja-JP");
const statusTag = (s) => h("span", { class: `tag tag-${s === "fine" ? "ok" : s === "absent" ? "muted" : s}` }, STATUS[s] || s);
const fresh = new Set(); // visits that arrived while the page was open

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (me.collectionName !== "city_staff" || me.department !== "elderly") {
    document.getElementById("denied").hidden = false;
    return;
  }
  document.getElementById("live").hidden = false;
  await load();
  subscribe();
  setupFamily();
}

async function load() {
  const status = document.getElementById("status");
  try {
    render(await pb.send("/api/lifestage/watch/activity", { query: { limit: RECENT } }));
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

let timer = 0;
function subscribe() {
  const state = document.getElementById("live-state");
  pb.collection("watch_visits").subscribe("*", (ev) => {
    fresh.add(ev.record.id);
    clearTimeout(timer);
    timer = setTimeout(load, RELOAD_DELAY_MS);
  }).then(() => {
    state.textContent = "自動更新中";
    state.className = "tag tag-ok";
  }).catch(() => {
    state.textContent = "自動更新できません（再読み込みしてください）";
    state.className = "tag tag-muted";
  });
}

function render(a) {
  const row = (label, c) => h("tr", {}, h("th", { scope: "row" }, label),
    ...["fine", "absent", "concern", "emergency", "total"].map((k) => h("td", { class: "num" }, number(c[k]))));
  document.getElementById("counts").replaceChildren(row(`今日（${formatCivilDate(a.asOf)}）`, a.today), row("直近7日", a.week));

  // Concern and emergency of the last week, newest first: someone must act.
  const alerts = a.recent.filter((v) => v.status === "concern" || v.status === "emergency");
  document.getElementById("alerts").hidden = alerts.length === 0;
  document.getElementById("alert-list").replaceChildren(...alerts.map((v) =>
    h("li", {}, statusTag(v.status), " ", h("strong", {}, v.name || "（氏名不明）"), `（${v.areaName || "地区未設定"}） `,
      h("span", { class: "meta" }, `${formatDateTime(v.at)}・${v.volunteerName || "協力員不明"}`))));

  document.getElementById("recent").replaceChildren(...a.recent.map((v) =>
    h("tr", { class: [v.status === "concern" || v.status === "emergency" ? `is-${v.status}` : "", fresh.has(v.id) ? "is-new" : ""].join(" ").trim() || null },
      h("td", {}, formatDateTime(v.at), fresh.has(v.id) ? h("span", { class: "tag tag-primary" }, "新着") : null),
      h("th", { scope: "row" }, v.name),
      h("td", {}, v.areaName || "—"),
      h("td", {}, statusTag(v.status), v.method === "manual" ? h("span", { class: "meta" }, "（手入力）") : null),
      h("td", {}, v.volunteerName || "—"))));

  document.getElementById("esc-empty").hidden = a.escalations.length > 0;
  document.getElementById("escalations").replaceChildren(...a.escalations.map((e) =>
    h("tr", { class: e.notify === "city" ? "is-emergency" : null },
      h("th", { scope: "row" }, e.name),
      h("td", {}, e.areaName || "—"),
      h("td", {}, formatCivilDate(e.dueOn)),
      h("td", { class: "num" }, `${number(e.daysOverdue)}日`),
      h("td", {}, `第${e.level}段階：${NOTIFY[e.notify] || e.notify}`, e.notifiedAt ? h("span", { class: "meta" }, `（${formatDateTime(e.notifiedAt)}）`) : null))));

  const areaRow = (c, head) => h("tr", {},
    h("th", { scope: "row" }, head ? h("strong", {}, c.areaName) : c.areaName),
    h("td", { class: "num" }, number(c.targets)), h("td", { class: "num" }, number(c.covered)),
    h("td", { class: "num" }, number(c.pending)), h("td", { class: "num" }, number(c.overdue)),
    h("td", { class: "num" }, c.targets ? `${c.percent}%` : "—"));
  document.getElementById("areas").replaceChildren(...a.areas.map((c) => areaRow(c, false)), areaRow(a.total, true));
}

// ---- family consents -------------------------------------------------------

function setupFamily() {
  const details = document.getElementById("family");
  const select = document.getElementById("family-target");
  const status = document.getElementById("family-status");
  let loaded = false;
  // The target list is a read of sensitive records (logged): only on demand.
  details.addEventListener("toggle", async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      const targets = await pb.collection("watch_targets").getFullList({
        filter: 'consentStatus = "consented"', expand: "resident,area",
        fields: "id,expand.resident.familyName,expand.resident.givenName,expand.resident.familyNameKana,expand.area.name",
      });
      const label = (t) => `${t.expand?.resident?.familyName || ""} ${t.expand?.resident?.givenName || ""}（${t.expand?.area?.name || "地区未設定"}）`;
      targets.sort((x, y) => (x.expand?.resident?.familyNameKana || "").localeCompare(y.expand?.resident?.familyNameKana || "", "ja"));
      select.append(...targets.map((t) => h("option", { value: t.id }, label(t))));
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    }
  });
  select.addEventListener("change", () => showTarget(select.value));
  document.getElementById("c-granted").value = todayTokyo();
  document.getElementById("consent-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    grant(select.value);
  });
}

async function showTarget(id) {
  const detail = document.getElementById("family-detail");
  const status = document.getElementById("family-status");
  detail.hidden = !id;
  if (!id) return;
  try {
    const r = await pb.send(`/api/lifestage/watch/targets/${encodeURIComponent(id)}/family-views`, {});
    document.getElementById("consents").replaceChildren(...(r.consents.length ? r.consents.map((c) => consentItem(id, c))
      : [h("li", { class: "meta" }, "同意はまだ登録されていません。")]));
    document.getElementById("views-empty").hidden = r.views.length > 0;
    document.getElementById("views").replaceChildren(...r.views.map((v) =>
      h("li", {}, `${formatDateTime(v.at)}　${v.name || v.email || v.user}`)));
    setStatus(status, "");
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function consentItem(target, c) {
  const state = c.revokedAt ? h("span", { class: "tag tag-muted" }, `撤回（${formatDateTime(c.revokedAt)}）`) : h("span", { class: "tag tag-ok" }, "有効");
  const revoke = c.revokedAt ? null : h("button", {
    type: "button", class: "btn btn-danger btn-small",
    onclick: async (ev) => {
      if (!confirm(`${c.name || "この家族"} さんへの開示を撤回します。すぐに見られなくなります。よろしいですか。`)) return;
      ev.target.disabled = true;
      try {
        // The server stamps its own time; any value asks for "now".
        await pb.collection("watch_family_consents").update(c.id, { revokedAt: new Date().toISOString().replace("T", " ") });
        setStatus(document.getElementById("family-status"), "撤回しました。", "ok");
        showTarget(target);
      } catch (err) {
        ev.target.disabled = false;
        setStatus(document.getElementById("family-status"), errorMessage(err), "error");
      }
    },
  }, "撤回する");
  return h("li", { class: "consent-item" },
    h("span", {}, h("strong", {}, c.name || c.user), ` ${SCOPE[c.scope] || c.scope}・${formatCivilDate(c.grantedOn)} 同意（${EVIDENCE[c.evidence] || c.evidence}） `, state),
    revoke);
}

async function grant(target) {
  const form = document.getElementById("consent-form");
  const status = document.getElementById("consent-status");
  const data = Object.fromEntries(new FormData(form));
  const problems = [];
  if (!/^\S+@\S+$/.test(data.email || "")) problems.push(["email", "メールアドレスを入力してください。"]);
  if (!data.grantedOn) problems.push(["grantedOn", "同意した日を入力してください。"]);
  if (!reportInvalid(form, problems, status)) return;
  await busy(form, async () => {
    try {
      const r = await pb.send(`/api/lifestage/watch/targets/${encodeURIComponent(target)}/family-consents`, { method: "POST", body: data });
      setStatus(status, `${r.name || data.email} さんへの開示を登録しました。`, "ok");
      form.reset();
      document.getElementById("c-granted").value = todayTokyo();
      showTarget(target);
    } catch (err) {
      showErrors(form, err, status);
    }
  });
}

main();
