package gateway

import (
	"fmt"
	"slices"
	"strings"
)

// Action is what a scope allows on a dataset.
type Action string

const (
	Read  Action = "read"
	Write Action = "write"
)

// Dataset is one set of data partners can be granted. The NGSI interface,
// the OpenAPI document and the developer portal all read this list, so a
// new dataset is added here once.
type Dataset struct {
	Name    string   // scope prefix, e.g. "facilities"
	Label   string   // Japanese name for pages and documents
	Actions []Action // the actions that make sense for it
	// Personal datasets are released only under a resident's consent
	// (the consent broker checks it on every read).
	Personal bool
}

// Datasets lists every dataset in display order.
var Datasets = []Dataset{
	{Name: "facilities", Label: "施設（子育て施設・医療機関・公共施設）", Actions: []Action{Read}},
	{Name: "events", Label: "イベント", Actions: []Action{Read}},
	{Name: "nursery_vacancies", Label: "保育施設の空き状況", Actions: []Action{Read}},
	{Name: "infections", Label: "感染症の発生状況（集計値）", Actions: []Action{Read}},
	{Name: "subscriptions", Label: "変更通知の購読（NGSI サブスクリプション）", Actions: []Action{Read, Write}},
	{Name: "personal", Label: "本人の同意に基づく個人のデータ", Actions: []Action{Read}, Personal: true},
}

// Scope names a dataset and an action: "facilities:read".
func Scope(dataset string, a Action) string { return dataset + ":" + string(a) }

// Scopes lists every valid scope, in Datasets order. The api_keys scopes
// select field takes its values from here.
func Scopes() []string {
	var out []string
	for _, d := range Datasets {
		for _, a := range d.Actions {
			out = append(out, Scope(d.Name, a))
		}
	}
	return out
}

// ParseScopes reads scopes given as a list whose items may themselves be
// comma-separated (CLI flags, form fields). It trims, drops duplicates and
// rejects unknown scopes, and returns them in Scopes order.
func ParseScopes(items []string) ([]string, error) {
	want := map[string]bool{}
	for _, item := range items {
		for _, s := range strings.Split(item, ",") {
			if s = strings.TrimSpace(s); s != "" {
				want[s] = true
			}
		}
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("gateway: no scope given")
	}
	var out []string
	for _, s := range Scopes() {
		if want[s] {
			out = append(out, s)
			delete(want, s)
		}
	}
	if len(want) > 0 {
		unknown := make([]string, 0, len(want))
		for s := range want {
			unknown = append(unknown, s)
		}
		slices.Sort(unknown)
		return nil, fmt.Errorf("gateway: unknown scope %s", strings.Join(unknown, ", "))
	}
	return out, nil
}
