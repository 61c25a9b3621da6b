// Package infection holds the nursery's symptom and infectious-disease codes
// and counts what parents report in their absence notices: per nursery,
// class and day, by infection and by symptom, with no child named. It does
// not import PocketBase, so the same counts serve the staff screen, the
// city's overview and, suppressed, an open-data feed.
package infection

// Code is a stable code with its Japanese label. Codes are stored in the
// database and sent over the wire; labels are only ever shown.
type Code struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Symptoms a parent can tick on an absence notice.
var Symptoms = []Code{
	{"fever", "発熱"},
	{"cough", "咳"},
	{"runny_nose", "鼻水"},
	{"sore_throat", "のどの痛み"},
	{"vomiting", "嘔吐"},
	{"diarrhea", "下痢"},
	{"rash", "発疹"},
	{"eye_discharge", "目の充血・目やに"},
}

// Infections are the diagnoses a parent can report: the diseases of the
// 保育所における感染症対策ガイドライン (2018年改訂版, こども家庭庁) that
// nurseries see most, and "other".
var Infections = []Code{
	{"influenza", "インフルエンザ"},
	{"covid19", "新型コロナウイルス感染症"},
	{"gastroenteritis", "感染性胃腸炎（ノロ・ロタ等）"},
	{"rsv", "RSウイルス感染症"},
	{"hmpv", "ヒトメタニューモウイルス感染症"},
	{"hfmd", "手足口病"},
	{"herpangina", "ヘルパンギーナ"},
	{"pcf", "咽頭結膜熱（プール熱）"},
	{"varicella", "水痘（水ぼうそう）"},
	{"mumps", "流行性耳下腺炎（おたふくかぜ）"},
	{"strep", "溶連菌感染症"},
	{"mycoplasma", "マイコプラズマ肺炎"},
	{"measles", "麻しん（はしか）"},
	{"rubella", "風しん"},
	{"impetigo", "伝染性膿痂疹（とびひ）"},
	{"other", "その他の感染症"},
}

// Notice kinds a parent sends.
const (
	KindAbsence      = "absence"       // 欠席
	KindLate         = "late"          // 遅刻
	KindPickupChange = "pickup_change" // お迎えの変更
)

// Kinds lists the notice kinds in display order.
var Kinds = []Code{{KindAbsence, "欠席"}, {KindLate, "遅刻"}, {KindPickupChange, "お迎えの変更"}}

// Codes lists the codes of a list, for select fields.
func Codes(list []Code) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Code
	}
	return out
}

// Labels maps each code of a list to its label.
func Labels(list []Code) map[string]string {
	out := make(map[string]string, len(list))
	for _, c := range list {
		out[c.Code] = c.Label
	}
	return out
}

// LabelOf is the label of a code in a list, or the code itself when unknown.
func LabelOf(list []Code, code string) string {
	for _, c := range list {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// Known reports whether code is in the list.
func Known(list []Code, code string) bool {
	for _, c := range list {
		if c.Code == code {
			return true
		}
	}
	return false
}
