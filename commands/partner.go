package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/gatewaydb"
)

// NewPartnerCommand builds `lifestage partner create|list|rotate|revoke`
// for scripts. Commands that make a key print it alone on the LAST line of
// stdout, so `... | tail -n 1` takes it. They may run while the server
// serves the same data dir: the server finds a new key in the database on
// its first use, and sees a revocation within its key cache's 30 seconds.
func NewPartnerCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "partner", Short: "Partners of the API gateway and their API keys"}
	root.AddCommand(partnerCreateCommand(app), partnerListCommand(app), partnerRotateCommand(app), partnerRevokeCommand(app))
	return root
}

func partnerCreateCommand(app core.App) *cobra.Command {
	var name, label, expires string
	var scopes []string
	var rate int
	var quota int64
	c := &cobra.Command{
		Use:          "create",
		Short:        "Creates the partner if new and issues an API key; the key is the last line",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(name) == "" {
				return errors.New("--name is required")
			}
			exp, err := gateway.ParseExpiry(expires, time.Now())
			if err != nil {
				return fmt.Errorf("--expires: %w", err)
			}
			if _, err := gateway.ParseScopes(scopes); err != nil {
				return fmt.Errorf("--scopes: %w (valid: %s)", err, strings.Join(gateway.Scopes(), ", "))
			}
			if rate < 0 || quota < 0 {
				return errors.New("--rate and --quota must be 0 (no limit) or more")
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			ctx := context.Background()
			partner, created, err := gatewaydb.EnsurePartner(ctx, app, strings.TrimSpace(name))
			if err != nil {
				return err
			}
			if !partner.GetBool("active") {
				return fmt.Errorf("partner %q is suspended (inactive); reactivate it before issuing keys", name)
			}
			rec, key, err := gatewaydb.Issue(ctx, app, partner.Id, gatewaydb.KeySpec{
				Label: label, Scopes: scopes, ExpiresAt: exp, RateLimit: rate, MonthlyQuota: quota,
			})
			if err != nil {
				return err
			}
			state := "existing"
			if created {
				state = "created"
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "partner: %s (%s, %s)\n", partner.GetString("name"), partner.Id, state)
			printKey(w, rec)
			fmt.Fprintln(w, "The key is shown only now; it is stored hashed. Key on the next line:")
			fmt.Fprintln(w, key)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&name, "name", "", "partner name (created when new)")
	f.StringSliceVar(&scopes, "scopes", nil, "scopes, comma-separated or repeated: "+strings.Join(gateway.Scopes(), ", "))
	f.StringVar(&label, "label", "", "what the key is for (e.g. production server)")
	f.IntVar(&rate, "rate", gatewaydb.DefaultRateLimit, "requests per minute (0: no limit)")
	f.Int64Var(&quota, "quota", gatewaydb.DefaultMonthlyQuota, "requests per month, Tokyo time (0: no quota)")
	f.StringVar(&expires, "expires", "", "last day the key works, YYYY-MM-DD (Tokyo); empty: never")
	return c
}

// printKey prints a key's settings (never its secret).
func printKey(w io.Writer, k *core.Record) {
	fmt.Fprintf(w, "key: %s  prefix %s  label %q\n", k.Id, k.GetString("prefix"), k.GetString("label"))
	fmt.Fprintf(w, "  scopes %s  rate %d/min  quota %d/month  expires %s  status %s\n",
		strings.Join(k.GetStringSlice("scopes"), ","), k.GetInt("rateLimit"), k.GetInt64("monthlyQuota"),
		orDash(stampOf(k, "expiresAt")), keyStatus(k, time.Now()))
}

func stampOf(r *core.Record, field string) string {
	t := r.GetDateTime(field)
	if t.IsZero() {
		return ""
	}
	return t.Time().In(civil.Tokyo).Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func keyStatus(k *core.Record, now time.Time) string {
	switch {
	case !k.GetDateTime("revokedAt").IsZero():
		return "revoked " + stampOf(k, "revokedAt")
	case !k.GetDateTime("expiresAt").IsZero() && !now.Before(k.GetDateTime("expiresAt").Time()):
		return "expired"
	}
	return "active"
}

func partnerListCommand(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:          "list",
		Short:        "Lists partners and their keys (prefixes, never keys)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			partners, err := app.FindRecordsByFilter(collections.Partners, "", "name", 0, 0)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, p := range partners {
				state := "active"
				if !p.GetBool("active") {
					state = "suspended"
				}
				fmt.Fprintf(w, "%s (%s, %s)\n", p.GetString("name"), p.Id, state)
				keys, err := app.FindRecordsByFilter(collections.APIKeys, "partner = {:p}", "created", 0, 0, map[string]any{"p": p.Id})
				if err != nil {
					return err
				}
				for _, k := range keys {
					printKey(w, k)
					fmt.Fprintf(w, "  last used %s\n", orDash(stampOf(k, "lastUsedAt")))
				}
			}
			return nil
		},
	}
}

// keyByPrefixCommand builds a command that acts on the key named by
// --prefix.
func keyByPrefixCommand(app core.App, use, short string, run func(cmd *cobra.Command, key *core.Record) error) *cobra.Command {
	var prefix string
	c := &cobra.Command{
		Use: use, Short: short, SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if prefix == "" {
				return errors.New("--prefix is required")
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			key, err := gatewaydb.FindByPrefix(app, strings.TrimPrefix(prefix, gateway.KeyTag))
			if err != nil {
				return fmt.Errorf("no key with prefix %q", prefix)
			}
			return run(cmd, key)
		},
	}
	c.Flags().StringVar(&prefix, "prefix", "", "the key's prefix (as `partner list` shows)")
	return c
}

func partnerRotateCommand(app core.App) *cobra.Command {
	return keyByPrefixCommand(app, "rotate", "Issues a new key with the same settings and revokes the old one; the new key is the last line",
		func(cmd *cobra.Command, old *core.Record) error {
			rec, key, err := gatewaydb.Rotate(context.Background(), app, old.Id, time.Now())
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "revoked %s; new key:\n", old.GetString("prefix"))
			printKey(w, rec)
			fmt.Fprintln(w, "The key is shown only now; it is stored hashed. Key on the next line:")
			fmt.Fprintln(w, key)
			return nil
		})
}

func partnerRevokeCommand(app core.App) *cobra.Command {
	return keyByPrefixCommand(app, "revoke", "Revokes a key at once",
		func(cmd *cobra.Command, key *core.Record) error {
			rec, err := gatewaydb.Revoke(context.Background(), app, key.Id, time.Now())
			if errors.Is(err, gatewaydb.ErrRevoked) {
				fmt.Fprintf(cmd.OutOrStdout(), "%s was already revoked\n", key.GetString("prefix"))
				return nil
			}
			if err != nil {
				return err
			}
			printKey(cmd.OutOrStdout(), rec)
			fmt.Fprintln(cmd.OutOrStdout(), "A server running on this data dir refuses the key within 30 seconds (at once when revoked on its page).")
			return nil
		})
}
