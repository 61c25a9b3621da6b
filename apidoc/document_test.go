package apidoc

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/saijo-dx/lifestage/gateway"
)

// routesOfOps stands in for the router: every described route exists.
func routesOfOps() []Route {
	out := make([]Route, len(Ops))
	for i, o := range Ops {
		out[i] = Route{Method: o.Method, Path: o.Path}
	}
	return out
}

// TestDocumentIsValidOpenAPI31 loads the document with kin-openapi, which
// validates OpenAPI 3.1 (JSON Schema 2020-12 schemas), and checks it.
func TestDocumentIsValidOpenAPI31(t *testing.T) {
	d, err := Build(routesOfOps())
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(d.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(d.Missing) != 0 || len(d.Stale) != 0 {
		t.Fatalf("missing %v stale %v", d.Missing, d.Stale)
	}
}

// TestEveryDatasetSourceIsAGatewayDataset keeps Sources in step with the
// gateway's list.
func TestEveryDatasetSourceIsAGatewayDataset(t *testing.T) {
	known := map[string]bool{}
	for _, d := range gateway.Datasets {
		known[d.Name] = true
	}
	for name := range Sources {
		if !known[name] {
			t.Errorf("Sources names %q, which gateway.Datasets does not have", name)
		}
	}
}
