// Package pushtest is a local web push service for tests: it checks each
// request's VAPID JWT against the application server key, decrypts the
// aes128gcm payload (RFC 8291) with the subscriber's keys, and answers with
// the statuses a test scripts, so the whole path is tested without a browser.
package pushtest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Message is one push the service accepted or refused.
type Message struct {
	Endpoint string
	Status   int
	Payload  map[string]any // decrypted JSON
	Audience string         // the JWT's aud claim
	Err      string         // why the request was malformed, if it was
}

// Server is the fake push service.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	subs     map[string]*subscriber
	scripts  map[string][]int
	messages []Message
}

type subscriber struct {
	key  *ecdh.PrivateKey
	auth []byte
}

// New starts a fake push service; close it with Close.
func New() *Server {
	s := &Server{subs: map[string]*subscriber{}, scripts: map[string][]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// Subscribe makes a subscription as a browser would: an endpoint on this
// service and the p256dh/auth keys, base64url encoded.
func (s *Server) Subscribe(name string) (endpoint, p256dh, auth string) {
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	endpoint = s.URL + "/push/" + name
	s.mu.Lock()
	s.subs["/push/"+name] = &subscriber{key: key, auth: secret}
	s.mu.Unlock()
	enc := base64.RawURLEncoding.EncodeToString
	return endpoint, enc(key.PublicKey().Bytes()), enc(secret)
}

// Script makes the next requests to the endpoint answer with the statuses in
// order; afterwards it answers 201.
func (s *Server) Script(endpoint string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(endpoint, s.URL)
	s.scripts[path] = append(s.scripts[path], statuses...)
}

// Messages returns every request so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Delivered returns the requests answered with 2xx to the endpoint.
func (s *Server) Delivered(endpoint string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if m.Endpoint == endpoint && m.Status < 300 {
			out = append(out, m)
		}
	}
	return out
}

// WaitFor waits until n requests arrived or the timeout passes.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) && len(s.Messages()) < n {
		time.Sleep(5 * time.Millisecond)
	}
	return s.Messages()
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m := Message{Endpoint: s.URL + r.URL.Path}
	s.mu.Lock()
	sub := s.subs[r.URL.Path]
	status := http.StatusCreated
	if q := s.scripts[r.URL.Path]; len(q) > 0 {
		status, s.scripts[r.URL.Path] = q[0], q[1:]
	}
	s.mu.Unlock()
	var err error
	switch {
	case sub == nil:
		status = http.StatusGone
	default:
		m.Audience, err = verifyVAPID(r.Header.Get("Authorization"), s.URL)
		if err == nil {
			m.Payload, err = decrypt(sub, r.Header.Get("Content-Encoding"), body)
		}
	}
	if err != nil {
		status, m.Err = http.StatusBadRequest, err.Error()
	}
	m.Status = status
	s.mu.Lock()
	s.messages = append(s.messages, m)
	s.mu.Unlock()
	w.WriteHeader(status)
}

// verifyVAPID checks "vapid t=<jwt>, k=<public key>": an ES256 signature by
// k, the audience of this service and an expiry within 24 hours.
func verifyVAPID(header, origin string) (string, error) {
	var token, key string
	for _, part := range strings.Split(strings.TrimPrefix(header, "vapid "), ",") {
		part = strings.TrimSpace(part)
		if v, ok := strings.CutPrefix(part, "t="); ok {
			token = v
		} else if v, ok := strings.CutPrefix(part, "k="); ok {
			key = v
		}
	}
	parts := strings.Split(token, ".")
	if !strings.HasPrefix(header, "vapid ") || len(parts) != 3 || key == "" {
		return "", errors.New("no VAPID authorization")
	}
	raw, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil {
		return "", err
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return "", err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return "", errors.New("bad JWT signature encoding")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return "", errors.New("VAPID signature does not verify")
	}
	claimsJSON, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	var claims struct {
		Aud string `json:"aud"`
		Exp int64  `json:"exp"`
		Sub string `json:"sub"`
	}
	if err := json.Unmarshal(claimsJSON, &claims); err != nil {
		return "", err
	}
	if claims.Aud != origin {
		return "", fmt.Errorf("JWT audience %q, want %q", claims.Aud, origin)
	}
	if exp := time.Unix(claims.Exp, 0); exp.Before(time.Now()) || exp.After(time.Now().Add(24*time.Hour)) {
		return "", errors.New("JWT expiry out of range")
	}
	if !strings.HasPrefix(claims.Sub, "mailto:") && !strings.HasPrefix(claims.Sub, "https:") {
		return "", errors.New("JWT sub must be mailto: or https:")
	}
	return claims.Aud, nil
}

// decrypt undoes RFC 8291 aes128gcm encryption with the subscriber's keys.
func decrypt(sub *subscriber, encoding string, body []byte) (map[string]any, error) {
	if encoding != "aes128gcm" {
		return nil, errors.New("Content-Encoding must be aes128gcm")
	}
	if len(body) < 21 {
		return nil, errors.New("body too short")
	}
	salt, rs, idLen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if len(body) < 21+idLen || rs < 18 {
		return nil, errors.New("bad header")
	}
	serverPub, err := ecdh.P256().NewPublicKey(body[21 : 21+idLen])
	if err != nil {
		return nil, err
	}
	shared, err := sub.key.ECDH(serverPub)
	if err != nil {
		return nil, err
	}
	info := append([]byte("WebPush: info\x00"), sub.key.PublicKey().Bytes()...)
	info = append(info, serverPub.Bytes()...)
	ikm, err := hkdf.Key(sha256.New, shared, sub.auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, body[21+idLen:], nil)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	plain = bytes.TrimRight(plain, "\x00")
	if len(plain) == 0 || plain[len(plain)-1] != 2 {
		return nil, errors.New("missing last-record padding delimiter")
	}
	var out map[string]any
	if err := json.Unmarshal(plain[:len(plain)-1], &out); err != nil {
		return nil, err
	}
	return out, nil
}
