// Verified identity (My Number card) and the マイナポータル import: per child,
// the guardian's consent (scopes, period), the import button and its result,
// and revoking the consent.
import {
  pb, requireAccount, refreshAccount, initPage, h, busy, setStatus, errorMessage, formatDateTime, formatCivilDate,
} from "/assets/app.js";

const SCOPES = [
  { key: "immunizations", label: "予防接種の記録" },
  { key: "infant_checkups", label: "乳幼児健診の記録" },
];
const SKIP_REASONS = {
  unknown_vaccine: "母子手帳にないワクチン", unknown_checkup: "母子手帳にない健診",
  invalid_date: "日付が正しくない記録", invalid_dose: "接種回数が正しくない記録", missing_id: "記録番号のない記録",
};

const me = requireAccount(["users"]);
if (me) main();

async function main() {
  initPage();
  const fresh = (await refreshAccount()) || me;
  const [status, card] = await Promise.all([
    pb.send("/api/lifestage/mynaportal/status", {}).catch(() => ({ enabled: false, identityVerified: false })),
    pb.send("/api/lifestage/auth/mynumber/status", {}).catch(() => ({ enabled: false })),
  ]);
  showIdentity(fresh, card.enabled);
  await showChildren(fresh, status);
}

function showIdentity(record, cardLogin) {
  const state = document.getElementById("identity-state");
  const form = document.getElementById("identity-form");
  const out = document.getElementById("identity-status");
  if (new URLSearchParams(location.search).get("verified") === "1") {
    setStatus(out, "マイナンバーカードで本人確認ができました。", "ok");
  }
  if (record.identityVerifiedMethod === "jpki") {
    state.textContent = `本人確認済み（マイナンバーカード、${formatDateTime(record.identityVerifiedAt)}）`;
  } else {
    state.textContent = "まだ本人確認をしていません。";
  }
  form.hidden = !cardLogin;
  if (!cardLogin && record.identityVerifiedMethod !== "jpki") {
    state.textContent += " マイナンバーカードでの本人確認は、現在ご利用いただけません。";
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await busy(form, async () => {
      setStatus(out, "デジタル認証アプリへ移動します…");
      try {
        const res = await pb.send("/api/lifestage/auth/mynumber/link", { method: "POST" });
        location.assign(res.url);
      } catch (err) {
        setStatus(out, errorMessage(err), "error");
      }
    });
  });
}

async function showChildren(record, status) {
  const list = document.getElementById("child-list");
  const state = document.getElementById("import-state");
  if (!status.enabled) setStatus(state, "マイナポータルとの連携は、現在ご利用いただけません。同意の記録と取り消しはできます。");
  if (!status.identityVerified) setStatus(state, "取り込みには、先に上の「マイナンバーカードで本人確認」が必要です。");
  try {
    const [children, consents] = await Promise.all([
      pb.collection("children").getFullList({ sort: "birthDate,created" }),
      pb.collection("mynaportal_consents").getFullList({ sort: "-created" }),
    ]);
    const mine = children.filter((c) => (c.guardians || []).includes(record.id));
    if (mine.length === 0) {
      list.replaceChildren(h("p", { class: "card" }, "保護者として登録されたお子さまがいません。"));
      return;
    }
    list.replaceChildren(...mine.map((c) => {
      const own = consents.filter((x) => x.child === c.id);
      const card = childCard(c, own.find((x) => x.status === "active"), status);
      const past = own.filter((x) => x.status !== "active");
      return past.length ? h("div", {}, card, history(past)) : card;
    }));
  } catch (err) {
    setStatus(state, errorMessage(err), "error");
  }
}

function childCard(child, consent, status) {
  const titleId = `mp-${child.id}`;
  const out = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const body = consent ? consentPart(child, consent, status, out) : consentForm(child, status, out);
  return h("article", { class: "card", "aria-labelledby": titleId },
    h("h3", { id: titleId }, `${child.familyName} ${child.givenName}`),
    body, out);
}

function consentPart(child, consent, status, out) {
  const scopes = SCOPES.filter((s) => (consent.scopes || []).includes(s.key)).map((s) => s.label).join("・");
  const last = h("li", {}, consent.lastImportAt ? `前回の取り込み: ${formatDateTime(consent.lastImportAt)}（${consent.lastImportCount}件追加）` : "まだ取り込んでいません。");
  const facts = h("ul", { class: "plain-list" },
    h("li", {}, `同意した範囲: ${scopes}`),
    h("li", {}, `同意の期間: ${formatCivilDate(consent.validFrom)} 〜 ${formatCivilDate(consent.validUntil)}`),
    last,
  );
  const importBtn = h("button", { class: "btn btn-block", type: "button", disabled: !status.enabled || !status.identityVerified }, "記録を取り込む");
  const revokeBtn = h("button", { class: "btn btn-secondary btn-block", type: "button" }, "同意を取り消す");
  const form = h("div", { class: "actions" }, importBtn, revokeBtn);
  importBtn.addEventListener("click", () => busy(form, async () => {
    setStatus(out, "マイナポータルに問い合わせています…");
    try {
      const res = await pb.send("/api/lifestage/mynaportal/import", { method: "POST", body: { child: child.id } });
      setStatus(out, importSummary(res), "ok");
      const added = (res.imported?.immunizations ?? 0) + (res.imported?.infant_checkups ?? 0);
      last.textContent = `前回の取り込み: ${formatDateTime(new Date().toISOString())}（${added}件追加）`;
    } catch (err) {
      setStatus(out, errorMessage(err), "error");
    }
  }));
  revokeBtn.addEventListener("click", () => busy(form, async () => {
    if (!confirm("マイナポータルからの取り込みへの同意を取り消しますか？")) return;
    try {
      await pb.send(`/api/lifestage/mynaportal/consents/${encodeURIComponent(consent.id)}/revoke`, { method: "POST" });
      setStatus(out, "同意を取り消しました。", "ok");
      form.closest("article").replaceWith(childCard(child, null, status));
    } catch (err) {
      setStatus(out, errorMessage(err), "error");
    }
  }));
  return h("div", {}, h("p", {}, "取り込みに同意しています。"), facts, form);
}

function importSummary(res) {
  const n = res.imported || {};
  let text = `取り込みました。予防接種 ${n.immunizations ?? 0}件、乳幼児健診 ${n.infant_checkups ?? 0}件を追加しました。`;
  if (res.alreadyImported) text += ` 取り込み済みの ${res.alreadyImported}件はそのままです。`;
  if (res.skipped?.length) {
    const reasons = [...new Set(res.skipped.map((s) => SKIP_REASONS[s.reason] || s.reason))].join("、");
    text += ` ${res.skipped.length}件は取り込めませんでした（${reasons}）。母子手帳に手で記録してください。`;
  }
  return text;
}

function consentForm(child, status, out) {
  const boxes = SCOPES.map((s) => h("label", { class: "choice" },
    h("input", { type: "checkbox", name: "scopes", value: s.key, checked: true }), " ", s.label));
  const form = h("form", { novalidate: true },
    h("fieldset", {}, h("legend", {}, "取り込む記録"), h("div", { class: "choices" }, ...boxes)),
    h("p", { class: "meta" }, "利用目的: マイナポータル（PMH）にある予防接種と乳幼児健診の記録を電子母子手帳に取り込み、記録の閲覧と接種・健診の予定づくりに使うため。期間は今日から1年間です。"),
    h("button", { class: "btn btn-block", type: "submit", disabled: !status.identityVerified }, "同意する"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const scopes = [...form.querySelectorAll('input[name="scopes"]:checked')].map((i) => i.value);
    if (scopes.length === 0) {
      setStatus(out, "取り込む記録を一つ以上選んでください。", "error");
      return;
    }
    busy(form, async () => {
      try {
        const consent = await pb.send("/api/lifestage/mynaportal/consents", { method: "POST", body: { child: child.id, scopes } });
        form.closest("article").replaceWith(childCard(child, consent, status));
      } catch (err) {
        setStatus(out, errorMessage(err), "error");
      }
    });
  });
  return h("div", {}, h("p", {}, "取り込みへの同意はまだありません。"), form);
}

// The guardian sees every consent they gave, not only the one in force.
function history(past) {
  return h("details", { class: "card" },
    h("summary", {}, `これまでの同意（${past.length}件）`),
    h("ul", { class: "plain-list" }, ...past.map((c) => h("li", {},
      `${formatCivilDate(c.validFrom)} 〜 ${formatCivilDate(c.validUntil)}・取消 ${formatDateTime(c.revokedAt)}`))));
}
