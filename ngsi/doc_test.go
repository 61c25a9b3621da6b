package ngsi

import (
	"os"
	"testing"
)

// TestDocIsCurrent keeps docs/platform/ngsi-types.md in step with Types.
// Run with UPDATE_DOCS=1 to rewrite it.
func TestDocIsCurrent(t *testing.T) {
	const path = "../docs/platform/ngsi-types.md"
	want := Markdown()
	if os.Getenv("UPDATE_DOCS") != "" {
		if err := os.MkdirAll("../docs/platform", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatal("docs/platform/ngsi-types.md is out of date: run `UPDATE_DOCS=1 go test ./ngsi/`")
	}
}
