package hooks_test

import (
	"os"
	"testing"

	"github.com/saijo-dx/lifestage/testutil"
)

var fx *testutil.Fixture

func TestMain(m *testing.M) {
	code := testutil.Main(m, &fx)
	removeBenchCity()
	os.Exit(code)
}
