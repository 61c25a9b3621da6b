package commands

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/fieldcrypt"
	"github.com/saijo-dx/lifestage/hooks"
)

// NewKeysCommand builds `lifestage keys new|rotate` for field encryption.
func NewKeysCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "keys", Short: "Field-encryption keys (" + hooks.FieldKeyEnv + ")"}
	root.AddCommand(&cobra.Command{
		Use:   "new",
		Short: "Prints a new random key",
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := fieldcrypt.NewKeyString()
			if err == nil {
				fmt.Fprintln(cmd.OutOrStdout(), k)
			}
			return err
		},
	})
	var toEnv string
	rotate := &cobra.Command{
		Use:          "rotate",
		Short:        "Re-encrypts every encrypted field with the key in --to-env; then make that key " + hooks.FieldKeyEnv,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			next, err := fieldcrypt.ParseKey(os.Getenv(toEnv))
			if err != nil {
				return fmt.Errorf("%s: %w", toEnv, err)
			}
			n, err := RotateFieldKey(app, next)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "re-encrypted %d values with key %s; now set %s to the new key (and keep the old one in %s until no value needs it)\n",
				n, next.ID, hooks.FieldKeyEnv, hooks.FieldKeyPreviousEnv)
			return nil
		},
	}
	rotate.Flags().StringVar(&toEnv, "to-env", "LIFESTAGE_FIELD_KEY_NEW", "environment variable holding the new key")
	root.AddCommand(rotate)
	return root
}

// RotateFieldKey re-seals every encrypted value with next, in one
// transaction, decrypting with the keys the app already has.
func RotateFieldKey(app core.App, next fieldcrypt.Key) (int, error) {
	current := hooks.FieldKeyring(app)
	if current == nil {
		return 0, errors.New("no current key: set " + hooks.FieldKeyEnv)
	}
	target := fieldcrypt.NewKeyring(next)
	total := 0
	err := app.RunInTransaction(func(tx core.App) error {
		for _, s := range collections.All() {
			if len(s.Encrypted) == 0 {
				continue
			}
			n, err := rekeyCollection(tx, s, current, target)
			if err != nil {
				return fmt.Errorf("%s: %w", s.Name, err)
			}
			total += n
			if err := auditlog.Append(tx, audit.Entry{At: audit.Stamp(time.Now()), ActorRole: audit.System.Role,
				Action: audit.ActionRekey, Collection: s.Name, Record: fmt.Sprint(n), Fields: s.Encrypted}); err != nil {
				return err
			}
		}
		return nil
	})
	return total, err
}

func rekeyCollection(tx core.App, s collections.Spec, from, to *fieldcrypt.Keyring) (int, error) {
	n := 0
	for _, field := range s.Encrypted {
		var rows []struct {
			ID    string `db:"id"`
			Value string `db:"value"`
		}
		err := tx.DB().Select("id", field+" AS value").From(s.Name).
			Where(dbx.NewExp("[[" + field + "]] LIKE 'enc:%'")).All(&rows)
		if err != nil {
			return n, err
		}
		for _, r := range rows {
			if fieldcrypt.KeyID(r.Value) == to.CurrentID() {
				continue
			}
			plain, err := from.Decrypt(r.Value, r.ID)
			if err != nil {
				return n, err
			}
			sealed, err := to.Encrypt(plain, r.ID)
			if err != nil {
				return n, err
			}
			if _, err := tx.DB().Update(s.Name, dbx.Params{field: sealed}, dbx.HashExp{"id": r.ID}).Execute(); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
