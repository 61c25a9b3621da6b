// A family member's view of the watch-over visits of a relative who
// consented (GET /api/lifestage/me/watch). The server shows only what an
// active consent allows and logs every view.
import { pb, requireAccount, initPage, h, errorMessage, setStatus, formatDateTime, formatCivilDate } from "/assets/app.js";
import { CHECKLIST, ANSWER_LABEL, FREQUENCY } from "/watch/watch.js";
import { i18nReady, t as tr } from "/assets/i18n.js";

const STATUS = { fine: "元気", absent: "不在", concern: "気になる様子", emergency: "緊急" };
const TAG = { fine: "tag-ok", absent: "tag-muted", concern: "tag-primary", emergency: "tag-primary" };
// The check-in page's short checklist; unknown codes are shown as sent.
const QUESTION = Object.fromEntries(CHECKLIST.map((c) => [c.key, c.label]));

const me = requireAccount(["users"]);
if (me) main();

// Each code's label in the page's language (watchview.<list>.<code>),
// else the Japanese label the volunteers' pages use.
const say = (list, code, ja) => (code ? tr(`watchview.${list}.${code}`, {}, ja ?? code) : "—");

async function main() {
  initPage();
  await i18nReady();
  const status = document.getElementById("status");
  setStatus(status, tr("common.loading", {}, "読み込んでいます…"));
  try {
    const r = await pb.send("/api/lifestage/me/watch", {});
    setStatus(status, "");
    document.getElementById("empty").hidden = r.targets.length > 0;
    document.getElementById("targets").replaceChildren(...r.targets.map(target));
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  }
}

function target(t) {
  const title = t.areaName
    ? tr("watchview.targetArea", { name: t.givenName, area: t.areaName }, `${t.givenName} さん（${t.areaName}）`)
    : tr("watchview.target", { name: t.givenName }, `${t.givenName} さん`);
  return h("section", { class: "card", "aria-label": title },
    h("h2", {}, title),
    h("p", { class: "meta" }, tr("watchview.facts", { frequency: say("frequency", t.frequency, FREQUENCY[t.frequency]?.label), date: formatCivilDate(t.grantedOn) },
      `訪問の頻度: ${FREQUENCY[t.frequency]?.label || "—"}・${formatCivilDate(t.grantedOn)} にご本人が同意`)),
    t.visits.length === 0 ? h("p", {}, tr("watchview.noVisits", {}, "まだ訪問の記録はありません。"))
      : h("ul", { class: "plain-list" }, ...t.visits.map(visit)));
}

function visit(v) {
  const answers = Object.entries(v.answers || {}).map(([k, a]) => `${say("question", k, QUESTION[k])}: ${say("answer", String(a), ANSWER_LABEL[String(a)])}`);
  return h("li", { class: "notice" },
    h("p", { class: "notice-title" }, h("span", { class: `tag ${TAG[v.status] || ""}` }, say("status", v.status, STATUS[v.status])), " ", formatDateTime(v.at)),
    answers.length ? h("p", { class: "meta" }, answers.join("　")) : null);
}
