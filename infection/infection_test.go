package infection

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestCodesAreUniqueAndLabelled(t *testing.T) {
	for name, list := range map[string][]Code{"symptoms": Symptoms, "infections": Infections, "kinds": Kinds} {
		seen := map[string]bool{}
		for _, c := range list {
			if c.Code == "" || c.Label == "" || seen[c.Code] {
				t.Errorf("%s: bad or duplicate code %+v", name, c)
			}
			seen[c.Code] = true
		}
	}
	// The issue names these; they must stay available under stable codes.
	for _, code := range []string{"influenza", "covid19", "gastroenteritis", "rsv", "hfmd", "herpangina", "varicella", "strep"} {
		if !Known(Infections, code) {
			t.Errorf("infection %s missing", code)
		}
	}
	for _, code := range []string{"fever", "cough", "vomiting", "diarrhea", "rash"} {
		if !Known(Symptoms, code) {
			t.Errorf("symptom %s missing", code)
		}
	}
	if LabelOf(Infections, "influenza") != "インフルエンザ" || LabelOf(Infections, "zzz") != "zzz" {
		t.Error("LabelOf")
	}
	if got := Codes(Kinds); !slices.Equal(got, []string{"absence", "late", "pickup_change"}) {
		t.Errorf("Codes(Kinds) = %v", got)
	}
	if Labels(Symptoms)["fever"] != "発熱" {
		t.Error("Labels")
	}
}

func TestCount(t *testing.T) {
	reports := []Report{
		// Two notices for the same child and day count once.
		{Child: "c1", Nursery: "n1", Class: "k0", Date: "2026-11-20", Kind: KindAbsence, Symptoms: []string{"fever", "cough"}, Infection: "influenza"},
		{Child: "c1", Nursery: "n1", Class: "k0", Date: "2026-11-20", Kind: KindAbsence, Symptoms: []string{"fever"}, Infection: "influenza"},
		{Child: "c2", Nursery: "n1", Class: "k0", Date: "2026-11-20", Kind: KindAbsence, Symptoms: []string{"fever"}, Infection: "influenza"},
		// A late notice reports a symptom but no absence.
		{Child: "c3", Nursery: "n1", Class: "k0", Date: "2026-11-20", Kind: KindLate, Symptoms: []string{"cough"}},
		{Child: "c4", Nursery: "n1", Class: "k1", Date: "2026-11-20", Kind: KindAbsence, Infection: "rsv"},
		{Child: "c5", Nursery: "n2", Class: "k9", Date: "2026-11-19", Kind: KindPickupChange},
	}
	tests := []struct {
		name string
		got  []Row
		want []Row
	}{
		{"per class", Count(reports), []Row{
			{Nursery: "n2", Class: "k9", Date: "2026-11-19", Reported: 1, Absent: 0, Infections: map[string]int{}, Symptoms: map[string]int{}},
			{Nursery: "n1", Class: "k0", Date: "2026-11-20", Reported: 3, Absent: 2, Infections: map[string]int{"influenza": 2}, Symptoms: map[string]int{"fever": 2, "cough": 2}},
			{Nursery: "n1", Class: "k1", Date: "2026-11-20", Reported: 1, Absent: 1, Infections: map[string]int{"rsv": 1}, Symptoms: map[string]int{}},
		}},
		{"per nursery", ByNurseryDay(reports), []Row{
			{Nursery: "n2", Date: "2026-11-19", Reported: 1, Infections: map[string]int{}, Symptoms: map[string]int{}},
			{Nursery: "n1", Date: "2026-11-20", Reported: 4, Absent: 3, Infections: map[string]int{"influenza": 2, "rsv": 1}, Symptoms: map[string]int{"fever": 2, "cough": 2}},
		}},
		{"nothing", Count(nil), []Row{}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, tt.got, tt.want)
		}
	}
	if n := Children(reports, "influenza"); n != 2 {
		t.Errorf("Children(influenza) = %d, want 2", n)
	}
}

func TestOpenSuppressesSmallCounts(t *testing.T) {
	rows := []Row{
		{Nursery: "n1", Date: "2026-11-20", Infections: map[string]int{"influenza": 3, "rsv": 1}},
		{Nursery: "n2", Date: "2026-11-20", Infections: map[string]int{"influenza": 2}},
		{Nursery: "n1", Date: "2026-11-19", Infections: map[string]int{"gastroenteritis": 7}},
	}
	want := []OpenCount{
		{Nursery: "n1", Date: "2026-11-19", Infection: "gastroenteritis", Count: 7},
		{Nursery: "n1", Date: "2026-11-20", Infection: "influenza", Count: 3},
		{Nursery: "n1", Date: "2026-11-20", Infection: "rsv", Count: 0, Suppressed: true},
		{Nursery: "n2", Date: "2026-11-20", Infection: "influenza", Count: 0, Suppressed: true},
	}
	if got := Open(rows); !reflect.DeepEqual(got, want) {
		t.Errorf("Open:\n got %+v\nwant %+v", got, want)
	}
}

func TestNoticeDraftNamesNoChild(t *testing.T) {
	tests := []struct {
		place, infection string
		n                int
		title, body      string
	}{
		{"ひよこ組", "influenza", 2, "インフルエンザの発生について", "ひよこ組でインフルエンザが2名確認されています。"},
		{"園内", "hfmd", 0, "手足口病の発生について", "園内で手足口病の発生が確認されています。"},
	}
	for _, tt := range tests {
		d := NoticeDraft(tt.place, tt.infection, tt.n)
		if d.Title != tt.title || !strings.HasPrefix(d.Body, tt.body) {
			t.Errorf("NoticeDraft(%s, %s, %d) = %+v", tt.place, tt.infection, tt.n, d)
		}
	}
}

func TestMentions(t *testing.T) {
	names := []string{"田中", "陽翔", "陸", "タナカ", "ハルト", "ゆい", "山本", "田中"}
	tests := []struct {
		text string
		want []string
	}{
		{"ひよこ組でインフルエンザが2名確認されています。", nil},
		{"田中陽翔くんがインフルエンザです", []string{"田中", "陽翔"}},
		{"はると くんが お休みです", []string{"ハルト"}}, // hiragana matches a katakana name, spaces ignored
		{"大陸の話。ゆいごん", nil},                 // names too short to tell from words
		{"山 本さん", []string{"山本"}},
	}
	for _, tt := range tests {
		if got := Mentions(tt.text, names); !slices.Equal(got, tt.want) {
			t.Errorf("Mentions(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestDiagnosedByClass(t *testing.T) {
	reports := []Report{
		{Child: "a", Class: "c1", Date: "2026-06-01", Infection: "influenza"},
		{Child: "a", Class: "c1", Date: "2026-06-02", Infection: "influenza"}, // the same child again
		{Child: "a", Class: "c1", Date: "2026-06-20", Infection: "hfmd"},      // another disease: still one child
		{Child: "b", Class: "c1", Date: "2026-06-03", Symptoms: []string{"fever"}},
		{Child: "c", Class: "c2", Date: "2026-06-03", Infection: "rsv"},
		{Child: "d", Class: "c2", Date: "2026-06-04", Infection: "rsv"},
	}
	got := DiagnosedByClass(reports)
	want := map[string]int{"c1": 1, "c2": 2}
	if len(got) != len(want) || got["c1"] != 1 || got["c2"] != 2 {
		t.Fatalf("DiagnosedByClass = %v, want %v", got, want)
	}
}
