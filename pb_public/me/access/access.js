// A citizen's access history (自分の情報の閲覧履歴): who created, changed,
// deleted or (staff) read records about them or their children, from the
// audit log through GET /api/lifestage/me/access-log.
import { pb, requireAccount, initPage, h, errorMessage, setStatus, formatDateTime } from "/assets/app.js";

const ACTIONS = {
  create: "登録",
  update: "変更",
  delete: "削除",
  view: "閲覧",
  import: "一括登録",
};

const DATA = {
  children: "お子さまの記録",
  users: "アカウント",
  family_shares: "家族共有",
  notifications: "お知らせ",
  residents: "住民記録",
  households: "世帯の記録",
  fee_assessments: "保育料の算定基礎",
  invoices: "保育施設の請求書",
  immunizations: "予防接種の記録",
  growth_measurements: "成長の記録",
  infant_checkups: "乳幼児健診の記録",
  prenatal_checkups: "妊婦健診の記録",
  partner_consents: "データ提供の同意",
};

const CITY_DEPARTMENTS = { child: "子育て担当", nursery: "保育担当", elderly: "高齢福祉担当", ops: "運用管理" };

/** Who did it, in words a resident understands. */
function who(item) {
  if (item.self) return "ご本人";
  switch (item.actorKind) {
    case "users":
      return "ご家族";
    case "city_staff": {
      const dept = CITY_DEPARTMENTS[String(item.actorRole || "").split(":")[0]];
      return dept ? `市役所（${dept}）` : "市役所";
    }
    case "nursery_staff":
      return "保育施設";
    case "medical_staff":
      return "医療機関";
    case "volunteers":
      return "見守りボランティア";
    case "_superusers":
      return "システム管理者";
    case "api_keys": // a partner reading under the resident's consent
      return item.actorName ? `連携事業者「${item.actorName}」（あなたの同意による）` : "連携事業者（あなたの同意による）";
  }
  if (item.actorRole === "guest") return "ログイン前の操作（新規登録・パスワードの再設定など）";
  return "システム";
}

const me = requireAccount(["users"]);
if (me) main(me);

async function main(record) {
  initPage();
  const list = document.getElementById("access-list");
  const empty = document.getElementById("access-empty");
  const status = document.getElementById("access-status");
  const more = document.getElementById("access-more");
  let page = 0;

  // Children's names make "whose record" readable; without them the list
  // still shows (as お子さま).
  const names = new Map([[record.id, "あなた"]]);
  if (record.household) names.set(record.household, "あなたの世帯");
  try {
    const kids = await pb.collection("children").getFullList({ fields: "id,familyName,givenName" });
    for (const k of kids) names.set(k.id, `${k.familyName} ${k.givenName} さん`);
  } catch {
    // ignore: names are a convenience
  }

  function render(item) {
    const whose = names.get(item.subject) || (item.collection === "children" ? "お子さま" : "");
    const data = DATA[item.collection] || "記録";
    const action = ACTIONS[item.action] || item.action;
    return h("li", { class: "notice", tabindex: "-1" },
      h("p", { class: "meta" }, h("time", { datetime: item.at }, formatDateTime(item.at))),
      h("p", { class: "notice-title" },
        h("strong", {}, who(item)), "が、",
        whose ? `${whose}の` : "", h("strong", {}, data), "を",
        h("strong", {}, action), "しました。"));
  }

  async function load() {
    more.disabled = true;
    if (page === 0) setStatus(status, "読み込んでいます…");
    try {
      const res = await pb.send("/api/lifestage/me/access-log", { query: { page: page + 1 } });
      page = res.page || page + 1;
      const items = res.items || [];
      const before = list.lastElementChild;
      list.append(...items.map(render));
      empty.hidden = list.children.length > 0;
      more.hidden = items.length < (res.perPage || 50);
      if (page > 1) {
        setStatus(status, items.length ? `${items.length}件を追加で表示しました。` : "これ以上の履歴はありません。");
        (before?.nextElementSibling || list.lastElementChild)?.focus();
      } else {
        setStatus(status, "");
      }
    } catch (err) {
      setStatus(status, errorMessage(err), "error");
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener("click", load);
  load();
}
