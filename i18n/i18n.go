// Package i18n holds every translated message of lifestage in one place:
// locales/<lang>/<namespace>.json, flat maps of "namespace.key" to text with
// {name} placeholders. Pages fetch a language's whole catalogue from
// /api/lifestage/i18n/{lang}; Go code (notification templates) calls T. Japanese
// is the source language; a test keeps the other languages complete.
package i18n

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Default is the language of the city's own texts and the fallback.
const Default = "ja"

// Langs are the supported languages in the order the switcher shows them.
// easy-ja is やさしい日本語 (simple Japanese for residents from abroad).
var Langs = []string{"ja", "easy-ja", "en", "vi", "zh"}

// Names are each language's name written in that language.
var Names = map[string]string{
	"ja":      "日本語",
	"easy-ja": "やさしい にほんご",
	"en":      "English",
	"vi":      "Tiếng Việt",
	"zh":      "中文",
}

// HTMLLang maps a language to its BCP 47 tag for <html lang> and
// Content-Language; easy Japanese is still Japanese to screen readers.
var HTMLLang = map[string]string{"ja": "ja", "easy-ja": "ja", "en": "en", "vi": "vi", "zh": "zh-Hans"}

//go:embed locales
var files embed.FS

var (
	loadOnce sync.Once
	catalogs map[string]map[string]string
	loadErr  error
)

func load() {
	catalogs, loadErr = Load(files)
}

// Load reads locales/<lang>/*.json from fsys into one map per language. It is
// exported so the completeness test can check a catalogue tree it builds.
func Load(fsys fs.FS) (map[string]map[string]string, error) {
	out := make(map[string]map[string]string, len(Langs))
	for _, lang := range Langs {
		out[lang] = map[string]string{}
		names, err := fs.Glob(fsys, path.Join("locales", lang, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			raw, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			var m map[string]string
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			ns := strings.TrimSuffix(path.Base(name), ".json")
			for k, v := range m {
				if !strings.HasPrefix(k, ns+".") {
					return nil, fmt.Errorf("i18n: %s: key %q must start with %q", name, k, ns+".")
				}
				out[lang][k] = v
			}
		}
	}
	return out, nil
}

func catalog(lang string) map[string]string {
	loadOnce.Do(load)
	if loadErr != nil {
		panic(loadErr) // the catalogue is embedded: a broken file is a build defect the tests catch
	}
	return catalogs[lang]
}

// Catalog returns a copy of the whole catalogue of a supported language.
func Catalog(lang string) map[string]string {
	src := catalog(Supported(lang))
	out := make(map[string]string, len(src))
	for k, v := range src {
		out[k] = v
	}
	return out
}

// Supported returns lang when lifestage has it, else Default.
func Supported(lang string) string {
	for _, l := range Langs {
		if l == lang {
			return l
		}
	}
	return Default
}

// T renders key in lang with vars substituted for {name} placeholders. A key
// missing in lang falls back to Japanese, then to the key itself, so a missing
// translation shows up in the page instead of an empty string.
func T(lang, key string, vars map[string]string) string {
	text, ok := catalog(Supported(lang))[key]
	if !ok {
		if text, ok = catalog(Default)[key]; !ok {
			return key
		}
	}
	return Format(text, vars)
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// Format substitutes {name} placeholders; unknown names stay as written.
func Format(text string, vars map[string]string) string {
	if len(vars) == 0 {
		return text
	}
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := vars[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// Placeholders lists the distinct placeholder names of text, sorted.
func Placeholders(text string) []string {
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		seen[m[1]] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// FromAcceptLanguage picks the first supported language of an
// Accept-Language header ("vi-VN,vi;q=0.9,en;q=0.8" → vi). Easy Japanese is
// never negotiated: browsers cannot ask for it, people choose it.
func FromAcceptLanguage(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base := strings.SplitN(tag, "-", 2)[0]
		switch base {
		case "ja", "en", "vi", "zh":
			return base
		}
	}
	return Default
}

// Bundle is a language's catalogue as pages fetch it, encoded once.
type Bundle struct {
	JSON []byte
	Gzip []byte
	ETag string
}

var (
	bundlesMu sync.Mutex
	bundles   = map[string]*Bundle{}
)

// BundleFor returns the encoded catalogue of a supported language with the
// language list, so the switcher needs no second request.
func BundleFor(lang string) (*Bundle, error) {
	lang = Supported(lang)
	bundlesMu.Lock()
	defer bundlesMu.Unlock()
	if b, ok := bundles[lang]; ok {
		return b, nil
	}
	type option struct {
		Code string `json:"code"`
		Name string `json:"name"`
		HTML string `json:"htmlLang"`
	}
	langs := make([]option, len(Langs))
	for i, l := range Langs {
		langs[i] = option{l, Names[l], HTMLLang[l]}
	}
	body, err := json.Marshal(map[string]any{"lang": lang, "htmlLang": HTMLLang[lang], "langs": langs, "messages": catalog(lang)})
	if err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	b := &Bundle{JSON: body, Gzip: gz.Bytes(), ETag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	bundles[lang] = b
	return b, nil
}
