package commands

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/archive"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/backup"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// ErrRestoreTestFailed makes `backup restore-test` exit non-zero.
var ErrRestoreTestFailed = errors.New("backup restore test failed")

// backupName is what PocketBase's API accepts, so the dashboard can handle
// the file too. Names without the "@auto_pb_backup_" prefix are never pruned.
var backupName = regexp.MustCompile(`^[a-z0-9_-]+\.zip$`)

// NewBackupCommand builds `lifestage backup create|restore-test`.
func NewBackupCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "backup", Short: "Makes backups and proves that they restore"}

	var name string
	create := &cobra.Command{
		Use:          "create",
		Short:        "Makes a backup of pb_data now (to the backups folder or S3) and prints its name",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			n, err := CreateBackup(app, name)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), n)
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "file name (a-z 0-9 _ -, ending in .zip); default lifestage_YYYYMMDD_HHMMSS.zip in Japan time")

	var opts RestoreOptions
	restore := &cobra.Command{
		Use:   "restore-test",
		Short: "Restores the newest (or --name) backup into a temporary folder and checks it; live data is not touched",
		Long: "Unzips the backup into a temporary folder (under $TMPDIR), opens it as a separate app, applies the migrations,\n" +
			"and checks SQLite integrity, the audit chain, the recorded audit head, record counts and stored files.\n" +
			"Exits non-zero when any check fails. The temporary folder is removed afterwards.",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			rep, err := RestoreTest(app, opts)
			if rep.Name != "" {
				rep.Print(cmd.OutOrStdout())
			}
			return err
		},
	}
	restore.Flags().StringVar(&opts.Name, "name", "", "backup to test; default the newest")
	restore.Flags().StringVar(&opts.TempDir, "tmp", "", "parent folder for the temporary copy; default $TMPDIR")

	root.AddCommand(create, restore)
	return root
}

// CreateBackup makes a backup now and returns its name. The backup hooks
// (audit head, failure alert) run as for the automatic ones.
func CreateBackup(app core.App, name string) (string, error) {
	if name == "" {
		name = "lifestage_" + time.Now().In(civil.Tokyo).Format("20060102_150405") + ".zip"
	}
	if !backupName.MatchString(name) || strings.HasPrefix(name, "@") {
		return "", fmt.Errorf("バックアップ名は英小文字・数字・_・- で、.zip で終わる名前にしてください: %q", name)
	}
	if err := app.CreateBackup(context.Background(), name); err != nil {
		return "", err
	}
	return name, nil
}

// RestoreOptions tunes RestoreTest.
type RestoreOptions struct {
	Name    string // backup file; "" = the newest
	TempDir string // parent of the temporary folder; "" = os.TempDir()
	// Inspect, when set, is called with the restored app before it is
	// removed (tests use it to look at the data).
	Inspect func(restored core.App) error
}

// CollectionCount is one line of the per-collection record counts.
type CollectionCount struct {
	Name  string
	Count int64
}

// RestoreReport is what a restore test found.
type RestoreReport struct {
	Name      string
	Size      int64
	Created   time.Time
	Integrity map[string]string // data.db, auxiliary.db -> "ok" or the first problem
	Audit     auditlog.Result
	Recorded  *backup.Head // audit-head.json in the backup; nil when missing
	HeadOK    bool         // the recorded head is part of the restored chain
	Counts    []CollectionCount
	Files     int   // files under storage/
	FileBytes int64 // their total size
	Problems  []string
}

// OK reports whether every check passed.
func (r RestoreReport) OK() bool { return len(r.Problems) == 0 }

// RestoreTest restores a backup into a temporary folder, without touching
// the live data dir, opens it as a separate app and checks it. It returns
// ErrRestoreTestFailed (with the report filled in) when a check fails.
func RestoreTest(app core.App, opts RestoreOptions) (rep RestoreReport, err error) {
	defer func() {
		// Every failure shows in the printed report, not only the checks'.
		if err != nil && rep.OK() {
			rep.Problems = append(rep.Problems, err.Error())
		}
	}()
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return rep, err
	}
	defer fsys.Close()

	name := opts.Name
	if name == "" {
		files, err := fsys.List("")
		if err != nil {
			return rep, err
		}
		var newest time.Time
		for _, f := range files {
			if strings.HasSuffix(f.Key, ".zip") && (name == "" || f.ModTime.After(newest)) {
				name, newest = f.Key, f.ModTime
			}
		}
		if name == "" {
			return rep, errors.New("バックアップがありません (no backup found)")
		}
	}
	attrs, err := fsys.Attributes(name)
	if err != nil {
		return rep, fmt.Errorf("バックアップ %q が見つかりません: %w", name, err)
	}
	rep.Name, rep.Size, rep.Created = name, attrs.Size, attrs.ModTime

	tmp, err := os.MkdirTemp(opts.TempDir, "lifestage_restore_test_*")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)

	// Copy the zip out of the backups storage (it may be S3), then unzip.
	zipPath := filepath.Join(tmp, "backup.zip")
	if err := download(func(n string) (io.ReadCloser, error) { return fsys.GetReader(n) }, name, zipPath); err != nil {
		return rep, fmt.Errorf("バックアップを取得できません: %w", err)
	}
	dataDir := filepath.Join(tmp, "pb_data")
	if err := archive.Extract(zipPath, dataDir); err != nil {
		return rep, fmt.Errorf("バックアップを展開できません: %w", err)
	}
	_ = os.Remove(zipPath)

	problem := func(format string, a ...any) { rep.Problems = append(rep.Problems, fmt.Sprintf(format, a...)) }

	// SQLite's own check, on the files as restored (before any migration).
	rep.Integrity = map[string]string{}
	for _, db := range []string{"data.db", "auxiliary.db"} {
		res := integrityCheck(filepath.Join(dataDir, db))
		rep.Integrity[db] = res
		if res != "ok" {
			problem("%s の整合性チェックに失敗 (integrity check failed): %s", db, res)
		}
	}

	if raw, err := os.ReadFile(filepath.Join(dataDir, backup.HeadFile)); err != nil {
		problem("%s がバックアップにありません (audit head not recorded)", backup.HeadFile)
	} else if h, err := backup.ParseHead(raw); err != nil {
		problem("%v", err)
	} else {
		rep.Recorded = &h
	}
	rep.Files, rep.FileBytes = countFiles(filepath.Join(dataDir, "storage"))

	restored := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir, EncryptionEnv: app.EncryptionEnv()})
	if err := restored.Bootstrap(); err != nil {
		problem("復元したデータを開けません (bootstrap): %v", err)
		return rep, fmt.Errorf("%w: %s", ErrRestoreTestFailed, strings.Join(rep.Problems, "; "))
	}
	defer restored.ClearBootstrap()
	if err := restored.RunAllMigrations(); err != nil {
		problem("マイグレーションに失敗 (migrations): %v", err)
	} else {
		checkRestored(restored, &rep, problem)
	}
	if opts.Inspect != nil {
		if err := opts.Inspect(restored); err != nil {
			problem("%v", err)
		}
	}
	if !rep.OK() {
		return rep, fmt.Errorf("%w: %s", ErrRestoreTestFailed, strings.Join(rep.Problems, "; "))
	}
	return rep, nil
}

func checkRestored(restored core.App, rep *RestoreReport, problem func(string, ...any)) {
	res, err := auditlog.Verify(restored)
	rep.Audit = res
	switch {
	case err != nil:
		problem("監査ログを検証できません (audit verify): %v", err)
	case !res.OK:
		problem("監査ログの連鎖が壊れています (audit chain broken) at %s: %s", res.BrokenID, res.Reason)
	}
	if rep.Recorded != nil {
		rep.HeadOK = rep.Recorded.Seq == 0
		if rep.Recorded.Seq > 0 {
			var hash string
			err := restored.DB().NewQuery("SELECT hash FROM " + auditlog.Collection + " WHERE seq = {:s} LIMIT 1").
				Bind(dbx.Params{"s": rep.Recorded.Seq}).Row(&hash)
			rep.HeadOK = err == nil && hash == rep.Recorded.Hash
			if !rep.HeadOK {
				problem("記録された監査ログの先頭 (seq %d) が復元データにありません (recorded audit head not in the restored chain)", rep.Recorded.Seq)
			}
		}
	}
	for _, s := range collections.All() {
		n, err := restored.CountRecords(s.Name)
		if err != nil {
			problem("%s の件数を数えられません: %v", s.Name, err)
			continue
		}
		rep.Counts = append(rep.Counts, CollectionCount{s.Name, n})
	}
}

func download(open func(string) (io.ReadCloser, error), name, dst string) error {
	r, err := open(name)
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// integrityCheck runs PRAGMA integrity_check on a database file on its own
// connection, and returns "ok" or the first problem.
func integrityCheck(path string) string {
	if _, err := os.Stat(path); err != nil {
		return "missing"
	}
	db, err := core.DefaultDBConnect(path)
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	var rows []string
	if err := db.NewQuery("PRAGMA integrity_check").Column(&rows); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "no result"
		}
		return err.Error()
	}
	if len(rows) == 1 && rows[0] == "ok" {
		return "ok"
	}
	if len(rows) == 0 {
		return "no result"
	}
	return rows[0]
}

func countFiles(dir string) (int, int64) {
	var n int
	var size int64
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n++
			size += info.Size()
		}
		return nil
	})
	return n, size
}

// Print writes the report in Japanese and English.
func (r RestoreReport) Print(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	p("バックアップ復元テスト / Backup restore test")
	p("  バックアップ / backup:        %s", r.Name)
	p("  サイズ / size:                %s (%d bytes)", humanBytes(r.Size), r.Size)
	p("  作成日時 / created:           %s", r.Created.In(civil.Tokyo).Format("2006-01-02 15:04:05 MST"))
	var integ []string
	for _, db := range []string{"data.db", "auxiliary.db"} {
		if v, ok := r.Integrity[db]; ok {
			integ = append(integ, db+" "+v)
		}
	}
	p("  整合性 / integrity:           %s", strings.Join(integ, ", "))
	p("  監査ログ / audit chain:       %s, %d 件 / entries, head seq %d", okNG(r.Audit.OK), r.Audit.Entries, r.Audit.Head.Seq)
	if r.Recorded != nil {
		p("  記録された先頭 / recorded head: seq %d (%s) %s", r.Recorded.Seq, r.Recorded.At, map[bool]string{true: "一致 / found in chain", false: "不一致 / NOT found"}[r.HeadOK])
	} else {
		p("  記録された先頭 / recorded head: なし / missing")
	}
	p("  添付ファイル / stored files:  %d 件 / files, %s", r.Files, humanBytes(r.FileBytes))
	p("  件数 / records:")
	for _, c := range r.Counts {
		p("    %-28s %d", c.Name, c.Count)
	}
	if r.OK() {
		p("結果 / result: OK（復元できることを確認しました / the backup restores）")
		return
	}
	p("結果 / result: NG")
	for _, pr := range r.Problems {
		p("  - %s", pr)
	}
}

func okNG(ok bool) string {
	if ok {
		return "OK"
	}
	return "NG"
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
