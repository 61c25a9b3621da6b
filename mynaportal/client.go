// Package mynaportal is the connector to マイナポータル's PMH情報連携API
// (Public Medical Hub: 予防接種・母子保健), which lets a service, with the
// resident's consent, read the vaccination history and checkup results
// the municipalities registered in PMH (myna.go.jp/html/api/pmhinfo/).
//
// The detailed request and response schemas are handed out only to
// operators that デジタル庁 has approved, so the shapes here are MODELLED:
// field naming follows PMH's published OpenAPI for municipalities
// (camelCase; basicFiveInfo with name, nameKana, address, dateOfBirth and
// sex "1"/"2"), and the record fields follow the 母子健康手帳 pages and JP
// Core Immunization. When the approved specification arrives, only this
// package changes: the path and headers in Client.Query, the structs in
// shapes.go and the name tables in mapping.go. It imports nothing of
// PocketBase; the hooks save what Plan returns.
package mynaportal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Environment variables of the connector. It is off unless the endpoint is
// set.
const (
	EnvEndpoint = "LIFESTAGE_MYNAPORTAL_ENDPOINT"  // base URL given at API registration
	EnvClientID = "LIFESTAGE_MYNAPORTAL_CLIENT_ID" // API利用者 id
	EnvAPIKey   = "LIFESTAGE_MYNAPORTAL_API_KEY"   // credential (a secret: from the environment, never committed)
)

// QueryPath is the modelled path of the child-health query.
const QueryPath = "/pmh/v1/child-health/records/query"

// maxResponse bounds what one query may return (about 10,000 records).
const maxResponse = 4 << 20

// Why a query failed.
var (
	ErrNotConsented = errors.New("mynaportal: the resident has not authorised this service at マイナポータル")
	ErrNotFound     = errors.New("mynaportal: no matching person at PMH")
	ErrUpstream     = errors.New("mynaportal: PMH is unavailable or answered badly")
)

// Config is lifestage's registration as an API user.
type Config struct {
	Endpoint string
	ClientID string
	APIKey   string
}

// FromEnv reads the configuration; enabled is false when no endpoint is
// set, which is the default.
func FromEnv(getenv func(string) string) (cfg Config, enabled bool) {
	cfg = Config{
		Endpoint: strings.TrimRight(strings.TrimSpace(getenv(EnvEndpoint)), "/"),
		ClientID: strings.TrimSpace(getenv(EnvClientID)),
		APIKey:   strings.TrimSpace(getenv(EnvAPIKey)),
	}
	return cfg, cfg.Endpoint != ""
}

// Validate names the first missing or malformed setting.
func (c Config) Validate() error {
	u, err := url.Parse(c.Endpoint)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return errors.New(EnvEndpoint + " is not an absolute URL")
	case c.ClientID == "":
		return errors.New(EnvClientID + " is not set")
	case c.APIKey == "":
		return errors.New(EnvAPIKey + " is not set")
	}
	return nil
}

// Client calls PMH.
type Client struct {
	cfg  Config
	http *http.Client
}

// New makes a client; hc nil uses a client with a 15 s timeout.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{cfg: cfg, http: hc}, nil
}

// Query asks PMH for a child's records.
func (c *Client) Query(ctx context.Context, q Query) (Response, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return Response{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Endpoint+QueryPath, bytes.NewReader(body))
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	req.Header.Set("X-Client-Id", c.cfg.ClientID)
	req.Header.Set("X-Request-Id", q.RequestID)
	res, err := c.http.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("%w: %v", ErrUpstream, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxResponse+1))
	if err != nil {
		return Response{}, fmt.Errorf("%w: %v", ErrUpstream, err)
	}
	switch {
	case res.StatusCode == http.StatusForbidden:
		return Response{}, ErrNotConsented
	case res.StatusCode == http.StatusNotFound:
		return Response{}, ErrNotFound
	case res.StatusCode != http.StatusOK:
		return Response{}, fmt.Errorf("%w: status %d", ErrUpstream, res.StatusCode)
	case len(raw) > maxResponse:
		return Response{}, fmt.Errorf("%w: response larger than %d bytes", ErrUpstream, maxResponse)
	}
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		return Response{}, fmt.Errorf("%w: %v", ErrUpstream, err)
	}
	return out, nil
}
