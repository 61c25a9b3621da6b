package consent

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/saijo-dx/lifestage/civil"
)

// Request is what a resident asks for when granting: the scopes, purpose
// and period as typed (dates may be empty).
type Request struct {
	Scopes     []string
	Purpose    string
	ValidFrom  string
	ValidUntil string
	Child      bool // the grant is about a child
}

// FieldError is an invalid field of a request, with a stable code.
type FieldError struct {
	Field, Code, Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Code }

// MaxPurpose bounds the stated purpose (characters).
const MaxPurpose = 500

// Validate checks a request on a day and returns its scopes in Scopes
// order and its period. The period starts today unless given, lasts at
// most MaxMonths, and may not start in the past (a consent cannot cover
// reads that already happened).
func Validate(r Request, today civil.Date) ([]string, Period, *FieldError) {
	purpose := strings.TrimSpace(r.Purpose)
	if purpose == "" {
		return nil, Period{}, &FieldError{"purpose", "required", "利用目的を入力してください。"}
	}
	if utf8.RuneCountInString(purpose) > MaxPurpose {
		return nil, Period{}, &FieldError{"purpose", "too_long", "利用目的は500文字以内で入力してください。"}
	}
	scopes, ferr := validScopes(r.Scopes, r.Child)
	if ferr != nil {
		return nil, Period{}, ferr
	}
	p, ferr := validPeriod(r.ValidFrom, r.ValidUntil, today)
	if ferr != nil {
		return nil, Period{}, ferr
	}
	return scopes, p, nil
}

func validScopes(in []string, child bool) ([]string, *FieldError) {
	if len(in) == 0 {
		return nil, &FieldError{"scopes", "required", "提供するデータを1つ以上選んでください。"}
	}
	var out []string
	for _, s := range Scopes() {
		if slices.Contains(in, s) {
			out = append(out, s)
		}
	}
	for _, s := range in {
		if !slices.Contains(out, s) {
			return nil, &FieldError{"scopes", "invalid_scope", "提供できないデータが選ばれています: " + s}
		}
	}
	for _, s := range out {
		d, _ := DatasetOf(strings.TrimSuffix(s, ":read"))
		if (d.Subject == SubjectChild) != child {
			if child {
				return nil, &FieldError{"scopes", "scope_not_for_child", "お子さまについての同意では「" + d.Label + "」は選べません。"}
			}
			return nil, &FieldError{"scopes", "scope_needs_child", "「" + d.Label + "」を提供するには、お子さまを選んでください。"}
		}
	}
	return out, nil
}

func validPeriod(from, until string, today civil.Date) (Period, *FieldError) {
	p := Period{From: today}
	if from != "" {
		d, err := civil.Parse(from)
		if err != nil || d.Before(today) {
			return Period{}, &FieldError{"validFrom", "invalid_period", "開始日は今日以降の日付（YYYY-MM-DD）にしてください。"}
		}
		p.From = d
	}
	latest := p.From.AddMonthsClamped(MaxMonths).AddDays(-1)
	p.Until = latest
	if until != "" {
		d, err := civil.Parse(until)
		if err != nil || d.Before(p.From) || d.After(latest) {
			return Period{}, &FieldError{"validUntil", "invalid_period", "終了日は開始日から1年以内の日付（YYYY-MM-DD）にしてください。"}
		}
		p.Until = d
	}
	return p, nil
}
