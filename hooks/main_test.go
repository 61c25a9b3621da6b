package hooks_test

import (
	"os"
	"testing"

	"github.com/saijo-dx/lifestage/testutil"
)

var fx *testutil.Fixture

func TestMain(m *testing.M) { os.Exit(testutil.Main(m, &fx)) }
