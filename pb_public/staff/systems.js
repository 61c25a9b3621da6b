// The staff-side systems and which accounts may enter each. Systems without
// a page of their own yet (`ready` unset) open the placeholder /staff/soon/;
// the API rules on the server remain the real access control, this only
// decides which doors to show.

// Every account collection that uses the staff side.
export const STAFF_COLLECTIONS = ["city_staff", "nursery_staff", "medical_staff", "volunteers"];

export const SYSTEMS = [
  { key: "child", label: "子育て", path: "/staff/soon/?system=child", desc: "子育て世帯・乳幼児健診・予防接種の支援" },
  { key: "nursery", label: "保育", path: "/staff/soon/?system=nursery", desc: "保育所・こども園の入所と日々の連絡" },
  { key: "watch", label: "見守り", path: "/staff/soon/?system=watch", desc: "高齢者などの地域見守り活動" },
  { key: "ops", label: "運用", path: "/staff/ops/", desc: "稼働状況・セキュリティ事案・監査ログ・利用者数報告", ready: true },
  { key: "clinic", label: "予診票の受付", path: "/clinic/questionnaire/", desc: "保護者が提出した予防接種の予診票の確認と接種の記録", ready: true },
];

// city_staff departments map one to one; other account types have their
// systems, first the one they use most.
const BY_DEPARTMENT = { child: ["child"], nursery: ["nursery"], elderly: ["watch"], ops: ["ops"] };
const BY_COLLECTION = { nursery_staff: ["nursery"], medical_staff: ["clinic", "child"], volunteers: ["watch"] };

export function systemsFor(record) {
  const keys = (record?.collectionName === "city_staff"
    ? BY_DEPARTMENT[record.department]
    : BY_COLLECTION[record?.collectionName]) || [];
  return keys.map((k) => SYSTEMS.find((s) => s.key === k)).filter(Boolean);
}
