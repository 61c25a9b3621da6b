// Package schedule computes a child's routine immunization (定期接種 A類)
// schedule: which doses are done, and for each open dose the inclusive legal
// dates and a status, following the MHLW rules as summarised in
// ../shared/reference/domain-data.md §1.1–1.6 and
// ../shared/reference/immunization_schedule_jp_2026.csv.
//
// The CSV is prose ("生後2月〜7月に至るまで", "初回終了後6月以上", catch-up
// branches in notes), so it cannot be parsed mechanically. The rules are
// therefore encoded here as a Go table, one entry per vaccine with a comment
// naming its CSV row and the section of domain-data.md it comes from. All
// date arithmetic is civil's (MonthBoundary, AgeReachedDate,
// DaysAfterAtLeast, MonthsAfter, fiscal years); none is written here.
//
// The package imports no PocketBase: it takes and returns plain values.
package schedule

// anchorKind says how a date of a rule is derived.
type anchorKind uint8

const (
	none       anchorKind = iota
	birthDays             // birth + n days (出生N週M日後 = 7N+M days)
	month                 // 生後n月 / 生後n月に至るまで (civil.MonthBoundary)
	age                   // n歳 / n歳に至るまで (civil.AgeReachedDate)
	fyStart               // n歳となる日の属する年度の初日
	fyEnd                 // n歳となる日の属する年度の末日
	doseDays              // date of dose `dose` + n days
	doseMonths            // civil.MonthsAfter(date of dose `dose`, n)
)

// anchor is one date of a rule; dose is 0-based and used by dose* kinds.
type anchor struct {
	kind anchorKind
	n    int
	dose int
}

func birthPlus(n int) anchor    { return anchor{kind: birthDays, n: n} }
func m(n int) anchor            { return anchor{kind: month, n: n} }
func years(n int) anchor        { return anchor{kind: age, n: n} }
func fyFirst(n int) anchor      { return anchor{kind: fyStart, n: n} }
func fyLast(n int) anchor       { return anchor{kind: fyEnd, n: n} }
func afterDays(i, n int) anchor { return anchor{kind: doseDays, n: n, dose: i} }
func afterMon(i, n int) anchor  { return anchor{kind: doseMonths, n: n, dose: i} }

// prev in a gap means "the last earlier dose that was not skipped".
const prev = -1

// gap is a same-vaccine minimum interval from an earlier dose: either
// 「X日以上」 (days, allowed from +X+1) or 「Nか月の間隔」 (months). A gap from a
// skipped dose does not apply.
type gap struct {
	from   int
	days   int
	months int
}

func daysGap(from, x int) gap   { return gap{from: from, days: x} }
func monthsGap(from, n int) gap { return gap{from: from, months: n} }

// doseRule is one dose of a series.
type doseRule struct {
	start, end       anchor // legal window, inclusive
	gaps             []gap
	stdStart, stdEnd anchor // standard period (標準的な接種期間); none = the legal window
	// skippable doses are dropped ("skipped") rather than "expired" when
	// they can no longer be given: the series goes on without them (§1.4).
	skippable bool
	// skipIfAfter: skip this dose when dose skipIfDose was (or would be)
	// given after the date skipIfAfter (PCV: 初回#2 after 生後12月 → no #3).
	skipIfDose  int
	skipIfAfter anchor
}

// series is a vaccine code with its doses. live marks injectable live
// vaccines (注射生: BCG, MR, varicella), between which 27日以上 is required
// (§1.2); group names the vaccine across codes (mr1 and mr2 are both MR).
type series struct {
	code  string
	live  bool
	group string
	doses []doseRule
}

// Codes accepted as given doses.
var Codes = []string{"hepb", "rota1", "rota5", "dtp_ipv_hib", "dtp_ipv", "hib", "pcv", "bcg", "mr1", "mr2", "varicella", "je1", "je2", "dt2", "hpv"}

// KnownCode reports whether c is a vaccine code of this package.
func KnownCode(c string) bool {
	for _, k := range Codes {
		if k == c {
			return true
		}
	}
	return false
}

// Fixed series. PCV, Hib and HPV depend on the age at the first dose and
// are built in catchup.go.
var (
	// CSV rows "hepb 1-2回目" and "hepb 3回目"; §1.3 B型肝炎: birth → 1歳に至るまで,
	// standard 生後2月〜9月に至るまで; #2 27日以上 after #1, #3 139日以上 after #1.
	hepb = series{code: "hepb", doses: []doseRule{
		{start: birthPlus(0), end: years(1), stdStart: m(2), stdEnd: m(9)},
		{start: birthPlus(0), end: years(1), gaps: []gap{daysGap(0, 27)}, stdStart: m(2), stdEnd: m(9)},
		{start: birthPlus(0), end: years(1), gaps: []gap{daysGap(0, 139)}, stdStart: m(2), stdEnd: m(9)},
	}}

	// CSV row "rota1"; §1.3/1.4: 出生6週0日後 → 24週0日後, 2 doses 27日以上,
	// #1 standard 生後2月〜出生14週6日後 (=104 days); no catch-up after.
	rota1 = series{code: "rota1", doses: []doseRule{
		{start: birthPlus(42), end: birthPlus(168), stdStart: m(2), stdEnd: birthPlus(104)},
		{start: birthPlus(42), end: birthPlus(168), gaps: []gap{daysGap(0, 27)}},
	}}

	// CSV row "rota5"; §1.3: 出生6週0日後 → 32週0日後, 3 doses 27日以上.
	rota5 = series{code: "rota5", doses: []doseRule{
		{start: birthPlus(42), end: birthPlus(224), stdStart: m(2), stdEnd: birthPlus(104)},
		{start: birthPlus(42), end: birthPlus(224), gaps: []gap{daysGap(0, 27)}},
		{start: birthPlus(42), end: birthPlus(224), gaps: []gap{daysGap(1, 27)}},
	}}

	// CSV rows "dpt_ipv_hib 1期初回/追加" (code dtp_ipv_hib in the API);
	// §1.3 5種混合: 生後2月 → 生後90月に至るまで; 初回 start 生後2〜7月, 20日以上
	// (std 20–56 d); 追加 初回#3 から6月以上 (std 6–18 月); §1.4: no reduction.
	dtpIpvHib = series{code: "dtp_ipv_hib", doses: []doseRule{
		{start: m(2), end: m(90), stdStart: m(2), stdEnd: m(7)},
		{start: m(2), end: m(90), gaps: []gap{daysGap(0, 20)}, stdEnd: afterDays(0, 56)},
		{start: m(2), end: m(90), gaps: []gap{daysGap(1, 20)}, stdEnd: afterDays(1, 56)},
		{start: m(2), end: m(90), gaps: []gap{monthsGap(2, 6)}, stdEnd: afterMon(2, 18)},
	}}

	// CSV rows "dpt_ipv 1期初回/追加" (legacy 4種混合, for children who began
	// with 4種混合+Hib before 2024-04); §1.3: 生後2月 → 90月, 初回 std 生後2〜12月,
	// 20日以上; 追加 6月以上 after 初回 (std 12–18 月).
	dtpIpv = series{code: "dtp_ipv", doses: []doseRule{
		{start: m(2), end: m(90), stdStart: m(2), stdEnd: m(12)},
		{start: m(2), end: m(90), gaps: []gap{daysGap(0, 20)}, stdEnd: afterDays(0, 56)},
		{start: m(2), end: m(90), gaps: []gap{daysGap(1, 20)}, stdEnd: afterDays(1, 56)},
		{start: m(2), end: m(90), gaps: []gap{monthsGap(2, 6)}, stdStart: afterMon(2, 12), stdEnd: afterMon(2, 18)},
	}}

	// CSV row "bcg"; §1.3: birth → 1歳に至るまで, standard 生後5〜8月に至るまで.
	bcg = series{code: "bcg", live: true, group: "bcg", doses: []doseRule{
		{start: birthPlus(0), end: years(1), stdStart: m(5), stdEnd: m(8)},
	}}

	// CSV row "mr1"; §1.3: 生後12月 → 24月に至るまで, as soon as possible.
	mr1 = series{code: "mr1", live: true, group: "mr", doses: []doseRule{
		{start: m(12), end: m(24)},
	}}

	// CSV row "mr2"; §1.3: 小学校就学前1年間 (年長) = the fiscal year in which
	// the child turns 6 under the legal age rule, April 1 to March 31.
	mr2 = series{code: "mr2", live: true, group: "mr", doses: []doseRule{
		{start: fyFirst(6), end: fyLast(6)},
	}}

	// CSV row "varicella"; §1.3: 生後12月 → 36月に至るまで, #1 std 生後12〜15月,
	// #2 3月以上 after #1 (std 6–12 月).
	varicella = series{code: "varicella", live: true, group: "varicella", doses: []doseRule{
		{start: m(12), end: m(36), stdStart: m(12), stdEnd: m(15)},
		{start: m(12), end: m(36), gaps: []gap{monthsGap(0, 3)}, stdStart: afterMon(0, 6), stdEnd: afterMon(0, 12)},
	}}

	// CSV rows "je1" (1期初回) and "je1b" (1期追加), one code je1 with 3
	// doses; §1.3: 生後6月 → 90月に至るまで; 初回 std 3歳〜4歳未満, 6日以上;
	// 追加 初回#2 から6月以上, std 4歳〜5歳未満.
	je1 = series{code: "je1", doses: []doseRule{
		{start: m(6), end: m(90), stdStart: years(3), stdEnd: years(4)},
		{start: m(6), end: m(90), gaps: []gap{daysGap(0, 6)}, stdStart: years(3), stdEnd: years(4)},
		{start: m(6), end: m(90), gaps: []gap{monthsGap(1, 6)}, stdStart: years(4), stdEnd: years(5)},
	}}

	// CSV row "je2"; §1.3: 9歳 → 13歳に至るまで, std 9歳〜10歳未満 (小4).
	je2 = series{code: "je2", doses: []doseRule{
		{start: years(9), end: years(13), stdStart: years(9), stdEnd: years(10)},
	}}

	// CSV row "dt2"; §1.3: 11歳 → 13歳に至るまで, std 11歳〜12歳未満 (小6).
	dt2 = series{code: "dt2", doses: []doseRule{
		{start: years(11), end: years(13), stdStart: years(11), stdEnd: years(12)},
	}}
)
