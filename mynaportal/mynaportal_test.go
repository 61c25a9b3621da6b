package mynaportal_test

import (
	"context"
	"errors"
	"testing"

	"github.com/saijo-dx/lifestage/mynaportal"
	"github.com/saijo-dx/lifestage/mynaportal/mynaportaltest"
)

func f64(v float64) *float64 { return &v }

var sample = mynaportal.Response{
	Immunizations: []mynaportal.Immunization{
		{RecordID: "pmh-im-1", VaccineName: "Ｂ型肝炎", DoseNumber: 1, VaccinationDate: "2025-07-01", LotNumber: "HB123"},
		{RecordID: "pmh-im-2", VaccineName: "ロタウイルス（５価）", DoseNumber: 1, VaccinationDate: "2025-07-01"},
		{RecordID: "pmh-im-3", VaccineName: "インフルエンザ", DoseNumber: 1, VaccinationDate: "2025-11-01"},
		{RecordID: "pmh-im-4", VaccineName: "pcv", DoseNumber: 9, VaccinationDate: "2025-07-01"},
		{RecordID: "", VaccineName: "BCG", DoseNumber: 1, VaccinationDate: "2025-10-01"},
	},
	InfantCheckups: []mynaportal.Checkup{
		{RecordID: "pmh-ck-1", CheckupType: "3～4か月児健診", ExaminationDate: "2025-09-10", WeightKg: f64(6.4), HeightCm: f64(61.2), HeadCircumferenceCm: f64(99), Judgement: "異常なし"},
		{RecordID: "pmh-ck-2", CheckupType: "1か月児健診", ExaminationDate: "2025-06-31"},
	},
}

func TestPlan(t *testing.T) {
	entries, skipped := mynaportal.Plan(sample, []string{mynaportal.Immunizations, mynaportal.InfantCheckups})
	if len(entries) != 3 {
		t.Fatalf("entries %+v", entries)
	}
	if e := entries[0]; e.Fields["vaccine"] != "hepb" || e.Fields["lot"] != "HB123" || e.SourceRecordID != "pmh-im-1" {
		t.Fatalf("full-width name not mapped: %+v", e)
	}
	if entries[1].Fields["vaccine"] != "rota5" {
		t.Fatalf("rota: %+v", entries[1])
	}
	ck := entries[2].Fields
	if ck["code"] != "3-4m" || ck["result"] != "normal" || ck["weightKg"] != 6.4 || ck["headCm"] != nil {
		t.Fatalf("checkup %+v (a 99 cm head must be left out)", ck)
	}
	want := map[string]string{"pmh-im-3": "unknown_vaccine", "pmh-im-4": "invalid_dose", "": "missing_id", "pmh-ck-2": "invalid_date"}
	if len(skipped) != len(want) {
		t.Fatalf("skipped %+v", skipped)
	}
	for _, s := range skipped {
		if want[s.RecordID] != s.Reason {
			t.Errorf("skip %s: %s, want %s", s.RecordID, s.Reason, want[s.RecordID])
		}
	}
	// Only the consented collections.
	entries, _ = mynaportal.Plan(sample, []string{mynaportal.InfantCheckups})
	if len(entries) != 1 || entries[0].Collection != mynaportal.InfantCheckups {
		t.Fatalf("checkups only: %+v", entries)
	}
}

func TestClientAgainstFake(t *testing.T) {
	fake := mynaportaltest.Start(t)
	fake.Set("西条 ひなた", "2025-05-01", sample)
	fake.Refuse("西条 そら", "2024-01-01")
	env := fake.Env()
	cfg, on := mynaportal.FromEnv(func(k string) string { return env[k] })
	if !on {
		t.Fatal("connector off")
	}
	c, err := mynaportal.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := mynaportal.Query{
		RequestID: "r1", Requester: mynaportal.BasicInfo{Name: "西条 花子", DateOfBirth: "1990-04-01"},
		Subject:    mynaportal.BasicInfo{Name: "西条 ひなた", DateOfBirth: "2025-05-01", Sex: "2"},
		Categories: []string{mynaportal.CategoryImmunization},
	}
	res, err := c.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Immunizations) != len(sample.Immunizations) || len(res.InfantCheckups) != 0 {
		t.Fatalf("got %d immunizations and %d checkups", len(res.Immunizations), len(res.InfantCheckups))
	}
	q.Subject = mynaportal.BasicInfo{Name: "西条 そら", DateOfBirth: "2024-01-01"}
	if _, err := c.Query(context.Background(), q); !errors.Is(err, mynaportal.ErrNotConsented) {
		t.Fatalf("refused person: %v", err)
	}
	q.Subject = mynaportal.BasicInfo{Name: "誰か", DateOfBirth: "2024-01-01"}
	if _, err := c.Query(context.Background(), q); !errors.Is(err, mynaportal.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
	bad := cfg
	bad.APIKey = "wrong"
	bc, _ := mynaportal.New(bad, nil)
	if _, err := bc.Query(context.Background(), q); !errors.Is(err, mynaportal.ErrUpstream) {
		t.Fatalf("bad credentials: %v", err)
	}
	if _, off := mynaportal.FromEnv(func(string) string { return "" }); off {
		t.Fatal("connector must be off by default")
	}
}
