// Family sharing on the citizen home: a child's share list with revoke
// buttons, and the invite form that shows a new code once. The code is never
// stored by the server (only its hash), so this screen is the only place the
// guardian can read it.
import {
  pb, h, busy, clearErrors, showErrors, setStatus, errorMessage, formatDate, formatDateTime, parseDate,
} from "/assets/app.js";
import { t } from "/assets/i18n.js";
import { SHARE_SCOPES, SHARE_STATUS, labelT } from "/assets/labels.js";

const scopeLabel = (scope) => labelT("shareScope", SHARE_SCOPES, scope);
const family = (share) => share.label || t("me.shares.family", {}, "ご家族");

function isExpired(share) {
  const exp = parseDate(share.expiresAt);
  return share.status === "pending" && exp && exp < new Date();
}

/** Ends a share after asking; returns true when it was revoked. */
export async function revoke(share, question, status, button) {
  if (!confirm(question)) return false;
  if (button) button.disabled = true;
  try {
    await pb.send(`/api/lifestage/family/shares/${encodeURIComponent(share.id)}/revoke`, { method: "POST" });
    setStatus(status, t("me.shares.revoked", {}, "取り消しました。"), "ok");
    return true;
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
    if (button) button.disabled = false;
    return false;
  }
}

/** Renders a child's shares into `box`; reload() fetches them again. */
export function mountShares(box, child, initial) {
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });

  function item(share, reload) {
    const who = family(share) + (share.memberName ? t("me.shares.member", { name: share.memberName }, `（${share.memberName} さん）`) : "");
    const expired = isExpired(share);
    const stateText = expired ? t("me.shares.expired", {}, "期限切れ") : labelT("shareStatus", SHARE_STATUS, share.status);
    const stateClass = share.status === "active" ? "tag tag-ok" : share.status === "pending" && !expired ? "tag tag-primary" : "tag tag-muted";
    let when = "";
    if (share.status === "pending") when = t("me.shares.expires", { when: formatDateTime(share.expiresAt) }, `有効期限：${formatDateTime(share.expiresAt)}`);
    else if (share.status === "active") when = t("me.shares.since", { when: formatDate(share.acceptedAt) }, `共有開始：${formatDate(share.acceptedAt)}`);
    else if (share.status === "revoked") when = t("me.shares.revokedOn", { when: formatDate(share.revokedAt) }, `取消：${formatDate(share.revokedAt)}`);

    const canRevoke = share.status === "pending" || share.status === "active";
    const question = share.status === "pending"
      ? t("me.shares.cancelInviteQuestion", { who: family(share) }, `${family(share)}への招待を取り消しますか？`)
      : t("me.shares.revokeQuestion", { who: family(share) }, `${family(share)}との共有を取り消しますか？取り消すと、すぐに記録が見られなくなります。`);
    return h("li", { class: "share-item" + (share.status === "revoked" ? " is-revoked" : "") },
      h("div", {},
        h("strong", {}, who),
        h("span", { class: "tags" },
          h("span", { class: stateClass }, stateText),
          h("span", { class: "tag tag-muted" }, scopeLabel(share.scope))),
        when ? h("span", { class: "meta", style: "display:block" }, when) : null),
      canRevoke ? h("button", {
        type: "button", class: "btn btn-danger btn-small",
        onclick: async (e) => { if (await revoke(share, question, status, e.currentTarget)) reload(); },
      }, share.status === "pending" ? t("me.shares.cancelInvite", {}, "招待を取り消す") : t("me.shares.revoke", {}, "共有を取り消す")) : null);
  }

  function render(shares) {
    const open = shares.filter((s) => s.status === "active" || (s.status === "pending" && !isExpired(s)));
    const closed = shares.filter((s) => !open.includes(s));
    box.replaceChildren(...[
      open.length
        ? h("ul", { class: "plain-list" }, open.map((s) => item(s, reload)))
        : h("p", { class: "meta" }, t("me.shares.none", {}, "まだ誰とも共有していません。")),
      closed.length
        ? h("details", { class: "disclosure quiet" },
          h("summary", {}, t("me.shares.closed", { n: closed.length }, `終了した共有（${closed.length}件）`)),
          h("ul", { class: "plain-list" }, closed.map((s) => item(s, reload))))
        : null,
      status,
    ].filter(Boolean));
  }

  async function reload() {
    try {
      const shares = await pb.collection("family_shares").getFullList({
        filter: pb.filter("child = {:child}", { child: child.id }),
        sort: "-created",
      });
      render(shares);
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    }
  }

  render(initial);
  return { reload };
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API needs a secure context; plain http on the city LAN falls
    // back to the older selection copy.
    const active = document.activeElement;
    const ta = h("textarea", { readonly: true, class: "visually-hidden" }, text);
    document.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    ta.remove();
    active?.focus();
    return ok;
  }
}

function inviteResult(res, status) {
  const url = new URL(res.inviteUrl || `/me/share/?code=${encodeURIComponent(res.code)}`, location.origin).href;
  const copy = (text, what) => async () => {
    const ok = await copyText(text);
    setStatus(status, ok
      ? t("me.shares.copied", { what }, `${what}をコピーしました。`)
      : t("me.shares.copyFailed", { what }, `${what}をコピーできませんでした。長押しして選択してください。`), ok ? "ok" : "error");
  };
  const box = h("div", { class: "invite-result", tabindex: "-1" },
    h("p", { style: "margin:0" }, h("strong", {}, t("me.shares.code", {}, "招待コード")), t("me.shares.codeScope", { scope: scopeLabel(res.scope) }, `（${scopeLabel(res.scope)}）`)),
    h("code", { class: "invite-code", "aria-label": `${t("me.shares.code", {}, "招待コード")} ${res.code.split("").join(" ")}` }, res.code),
    h("p", { class: "meta" }, t("me.shares.until", { when: formatDateTime(res.expiresAt) }, `有効期限：${formatDateTime(res.expiresAt)}まで`)),
    h("div", { class: "actions", style: "justify-content:center" },
      h("button", { type: "button", class: "btn btn-small", onclick: copy(res.code, t("me.shares.codeWord", {}, "コード")) }, t("me.shares.copyCode", {}, "コードをコピー")),
      h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: copy(url, t("me.shares.linkWord", {}, "リンク")) }, t("me.shares.copyLink", {}, "リンクをコピー")),
      typeof navigator.share === "function"
        ? h("button", {
          type: "button", class: "btn btn-secondary btn-small",
          onclick: () => navigator.share({
            title: t("me.shares.shareTitle", {}, "lifestage 家族共有の招待"),
            text: t("me.shares.shareText", { code: res.code }, `招待コード：${res.code}`), url,
          }).catch(() => {}),
        }, t("me.shares.shareApp", {}, "ほかのアプリで送る"))
        : null),
    h("a", { class: "invite-link", href: url }, url),
    h("p", { class: "meta", style: "text-align:left" },
      t("me.shares.once", {}, "このコードはこの画面でしか表示されません。招待したいご家族に、コードかリンクを伝えてください。コードは一度だけ使えます。")));
  return box;
}

/** The 「家族を招待」 form for one child. */
export function inviteForm(child, { onCreated }) {
  const id = (name) => `invite-${child.id}-${name}`;
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const resultSlot = h("div");
  const form = h("form", { novalidate: true },
    h("div", { class: "field" },
      h("label", { for: id("scope") }, t("me.shares.scope", {}, "共有の範囲")),
      h("span", { class: "hint", id: id("scope-hint") }, t("me.shares.scopeHint", {}, "閲覧のみ：記録を見られます。記録の管理：記録の変更もできます。")),
      h("select", { id: id("scope"), name: "scope", "aria-describedby": id("scope-hint") },
        h("option", { value: "view" }, scopeLabel("view")),
        h("option", { value: "manage" }, scopeLabel("manage")))),
    h("div", { class: "field" },
      h("label", { for: id("label") }, t("me.shares.label", {}, "呼び名")),
      h("span", { class: "hint", id: id("label-hint") }, t("me.shares.labelHint", {}, "例：祖母、父（50文字まで）")),
      h("input", { id: id("label"), name: "label", type: "text", maxlength: "50", "aria-describedby": id("label-hint"), autocomplete: "off" })),
    status,
    h("button", { type: "submit", class: "btn btn-block" }, t("me.shares.create", {}, "招待コードを作る")),
    resultSlot);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { scope: form.elements.scope.value, label: form.elements.label.value.trim() };
    let created = null;
    await busy(form, async () => {
      setStatus(status, t("me.shares.creating", {}, "招待コードを作っています…"));
      try {
        const res = await pb.send(`/api/lifestage/family/children/${encodeURIComponent(child.id)}/shares`, { method: "POST", body });
        setStatus(status, t("me.shares.created", {}, "招待コードを作りました。"), "ok");
        created = inviteResult(res, status);
        resultSlot.replaceChildren(created);
        form.elements.label.value = "";
        onCreated?.(res);
      } catch (err) {
        showErrors(form, err, status);
      }
    });
    // Move focus to the code so screen readers read it out next (after busy
    // has re-enabled the form, which would otherwise keep focus).
    created?.focus();
  });
  return form;
}
