package commands_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/reports"
	"github.com/saijo-dx/lifestage/seed"
	"github.com/saijo-dx/lifestage/testutil"
)

// secrets that must never reach an export file.
var secretColumns = []string{"password", "tokenKey", "codeHash", "reason"}

const planted = "plantedsecretcodehash0123456789"

// exportCity is a small migrated, seeded city with the demo accounts (so
// every kind of account, a family share and notifications exist) and an open
// invitation whose code hash must stay inside.
func exportCity(t *testing.T) core.App {
	t.Helper()
	app := testutil.NewMigratedApp(t)
	if _, err := commands.SeedCity(app, 200, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.CreateDemo(app, civil.Today()); err != nil {
		t.Fatal(err)
	}
	child, err := app.FindFirstRecordByFilter("children", "guardians != '[]'")
	if err != nil {
		t.Fatal(err)
	}
	col, _ := app.FindCollectionByNameOrId("family_shares")
	share := core.NewRecord(col)
	share.Set("child", child.Id)
	share.Set("grantedBy", child.GetStringSlice("guardians")[0])
	share.Set("scope", "view")
	share.Set("status", "pending")
	share.Set("codeHash", planted)
	if err := app.Save(share); err != nil {
		t.Fatal(err)
	}
	return app
}

func runExport(t *testing.T, app core.App, args ...string) (string, error) {
	t.Helper()
	cmd := commands.NewExportCommand(app)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func readCSV(t *testing.T, path string, sjis bool) (string, [][]string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sjis {
		if raw, err = japanese.ShiftJIS.NewDecoder().Bytes(raw); err != nil {
			t.Fatal(err)
		}
	} else {
		if !bytes.HasPrefix(raw, []byte("\uFEFF")) {
			t.Fatalf("%s has no BOM", path)
		}
		raw = raw[3:]
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return string(raw), rows
}

func checkPrivate(t *testing.T, dir string) {
	t.Helper()
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
		raw, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if bytes.Contains(raw, []byte(planted)) || bytes.Contains(raw, []byte("$2a$")) {
			t.Errorf("%s holds a secret", e.Name())
		}
	}
}

func checkHeader(t *testing.T, s collections.Spec, header []string) {
	t.Helper()
	for _, secret := range secretColumns {
		if slices.Contains(header, secret) {
			t.Errorf("%s exports %s", s.Name, secret)
		}
	}
	want := []string{"id", "created", "updated"}
	if s.Auth {
		want = append(want, "email", "emailVisibility", "verified")
	}
	for _, f := range s.Fields {
		if !f.GetHidden() {
			want = append(want, f.GetName())
		}
	}
	for _, w := range want {
		if !slices.Contains(header, w) {
			t.Errorf("%s lacks column %s (header %v)", s.Name, w, header)
		}
	}
}

// checkDictionary reads the 項目説明書 table (after its preamble) and finds
// every field of every spec in it, hidden ones marked as not exported.
func checkDictionary(t *testing.T, rows [][]string) {
	t.Helper()
	if !strings.Contains(rows[1][0], "個人情報") || !strings.Contains(rows[1][0], "別紙2") {
		t.Errorf("the dictionary must open with the personal-data notice, got %q", rows[1][0])
	}
	start := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "コレクション" })
	if start < 0 {
		t.Fatal("no dictionary header")
	}
	head := rows[start]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("dictionary has no column %s", name)
		}
		return i
	}
	cCol, cField, cHelp, cOut := col("コレクション"), col("項目"), col("説明"), col("出力")
	got := map[string][]string{}
	for _, r := range rows[start+1:] {
		got[r[cCol]+"."+r[cField]] = r
	}
	for _, s := range collections.All() {
		for _, f := range s.Fields {
			r, ok := got[s.Name+"."+f.GetName()]
			if !ok {
				t.Errorf("dictionary lacks %s.%s", s.Name, f.GetName())
				continue
			}
			if r[cHelp] == "" {
				t.Errorf("%s.%s has no description", s.Name, f.GetName())
			}
			if f.GetHidden() != strings.HasPrefix(r[cOut], "×") {
				t.Errorf("%s.%s: hidden=%v but 出力=%q", s.Name, f.GetName(), f.GetHidden(), r[cOut])
			}
		}
		for _, f := range []string{"id", "created", "updated"} {
			if _, ok := got[s.Name+"."+f]; !ok {
				t.Errorf("dictionary lacks %s.%s", s.Name, f)
			}
		}
		if s.Auth {
			if r := got[s.Name+".password"]; r == nil || !strings.HasPrefix(r[cOut], "×") {
				t.Errorf("%s.password must be listed as not exported", s.Name)
			}
		}
	}
}

func countAll(t *testing.T, app core.App) map[string]int64 {
	t.Helper()
	counts := map[string]int64{}
	for _, s := range collections.All() {
		n, err := app.CountRecords(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		counts[s.Name] = n
	}
	return counts
}

func TestExportCSV(t *testing.T) {
	app := exportCity(t)
	base := t.TempDir()
	utf8Dir, sjisDir := filepath.Join(base, "utf8"), filepath.Join(base, "sjis")

	counts := countAll(t, app) // before the exports add their audit entries
	out, err := runExport(t, app, "--format", "csv", "--out", utf8Dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runExport(t, app, "--format", "csv", "--encoding", "sjis", "--out", sjisDir); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, utf8Dir)
	checkPrivate(t, sjisDir)

	for _, s := range collections.All() {
		n := counts[s.Name]
		if !strings.Contains(out, s.Name) || !strings.Contains(out, strconv.FormatInt(n, 10)+" rows") {
			t.Errorf("no summary line for %s (%d rows) in\n%s", s.Name, n, out)
		}
		text, rows := readCSV(t, filepath.Join(utf8Dir, s.Name+".csv"), false)
		checkHeader(t, s, rows[0])
		if got := int64(len(rows) - 1); got != n {
			t.Errorf("%s: %d rows exported, %d in the database", s.Name, got, n)
		}
		sjisText, _ := readCSV(t, filepath.Join(sjisDir, s.Name+".csv"), true)
		// The first export's audit entries are in the second one's audit_log.
		if s.Name != "audit_log" && sjisText != reports.ShiftJISForm(text) {
			t.Errorf("%s: the Shift_JIS file decodes to other text", s.Name)
		}
	}
	// Small pages give the same files as one page: nothing lost or repeated
	// at page boundaries.
	pagedDir := filepath.Join(base, "paged")
	if _, err := reports.Export(app, reports.ExportOptions{
		Format: reports.FormatCSV, Dir: pagedDir, BatchSize: 7,
		Decrypt: func(r *core.Record, f string) (string, error) { return hooks.DecryptField(app, r, f) },
	}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"residents", "households", "children", "users"} {
		a, rows := readCSV(t, filepath.Join(utf8Dir, name+".csv"), false)
		b, _ := readCSV(t, filepath.Join(pagedDir, name+".csv"), false)
		if a != b || len(rows) < 15 {
			t.Errorf("%s: paged export differs (%d rows)", name, len(rows))
		}
	}

	_, dict := readCSV(t, filepath.Join(utf8Dir, reports.DictionaryFile), false)
	checkDictionary(t, dict)
	_, sjisDict := readCSV(t, filepath.Join(sjisDir, reports.DictionaryFile), true)
	checkDictionary(t, sjisDict)
	if !slices.EqualFunc(dict[5:], sjisDict[5:], func(a, b []string) bool {
		return slices.Equal(a, b) || reports.ShiftJISForm(strings.Join(a, "\x00")) == strings.Join(b, "\x00")
	}) {
		t.Error("the Shift_JIS dictionary differs")
	}
	_, list := readCSV(t, filepath.Join(utf8Dir, reports.CollectionsFile), false)
	listed := map[string]bool{}
	for _, row := range list {
		if len(row) > 0 {
			listed[row[0]] = true
		}
	}
	for _, s := range collections.All() {
		if !listed[s.Name] {
			t.Errorf("collection list lacks %s", s.Name)
		}
	}

	// A used directory is refused rather than mixed into.
	if _, err := runExport(t, app, "--format", "csv", "--out", utf8Dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("export into a used dir: %v", err)
	}
	for _, bad := range [][]string{
		{"--format", "pdf", "--out", filepath.Join(base, "x")},
		{"--format", "csv", "--encoding", "euc", "--out", filepath.Join(base, "y")},
		{"--format", "csv"},
	} {
		if _, err := runExport(t, app, bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestExportShiftJISNamesTheCollection(t *testing.T) {
	app := testutil.NewMigratedApp(t)
	col, _ := app.FindCollectionByNameOrId("areas")
	a := core.NewRecord(col)
	a.Set("code", "emoji")
	a.Set("name", "地区 🙂")
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	_, err := runExport(t, app, "--format", "csv", "--encoding", "sjis", "--out", dir)
	if err == nil || !strings.Contains(err.Error(), "areas") || !strings.Contains(err.Error(), "Shift_JIS") {
		t.Fatalf("got %v, want an error naming areas", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed export must leave no files, found %d", len(entries))
	}
}

func TestExportXLSX(t *testing.T) {
	app := exportCity(t)
	dir := filepath.Join(t.TempDir(), "xlsx")
	counts := countAll(t, app)
	if _, err := runExport(t, app, "--format", "xlsx", "--out", dir); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, dir)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("want only the workbook in the dir, got %d entries", len(entries))
	}
	f, err := excelize.OpenFile(filepath.Join(dir, reports.WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheets[0] != reports.DictionarySheet || sheets[1] != reports.CollectionsSheet {
		t.Errorf("sheets start with %v", sheets[:2])
	}
	for _, s := range collections.All() {
		if !slices.Contains(sheets, s.Name) {
			t.Errorf("no sheet %s", s.Name)
			continue
		}
		rows, err := f.GetRows(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		checkHeader(t, s, rows[0])
		n := counts[s.Name]
		if got := int64(len(rows) - 1); got != n {
			t.Errorf("%s: %d rows exported, %d in the database", s.Name, got, n)
		}
	}
	dict, err := f.GetRows(reports.DictionarySheet)
	if err != nil {
		t.Fatal(err)
	}
	checkDictionary(t, dict)
}

// TestExportDecryptsAndIsAudited: fields stored encrypted are handed over
// as clear text (the receiving system has no key), and each collection's
// export is written to the audit log.
func TestExportDecryptsAndIsAudited(t *testing.T) {
	t.Setenv(hooks.FieldKeyEnv, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	app := testutil.NewMigratedApp(t)
	hooks.Register(app)
	col, _ := app.FindCollectionByNameOrId("notifications")
	n := core.NewRecord(col)
	n.Set("recipient", "abcdefghijklmno")
	n.Set("recipientCollection", "users")
	n.Set("kind", "test.kind")
	n.Set("title", "件名")
	n.Set("body", "本文は暗号化されて保存される")
	n.Set("reason", "test")
	n.Set("day", "2026-04-01")
	if err := app.Save(n); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := app.DB().NewQuery("SELECT body FROM notifications WHERE id = {:id}").Bind(dbx.Params{"id": n.Id}).Row(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "enc:") {
		t.Fatalf("the body is not stored encrypted: %q", stored)
	}

	// Without a way to decrypt, the export refuses instead of writing ciphertext.
	_, err := reports.Export(app, reports.ExportOptions{Format: reports.FormatCSV, Dir: filepath.Join(t.TempDir(), "raw")})
	if err == nil || !strings.Contains(err.Error(), "notifications.body") {
		t.Fatalf("export without decryption: %v", err)
	}

	before, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "export"})
	for _, format := range []string{"csv", "xlsx"} {
		dir := filepath.Join(t.TempDir(), format)
		if _, err := runExport(t, app, "--format", format, "--out", dir); err != nil {
			t.Fatal(err)
		}
		var text string
		if format == "csv" {
			text, _ = readCSV(t, filepath.Join(dir, "notifications.csv"), false)
		} else {
			f, err := excelize.OpenFile(filepath.Join(dir, reports.WorkbookFile))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("notifications")
			f.Close()
			for _, r := range rows {
				text += strings.Join(r, ",") + "\n"
			}
		}
		if !strings.Contains(text, "本文は暗号化されて保存される") || strings.Contains(text, "enc:") {
			t.Errorf("%s: the body is not handed over as clear text:\n%s", format, text)
		}
	}
	after, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "export"})
	if got := after - before; got != int64(2*len(collections.All())) {
		t.Errorf("%d export entries in the audit log, want one per collection and export (%d)", got, 2*len(collections.All()))
	}
}
