package collections

import (
	"errors"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
)

// IsUniqueViolation reports whether saving failed on one of the UNIQUE
// indexes declared here: PocketBase reports the ones it checks itself as a
// validation_not_unique field error, and SQLite the rest (partial indexes,
// a concurrent insert that won the race) as a constraint failure.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var verr validation.Errors
	if errors.As(err, &verr) {
		for _, e := range verr {
			var ve validation.Error
			if errors.As(e, &ve) && ve.Code() == "validation_not_unique" {
				return true
			}
		}
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
