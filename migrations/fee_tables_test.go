package migrations_test

import (
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/fees"
	"github.com/saijo-dx/lifestage/migrations"
)

// TestFeeTableIsReferenceData: the migration stores Saijo's FY2026 table as
// the embedded CSV has it, and loading again adds nothing and keeps what
// staff corrected.
func TestFeeTableIsReferenceData(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	want, err := fees.Saijo(2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range want.Rows {
		rec, err := app.FindFirstRecordByFilter("fee_tables", "fiscalYear = 2026 && tier = {:t}", dbx.Params{"t": string(r.Tier)})
		if err != nil {
			t.Fatalf("tier %s missing", r.Tier)
		}
		got := fees.Row{
			Tier: r.Tier, Label: rec.GetString("label"),
			IncomeTaxFrom: rec.GetInt("incomeTaxFrom"), IncomeTaxBelow: rec.GetInt("incomeTaxBelow"),
			Standard: rec.GetInt("standard"), Short: rec.GetInt("short"),
			ProtectedStandard: rec.GetInt("protectedStandard"), ProtectedShort: rec.GetInt("protectedShort"),
		}
		if got != r || rec.GetString("source") != want.Source {
			t.Errorf("tier %s stored as %+v, want %+v", r.Tier, got, r)
		}
	}

	c3, _ := app.FindFirstRecordByFilter("fee_tables", `fiscalYear = 2026 && tier = "C3"`)
	c3.Set("standard", 22000)
	if err := app.Save(c3); err != nil {
		t.Fatal(err)
	}
	if err := migrations.LoadFeeTable(app, 2026); err != nil {
		t.Fatal(err)
	}
	if n, _ := app.CountRecords("fee_tables", dbx.HashExp{"fiscalYear": 2026}); int(n) != len(want.Rows) {
		t.Errorf("%d rows after a second load, want %d", n, len(want.Rows))
	}
	if c3, _ = app.FindRecordById("fee_tables", c3.Id); c3.GetInt("standard") != 22000 {
		t.Errorf("a second load overwrote the staff's correction: %d", c3.GetInt("standard"))
	}
	if err := migrations.LoadFeeTable(app, 2019); err == nil {
		t.Error("loaded a year with no embedded table")
	}
}
