package access

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDocIsCurrent keeps docs/access.md equal to the matrix the API tests
// prove. Run with UPDATE_DOCS=1 to rewrite it.
func TestDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "docs", "access.md")
	want := Markdown()
	if os.Getenv("UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/access.md is out of date: run `UPDATE_DOCS=1 go test ./access/`")
	}
}

func TestMatrixIsComplete(t *testing.T) {
	valid := map[string]map[Outcome]bool{
		"list": {All: true, Some: true, None: true}, "view": {All: true, Some: true, None: true},
		"create": {Yes: true, No: true}, "update": {All: true, Some: true, None: true}, "delete": {All: true, Some: true, None: true},
	}
	for _, c := range Matrix {
		if len(c.Rows) != len(Roles) {
			t.Errorf("%s has %d rows, want one per role", c.Name, len(c.Rows))
		}
		for _, r := range c.Rows {
			for _, a := range Actions {
				if !valid[a][r.Outcome(a)] {
					t.Errorf("%s/%s/%s has outcome %q", c.Name, r.Role, a, r.Outcome(a))
				}
			}
		}
	}
}
