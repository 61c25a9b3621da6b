package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// templateKey is how a catalogue key looks: a namespace and dotted words.
var templateKey = regexp.MustCompile(`^[a-z][a-z0-9_-]*(\.[A-Za-z0-9_-]+)+$`)

// hostName tells push-service hosts (notify.windows.com) from keys.
var hostName = regexp.MustCompile(`\.(com|net|org|jp)$`)

// TestEveryNotificationKeyInGoCodeExists reads the module's Go source and
// checks that every notification template it names exists in Japanese, so a
// typo in a key cannot ship as a notification titled with the raw key. A key
// is found as the value of a `Key:` field or a `.Key =` assignment, and as
// any string literal in the notify namespace (tables of keys picked at run
// time). Templates need <key>.title and <key>.body; notify.date is a plain
// message.
func TestEveryNotificationKeyInGoCodeExists(t *testing.T) {
	ja := catalog(Default)
	found := map[string]string{} // key → where
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "pb_data" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			var lits []ast.Expr
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Key" {
					lits = append(lits, n.Value)
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Key" && i < len(n.Rhs) {
						lits = append(lits, n.Rhs[i])
					}
				}
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && strings.HasPrefix(s, "notify.") && templateKey.MatchString(s) && !hostName.MatchString(s) {
					found[s] = fset.Position(n.Pos()).String()
				}
			}
			for _, e := range lits {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && templateKey.MatchString(s) {
						found[s] = fset.Position(lit.Pos()).String()
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 20 {
		t.Fatalf("found only %d keys: the scan no longer sees the notification code", len(found))
	}
	for key, where := range found {
		if _, plain := ja[key]; plain {
			continue
		}
		for _, part := range []string{".title", ".body"} {
			if _, ok := ja[key+part]; !ok {
				t.Errorf("%s: %s%s is not in the ja catalogue", where, key, part)
			}
		}
	}
}
