// Package commands holds lifestage's own CLI commands (seed, demo); main adds
// them to PocketBase's root command next to serve, migrate and superuser.
package commands

import (
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/seed"
	"github.com/saijo-dx/lifestage/synth"
)

// DefaultResidents is the size of the city `seed` builds by default.
const DefaultResidents = 2000

// NewSeedCommand builds `lifestage seed --residents N --seed S`.
func NewSeedCommand(app core.App) *cobra.Command {
	var residents int
	var seedValue uint64
	c := &cobra.Command{
		Use:          "seed",
		Short:        "Builds a deterministic synthetic city into an empty data dir",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			start := time.Now()
			stats, err := SeedCity(app, residents, seedValue)
			if err != nil {
				return err
			}
			if err := seed.MarkSynthetic(app); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "seeded %s in %s\n", stats, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	c.Flags().IntVar(&residents, "residents", DefaultResidents, "number of synthetic residents")
	c.Flags().Uint64Var(&seedValue, "seed", 1, "random seed; the same seed builds the same city")
	return c
}

// ErrNotEmpty is returned when a seed would mix with existing people.
var ErrNotEmpty = errors.New("the data dir already holds people; seed only into an empty data dir")

// SeedCity generates a city and writes it, refusing a data dir with people.
func SeedCity(app core.App, residents int, seedValue uint64) (seed.Stats, error) {
	has, err := seed.HasPeople(app)
	if err != nil {
		return seed.Stats{}, err
	}
	if has {
		return seed.Stats{}, ErrNotEmpty
	}
	today := civil.Today()
	city, err := synth.Generate(synth.Config{Residents: residents, Seed: seedValue, Today: today.Time()})
	if err != nil {
		return seed.Stats{}, err
	}
	return seed.City(app, city, today)
}
