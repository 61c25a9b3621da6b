package hooks

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/fieldcrypt"
)

// Environment variables holding the field-encryption keys (base64, 32 bytes).
const (
	FieldKeyEnv         = "LIFESTAGE_FIELD_KEY"
	FieldKeyPreviousEnv = "LIFESTAGE_FIELD_KEY_PREVIOUS" // comma-separated, decrypt only
	keyringStoreKey     = "lifestage.fieldKeyring"
	demoStoreKey        = "lifestage.demo"
	demoKeyFile         = "demo-field-key.txt"
)

// ErrNoFieldKey stops a production server that could not protect sensitive text.
var ErrNoFieldKey = errors.New("lifestage: " + FieldKeyEnv + " is not set; sensitive fields cannot be encrypted (create one with `lifestage keys new`)")

func bindEncryption(app core.App) {
	encrypted := map[string][]string{}
	var names []string
	for _, s := range collections.All() {
		if len(s.Encrypted) > 0 {
			encrypted[s.Name] = s.Encrypted
			names = append(names, s.Name)
		}
	}
	load := func(a core.App) error {
		ring, err := keyringFromEnv()
		if ring != nil {
			a.Store().Set(keyringStoreKey, ring)
		}
		return err
	}
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return load(e.App)
	})
	// Test apps are bootstrapped before their hooks are bound.
	if app.IsBootstrapped() {
		if err := load(app); err != nil {
			app.Logger().Error("field-encryption key not loaded", "error", err)
		}
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Only a real server (not a test router) must refuse to run without
		// a key; the demo warns and uses a key of its own instead.
		if se.Server != nil && FieldKeyring(se.App) == nil && !se.App.Store().Has(demoStoreKey) {
			return ErrNoFieldKey
		}
		return se.Next()
	})
	if len(names) == 0 {
		return
	}
	// Values are sealed only on their way into the database; the record in
	// memory keeps clear text for the rest of the request.
	seal := func(e *core.RecordEvent) error {
		ring := FieldKeyring(e.App)
		if ring == nil {
			return e.Next()
		}
		plain := map[string]string{}
		for _, f := range encrypted[e.Record.Collection().Name] {
			v := e.Record.GetString(f)
			enc, err := ring.Encrypt(v, e.Record.Id)
			if err != nil {
				return err
			}
			plain[f] = v
			e.Record.Set(f, enc)
		}
		defer func() {
			for f, v := range plain {
				e.Record.Set(f, v)
			}
		}()
		return e.Next()
	}
	app.OnRecordCreateExecute(names...).BindFunc(seal)
	app.OnRecordUpdateExecute(names...).BindFunc(seal)
	app.OnRecordEnrich(names...).BindFunc(func(e *core.RecordEnrichEvent) error {
		for _, f := range encrypted[e.Record.Collection().Name] {
			v, err := DecryptField(e.App, e.Record, f)
			if err != nil {
				e.App.Logger().Error("field cannot be decrypted", "collection", e.Record.Collection().Name, "record", e.Record.Id, "error", err)
				v = ""
			}
			e.Record.Set(f, v)
		}
		return e.Next()
	})
}

// DecryptField reads an encrypted field of a record loaded from the database.
func DecryptField(app core.App, r *core.Record, field string) (string, error) {
	v := r.GetString(field)
	if !fieldcrypt.IsEncrypted(v) {
		return v, nil
	}
	ring := FieldKeyring(app)
	if ring == nil {
		return "", fieldcrypt.ErrUnknownKey
	}
	return ring.Decrypt(v, r.Id)
}

// FieldKeyring is the app's field-encryption keyring, or nil when no key is set.
func FieldKeyring(app core.App) *fieldcrypt.Keyring {
	ring, _ := app.Store().Get(keyringStoreKey).(*fieldcrypt.Keyring)
	return ring
}

// keyringFromEnv reads the current and previous keys; nil when none is set.
func keyringFromEnv() (*fieldcrypt.Keyring, error) {
	current := os.Getenv(FieldKeyEnv)
	if current == "" {
		return nil, nil
	}
	key, err := fieldcrypt.ParseKey(current)
	if err != nil {
		return nil, err
	}
	var older []fieldcrypt.Key
	for _, s := range strings.Split(os.Getenv(FieldKeyPreviousEnv), ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		k, err := fieldcrypt.ParseKey(s)
		if err != nil {
			return nil, err
		}
		older = append(older, k)
	}
	return fieldcrypt.NewKeyring(key, older...), nil
}

var demoKeyOnce sync.Mutex

// UseDemoFieldKey marks the app as a demo and, when no key is configured,
// keeps a generated key in the demo data dir. It reports whether it had to.
func UseDemoFieldKey(app core.App) (generated bool, err error) {
	demoKeyOnce.Lock()
	defer demoKeyOnce.Unlock()
	app.Store().Set(demoStoreKey, true)
	if FieldKeyring(app) != nil {
		return false, nil
	}
	path := filepath.Join(app.DataDir(), demoKeyFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		s, genErr := fieldcrypt.NewKeyString()
		if genErr != nil {
			return false, genErr
		}
		raw = []byte(s)
		if err = os.WriteFile(path, raw, 0o600); err != nil {
			return false, err
		}
	} else if err != nil {
		return false, err
	}
	key, err := fieldcrypt.ParseKey(string(raw))
	if err != nil {
		return false, err
	}
	app.Store().Set(keyringStoreKey, fieldcrypt.NewKeyring(key))
	return true, nil
}
