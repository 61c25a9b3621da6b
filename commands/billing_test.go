package commands_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/invoicing"
	"github.com/saijo-dx/lifestage/reports"
	"github.com/saijo-dx/lifestage/testutil"
)

// `lifestage billing run` bills the last month once: the second run
// reports no change.
func TestBillingRunCommand(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	if _, err := commands.SeedCity(app, 300, 3); err != nil {
		t.Fatal(err)
	}
	month := reports.LastCompleted(time.Now()).String()
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		cmd := commands.NewBillingCommand(app)
		cmd.SetOut(&out)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(append([]string{"run"}, args...))
		err := cmd.Execute()
		return out.String(), err
	}
	first, err := run("--month", month)
	if errors.Is(err, invoicing.ErrNoFeeTable) {
		t.Skipf("no fee table for %s yet", month)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, month+": ") || !strings.Contains(first, "created") || strings.Contains(first, " 0 created") || !strings.Contains(first, "total ") {
		t.Errorf("first run: %q", first)
	}
	second, err := run("--month", month)
	if err != nil || !strings.Contains(second, "(0 created, 0 updated") {
		t.Errorf("second run: %q, %v", second, err)
	}
	for _, bad := range [][]string{{"--month", "2026-13"}, {"--month", reports.MonthOf(time.Now()).String()}, {}} {
		if out, err := run(bad...); err == nil {
			t.Errorf("%v accepted: %q", bad, out)
		}
	}
}
