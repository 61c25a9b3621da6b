import { t } from "/assets/i18n.js";

// Japanese labels for the codes the backend stores. Kept in one place so every
// page says the same thing for the same code; unknown codes fall back to the
// code itself rather than to an empty string.

export const FACILITY_TYPES = {
  nursery: "保育所",
  kindergarten: "幼稚園",
  kodomoen: "認定こども園",
  clinic: "診療所",
  hospital: "病院",
  health_center: "保健センター",
  child_support_center: "子育て支援センター",
  community_center: "公民館",
};

export const FACILITY_SERVICES = {
  pediatrics: "小児科",
  internal: "内科",
  surgery: "外科",
  obstetrics: "産科",
  gynecology: "婦人科",
  maternity: "妊産婦支援",
  emergency: "救急",
  rehabilitation: "リハビリテーション",
  home_visit: "訪問診療",
  vaccination: "予防接種",
  infant_checkup: "乳幼児健診",
  infant: "0歳児保育",
  extended_hours: "延長保育",
  temporary_care: "一時預かり",
  maternity_consultation: "妊娠・出産の相談",
  health_consultation: "健康相談",
  parenting_consultation: "子育て相談",
  consultation: "相談",
  playroom: "あそびの広場",
  meeting_room: "会議室",
  lifelong_learning: "生涯学習",
};

export const DEPARTMENTS = {
  child: "子育て担当",
  nursery: "保育担当",
  elderly: "高齢福祉担当",
  ops: "運用管理",
};

// Roles differ per staff collection, so they are looked up by collection.
export const ROLES = {
  city_staff: { viewer: "閲覧のみ", staff: "担当者", manager: "管理職" },
  nursery_staff: { staff: "保育士等", director: "施設長", kiosk: "登降園端末" },
  medical_staff: { doctor: "医師", nurse: "看護師", clerk: "事務" },
};

export const SHARE_SCOPES = { view: "閲覧のみ", manage: "記録の管理" };
export const SHARE_STATUS = { pending: "招待中", active: "共有中", revoked: "取消済" };
export const SEX = { male: "男の子", female: "女の子" };

export function label(map, code) {
  return (code && map[code]) || code || "";
}

/**
 * A code's label in the page's language: catalogue key labels.<group>.<code>
 * (e.g. labels.sex.female), else the Japanese label above. Staff pages keep
 * using label(); citizen pages call this after i18nReady().
 */
export function labelT(group, map, code) {
  return code ? t(`labels.${group}.${code}`, {}, label(map, code)) : "";
}

// ---- 母子手帳 (handbook) ----------------------------------------------------

// Vaccine codes of the schedule, in the order the schedule lists them.
export const VACCINES = {
  hepb: "B型肝炎",
  rota1: "ロタウイルス（1価）",
  rota5: "ロタウイルス（5価）",
  dtp_ipv_hib: "五種混合",
  dtp_ipv: "四種混合",
  hib: "ヒブ",
  pcv: "小児用肺炎球菌",
  bcg: "BCG",
  mr1: "麻しん風しん（1期）",
  mr2: "麻しん風しん（2期）",
  varicella: "水痘",
  je1: "日本脳炎（1期）",
  je2: "日本脳炎（2期）",
  dt2: "二種混合（2期）",
  hpv: "HPV",
};

export const SCHEDULE_STATUS = {
  done: "済",
  upcoming: "まだ",
  due: "接種時期",
  overdue: "期間超過（お早めに）",
  expired: "期限切れ",
  skipped: "対象外",
};

export const RECORD_SOURCES = { parent: "保護者", clinic: "医療機関", city: "市", mynaportal: "マイナポータル" };
export const ALLERGY_SEVERITY = { mild: "軽い", moderate: "中くらい", severe: "重い" };
export const WEANING_REACTION = { none: "反応なし", mild: "軽い反応", severe: "強い反応" };
export const INJECTION_SITES = {
  left_arm: "左腕", right_arm: "右腕", left_thigh: "左太もも", right_thigh: "右太もも", oral: "経口", other: "その他",
};

// 出生の記録 (birth record)
export const DELIVERY_METHODS = {
  spontaneous: "自然分娩", vacuum: "吸引分娩", forceps: "鉗子分娩", cesarean: "帝王切開", other: "その他",
};
export const BIRTH_ABNORMALITY = { none: "なし", present: "あり" };
export const BIRTH_PLACES = {
  hospital: "病院", clinic: "診療所", midwifery_home: "助産所", home: "自宅", other: "その他",
};

// Where a measurement sits on the growth survey's percentile curves.
export const GROWTH_POSITIONS = {
  "<p3": "3パーセンタイル未満",
  "p3-p10": "3〜10パーセンタイル",
  "p10-p25": "10〜25パーセンタイル",
  "p25-p50": "25〜50パーセンタイル",
  "p50-p75": "50〜75パーセンタイル",
  "p75-p90": "75〜90パーセンタイル",
  "p90-p97": "90〜97パーセンタイル",
  ">p97": "97パーセンタイル超",
};

// ---- 妊娠 (pregnancy) -------------------------------------------------------

export const PREGNANCY_STATUS = { ongoing: "妊娠中", delivered: "出産済", ended: "終了" };
export const PRENATAL_VISIT_STATUS = { done: "受診済", upcoming: "予定", past: "記録なし" };
export const URINE_RESULTS = { "-": "−（陰性）", "±": "±", "+": "＋", "2+": "2＋", "3+": "3＋" };

// 保育: journals, plans, events and nap checks.
export const DOC_STATUS = { draft: "下書き", approved: "承認済" };
export const WEATHER = { sunny: "晴れ", cloudy: "くもり", rainy: "雨", snowy: "雪" };
export const PLAN_KINDS = { annual: "年間指導計画", monthly: "月間指導計画" };
export const EVENT_STATUS = { draft: "下書き", published: "公開中", cancelled: "中止" };
export const EVENT_AUDIENCE = { all: "園全体", class: "クラス" };
export const NAP_POSITIONS = { supine: "あおむけ", side: "横向き", prone: "うつぶせ" };
export const NAP_STATE = { ok: "OK", due: "確認の時間", missed: "遅れ" };
export const AGE_CLASSES = ["0歳児", "1歳児", "2歳児", "3歳児", "4歳児", "5歳児"];

// ---- 写真販売 (photo sales) --------------------------------------------------

// Sizes in display order; "data" is the full-size file, downloaded once bought.
export const PHOTO_SIZES = { L: "L判", "2L": "2L判", A4: "A4判", data: "データ" };
export const PHOTO_STATUS = { draft: "下書き", published: "公開中", withdrawn: "公開停止" };
export const PHOTO_ORDER_STATUS = { ordered: "注文済", cancelled: "取消済", invoiced: "請求済" };
