// Package questionnaire holds the questions of the digital 予防接種予診票
// (乳幼児・小学生用, reference §6.2) and checks a guardian's answers. It is
// plain Go: the routes store the answers, encrypted, as JSON.
package questionnaire

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/saijo-dx/lifestage/civil"
)

// Question is one はい/いいえ question with an optional free-text detail.
type Question struct {
	Key    string `json:"key"`
	Text   string `json:"text"`
	Detail string `json:"detail,omitempty"` // what the free text asks for
	// Vaccines limits the question to these vaccine codes; empty = all.
	Vaccines []string `json:"vaccines,omitempty"`
}

// BirthWeightKey is the one numeric answer: 出生体重 in grams.
const BirthWeightKey = "birthWeightG"

// MaxDetail caps each free-text answer, in characters.
const MaxDetail = 200

// Questions are the standard items, in the order of the paper form.
var Questions = []Question{
	{Key: "readLeaflet", Text: "今日受ける予防接種について市町村から配られている説明書を読み、効果や副反応などについて理解しましたか"},
	{Key: "birthAbnormal", Text: "分娩時や出生後に異常がありましたか。乳児健診で異常があると言われたことがありますか", Detail: "内容"},
	{Key: "unwellToday", Text: "今日、体に具合の悪いところがありますか", Detail: "具体的な症状"},
	{Key: "illLastMonth", Text: "最近1か月以内に病気にかかりましたか", Detail: "病名"},
	{Key: "contactsIll", Text: "1か月以内に家族や遊び仲間に麻しん・風しん・水痘・おたふくかぜなどの病気の方がいましたか", Detail: "病名"},
	{Key: "vaccinatedLastMonth", Text: "1か月以内に予防接種を受けましたか", Detail: "種類"},
	{Key: "chronicCondition", Text: "生まれてから今までに先天性異常、心臓・腎臓・肝臓・脳神経・免疫不全症・血液疾患その他の病気にかかり、医師の診察を受けていますか", Detail: "病名。その医師に今日の予防接種を受けてよいと言われたか"},
	{Key: "convulsions", Text: "ひきつけ（けいれん）を起こしたことがありますか", Detail: "何歳頃か、そのとき熱は出たか"},
	{Key: "allergy", Text: "薬や食品（鶏卵・鶏肉など）で皮膚に発疹やじんましんが出たり、体の具合が悪くなったことがありますか", Detail: "薬・食品の名前"},
	{Key: "familyImmunodeficiency", Text: "近親者に先天性免疫不全症と診断されている方はいますか"},
	{Key: "previousReaction", Text: "これまでに予防接種を受けて具合が悪くなったことはありますか", Detail: "種類・症状"},
	{Key: "familyReaction", Text: "近親者に予防接種を受けて具合が悪くなった人はいますか"},
	{Key: "transfusion", Text: "6か月以内に輸血あるいはガンマグロブリンの注射を受けましたか"},
	{Key: "intussusception", Text: "これまでに腸重積症にかかったことがありますか。先天性の消化管の病気がありますか", Detail: "内容", Vaccines: []string{"rota1", "rota5"}},
	{Key: "questions", Text: "今日の予防接種について質問がありますか", Detail: "質問の内容"},
}

// For lists the questions asked before the given vaccine.
func For(vaccine string) []Question {
	out := make([]Question, 0, len(Questions))
	for _, q := range Questions {
		if len(q.Vaccines) == 0 || slices.Contains(q.Vaccines, vaccine) {
			out = append(out, q)
		}
	}
	return out
}

// Answer is the guardian's answer to one question.
type Answer struct {
	Yes    *bool  `json:"yes"`
	Detail string `json:"detail,omitempty"`
}

// Answers are a questionnaire's answers by question key, plus the birth
// weight.
type Answers struct {
	Items        map[string]Answer
	BirthWeightG *int
}

// MarshalJSON writes the answers as one flat object.
func (a Answers) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(a.Items)+1)
	for k, v := range a.Items {
		m[k] = v
	}
	if a.BirthWeightG != nil {
		m[BirthWeightKey] = *a.BirthWeightG
	}
	return json.Marshal(m)
}

// Problem is why an answer is refused: the key, a stable code and a Japanese
// message.
type Problem struct {
	Key, Code, Message string
}

func (p *Problem) Error() string { return p.Key + ": " + p.Code }

// Parse reads raw answers for a vaccine, refusing unknown keys, wrong
// shapes and overlong text. Answers may be partial (a draft).
func Parse(vaccine string, raw map[string]json.RawMessage) (Answers, *Problem) {
	asked := map[string]bool{}
	for _, q := range For(vaccine) {
		asked[q.Key] = true
	}
	out := Answers{Items: map[string]Answer{}}
	for k, v := range raw {
		if k == BirthWeightKey {
			var g int
			if err := json.Unmarshal(v, &g); err != nil || g < 300 || g > 6000 {
				return Answers{}, &Problem{k, "invalid_weight", "出生体重はグラムの整数（300〜6000）で入力してください。"}
			}
			out.BirthWeightG = &g
			continue
		}
		if !asked[k] {
			return Answers{}, &Problem{k, "unknown_question", fmt.Sprintf("「%s」はこの予診票の質問ではありません。", k)}
		}
		var a Answer
		if err := json.Unmarshal(v, &a); err != nil {
			return Answers{}, &Problem{k, "invalid_answer", "回答は {\"yes\": true/false, \"detail\": \"…\"} の形で送ってください。"}
		}
		if utf8.RuneCountInString(a.Detail) > MaxDetail {
			return Answers{}, &Problem{k, "too_long", fmt.Sprintf("記入欄は%d文字以内で入力してください。", MaxDetail)}
		}
		out.Items[k] = a
	}
	return out, nil
}

// Complete reports the first question left unanswered, or nil when every
// question for the vaccine has a はい/いいえ.
func Complete(vaccine string, a Answers) *Problem {
	for _, q := range For(vaccine) {
		if it, ok := a.Items[q.Key]; !ok || it.Yes == nil {
			return &Problem{q.Key, "unanswered", "未回答の質問があります: " + q.Text}
		}
	}
	return nil
}

// Header is the top of the paper form: who is vaccinated and who answers.
// The server fills it from the register, never from what a guardian types.
type Header struct {
	ChildName    string
	BirthDate    civil.Date
	AgeText      string // age on the planned date, e.g. 1歳2か月3日
	GuardianName string
	Address      string
}

// NewHeader builds the header for a dose planned on the given date.
func NewHeader(familyName, givenName string, birth, planned civil.Date, guardianName, address string) Header {
	return Header{
		ChildName: strings.TrimSpace(familyName + " " + givenName), BirthDate: birth,
		AgeText: civil.AgeText(birth, planned), GuardianName: guardianName, Address: address,
	}
}

// Fields are the header as the questionnaire record stores it.
func (h Header) Fields() map[string]any {
	return map[string]any{
		"childName": h.ChildName, "birthDate": h.BirthDate.String(), "ageText": h.AgeText,
		"guardianName": h.GuardianName, "address": h.Address,
	}
}

// Prefilled are the answers a new form starts with: the birth weight when
// the handbook has it (0 = unknown), nothing else.
func Prefilled(birthWeightG int) Answers {
	a := Answers{Items: map[string]Answer{}}
	if birthWeightG > 0 {
		a.BirthWeightG = &birthWeightG
	}
	return a
}

// NewToken is a fresh reception token for the QR code: 24 random bytes,
// URL-safe, so that nobody can guess another family's form.
func NewToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
