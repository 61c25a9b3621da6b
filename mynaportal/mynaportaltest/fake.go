// Package mynaportaltest is a local fake of PMH情報連携API following the
// shapes modelled in package mynaportal, for tests. No government endpoint
// is ever called.
package mynaportaltest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/saijo-dx/lifestage/mynaportal"
)

// Fake is a running fake PMH.
type Fake struct {
	Server   *httptest.Server
	ClientID string
	APIKey   string

	mu      sync.Mutex
	records map[string]mynaportal.Response // by person key (dateOfBirth + name)
	refused map[string]bool                // persons who have not authorised the service
	queries []mynaportal.Query
}

// Start runs a fake PMH until the test ends.
func Start(t testing.TB) *Fake {
	f := &Fake{ClientID: "lifestage-saijo", APIKey: "test-api-key", records: map[string]mynaportal.Response{}, refused: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Server.Close)
	return f
}

// Env is the connector configuration pointing at the fake.
func (f *Fake) Env() map[string]string {
	return map[string]string{
		mynaportal.EnvEndpoint: f.Server.URL, mynaportal.EnvClientID: f.ClientID, mynaportal.EnvAPIKey: f.APIKey,
	}
}

// Set gives a person (by name and birth date) their PMH records.
func (f *Fake) Set(name, dateOfBirth string, r mynaportal.Response) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records[dateOfBirth+"|"+name] = r
}

// Refuse makes PMH answer 403 for the person, as when the resident has not
// authorised the service at マイナポータル.
func (f *Fake) Refuse(name, dateOfBirth string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refused[dateOfBirth+"|"+name] = true
}

// Queries returns the queries received so far.
func (f *Fake) Queries() []mynaportal.Query {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]mynaportal.Query(nil), f.queries...)
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != mynaportal.QueryPath {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.APIKey || r.Header.Get("X-Client-Id") != f.ClientID {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	var q mynaportal.Query
	if err := json.NewDecoder(r.Body).Decode(&q); err != nil || q.Subject.DateOfBirth == "" || q.Requester.Name == "" {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.queries = append(f.queries, q)
	k := q.Subject.DateOfBirth + "|" + q.Subject.Name
	res, ok := f.records[k]
	refused := f.refused[k]
	f.mu.Unlock()
	switch {
	case refused:
		http.Error(w, `{"error":"not authorised"}`, http.StatusForbidden)
		return
	case !ok:
		http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
		return
	}
	// Only the categories asked for, as the real API would filter.
	out := mynaportal.Response{}
	for _, c := range q.Categories {
		switch c {
		case mynaportal.CategoryImmunization:
			out.Immunizations = res.Immunizations
		case mynaportal.CategoryInfantCheckup:
			out.InfantCheckups = res.InfantCheckups
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
