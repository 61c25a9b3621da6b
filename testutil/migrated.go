package testutil

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/hooks"
)

// Migrating an empty data dir syncs every collection and loads reference
// data, which takes seconds; a package's tests migrate once per kind (with
// or without hooks) and copy the result.
var migratedTemplates struct {
	sync.Mutex
	dirs map[bool]string
}

func migratedTemplate(t testing.TB, withHooks bool) string {
	migratedTemplates.Lock()
	defer migratedTemplates.Unlock()
	if dir, ok := migratedTemplates.dirs[withHooks]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", "lifestage_migrated_*")
	if err != nil {
		t.Fatal(err)
	}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if withHooks {
		hooks.Register(app)
	}
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	if err := app.ResetBootstrapState(); err != nil {
		t.Fatal(err)
	}
	if migratedTemplates.dirs == nil {
		migratedTemplates.dirs = map[bool]string{}
	}
	migratedTemplates.dirs[withHooks] = dir
	return dir
}

// copyDir copies the template's files into an empty dir.
func copyDir(t testing.TB, from, to string) {
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		dst, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(dst, src); err != nil {
			dst.Close()
			return err
		}
		return dst.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// RemoveTemplates deletes the migrated templates a package's tests made;
// a TestMain calls it after the tests.
func RemoveTemplates() {
	migratedTemplates.Lock()
	defer migratedTemplates.Unlock()
	for _, dir := range migratedTemplates.dirs {
		os.RemoveAll(dir)
	}
	migratedTemplates.dirs = nil
}
