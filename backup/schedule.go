// Package backup holds lifestage's backup policy (spec §5(6)オ, 別紙1 1(3)):
// a daily backup in the night, never between 06:00 and 24:00 Japan time, and
// at least 14 generations kept. It is plain Go; hooks and commands apply it
// to PocketBase.
package backup

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Defaults written by the migration.
const (
	DefaultCron = "0 3 * * *" // 03:00 in Tokyo (the cron runs in Tokyo time)
	DefaultKeep = 14
	MinKeep     = 14
	// WindowEndHour is the first hour in which a backup must not start:
	// backups run from 00:00 to 05:59 only.
	WindowEndHour = 6
)

// Schedule is a parsed 5-field cron expression. It follows PocketBase's
// parser (tools/cron) exactly, so an expression accepted here is accepted by
// the scheduler that runs it; each field is the set of matching values.
type Schedule struct {
	Minutes, Hours, Days, Months, Weekdays uint64
	expr                                   string
}

var macros = map[string]string{
	"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
	"@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}

// ParseCron reads a cron expression: a macro or five fields separated by
// single spaces (minute, hour, day of month, month, day of week).
func ParseCron(expr string) (Schedule, error) {
	s := Schedule{expr: expr}
	if m, ok := macros[expr]; ok {
		expr = m
	}
	parts := strings.Split(expr, " ")
	if len(parts) != 5 {
		return s, errors.New("cron式は「分 時 日 月 曜日」の5項目を半角スペース1つで区切ってください")
	}
	bounds := [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}
	names := [5]string{"分", "時", "日", "月", "曜日"}
	sets := [5]*uint64{&s.Minutes, &s.Hours, &s.Days, &s.Months, &s.Weekdays}
	for i, p := range parts {
		set, err := parseField(p, bounds[i][0], bounds[i][1])
		if err != nil {
			return s, fmt.Errorf("cron式の%sの項目 %q が不正です: %w", names[i], p, err)
		}
		*sets[i] = set
	}
	return s, nil
}

// parseField mirrors PocketBase's parseCronSegment: lists of "*", "n",
// "a-b", "*/n" and "a-b/n"; a step needs a wildcard or a range.
func parseField(field string, min, max int) (uint64, error) {
	var set uint64
	for _, item := range strings.Split(field, ",") {
		stepParts := strings.Split(item, "/")
		step := 1
		switch len(stepParts) {
		case 1:
		case 2:
			n, err := strconv.Atoi(stepParts[1])
			if err != nil {
				return 0, err
			}
			if n < 1 || n > max {
				return 0, fmt.Errorf("間隔は1〜%dです", max)
			}
			step = n
		default:
			return 0, errors.New("間隔は */n または a-b/n の形式です")
		}
		lo, hi := min, max
		if stepParts[0] != "*" {
			r := strings.Split(stepParts[0], "-")
			switch len(r) {
			case 1:
				if step != 1 {
					return 0, errors.New("間隔は * か範囲と一緒にしか使えません")
				}
				n, err := strconv.Atoi(r[0])
				if err != nil {
					return 0, err
				}
				if n < min || n > max {
					return 0, fmt.Errorf("値は%d〜%dです", min, max)
				}
				lo, hi = n, n
			case 2:
				a, err := strconv.Atoi(r[0])
				if err != nil {
					return 0, err
				}
				b, err := strconv.Atoi(r[1])
				if err != nil {
					return 0, err
				}
				if a < min || a > max || b < a || b > max {
					return 0, fmt.Errorf("範囲は%d〜%dの中で小さい方から書きます", min, max)
				}
				lo, hi = a, b
			default:
				return 0, errors.New("範囲は a-b の形式です")
			}
		}
		for v := lo; v <= hi; v += step {
			set |= 1 << v
		}
	}
	return set, nil
}

func full(min, max int) uint64 { return (1<<(max+1) - 1) &^ (1<<min - 1) }

// Daily reports whether the schedule fires on every day of the year.
// PocketBase requires day of month, month and weekday all to match, so all
// three must be wildcards (or spell one out).
func (s Schedule) Daily() bool {
	return s.Days == full(1, 31) && s.Months == full(1, 12) && s.Weekdays == full(0, 6)
}

// InNightWindow reports whether every firing is between 00:00 and 05:59.
func (s Schedule) InNightWindow() bool { return s.Hours&^full(0, WindowEndHour-1) == 0 }

// Due reports whether the schedule fires in the minute of t, read in t's
// location (the scheduler reads it in Tokyo).
func (s Schedule) Due(t time.Time) bool {
	return s.Minutes&(1<<t.Minute()) != 0 && s.Hours&(1<<t.Hour()) != 0 && s.Days&(1<<t.Day()) != 0 &&
		s.Months&(1<<int(t.Month())) != 0 && s.Weekdays&(1<<int(t.Weekday())) != 0
}

// Prev returns the latest firing at or before now, read in loc, looking back
// at most two days.
func (s Schedule) Prev(now time.Time, loc *time.Location) (time.Time, bool) {
	t := now.In(loc).Truncate(time.Minute)
	for i := 0; i < 2*24*60; i++ {
		if s.Due(t) {
			return t, true
		}
		t = t.Add(-time.Minute)
	}
	return time.Time{}, false
}

// String returns the expression as written.
func (s Schedule) String() string { return s.expr }

// ValidateSchedule checks a backup schedule: valid, every day, and only
// between 00:00 and 05:59 (Tokyo).
func ValidateSchedule(expr string) error {
	s, err := ParseCron(expr)
	if err != nil {
		return err
	}
	if !s.Daily() {
		return fmt.Errorf("バックアップは毎日実行してください（日・月・曜日は * にします）: %q", expr)
	}
	if !s.InNightWindow() {
		return fmt.Errorf("バックアップは0時〜5時台（日本時間）にだけ実行できます。6時〜24時には実行しません: %q", expr)
	}
	return nil
}

// ValidateKeep checks how many automatic backups are kept.
func ValidateKeep(n int) error {
	if n < MinKeep {
		return fmt.Errorf("バックアップは%d世代以上保持してください（指定: %d）", MinKeep, n)
	}
	return nil
}

// ParseKeep reads and checks a generation count.
func ParseKeep(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("保持世代数は整数で指定してください: %q", s)
	}
	return n, ValidateKeep(n)
}

// Missed reports whether the newest backup is older than the last scheduled
// run. grace leaves the run time to finish; a run scheduled before
// runningSince (the scheduler was not up) is not counted as missed.
func Missed(s Schedule, newest, runningSince, now time.Time, grace time.Duration, loc *time.Location) (bool, time.Time) {
	due, ok := s.Prev(now.Add(-grace), loc)
	if !ok || due.Before(runningSince) {
		return false, due
	}
	return newest.Before(due), due
}
