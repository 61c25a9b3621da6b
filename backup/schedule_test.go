package backup_test

import (
	"strings"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/backup"
)

func TestValidateSchedule(t *testing.T) {
	cases := []struct {
		expr string
		ok   bool
	}{
		{backup.DefaultCron, true},
		{"0 3 * * *", true},
		{"30 2 * * *", true},
		{"59 5 * * *", true},        // the last allowed minute
		{"0 0 * * *", true},         // midnight belongs to the night window
		{"@daily", true},            // = 0 0 * * *
		{"@midnight", true},         // = 0 0 * * *
		{"0 1,4 * * *", true},       // twice a night
		{"15 0-5 * * *", true},      // every night hour
		{"*/30 2-3 * * *", true},    // a step inside the window
		{"0 1 1-31 1-12 0-6", true}, // daily, spelled out
		{"0 */2 * * *", false},
		{"0 0-5/2 * * *", true},

		{"0 7 * * *", false},    // daytime
		{"0 6 * * *", false},    // 06:00 is already forbidden
		{"*/30 * * * *", false}, // all day
		{"0 * * * *", false},    // hourly
		{"@hourly", false},
		{"0 3,12 * * *", false}, // one run at noon is enough to refuse
		{"0 3-6 * * *", false},
		{"0 23 * * *", false},
		{"0 3 * * 0", false}, // weekly is not daily
		{"@weekly", false},
		{"@monthly", false},
		{"0 3 1 * *", false},
		{"0 3 * 1-6 *", false},

		{"", false},
		{"0 3 * *", false},     // four fields
		{"0  3 * * *", false},  // PocketBase splits on single spaces
		{"0 24 * * *", false},  // out of range
		{"60 3 * * *", false},  // out of range
		{"0 5-3 * * *", false}, // reversed range
		{"0 3/2 * * *", false}, // step on a single value
		{"*/0 3 * * *", false},
		{"x 3 * * *", false},
		{"TZ=UTC 0 3 * * *", false},
	}
	for _, c := range cases {
		err := backup.ValidateSchedule(c.expr)
		if (err == nil) != c.ok {
			t.Errorf("ValidateSchedule(%q) = %v, want ok=%t", c.expr, err, c.ok)
		}
	}
}

func TestValidateKeep(t *testing.T) {
	cases := []struct {
		raw string
		n   int
		ok  bool
	}{
		{"14", 14, true},
		{" 30 ", 30, true},
		{"365", 365, true},
		{"13", 13, false},
		{"0", 0, false}, // PocketBase reads 0 as "keep all", but the spec wants a count
		{"-1", -1, false},
		{"abc", 0, false},
		{"14.5", 0, false},
	}
	for _, c := range cases {
		n, err := backup.ParseKeep(c.raw)
		if (err == nil) != c.ok || (c.ok && n != c.n) {
			t.Errorf("ParseKeep(%q) = %d, %v; want %d ok=%t", c.raw, n, err, c.n, c.ok)
		}
	}
	if backup.DefaultKeep < backup.MinKeep || backup.MinKeep < 14 {
		t.Errorf("default keep %d / minimum %d below the spec's 14 generations", backup.DefaultKeep, backup.MinKeep)
	}
	if backup.ValidateSchedule(backup.DefaultCron) != nil {
		t.Error("the default schedule must pass its own policy")
	}
}

func TestFromEnv(t *testing.T) {
	full := map[string]string{
		backup.EnvCron: "30 2 * * *", backup.EnvKeep: "30",
		backup.EnvS3Endpoint: "https://s3.example.jp", backup.EnvS3Bucket: "lifestage-backups",
		backup.EnvS3Region: "ap-northeast-1", backup.EnvS3AccessKey: "AKIA", backup.EnvS3Secret: "s3cr3t-value",
		backup.EnvS3ForcePathStyle: "true",
	}
	with := func(over map[string]string) func(string) string {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		for k, v := range over {
			m[k] = v
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		name    string
		over    map[string]string
		cron    string
		keep    int
		s3      bool
		wantErr string
	}{
		{"all set", nil, "30 2 * * *", 30, true, ""},
		{"nothing set", map[string]string{backup.EnvCron: "", backup.EnvKeep: "", backup.EnvS3Endpoint: "", backup.EnvS3Bucket: "",
			backup.EnvS3Region: "", backup.EnvS3AccessKey: "", backup.EnvS3Secret: "", backup.EnvS3ForcePathStyle: ""}, "", 0, false, ""},
		{"daytime cron refused, rest kept", map[string]string{backup.EnvCron: "0 7 * * *"}, "", 30, true, backup.EnvCron},
		{"small keep refused", map[string]string{backup.EnvKeep: "7"}, "30 2 * * *", 0, true, backup.EnvKeep},
		{"S3 without secret refused", map[string]string{backup.EnvS3Secret: ""}, "30 2 * * *", 30, false, backup.EnvS3Secret},
		{"bad path style refused", map[string]string{backup.EnvS3ForcePathStyle: "maybe"}, "30 2 * * *", 30, false, backup.EnvS3ForcePathStyle},
	}
	for _, c := range cases {
		env, err := backup.FromEnv(with(c.over))
		if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t-value") {
			t.Errorf("%s: the error shows the secret", c.name)
		}
		if env.Cron != c.cron || env.Keep != c.keep || (env.S3 != nil) != c.s3 {
			t.Errorf("%s: got cron %q keep %d s3 %v", c.name, env.Cron, env.Keep, env.S3)
		}
	}
	env, _ := backup.FromEnv(with(nil))
	if !env.S3.ForcePathStyle || env.S3.Secret != "s3cr3t-value" {
		t.Errorf("S3 not read: %+v", env.S3)
	}
	if strings.Contains(env.S3.String(), "s3cr3t") || strings.Contains(env.S3.String(), "AKIA") {
		t.Error("S3 String must not show credentials")
	}
}

func TestMissed(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, tokyo)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	s, err := backup.ParseCron(backup.DefaultCron)
	if err != nil {
		t.Fatal(err)
	}
	const grace = 30 * time.Minute
	cases := []struct {
		name           string
		newest, since  string
		now            string
		missed         bool
		dueIsTodayAt03 bool
	}{
		{"made tonight", "2026-04-10 03:00", "2026-04-01 12:00", "2026-04-10 06:30", false, true},
		{"only yesterday's", "2026-04-09 03:01", "2026-04-01 12:00", "2026-04-10 06:30", true, true},
		{"none at all", "0001-01-01 00:00", "2026-04-01 12:00", "2026-04-10 06:30", true, true},
		{"started after tonight's run", "0001-01-01 00:00", "2026-04-10 04:00", "2026-04-10 06:30", false, true},
		{"still inside the grace", "2026-04-09 03:01", "2026-04-01 12:00", "2026-04-10 03:10", false, false},
		{"manual backup after the run counts", "2026-04-10 05:00", "2026-04-01 12:00", "2026-04-10 06:30", false, true},
	}
	for _, c := range cases {
		newest := time.Time{}
		if !strings.HasPrefix(c.newest, "0001") {
			newest = at(c.newest)
		}
		missed, due := backup.Missed(s, newest, at(c.since), at(c.now), grace, tokyo)
		if missed != c.missed {
			t.Errorf("%s: missed=%t, want %t (due %s)", c.name, missed, c.missed, due)
		}
		if c.dueIsTodayAt03 && !due.Equal(at("2026-04-10 03:00")) {
			t.Errorf("%s: due %s, want 2026-04-10 03:00 JST", c.name, due)
		}
	}
}

func TestDueIsReadInTheGivenZone(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	s, _ := backup.ParseCron(backup.DefaultCron)
	// 03:00 in Tokyo is 18:00 UTC the day before.
	utc := time.Date(2026, 4, 9, 18, 0, 0, 0, time.UTC)
	if !s.Due(utc.In(tokyo)) {
		t.Error("0 3 * * * must fire at 18:00 UTC when read in Tokyo")
	}
	if s.Due(utc) {
		t.Error("read in UTC, 18:00 is not 03:00")
	}
}

func TestParseHead(t *testing.T) {
	h, err := backup.ParseHead([]byte(`{"seq":12,"hash":"abc","at":"2026-04-10T03:00:00+09:00"}`))
	if err != nil || h.Seq != 12 || h.Hash != "abc" {
		t.Fatalf("got %+v %v", h, err)
	}
	for _, bad := range []string{`{`, `{"seq":-1}`, `{"seq":3,"hash":""}`} {
		if _, err := backup.ParseHead([]byte(bad)); err == nil {
			t.Errorf("ParseHead(%s) must fail", bad)
		}
	}
}
