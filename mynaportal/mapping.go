package mynaportal

import (
	"regexp"
	"strings"

	"golang.org/x/text/width"

	"github.com/saijo-dx/lifestage/schedule"
)

// Source is the handbook's source value of imported entries.
const Source = "mynaportal"

// Handbook collections an entry goes to.
const (
	Immunizations  = "immunizations"
	InfantCheckups = "infant_checkups"
)

// vaccines maps the names in the 予防接種台帳 (as PMH is modelled to send
// them) to the schedule's codes. Keys are normalised with key().
var vaccines = map[string]string{
	"B型肝炎": "hepb", "ロタウイルス(1価)": "rota1", "ロタウイルス(5価)": "rota5",
	"5種混合": "dtp_ipv_hib", "五種混合": "dtp_ipv_hib", "4種混合": "dtp_ipv", "四種混合": "dtp_ipv",
	"ヒブ": "hib", "Hib": "hib", "小児肺炎球菌": "pcv", "BCG": "bcg",
	"麻しん風しん混合(第1期)": "mr1", "MR(第1期)": "mr1", "麻しん風しん混合(第2期)": "mr2", "MR(第2期)": "mr2",
	"水痘": "varicella", "日本脳炎(第1期)": "je1", "日本脳炎(第2期)": "je2",
	"二種混合(第2期)": "dt2", "2種混合(第2期)": "dt2", "HPV": "hpv", "ヒトパピローマウイルス感染症": "hpv",
}

// checkups maps 健診 names to the schedule's checkup codes.
var checkups = map[string]string{
	"1か月児健診": "1m", "3~4か月児健診": "3-4m", "9~10か月児健診": "9-10m",
	"1歳6か月児健診": "1y6m", "3歳児健診": "3y",
}

// judgements maps 判定 to the handbook's result codes.
var judgements = map[string]string{
	"異常なし": "normal", "経過観察": "follow_up", "要精密検査": "detailed_exam", "要精密": "detailed_exam", "要治療": "treatment",
}

// key folds full-width letters, digits and brackets to half width, and
// wave dashes to "~", and drops spaces, so 「ロタウイルス（１価）」 and
// 「ロタウイルス(1価)」 match.
func key(s string) string {
	s = width.Fold.String(strings.TrimSpace(s))
	s = strings.NewReplacer("〜", "~", "～", "~", " ", "", "　", "").Replace(s)
	return strings.ToLower(s)
}

var (
	vaccineKeys   = foldKeys(vaccines)
	checkupKeys   = foldKeys(checkups)
	judgementKeys = foldKeys(judgements)
)

func foldKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[key(k)] = v
	}
	return out
}

// VaccineCode maps a vaccine name (or a schedule code) to the schedule's
// code; "" when unknown.
func VaccineCode(name string) string {
	if schedule.KnownCode(name) {
		return name
	}
	return vaccineKeys[key(name)]
}

// CheckupCode maps a checkup name (or code) to the schedule's code.
func CheckupCode(name string) string {
	for _, c := range schedule.CheckupCodes {
		if c == name {
			return c
		}
	}
	return checkupKeys[key(name)]
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
