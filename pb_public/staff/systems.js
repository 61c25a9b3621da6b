// The staff-side menu: which pages each account may open. Systems without a
// page of their own yet (`ready` unset) open the placeholder /staff/soon/;
// the API rules on the server remain the real access control, this only
// decides which doors to show.

// Every account collection that uses the staff side.
export const STAFF_COLLECTIONS = ["city_staff", "nursery_staff", "medical_staff", "volunteers"];

export const SYSTEMS = [
  { key: "followups", label: "未受診・未接種の子ども", path: "/child/followups/", desc: "法定健診・定期予防接種が遅れている子どもの一覧（地区・月齢で絞り込み、Excel出力）", ready: true },
  { key: "child-events", label: "イベントの申込者", path: "/child/events/", desc: "教室・育児相談・健診・一時預かりの申込者一覧、代理の取消、Excel出力", ready: true },
  { key: "notices", label: "お知らせ配信", path: "/child/notices/", desc: "子の月齢・地区・保育所で対象を絞ったお知らせの予約配信と既読率", ready: true },
  { key: "surveys", label: "アンケート", path: "/child/surveys/", desc: "対象を絞ったアンケートの作成・公開と集計（Excel出力）", ready: true },
  { key: "qa", label: "子育て相談", path: "/child/qa/", desc: "ニックネームの相談への回答、非公開相談、確認待ち・通報の対応、禁止語、FAQ", ready: true },
  { key: "child", label: "子育て", path: "/staff/soon/?system=child", desc: "子育て世帯・乳幼児健診・予防接種の支援" },
  { key: "attendance", label: "登降園", path: "/nursery/attendance/", desc: "今日の登園・降園、職員の出退勤、記録の訂正", ready: true },
  { key: "kiosk", label: "登降園の端末", path: "/nursery/kiosk/", desc: "玄関のタブレットでQRコード・暗証番号を読み取る画面", ready: true },
  { key: "day", label: "クラスの一日", path: "/nursery/day/", desc: "午睡チェック・職員配置・保育日誌", ready: true },
  { key: "notebook", label: "連絡帳・欠席連絡", path: "/nursery/notebook/", desc: "家庭からの記入と欠席連絡の確認、園からの連絡帳、感染症のお知らせ", ready: true },
  { key: "plans", label: "指導計画", path: "/nursery/plans/", desc: "クラスの年間・月間指導計画", ready: true },
  { key: "events", label: "行事予定", path: "/nursery/events/", desc: "行事の作成と保護者へのお知らせ", ready: true },
  { key: "photos", label: "写真の販売", path: "/nursery/photos/", desc: "写真の登録・公開と注文の一覧", ready: true },
  { key: "cards", label: "QRカードの印刷", path: "/nursery/cards/", desc: "登降園用のQRカードの印刷と再発行", ready: true },
  { key: "billing", label: "保育施設の請求", path: "/nursery/billing/", desc: "保育料・延長保育料・副食費・写真代の請求と入金", ready: true },
  { key: "infections", label: "感染症の状況", path: "/nursery/infections/", desc: "欠席連絡から集計した感染症の人数（氏名なし）", ready: true },
  { key: "overview", label: "保育施設の利用状況", path: "/nursery/overview/", desc: "施設・年齢クラスごとの定員・在籍・出席率・感染症（月ごと、Excel出力）", ready: true },
  { key: "watch", label: "見守りの状況", path: "/watch/", desc: "見守り訪問の記録（リアルタイム）と地区ごとの訪問状況", ready: true },
  { key: "watch-register", label: "対象者の抽出・登録", path: "/watch/register/", desc: "住民記録の取り込み、見守り候補の抽出と対象者の登録・担当の割り当て", ready: true },
  { key: "watch-cards", label: "見守りQRカードの印刷", path: "/watch/cards/", desc: "対象者の家に置くQRカードの印刷と再発行", ready: true },
  { key: "watch-frailty", label: "フレイル分析", path: "/watch/frailty/", desc: "基本チェックリスト・後期高齢者の質問票の結果の分析（地区・年齢・性別、Excel出力）", ready: true },
  { key: "watch-my", label: "担当の見守り", path: "/watch/my/", desc: "担当している方の一覧・訪問の目安・これまでの訪問、QRコードの読み取り", ready: true },
  { key: "ops", label: "運用", path: "/staff/ops/", desc: "稼働状況・セキュリティ事案・監査ログ・利用者数報告", ready: true },
  { key: "partners", label: "パートナーとAPIキー", path: "/staff/ops/partners/", desc: "データ連携基盤の事業者登録、APIキーの発行・更新・失効、利用実績", ready: true },
  { key: "clinic", label: "予診票の受付", path: "/clinic/questionnaire/", desc: "保護者が提出した予防接種の予診票の確認と接種の記録", ready: true },
];

// What each account opens, the one it uses most first. city_staff go by
// department; a nursery's check-in kiosk account sees only the kiosk.
const BY_DEPARTMENT = {
  child: ["followups", "child-events", "notices", "surveys", "qa", "child"],
  nursery: ["overview", "infections", "billing"],
  elderly: ["watch", "watch-register", "watch-cards", "watch-frailty"],
  ops: ["ops", "partners"],
};
const NURSERY_STAFF = ["attendance", "day", "notebook", "events", "plans", "photos", "billing", "infections", "cards", "kiosk"];
const BY_COLLECTION = { nursery_staff: NURSERY_STAFF, medical_staff: ["clinic", "child"], volunteers: ["watch-my"] };

export function systemsFor(record) {
  let keys = record?.collectionName === "city_staff" ? BY_DEPARTMENT[record.department] : BY_COLLECTION[record?.collectionName];
  if (record?.collectionName === "nursery_staff" && record.role === "kiosk") keys = ["kiosk"];
  return (keys || []).map((k) => SYSTEMS.find((s) => s.key === k)).filter(Boolean);
}
