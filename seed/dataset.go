package seed

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Dataset kinds recorded in the data dir.
const (
	KindDemo      = "demo"      // built by `lifestage demo`
	KindSynthetic = "synthetic" // built by `lifestage seed`
)

// datasetParam is the _params row that records how a data dir was filled.
const datasetParam = "lifestage.dataset"

// Kind returns the dataset kind recorded in the data dir, or "" when none is.
func Kind(app core.App) (string, error) {
	var value string
	err := app.DB().Select("value").From("_params").Where(dbx.HashExp{"id": datasetParam}).Row(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return value, err
}

func setKind(app core.App, kind string) error {
	_, err := app.DB().NewQuery(
		"INSERT INTO _params (id, value, created, updated) VALUES ({:id}, {:v}, strftime('%Y-%m-%d %H:%M:%fZ'), strftime('%Y-%m-%d %H:%M:%fZ')) " +
			"ON CONFLICT(id) DO UPDATE SET value = excluded.value, updated = excluded.updated",
	).Bind(dbx.Params{"id": datasetParam, "v": kind}).Execute()
	return err
}

// peopleCollections are checked to decide whether a data dir already holds
// people; reference data (areas, facilities) alone does not count.
var peopleCollections = []string{"users", "city_staff", "nursery_staff", "medical_staff", "volunteers", "households", "residents", "children"}

// HasPeople reports whether any person-bearing collection has a record.
func HasPeople(app core.App) (bool, error) {
	for _, name := range peopleCollections {
		n, err := app.CountRecords(name)
		if err != nil {
			return false, fmt.Errorf("count %s: %w", name, err)
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// MarkSynthetic records that the data dir holds a generated city.
func MarkSynthetic(app core.App) error { return setKind(app, KindSynthetic) }
