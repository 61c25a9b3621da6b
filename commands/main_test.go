package commands_test

import (
	"os"
	"testing"

	"github.com/saijo-dx/lifestage/testutil"
)

// TestMain removes the migrated template the tests copy their apps from.
func TestMain(m *testing.M) {
	code := m.Run()
	testutil.RemoveTemplates()
	os.Exit(code)
}
