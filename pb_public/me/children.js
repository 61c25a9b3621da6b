// The "お子さま" cards on the citizen home. A guardian sees the child's shares
// and can invite family; someone the child is shared with sees that it is
// shared and can leave.
import { pb, h, ageText, formatCivilDate, errorMessage, setStatus } from "/assets/app.js";
import { t } from "/assets/i18n.js";
import { SEX, SHARE_SCOPES, labelT } from "/assets/labels.js";
import { mountShares, inviteForm, revoke } from "/me/shares.js";

export async function loadChildren({ list, empty, status, me, reload }) {
  list.setAttribute("aria-busy", "true");
  try {
    const [children, shares] = await Promise.all([
      pb.collection("children").getFullList({ sort: "birthDate,created" }),
      pb.collection("family_shares").getFullList({ sort: "-created" }),
    ]);
    list.replaceChildren(...children.map((c) => childCard(c, shares.filter((s) => s.child === c.id), me, reload)));
    empty.hidden = children.length > 0;
  } catch (err) {
    setStatus(status, errorMessage(err), "error");
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function childCard(child, shares, me, reload) {
  const isGuardian = (child.guardians || []).includes(me.id);
  const nameId = `child-${child.id}-name`;
  const kana = [child.familyNameKana, child.givenNameKana].filter(Boolean).join(" ");
  const born = t("me.children.born", { date: formatCivilDate(child.birthDate) }, formatCivilDate(child.birthDate) + "生まれ");
  const facts = [born, labelT("sex", SEX, child.sex)].filter(Boolean).join(t("me.children.sep", {}, "・"));

  return h("article", { class: "card child-card", "aria-labelledby": nameId },
    h("h3", { id: nameId }, `${child.familyName} ${child.givenName}`, kana ? h("span", { class: "kana" }, kana) : null),
    h("p", { class: "child-age" }, ageText(child.birthDate)),
    h("p", { class: "meta" }, facts),
    h("div", { class: "actions" },
      h("a", { class: "btn btn-secondary btn-block", href: `/me/child/?id=${encodeURIComponent(child.id)}` }, t("me.children.handbook", {}, "母子手帳をひらく"))),
    isGuardian ? guardianPart(child, shares) : sharedPart(child, shares, me, reload),
  );
}

function guardianPart(child, shares) {
  const sharesBox = h("div");
  const sharesUi = mountShares(sharesBox, child, shares);
  const headingId = `child-${child.id}-shares`;
  return [
    h("p", { class: "tags" }, h("span", { class: "tag tag-primary" }, t("me.children.guardian", {}, "保護者"))),
    h("section", { "aria-labelledby": headingId },
      h("h4", { id: headingId }, t("me.shares.title", {}, "家族との共有")),
      sharesBox,
      h("details", { class: "disclosure" },
        h("summary", {}, t("me.shares.invite", {}, "家族を招待")),
        inviteForm(child, { onCreated: () => sharesUi.reload() }))),
  ];
}

function sharedPart(child, shares, me, reload) {
  const mine = shares.find((s) => s.member === me.id && s.status === "active");
  const scope = (child.familyManagers || []).includes(me.id) ? "manage" : "view";
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  return [
    h("p", { class: "tags" }, h("span", { class: "tag" }, t("me.children.shared", {}, "共有されています")), h("span", { class: "tag tag-muted" }, labelT("shareScope", SHARE_SCOPES, scope))),
    mine ? h("div", { class: "actions" },
      h("button", {
        type: "button", class: "btn btn-danger btn-small",
        onclick: async (e) => {
          const ok = await revoke(mine, t("me.children.leaveQuestion", { name: child.givenName }, `${child.givenName}さんの共有をやめますか？やめると記録が見られなくなります。`), status, e.currentTarget);
          if (ok) reload();
        },
      }, t("me.children.leave", {}, "共有をやめる"))) : null,
    status,
  ];
}
