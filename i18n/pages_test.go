package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pageKey finds the keys pages name: data-i18n, data-i18n-placeholder, … in
// HTML and in h() props ("data-i18n": "…"), and t("…") calls with a literal
// key. Keys built at run time (t(`labels.${group}.${code}`)) fall back to the
// Japanese text a page passes and are not checked here.
var pageKey = regexp.MustCompile(`data-i18n(?:-[a-z-]+)?"?\s*[:=]\s*"([^"]+)"|\bt\("([^"]+)"`)

// TestEveryKeyInPagesExists reads pb_public so that a page naming a key the
// catalogue lacks fails here instead of showing Japanese (or the raw key) to
// a reader of another language.
func TestEveryKeyInPagesExists(t *testing.T) {
	ja := catalog(Default)
	seen := 0
	err := filepath.WalkDir("../pb_public", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "vendor" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".html") && !strings.HasSuffix(path, ".js") {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range pageKey.FindAllStringSubmatch(string(raw), -1) {
			key := m[1] + m[2]
			seen++
			if _, ok := ja[key]; !ok {
				t.Errorf("%s: %s is not in the ja catalogue", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 100 {
		t.Fatalf("found only %d keys in pb_public: the scan no longer sees the pages", seen)
	}
}
