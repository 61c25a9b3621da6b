package backup

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Environment variables that override the stored backup settings at start.
const (
	EnvCron             = "LIFESTAGE_BACKUP_CRON"
	EnvKeep             = "LIFESTAGE_BACKUP_KEEP"
	EnvS3Endpoint       = "LIFESTAGE_BACKUP_S3_ENDPOINT"
	EnvS3Bucket         = "LIFESTAGE_BACKUP_S3_BUCKET"
	EnvS3Region         = "LIFESTAGE_BACKUP_S3_REGION"
	EnvS3AccessKey      = "LIFESTAGE_BACKUP_S3_ACCESS_KEY"
	EnvS3Secret         = "LIFESTAGE_BACKUP_S3_SECRET"
	EnvS3ForcePathStyle = "LIFESTAGE_BACKUP_S3_FORCE_PATH_STYLE"
)

// S3 is an S3-compatible target for the backup files.
type S3 struct {
	Endpoint, Bucket, Region, AccessKey, Secret string
	ForcePathStyle                              bool
}

// String never shows the secret.
func (s S3) String() string {
	return fmt.Sprintf("endpoint=%s bucket=%s region=%s forcePathStyle=%t", s.Endpoint, s.Bucket, s.Region, s.ForcePathStyle)
}

// Env is what the environment asks for; empty fields keep the stored value.
type Env struct {
	Cron string
	Keep int // 0 = not set
	S3   *S3 // nil = not set
}

// FromEnv reads the overrides. An invalid value is left out and reported in
// the error, so the caller can keep the defaults for it and say why.
func FromEnv(getenv func(string) string) (Env, error) {
	var env Env
	var errs []error
	if v := strings.TrimSpace(getenv(EnvCron)); v != "" {
		if err := ValidateSchedule(v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", EnvCron, err))
		} else {
			env.Cron = v
		}
	}
	if v := getenv(EnvKeep); strings.TrimSpace(v) != "" {
		if n, err := ParseKeep(v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", EnvKeep, err))
		} else {
			env.Keep = n
		}
	}
	s3 := S3{
		Endpoint: strings.TrimSpace(getenv(EnvS3Endpoint)), Bucket: strings.TrimSpace(getenv(EnvS3Bucket)),
		Region: strings.TrimSpace(getenv(EnvS3Region)), AccessKey: strings.TrimSpace(getenv(EnvS3AccessKey)),
		Secret: getenv(EnvS3Secret),
	}
	rawPathStyle := strings.TrimSpace(getenv(EnvS3ForcePathStyle))
	if s3 != (S3{}) || rawPathStyle != "" {
		var missing []string
		for _, f := range []struct{ name, v string }{
			{EnvS3Endpoint, s3.Endpoint}, {EnvS3Bucket, s3.Bucket}, {EnvS3Region, s3.Region},
			{EnvS3AccessKey, s3.AccessKey}, {EnvS3Secret, s3.Secret},
		} {
			if f.v == "" {
				missing = append(missing, f.name)
			}
		}
		ok := true
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("S3への保存には %s も必要です", strings.Join(missing, ", ")))
			ok = false
		}
		if rawPathStyle != "" {
			b, err := strconv.ParseBool(rawPathStyle)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s は true か false です: %q", EnvS3ForcePathStyle, rawPathStyle))
				ok = false
			}
			s3.ForcePathStyle = b
		}
		if ok {
			env.S3 = &s3
		}
	}
	return env, errors.Join(errs...)
}
