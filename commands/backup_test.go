package commands_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/backup"
	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

// TestBackupRestores proves a backup brings the data back: a restore of a
// backup taken before a loss has the lost data, the uploaded files and a
// sound audit chain, and the restore test leaves the live data alone.
func TestBackupRestores(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	hooks.Register(app)
	if _, err := commands.SeedCity(app, 200, 1); err != nil {
		t.Fatal(err)
	}
	residents, err := app.CountRecords("residents")
	if err != nil || residents == 0 {
		t.Fatalf("seeded %d residents: %v", residents, err)
	}
	someone, err := app.FindFirstRecordByFilter("residents", "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	originalName := someone.GetString("familyName")

	// An uploaded file lives under pb_data/storage.
	stored := filepath.Join(app.DataDir(), "storage", "test", "x.txt")
	if err := os.MkdirAll(filepath.Dir(stored), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stored, []byte("添付ファイル"), 0o644); err != nil {
		t.Fatal(err)
	}

	head, err := auditlog.Head(app)
	if err != nil || head.Seq == 0 {
		t.Fatalf("the seed must have written audit entries: %+v %v", head, err)
	}
	name, err := commands.CreateBackup(app, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(app.DataDir(), backup.HeadFile)); !os.IsNotExist(err) {
		t.Errorf("%s must not stay in the live data dir: %v", backup.HeadFile, err)
	}
	checkZipHasHead(t, filepath.Join(app.DataDir(), "backups", name), head.Seq)

	// The loss: a name changed (audited), residents deleted, the file gone.
	someone.Set("familyName", "変更後")
	if err := app.Save(someone); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("DELETE FROM residents WHERE id IN (SELECT id FROM residents WHERE id != {:id} LIMIT 20)").
		Bind(map[string]any{"id": someone.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(stored); err != nil {
		t.Fatal(err)
	}

	var inspected bool
	rep, err := commands.RestoreTest(app, commands.RestoreOptions{TempDir: t.TempDir(), Inspect: func(restored core.App) error {
		inspected = true
		if restored.DataDir() == app.DataDir() {
			return errors.New("restored into the live data dir")
		}
		n, err := restored.CountRecords("residents")
		if err != nil || n != residents {
			return fmt.Errorf("restored %d residents, want %d (%v)", n, residents, err)
		}
		r, err := restored.FindRecordById("residents", someone.Id)
		if err != nil || r.GetString("familyName") != originalName {
			return fmt.Errorf("restored name %v, want %q (%v)", r, originalName, err)
		}
		b, err := os.ReadFile(filepath.Join(restored.DataDir(), "storage", "test", "x.txt"))
		if err != nil || string(b) != "添付ファイル" {
			return fmt.Errorf("stored file not restored: %q %v", b, err)
		}
		return nil
	}})
	if err != nil {
		t.Fatalf("restore test: %v\n%+v", err, rep)
	}
	if !inspected {
		t.Fatal("Inspect was not called")
	}
	if rep.Name != name || rep.Size == 0 || rep.Created.IsZero() {
		t.Errorf("report names %q size %d created %s, want %q", rep.Name, rep.Size, rep.Created, name)
	}
	if rep.Integrity["data.db"] != "ok" || rep.Integrity["auxiliary.db"] != "ok" {
		t.Errorf("integrity: %v", rep.Integrity)
	}
	if !rep.Audit.OK || rep.Audit.Entries < head.Seq {
		t.Errorf("audit: %+v, want ok with >= %d entries", rep.Audit, head.Seq)
	}
	if rep.Recorded == nil || rep.Recorded.Seq != head.Seq || rep.Recorded.Hash != head.Hash || !rep.HeadOK {
		t.Errorf("recorded head %+v ok=%t, want %+v", rep.Recorded, rep.HeadOK, head)
	}
	if rep.Files < 1 {
		t.Errorf("stored files: %d", rep.Files)
	}
	var counted bool
	for _, c := range rep.Counts {
		if c.Name == "residents" {
			counted = c.Count == residents
		}
	}
	if !counted {
		t.Errorf("report counts %+v lack residents=%d", rep.Counts, residents)
	}
	var out bytes.Buffer
	rep.Print(&out)
	for _, want := range []string{name, "整合性 / integrity", "data.db ok", "監査ログ / audit chain:       OK", "一致", "結果 / result: OK"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printed report lacks %q:\n%s", want, out.String())
		}
	}

	// The live app still has the changes; nothing was restored into it.
	live, _ := app.CountRecords("residents")
	if live != residents-20 {
		t.Errorf("live residents %d, want %d", live, residents-20)
	}
	if r, _ := app.FindRecordById("residents", someone.Id); r == nil || r.GetString("familyName") != "変更後" {
		t.Error("the live change was undone")
	}
	if _, err := os.Stat(stored); !os.IsNotExist(err) {
		t.Error("the live storage got the file back")
	}
	if res, err := auditlog.Verify(app); err != nil || !res.OK {
		t.Errorf("live audit chain: %+v %v", res, err)
	}
}

func checkZipHasHead(t *testing.T, path string, seq int64) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(backup.HeadFile)
	if err != nil {
		t.Fatalf("backup lacks %s: %v", backup.HeadFile, err)
	}
	defer f.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(f)
	h, err := backup.ParseHead(buf.Bytes())
	if err != nil || h.Seq != seq || h.At == "" {
		t.Errorf("head in zip %+v %v, want seq %d", h, err, seq)
	}
}

func TestRestoreTestFindsProblems(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	if _, err := commands.RestoreTest(app, commands.RestoreOptions{}); err == nil {
		t.Error("no backup must be an error")
	}
	// A backup made without lifestage's hooks has no audit head: reported.
	if err := app.CreateBackup(t.Context(), "bare.zip"); err != nil {
		t.Fatal(err)
	}
	rep, err := commands.RestoreTest(app, commands.RestoreOptions{Name: "bare.zip", TempDir: t.TempDir()})
	if !errors.Is(err, commands.ErrRestoreTestFailed) || rep.OK() || rep.Recorded != nil {
		t.Errorf("missing head must fail the test: %v %+v", err, rep.Problems)
	}
	if rep.Integrity["data.db"] != "ok" {
		t.Errorf("integrity %v", rep.Integrity)
	}
	// A damaged database is found by the integrity check.
	damaged := filepath.Join(app.DataDir(), "backups", "damaged.zip")
	rewriteZip(t, filepath.Join(app.DataDir(), "backups", "bare.zip"), damaged, "data.db", func(b []byte) []byte {
		for i := len(b) / 3; i < len(b); i++ {
			b[i] = 0xA5
		}
		return b
	})
	rep, err = commands.RestoreTest(app, commands.RestoreOptions{Name: "damaged.zip", TempDir: t.TempDir()})
	if !errors.Is(err, commands.ErrRestoreTestFailed) || rep.Integrity["data.db"] == "ok" {
		t.Errorf("a damaged data.db must fail: %v %v", err, rep.Integrity)
	}
	// A corrupt zip fails.
	bad := filepath.Join(app.DataDir(), "backups", "broken.zip")
	if err := os.WriteFile(bad, []byte("not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := commands.RestoreTest(app, commands.RestoreOptions{Name: "broken.zip", TempDir: t.TempDir()}); err == nil {
		t.Error("a broken zip must fail")
	}
	if _, err := commands.RestoreTest(app, commands.RestoreOptions{Name: "nope.zip"}); err == nil {
		t.Error("an unknown name must fail")
	}
	if _, err := commands.CreateBackup(app, "../escape.zip"); err == nil {
		t.Error("a path as name must be refused")
	}
}

// rewriteZip copies a zip, changing one entry.
func rewriteZip(t *testing.T, src, dst, entry string, change func([]byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == entry {
			b = change(b)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestBackupCommand(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	hooks.Register(app)
	cmd := commands.NewBackupCommand(app)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"create", "--name", "manual_test.zip"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out.String()) != "manual_test.zip" {
		t.Errorf("create printed %q", out.String())
	}
	out.Reset()
	cmd.SetArgs([]string{"restore-test", "--tmp", t.TempDir()})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("restore-test: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "manual_test.zip") || !strings.Contains(out.String(), "結果 / result: OK") {
		t.Errorf("restore-test printed:\n%s", out.String())
	}
}
