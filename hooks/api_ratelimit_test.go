package hooks_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/saijo-dx/lifestage/testutil"
)

// TestLoginIsRateLimited sends repeated failed logins from one address: the
// auth rule (20 per minute per collection and IP) must answer 429 after that.
func TestLoginIsRateLimited(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	mux, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	var codes []int
	var last string
	for i := range 22 {
		// A different identity each time, so the per-account lockout (5)
		// does not answer first.
		req := httptest.NewRequest(http.MethodPost, "/api/collections/city_staff/auth-with-password",
			strings.NewReader(fmt.Sprintf(`{"identity":"nobody%d@test.lifestage.example","password":"wrong-password-123"}`, i)))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "203.0.113.7:40000"
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
		last = rec.Body.String()
	}
	for i, c := range codes[:20] {
		if c != http.StatusBadRequest {
			t.Fatalf("attempt %d answered %d before the limit", i+1, c)
		}
	}
	if codes[20] != http.StatusTooManyRequests || codes[21] != http.StatusTooManyRequests {
		t.Fatalf("attempts 21-22 answered %v, want 429", codes[20:])
	}
	if !strings.Contains(last, "Too Many Requests") {
		t.Fatalf("the rate limiter, not the lockout, should answer: %s", last)
	}
}
