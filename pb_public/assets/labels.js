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
  nursery_staff: { staff: "保育士等", director: "施設長" },
  medical_staff: { doctor: "医師", nurse: "看護師", clerk: "事務" },
};

export const SHARE_SCOPES = { view: "閲覧のみ", manage: "記録の管理" };
export const SHARE_STATUS = { pending: "招待中", active: "共有中", revoked: "取消済" };
export const SEX = { male: "男の子", female: "女の子" };

export function label(map, code) {
  return (code && map[code]) || code || "";
}
