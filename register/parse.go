package register

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"github.com/saijo-dx/lifestage/civil"
)

// Column headers of the extract. Columns are found by header, in any order;
// Aliases lists other spellings register systems use.
const (
	ColHousehold    = "世帯番号"
	ColName         = "氏名"
	ColKana         = "カナ"
	ColBirthDate    = "生年月日"
	ColSex          = "性別"
	ColAddress      = "住所"
	ColArea         = "地区"
	ColRelationship = "続柄"
	// ColKey is optional: the register's own number for the person (宛名番号
	// or 住民番号, never the My Number). With it a person keeps their key
	// when they move to another household; without it the key is derived.
	ColKey = "住民番号"
)

// Required columns must be in the header; the rest may be missing.
var Required = []string{ColHousehold, ColName, ColBirthDate, ColSex, ColArea}

// Aliases maps other header spellings to the column they mean.
var Aliases = map[string]string{
	"フリガナ": ColKana, "ふりがな": ColKana, "氏名カナ": ColKana, "氏名（カナ）": ColKana,
	"地区名": ColArea, "地区コード": ColArea, "世帯主との続柄": ColRelationship,
	"宛名番号": ColKey, "個人識別番号": ColKey,
}

// MaxErrors caps the row errors kept: a file in the wrong layout would
// otherwise report every row.
const MaxErrors = 1000

// ElderlyAge is the age from which a person counts as elderly (高齢者) in
// the household kinds.
const ElderlyAge = 65

// Area is a 地区 a row may name, by code or by name.
type Area struct {
	ID, Code, Name string
	// Leaf is true for a 地区 under a district. Some districts share their
	// name with a 地区 (丹原, 小松); a name picks the 地区.
	Leaf bool
}

// Person is a valid row.
type Person struct {
	Row                           int
	Key                           string
	HouseholdCode                 string
	FamilyName, GivenName         string
	FamilyNameKana, GivenNameKana string
	BirthDate                     civil.Date
	Sex                           string // male | female
	Address                       string
	AreaID                        string
	Relationship                  string
}

// RowError is one problem of one row; the row is not imported.
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FileError is a problem with the whole file: nothing can be imported.
type FileError struct {
	Code, Message string
}

func (e *FileError) Error() string { return e.Message }

// Result is a parsed extract.
type Result struct {
	Encoding   string
	Rows       int // data rows read
	People     []Person
	Households []Household
	Errors     []RowError
	Rejected   int  // rows with at least one error
	Truncated  bool // more errors than MaxErrors
}

var keyPattern = regexp.MustCompile(`^[0-9A-Za-z-]{1,20}$`)

// Parse decodes and validates an extract. today is the import date: birth
// dates after it are refused, and household kinds use ages on it.
func Parse(data []byte, areas []Area, today civil.Date) (*Result, error) {
	text, enc, err := Decode(data)
	if err != nil {
		return nil, &FileError{"invalid_encoding", "文字コードを判別できません。UTF-8またはShift_JISのCSVファイルにしてください。"}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1 // a short row is a row error, not the end of the file
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &FileError{"empty_file", "ファイルが空です。"}
	}
	if err != nil {
		return nil, &FileError{"invalid_csv", "CSVファイルとして読み取れません。"}
	}
	cols, err := locate(header)
	if err != nil {
		return nil, err
	}
	p := &parser{res: &Result{Encoding: enc}, cols: cols, width: len(header), areas: areas, today: today,
		seen: map[string]int{}, homes: map[string]*homeAcc{}}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			p.res.Rows++
			p.fail(perr.StartLine, []RowError{{perr.StartLine, "", "invalid_csv_row", "CSVとして読み取れない行です（引用符の閉じ忘れなど）。"}})
			continue
		}
		if err != nil {
			return nil, &FileError{"invalid_csv", "CSVファイルとして読み取れません。"}
		}
		if blank(rec) {
			continue
		}
		p.res.Rows++
		p.row(line, rec)
	}
	p.res.Households = p.households()
	return p.res, nil
}

// locate maps each known column to its index in the header.
func locate(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if a, ok := Aliases[h]; ok {
			h = a
		}
		if _, dup := cols[h]; dup && h != "" {
			return nil, &FileError{"duplicate_column", "見出し「" + h + "」が2つあります。"}
		}
		cols[h] = i
	}
	var missing []string
	for _, c := range Required {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &FileError{"missing_column", "1行目に見出し「" + strings.Join(missing, "」「") + "」がありません。"}
	}
	return cols, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

type parser struct {
	res   *Result
	cols  map[string]int
	width int
	areas []Area
	today civil.Date
	seen  map[string]int // person key -> first row
	homes map[string]*homeAcc
	order []string // household codes in file order
}

func (p *parser) fail(line int, errs []RowError) {
	p.res.Rejected++
	for _, e := range errs {
		if len(p.res.Errors) >= MaxErrors {
			p.res.Truncated = true
			return
		}
		e.Row = line
		p.res.Errors = append(p.res.Errors, e)
	}
}

func (p *parser) get(rec []string, col string) string {
	i, ok := p.cols[col]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// row validates one data row and keeps it when it has no error.
func (p *parser) row(line int, rec []string) {
	if len(rec) != p.width {
		p.fail(line, []RowError{{Column: "", Code: "wrong_column_count",
			Message: fmt.Sprintf("列の数が見出しと合いません（見出し%d列、この行%d列）。", p.width, len(rec))}})
		// Still count the member, so the household is not taken for one
		// person living alone.
		p.member(p.get(rec, ColHousehold), nil)
		return
	}
	var errs []RowError
	bad := func(col, code, msg string) { errs = append(errs, RowError{Column: col, Code: code, Message: msg}) }
	pr := Person{Row: line, Address: p.get(rec, ColAddress), Relationship: p.get(rec, ColRelationship)}

	pr.HouseholdCode = width.Narrow.String(p.get(rec, ColHousehold))
	switch {
	case pr.HouseholdCode == "":
		bad(ColHousehold, "missing_household", "世帯番号がありません。")
	case !keyPattern.MatchString(pr.HouseholdCode):
		bad(ColHousehold, "invalid_household", "世帯番号は20文字以内の英数字にしてください。")
	}
	if name := p.get(rec, ColName); name == "" {
		bad(ColName, "missing_name", "氏名がありません。")
	} else if pr.FamilyName, pr.GivenName = splitName(name); pr.GivenName == "" {
		bad(ColName, "invalid_name", "氏名の氏と名の間に空白を入れてください。")
	} else if len([]rune(pr.FamilyName)) > 50 || len([]rune(pr.GivenName)) > 50 {
		bad(ColName, "name_too_long", "氏・名はそれぞれ50文字以内にしてください。")
	}
	// NFKC turns half-width katakana into full-width, voiced marks
	// included (ｼﾞ → ジ), which width.Widen alone would leave apart.
	if kana := norm.NFKC.String(p.get(rec, ColKana)); kana != "" {
		if pr.FamilyNameKana, pr.GivenNameKana = splitName(kana); pr.GivenNameKana == "" {
			bad(ColKana, "invalid_kana", "カナの氏と名の間に空白を入れてください。")
		} else if len([]rune(pr.FamilyNameKana)) > 50 || len([]rune(pr.GivenNameKana)) > 50 {
			bad(ColKana, "kana_too_long", "カナの氏・名はそれぞれ50文字以内にしてください。")
		}
	}
	birth, dateOK := p.birthDate(p.get(rec, ColBirthDate), bad)
	pr.BirthDate = birth
	var ok bool
	if pr.Sex, ok = sexes[width.Narrow.String(p.get(rec, ColSex))]; !ok {
		bad(ColSex, "invalid_sex", "性別は「男」または「女」にしてください。")
	}
	if len([]rune(pr.Address)) > 200 {
		bad(ColAddress, "address_too_long", "住所は200文字以内にしてください。")
	}
	if len([]rune(pr.Relationship)) > 20 {
		bad(ColRelationship, "relationship_too_long", "続柄は20文字以内にしてください。")
	}
	if area := p.get(rec, ColArea); area == "" {
		bad(ColArea, "missing_area", "地区がありません。")
	} else if pr.AreaID = p.area(area); pr.AreaID == "" {
		bad(ColArea, "unknown_area", "地区「"+area+"」は登録されていません。地区名または地区コードを確認してください。")
	}
	pr.Key = width.Narrow.String(p.get(rec, ColKey))
	if pr.Key != "" && !keyPattern.MatchString(pr.Key) {
		bad(ColKey, "invalid_key", "住民番号は20文字以内の英数字にしてください。")
	}
	if len(errs) == 0 {
		if pr.Key == "" {
			pr.Key = DeriveKey(pr.HouseholdCode, pr.FamilyName+pr.GivenName, pr.BirthDate)
		}
		if first, dup := p.seen[pr.Key]; dup {
			bad(ColName, "duplicate_person", fmt.Sprintf("同じ人が%d行目にもあります。", first))
		} else {
			p.seen[pr.Key] = line
		}
	}
	if len(errs) == 0 {
		if col, mismatch := p.sameHome(pr); mismatch {
			bad(col, "household_mismatch", "同じ世帯番号の前の行と"+col+"が違います。")
		}
	}
	var known *civil.Date
	if dateOK {
		known = &birth
	}
	if len(errs) > 0 {
		// A duplicate is the same person again, not another member.
		if errs[0].Code != "duplicate_person" {
			p.member(pr.HouseholdCode, known)
		}
		p.fail(line, errs)
		return
	}
	p.member(pr.HouseholdCode, known)
	p.res.People = append(p.res.People, pr)
}

var sexes = map[string]string{"男": "male", "男性": "male", "女": "female", "女性": "female"}

// birthDate reads the date and refuses one in the future or more than 125
// years ago (a typo in the era, usually).
func (p *parser) birthDate(s string, bad func(col, code, msg string)) (civil.Date, bool) {
	if s == "" {
		bad(ColBirthDate, "missing_birth_date", "生年月日がありません。")
		return civil.Date{}, false
	}
	d, err := ParseDate(s)
	switch {
	case err != nil:
		bad(ColBirthDate, "invalid_birth_date", "生年月日「"+s+"」を読み取れません。1950-03-01、1950/3/1、S25.3.1、昭和25年3月1日のように書いてください。")
		return civil.Date{}, false
	case d.After(p.today):
		bad(ColBirthDate, "future_birth_date", "生年月日が未来の日付です。")
		return d, false
	case civil.AgeOn(d, p.today) > 125:
		bad(ColBirthDate, "implausible_birth_date", "生年月日が古すぎます。元号や年を確認してください。")
		return d, false
	}
	return d, true
}

// splitName splits 氏名 at the first run of spaces (half- or full-width).
// Names with more parts (foreign names) keep the rest in the given name.
func splitName(s string) (family, given string) {
	parts := strings.FieldsFunc(s, unicode.IsSpace)
	if len(parts) < 2 {
		return s, ""
	}
	return parts[0], strings.Join(parts[1:], " ")
}

// area finds a 地区 by code (case-insensitive) or by name, preferring a
// 地区 to a district of the same name.
func (p *parser) area(s string) string {
	narrow := width.Narrow.String(s)
	for _, a := range p.areas {
		if strings.EqualFold(a.Code, narrow) {
			return a.ID
		}
	}
	found := ""
	for _, a := range p.areas {
		if a.Name == s {
			if a.Leaf {
				return a.ID
			}
			found = a.ID
		}
	}
	return found
}

// DeriveKey is the key of a person the extract gives no number for: stable
// across imports as long as household, name and birth date stay the same.
// (A person who moves to another household gets a new key; send 住民番号
// to avoid that.)
func DeriveKey(household, name string, birth civil.Date) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, name)
	sum := sha256.Sum256([]byte(household + "\x1f" + name + "\x1f" + birth.String()))
	return "K" + hex.EncodeToString(sum[:8])
}
