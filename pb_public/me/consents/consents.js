// データ提供の同意 (consent broker): the resident grants a partner access to
// their own or a child's records for a purpose, datasets and period, sees
// every grant with its state, downloads its consent receipt and revokes it.
import {
  pb, requireAccount, refreshAccount, initPage, h, busy, setStatus, errorMessage, showErrors, reportInvalid,
  formatDateTime, formatCivilDate, downloadFile,
} from "/assets/app.js";
import { i18nReady, t } from "/assets/i18n.js";

// Labels are catalogue keys consents.state.<state> (drawn after i18nReady).
const STATES = {
  active: { label: "提供中", tag: "tag-ok" },
  pending: { label: "開始前", tag: "tag-primary" },
  expired: { label: "期間終了", tag: "tag-muted" },
  revoked: { label: "取消済み", tag: "tag-muted" },
};

// A dataset's name in the page's language (scope "growth:read" → consents.scope.growth).
const datasetLabel = (scope, fallback) => t(`consents.scope.${scope.split(":")[0]}`, {}, fallback || scope);

const me = requireAccount(["users"]);
if (me) main();

async function main() {
  initPage();
  await i18nReady();
  const record = (await refreshAccount()) || me;
  let options = { partners: [], datasets: [] };
  try {
    options = await pb.send("/api/lifestage/consents/options", {});
  } catch (err) {
    setStatus(document.getElementById("identity-state"), errorMessage(err), "error");
  }
  const labels = new Map(options.datasets.map((d) => [d.scope, datasetLabel(d.scope, d.label)]));
  const list = new ConsentList(labels);
  await setupForm(record, options, list);
  await list.load();
}

async function setupForm(record, options, list) {
  const form = document.getElementById("grant-form");
  const state = document.getElementById("identity-state");
  const status = document.getElementById("grant-status");
  if (record.identityVerifiedMethod !== "jpki") {
    state.replaceChildren(t("consents.needIdentity", {}, "同意するには、マイナンバーカードによる本人確認が必要です。"),
      h("a", { href: "/me/mynaportal/" }, t("consents.verify", {}, "本人確認をする")));
    return;
  }
  if (options.partners.length === 0) {
    setStatus(state, t("consents.noPartners", {}, "いま同意できる事業者はありません。"));
    return;
  }
  form.hidden = false;
  const partner = form.elements.partner;
  partner.replaceChildren(h("option", { value: "" }, t("child.choose", {}, "選んでください")),
    ...options.partners.map((p) => h("option", { value: p.id }, p.name)));

  // Only children the resident may manage can be consented for.
  let kids = [];
  try {
    kids = (await pb.collection("children").getFullList({ sort: "birthDate,created" }))
      .filter((c) => [...(c.guardians || []), ...(c.familyManagers || [])].includes(record.id));
  } catch {
    // the resident's own data stays possible
  }
  const subject = form.elements.child;
  subject.replaceChildren(h("option", { value: "" }, t("consents.self", {}, "あなた自身のデータ")),
    ...kids.map((c) => h("option", { value: c.id }, t("consents.childData", { name: `${c.familyName} ${c.givenName}` }, `${c.familyName} ${c.givenName} さんのデータ`))));
  if (kids.length) subject.value = kids[0].id;

  const scopes = document.getElementById("c-scopes");
  const renderScopes = () => {
    const want = subject.value ? "child" : "self";
    scopes.replaceChildren(...options.datasets.filter((d) => d.subject === want).map((d) =>
      h("label", { class: "choice" }, h("input", { type: "checkbox", name: "scopes", value: d.scope }), " ", datasetLabel(d.scope, d.label))));
  };
  subject.addEventListener("change", renderScopes);
  renderScopes();

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const chosen = [...form.querySelectorAll('input[name="scopes"]:checked')].map((i) => i.value);
    const purpose = form.elements.purpose.value.trim();
    const problems = [];
    if (!partner.value) problems.push(["partner", t("consents.err.partner", {}, "提供先の事業者を選んでください。")]);
    if (chosen.length === 0) problems.push(["scopes", t("consents.err.scopes", {}, "提供するデータを1つ以上選んでください。")]);
    if (!purpose) problems.push(["purpose", t("consents.err.purpose", {}, "利用目的を入力してください。")]);
    if (!reportInvalid(form, problems, status)) return;
    const name = partner.selectedOptions[0]?.textContent;
    if (!confirm(t("consents.grantQuestion", { name }, `${name} に、選んだデータを提供することに同意しますか？`))) return;
    busy(form, async () => {
      try {
        await pb.send("/api/lifestage/me/consents", {
          method: "POST",
          body: { partner: partner.value, child: subject.value, purpose, scopes: chosen, validUntil: form.elements.validUntil.value },
        });
        form.reset();
        subject.value = kids[0]?.id || "";
        renderScopes();
        setStatus(status, t("consents.granted", { name }, `${name} への提供に同意しました。下の一覧で確かめられます。`), "ok");
        await list.load();
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  });
}

class ConsentList {
  constructor(labels) {
    this.labels = labels;
    this.list = document.getElementById("consent-list");
    this.empty = document.getElementById("consent-empty");
    this.status = document.getElementById("list-status");
  }

  async load() {
    try {
      const res = await pb.send("/api/lifestage/me/consents", {});
      const items = res.items || [];
      this.list.replaceChildren(...items.map((c) => this.render(c)));
      this.empty.hidden = items.length > 0;
    } catch (err) {
      setStatus(this.status, errorMessage(err), "error");
    }
  }

  render(c) {
    const known = STATES[c.state];
    const st = { label: known ? t(`consents.state.${c.state}`, {}, known.label) : c.state, tag: known?.tag || "tag-muted" };
    const titleId = `consent-${c.id}`;
    const out = h("p", { class: "status", role: "status", "aria-live": "polite" });
    const facts = h("ul", { class: "plain-list" },
      h("li", {}, t("consents.data", { list: c.scopes.map((s) => this.labels.get(s) || datasetLabel(s)).join(t("consents.listSep", {}, "、")) },
        `データ: ${c.scopes.map((s) => this.labels.get(s) || s).join("、")}`)),
      h("li", {}, t("consents.purpose", { purpose: c.purpose }, `利用目的: ${c.purpose}`)),
      h("li", {}, t("consents.period", { from: formatCivilDate(c.validFrom), to: formatCivilDate(c.validUntil) },
        `期間: ${formatCivilDate(c.validFrom)} 〜 ${formatCivilDate(c.validUntil)}`)),
      h("li", { class: "meta" }, t("consents.grantedAt", { when: formatDateTime(c.grantedAt) }, `同意した日時: ${formatDateTime(c.grantedAt)}`)),
      c.revokedAt ? h("li", { class: "meta" }, t("consents.revokedAt", { when: formatDateTime(c.revokedAt) }, `取り消した日時: ${formatDateTime(c.revokedAt)}`)) : null,
    );
    const actions = h("div", { class: "actions" });
    const receipt = h("button", { class: "btn btn-secondary", type: "button" }, t("consents.receipt", {}, "同意記録（JSON）をダウンロード"));
    receipt.addEventListener("click", () => busy(actions, async () => {
      try {
        await downloadFile(`/api/lifestage/me/consents/${encodeURIComponent(c.id)}/receipt`, {}, `consent-receipt-${c.id}.json`);
      } catch (err) {
        setStatus(out, errorMessage(err), "error");
      }
    }));
    actions.append(receipt);
    if (c.state === "active" || c.state === "pending") {
      const revoke = h("button", { class: "btn btn-danger", type: "button" }, t("consents.revoke", {}, "同意を取り消す"));
      revoke.addEventListener("click", () => busy(actions, async () => {
        if (!confirm(t("consents.revokeQuestion", { name: c.partnerName }, `${c.partnerName} へのデータ提供の同意を取り消しますか？ 取り消すと、すぐに提供を止めます。`))) return;
        try {
          const updated = await pb.send(`/api/lifestage/me/consents/${encodeURIComponent(c.id)}/revoke`, { method: "POST" });
          const li = this.render(updated);
          actions.closest("li").replaceWith(li);
          const msg = li.querySelector(".status");
          setStatus(msg, t("consents.revoked", {}, "同意を取り消しました。この事業者は、もうデータを読めません。"), "ok");
          li.querySelector("h3").focus();
        } catch (err) {
          setStatus(out, errorMessage(err), "error");
        }
      }));
      actions.append(revoke);
    }
    return h("li", { class: "card", "aria-labelledby": titleId },
      h("h3", { id: titleId, tabindex: "-1" }, c.partnerName, " ", h("span", { class: `tag ${st.tag}` }, st.label)),
      h("p", {}, c.childName ? t("consents.childData", { name: c.childName }, `${c.childName} さんのデータ`) : t("consents.self", {}, "あなた自身のデータ")),
      facts, actions, out);
  }
}
