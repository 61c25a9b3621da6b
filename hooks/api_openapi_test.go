package hooks_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/apidoc"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

// servedRoutes registers lifestage's routes the way serve does and walks
// the router.
func servedRoutes(t *testing.T) []apidoc.Route {
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	se := &core.ServeEvent{App: app, Router: r}
	if err := app.OnServe().Trigger(se, func(e *core.ServeEvent) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return hooks.RouterRoutes(r)
}

// TestOpenAPICoversEveryRoute fails when a custom route (/api/lifestage/...
// or /ngsi/v2/...) has no entry in apidoc.Ops, or an entry has no route.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	routes := servedRoutes(t)
	var own, custom int
	for _, r := range routes {
		if r.Key() == "GET /api/collections/{collection}/records" {
			own++
		}
		if apidoc.Documented(r.Path) {
			custom++
		}
	}
	// The walk reads PocketBase's router by reflection: make sure it still
	// sees both PocketBase's routes and ours.
	if own != 1 || custom < 60 {
		t.Fatalf("router walk found %d PocketBase list routes and %d custom routes", own, custom)
	}
	d, err := apidoc.Build(routes)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Missing) > 0 {
		var b strings.Builder
		for _, r := range d.Missing {
			fmt.Fprintf(&b, "\t{Method: %q, Path: %q, Summary: \"…\", Auth: Login, Who: \"…\"},\n", r.Method, r.Path)
		}
		t.Errorf("%d routes have no description in apidoc.Ops; add:\n%s", len(d.Missing), b.String())
	}
	for _, o := range d.Stale {
		t.Errorf("apidoc.Ops describes %s, which no longer exists", o.Key())
	}
}

func TestOpenAPIServed(t *testing.T) {
	const url = "/api/lifestage/openapi.json"
	scenarios := []tests.ApiScenario{
		{
			Name: "anyone gets a valid OpenAPI 3.1 document", Method: http.MethodGet, URL: url, ExpectedStatus: 200,
			ExpectedContent: []string{`"openapi":"3.1.0"`, `"/api/collections/facilities/records"`, `"/api/lifestage/opendata/{file}"`,
				`"X-API-Key"`, `"x-datasets"`, `"施設名"`},
			NotExpectedContent: []string{`"x-undocumented"`, `"tokenKey"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if res.Header.Get("ETag") == "" {
					t.Error("no ETag")
				}
				raw, _ := io.ReadAll(res.Body)
				doc, err := openapi3.NewLoader().LoadFromData(raw)
				if err != nil {
					t.Fatal(err)
				}
				if err := doc.Validate(context.Background()); err != nil {
					t.Fatal(err)
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// TestOpenAPIConditionalAndGzip checks the cache validators: the same ETag
// on every request, 304 for If-None-Match, and a gzipped body on request.
func TestOpenAPIConditionalAndGzip(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	get := func(headers map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/api/lifestage/openapi.json", nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := get(nil)
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" {
		t.Fatalf("first: %d %q", first.Code, etag)
	}
	if again := get(nil); again.Header().Get("ETag") != etag || again.Body.String() != first.Body.String() {
		t.Fatal("the document changed between requests")
	}
	if nm := get(map[string]string{"If-None-Match": etag}); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d with %d bytes", nm.Code, nm.Body.Len())
	}
	gz := get(map[string]string{"Accept-Encoding": "gzip"})
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Body.Len() >= first.Body.Len()/3 {
		t.Fatalf("gzip: %q, %d bytes of %d", gz.Header().Get("Content-Encoding"), gz.Body.Len(), first.Body.Len())
	}
}
