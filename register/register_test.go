package register

import (
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/saijo-dx/lifestage/civil"
)

var testAreas = []Area{
	{ID: "area_tambara", Code: "tambara", Name: "丹原"},
	{ID: "area_tambara2", Code: "tambara-tambara", Name: "丹原", Leaf: true},
	{ID: "area_kambai", Code: "saijo-kambai", Name: "神拝", Leaf: true},
	{ID: "area_omachi", Code: "saijo-omachi", Name: "大町", Leaf: true},
}

var importDay = civil.Date{Year: 2026, Month: time.November, Day: 26}

func d(y int, m time.Month, day int) civil.Date { return civil.Date{Year: y, Month: m, Day: day} }

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want civil.Date
		ok   bool
	}{
		{"1950-03-01", d(1950, 3, 1), true},
		{"1950/3/1", d(1950, 3, 1), true},
		{"1950/03/01", d(1950, 3, 1), true},
		{"1950.3.1", d(1950, 3, 1), true},
		{"1950年3月1日", d(1950, 3, 1), true},
		{"１９５０－０３－０１", d(1950, 3, 1), true}, // full-width
		{"S15.3.1", d(1940, 3, 1), true},
		{"s15.3.1", d(1940, 3, 1), true},
		{"R2.4.1", d(2020, 4, 1), true},
		{"昭和15年3月1日", d(1940, 3, 1), true},
		{"令和元年5月1日", d(2019, 5, 1), true},
		{"H1.1.8", d(1989, 1, 8), true},
		{"S64.1.7", d(1989, 1, 7), true},
		{"T15.12.24", d(1926, 12, 24), true},
		{"S64.1.8", civil.Date{}, false},    // already 平成
		{"H31.5.1", civil.Date{}, false},    // already 令和
		{"R1.4.30", civil.Date{}, false},    // still 平成
		{"S0.1.1", civil.Date{}, false},     // no year 0
		{"1950-02-30", civil.Date{}, false}, // no such day
		{"1950-13-01", civil.Date{}, false},
		{"昭和十五年", civil.Date{}, false},
		{"", civil.Date{}, false},
		{"X15.3.1", civil.Date{}, false},
	} {
		got, err := ParseDate(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

const header = "世帯番号,氏名,カナ,生年月日,性別,住所,地区,続柄\n"

func parse(t *testing.T, body string) *Result {
	t.Helper()
	res, err := Parse([]byte(header+body), testAreas, importDay)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func codes(errs []RowError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Code)
	}
	return out
}

func TestParseBadRows(t *testing.T) {
	for _, c := range []struct {
		name, row string
		code      string
		column    string
	}{
		{"missing name", "1,,,1940-01-01,男,住所,神拝,世帯主", "missing_name", ColName},
		{"name without space", "1,西条太郎,,1940-01-01,男,住所,神拝,世帯主", "invalid_name", ColName},
		{"bad date", "1,西条 太郎,,1940-02-30,男,住所,神拝,世帯主", "invalid_birth_date", ColBirthDate},
		{"missing date", "1,西条 太郎,,,男,住所,神拝,世帯主", "missing_birth_date", ColBirthDate},
		{"future date", "1,西条 太郎,,2026-11-27,男,住所,神拝,世帯主", "future_birth_date", ColBirthDate},
		{"too old", "1,西条 太郎,,M1.10.23,男,住所,神拝,世帯主", "implausible_birth_date", ColBirthDate},
		{"unknown sex", "1,西条 太郎,,1940-01-01,不明,住所,神拝,世帯主", "invalid_sex", ColSex},
		{"unknown area", "1,西条 太郎,,1940-01-01,男,住所,東京,世帯主", "unknown_area", ColArea},
		{"missing area", "1,西条 太郎,,1940-01-01,男,住所,,世帯主", "missing_area", ColArea},
		{"missing household", ",西条 太郎,,1940-01-01,男,住所,神拝,世帯主", "missing_household", ColHousehold},
		{"bad household", "1 2,西条 太郎,,1940-01-01,男,住所,神拝,世帯主", "invalid_household", ColHousehold},
		{"too few columns", "1,西条 太郎,,1940-01-01,男,住所,神拝", "wrong_column_count", ""},
		{"too many columns", "1,西条 太郎,,1940-01-01,男,住所,神拝,世帯主,余分", "wrong_column_count", ""},
		{"kana without space", "1,西条 太郎,サイジョウタロウ,1940-01-01,男,住所,神拝,世帯主", "invalid_kana", ColKana},
		{"unclosed quote", "1,\"西条 太郎,,1940-01-01,男,住所,神拝,世帯主", "invalid_csv_row", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := parse(t, "9,良い 行,,1940-01-01,女,住所,神拝,世帯主\n"+c.row+"\n")
			if len(res.People) != 1 || res.People[0].Row != 2 {
				t.Fatalf("the good row should land: %+v", res.People)
			}
			if res.Rejected != 1 || len(res.Errors) == 0 {
				t.Fatalf("want one rejected row, got %d: %+v", res.Rejected, res.Errors)
			}
			e := res.Errors[0]
			if e.Row != 3 || e.Code != c.code || e.Column != c.column || e.Message == "" {
				t.Fatalf("error = %+v; want row 3 %s on %q", e, c.code, c.column)
			}
		})
	}
}

func TestParseReportsEveryProblemOfARow(t *testing.T) {
	res := parse(t, "1,,,昭和99年1月1日,?,住所,どこか,世帯主\n")
	want := []string{"missing_name", "invalid_birth_date", "invalid_sex", "unknown_area"}
	if !slices.Equal(codes(res.Errors), want) || res.Rejected != 1 {
		t.Fatalf("codes = %v, rejected %d", codes(res.Errors), res.Rejected)
	}
}

func TestParseDuplicatePerson(t *testing.T) {
	res := parse(t, "1,西条 太郎,,1940-01-01,男,住所,神拝,世帯主\n1,西条　太郎,,S15.1.1,男,住所,神拝,世帯主\n")
	if len(res.People) != 1 || res.Rejected != 1 || res.Errors[0].Code != "duplicate_person" || res.Errors[0].Row != 3 {
		t.Fatalf("%+v %+v", res.People, res.Errors)
	}
	if !strings.Contains(res.Errors[0].Message, "2行目") {
		t.Fatalf("message should point at the first row: %s", res.Errors[0].Message)
	}
	// The duplicate is not a second member: the person still lives alone.
	if h := res.Households[0]; h.MemberCount != 1 || !h.LivingAlone {
		t.Fatalf("household %+v", h)
	}
}

func TestParseFields(t *testing.T) {
	res := parse(t, "0012,西条　花子,ｻｲｼﾞｮｳ ﾊﾅｺ,S15.3.1,女,愛媛県西条市神拝甲1,saijo-kambai,世帯主\n"+
		"0013,スミス ジョン ポール,スミス ジョン ポール,1950-01-01,男性,住所,丹原,世帯主\n")
	if len(res.Errors) != 0 {
		t.Fatal(res.Errors)
	}
	p := res.People[0]
	want := Person{Row: 2, Key: p.Key, HouseholdCode: "0012", FamilyName: "西条", GivenName: "花子",
		FamilyNameKana: "サイジョウ", GivenNameKana: "ハナコ", BirthDate: d(1940, 3, 1), Sex: "female",
		Address: "愛媛県西条市神拝甲1", AreaID: "area_kambai", Relationship: "世帯主"}
	if p != want {
		t.Fatalf("got  %+v\nwant %+v", p, want)
	}
	q := res.People[1]
	if q.FamilyName != "スミス" || q.GivenName != "ジョン ポール" || q.Sex != "male" || q.AreaID != "area_tambara2" {
		t.Fatalf("%+v (a name picks the 地区, not the district)", q)
	}
}

func TestKeys(t *testing.T) {
	a := DeriveKey("1", "西条 太郎", d(1940, 1, 1))
	if a != DeriveKey("1", "西条　太郎", d(1940, 1, 1)) || a != DeriveKey("1", "西条太郎", d(1940, 1, 1)) {
		t.Fatal("the key must not depend on the space between the names")
	}
	if a == DeriveKey("2", "西条 太郎", d(1940, 1, 1)) || a == DeriveKey("1", "西条 太郎", d(1940, 1, 2)) || len(a) > 20 {
		t.Fatalf("key %q", a)
	}
	res, err := Parse([]byte("住民番号,世帯番号,氏名,生年月日,性別,地区\nA-100,1,西条 太郎,1940-01-01,男,神拝\n,1,西条 花子,1941-01-01,女,神拝\nあ,1,西条 次郎,1942-01-01,男,神拝\n"), testAreas, importDay)
	if err != nil {
		t.Fatal(err)
	}
	if res.People[0].Key != "A-100" || res.People[1].Key != DeriveKey("1", "西条花子", d(1941, 1, 1)) {
		t.Fatalf("keys %q %q", res.People[0].Key, res.People[1].Key)
	}
	if !slices.Equal(codes(res.Errors), []string{"invalid_key"}) {
		t.Fatal(res.Errors)
	}
}

func TestParseFileErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		code string
	}{
		{"empty", nil, "empty_file"},
		{"missing columns", []byte("世帯番号,氏名\n1,西条 太郎\n"), "missing_column"},
		{"no header", []byte("1,西条 太郎,,1940-01-01,男,住所,神拝,世帯主\n"), "missing_column"},
		{"duplicate column", []byte("世帯番号,氏名,氏名,生年月日,性別,地区\n"), "duplicate_column"},
		{"binary", []byte{0x50, 0x4b, 0x03, 0x04, 0xff, 0xff, 0x80, 0x81, 0xfd}, "invalid_encoding"},
	} {
		_, err := Parse(c.data, testAreas, importDay)
		fe, ok := err.(*FileError)
		if !ok || fe.Code != c.code {
			t.Errorf("%s: err = %v; want %s", c.name, err, c.code)
		}
	}
}

func TestEncodings(t *testing.T) {
	utf := header + "1,西条 太郎,サイジョウ タロウ,1940-01-01,男,愛媛県西条市神拝甲1,神拝,世帯主\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, data, enc string
	}{
		{"utf-8", utf, EncodingUTF8},
		{"utf-8 with BOM", "\ufeff" + utf, EncodingUTF8},
		{"shift_jis", sjis, EncodingShiftJIS},
		{"crlf", strings.ReplaceAll(utf, "\n", "\r\n"), EncodingUTF8},
	} {
		res, err := Parse([]byte(c.data), testAreas, importDay)
		if err != nil || res.Encoding != c.enc || len(res.People) != 1 || len(res.Errors) != 0 {
			t.Fatalf("%s: %v %+v", c.name, err, res)
		}
		if p := res.People[0]; p.FamilyName != "西条" || p.GivenNameKana != "タロウ" || p.Address != "愛媛県西条市神拝甲1" {
			t.Fatalf("%s: %+v", c.name, p)
		}
	}
}

func TestHouseholds(t *testing.T) {
	res := parse(t, ""+
		"A,独居 高齢,,1961-11-26,女,住所A,神拝,世帯主\n"+ // 65 on the import day
		"B,独居 若者,,1961-11-28,女,住所B,神拝,世帯主\n"+ // 64
		"C,夫婦 夫,,1940-01-01,男,住所C,神拝,世帯主\n"+
		"C,夫婦 妻,,1945-01-01,女,住所C,神拝,妻\n"+
		"D,同居 親,,1940-01-01,男,住所D,神拝,世帯主\n"+
		"D,同居 子,,1970-01-01,男,住所D,神拝,子\n"+
		"E,欠け 夫,,1940-01-01,男,住所E,神拝,世帯主\n"+
		"E,欠け 妻,,1940-02-30,女,住所E,神拝,妻\n"+ // rejected: age unknown
		"F,不一致 夫,,1940-01-01,男,住所F,神拝,世帯主\n"+
		"F,不一致 妻,,1940-01-01,女,別の住所,神拝,妻\n"+
		"G,全員 不良,,1940-02-30,女,住所G,神拝,世帯主\n")
	got := map[string]Household{}
	for _, h := range res.Households {
		got[h.Code] = h
	}
	want := map[string]Household{
		"A": {"A", "住所A", "area_kambai", 1, true, true},
		"B": {"B", "住所B", "area_kambai", 1, false, false},
		"C": {"C", "住所C", "area_kambai", 2, false, true},
		"D": {"D", "住所D", "area_kambai", 2, false, false},
		"E": {"E", "住所E", "area_kambai", 2, false, false},
		"F": {"F", "住所F", "area_kambai", 2, false, true},
	}
	if len(got) != len(want) {
		t.Fatalf("households %+v", res.Households)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %+v; want %+v", k, got[k], w)
		}
	}
	if !slices.Equal(codes(res.Errors), []string{"invalid_birth_date", "household_mismatch", "invalid_birth_date"}) {
		t.Fatal(res.Errors)
	}
}

func TestSample(t *testing.T) {
	areas := []Area{{ID: "k", Name: "神拝", Leaf: true}, {ID: "o", Name: "大町", Leaf: true}, {ID: "n", Name: "壬生川", Leaf: true},
		{ID: "t", Code: "tambara-tano", Leaf: true}, {ID: "c", Name: "小松"}, {ID: "c2", Name: "小松", Leaf: true}, {ID: "m", Name: "玉津", Leaf: true}}
	res, err := Parse(SampleCSV, areas, importDay)
	if err != nil || len(res.Errors) != 0 || len(res.People) != 8 || len(res.Households) != 6 {
		t.Fatalf("%v %+v", err, res)
	}
}

func TestRuleMatches(t *testing.T) {
	alone := Rule{ID: "a", MinAge: 75, Household: HouseholdAlone}
	elderly := Rule{ID: "e", MinAge: 80, Household: HouseholdElderlyOnly, Areas: []string{"x"}}
	any90 := Rule{ID: "n", MinAge: 90, Household: HouseholdAny}
	rules := []Rule{alone, elderly, any90}
	on := d(2026, 3, 31)
	for _, c := range []struct {
		name string
		p    Resident
		want []string
	}{
		// Born 1951-04-01: 75 from March 31 (the eve of the birthday).
		{"75 on the eve of the birthday", Resident{BirthDate: d(1951, 4, 1), LivingAlone: true, ElderlyOnly: true}, []string{"a"}},
		{"74 the day before", Resident{BirthDate: d(1951, 4, 2), LivingAlone: true, ElderlyOnly: true}, nil},
		{"not alone", Resident{BirthDate: d(1940, 1, 1), ElderlyOnly: true}, nil},
		{"elderly only in the area", Resident{BirthDate: d(1946, 4, 1), AreaID: "x", ElderlyOnly: true}, []string{"e"}},
		{"alone counts as elderly only", Resident{BirthDate: d(1946, 4, 1), AreaID: "x", LivingAlone: true}, []string{"a", "e"}},
		{"79 in the area", Resident{BirthDate: d(1946, 4, 2), AreaID: "x", ElderlyOnly: true}, nil},
		{"other area", Resident{BirthDate: d(1940, 1, 1), AreaID: "y", ElderlyOnly: true}, nil},
		{"90 with family", Resident{BirthDate: d(1936, 4, 1), AreaID: "y"}, []string{"n"}},
		{"89 with family", Resident{BirthDate: d(1936, 4, 2), AreaID: "y"}, nil},
	} {
		var got []string
		for _, r := range Matching(rules, c.p, on) {
			got = append(got, r.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v; want %v", c.name, got, c.want)
		}
	}
	// February 29: 75 on February 28 of a common year.
	leap := Resident{BirthDate: d(1952, 2, 29), LivingAlone: true}
	if !alone.Matches(leap, d(2027, 2, 28)) || alone.Matches(leap, d(2027, 2, 27)) {
		t.Error("a Feb 29 birthday turns 75 on Feb 28")
	}
}

func TestHouseholdKind(t *testing.T) {
	if HouseholdKind(true, true) != HouseholdAlone || HouseholdKind(false, true) != HouseholdElderlyOnly || HouseholdKind(false, false) != HouseholdOther {
		t.Fatal("kinds")
	}
}

// LatestBirth is exact: born on it the person has the age, born a day
// later not yet, on every day of a leap and a common year.
func TestLatestBirth(t *testing.T) {
	for on := d(2027, 1, 1); on.Before(d(2029, 1, 1)); on = on.AddDays(1) {
		for _, age := range []int{65, 75, 80} {
			b := LatestBirth(age, on)
			if civil.AgeOn(b, on) < age || civil.AgeOn(b.AddDays(1), on) >= age {
				t.Fatalf("LatestBirth(%d, %v) = %v", age, on, b)
			}
		}
	}
}

func TestLoosest(t *testing.T) {
	age, anyHH := Loosest([]Rule{{MinAge: 80, Household: HouseholdAlone}, {MinAge: 75, Household: HouseholdElderlyOnly}})
	if age != 75 || anyHH {
		t.Fatal(age, anyHH)
	}
	if _, anyHH := Loosest([]Rule{{MinAge: 90, Household: HouseholdAny}}); !anyHH {
		t.Fatal("any")
	}
}
