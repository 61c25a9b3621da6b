package apidoc

import (
	"os"
	"path/filepath"
	"testing"
)

// TestInterfaceSpecIsCurrent keeps docs/platform/interface-spec.md equal to
// the document. The routes come from Ops here; the hooks completeness test
// proves Ops and the router agree, so this is the served document. Run
// with UPDATE_DOCS=1 to rewrite it.
func TestInterfaceSpecIsCurrent(t *testing.T) {
	d, err := Build(routesOfOps())
	if err != nil {
		t.Fatal(err)
	}
	want := Markdown(d)
	path := filepath.Join("..", "docs", "platform", "interface-spec.md")
	if os.Getenv("UPDATE_DOCS") != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/platform/interface-spec.md is out of date: run `UPDATE_DOCS=1 go test ./apidoc/`")
	}
}
