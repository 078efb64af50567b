package authtest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// maxTokenBody bounds the token request body the tenant reads.
const maxTokenBody = 64 << 10

// oauthError is an error answer of the token endpoint, in Auth0's shape:
// {"error": code, "error_description": description}.
type oauthError struct {
	status      int
	code        string
	description string
}

func (e *oauthError) Error() string { return e.code + ": " + e.description }

func invalidRequest(desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_request", desc}
}

// errUnauthorized is Auth0's answer to a failed client authentication.
var errUnauthorized = &oauthError{http.StatusUnauthorized, "access_denied", "Unauthorized"}

// readTokenParams reads the bounded body of a token request and returns its
// parameters. Auth0 accepts JSON and form bodies.
func readTokenParams(w http.ResponseWriter, r *http.Request) (map[string]string, *oauthError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTokenBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &oauthError{http.StatusRequestEntityTooLarge, "invalid_request", "Request body too large"}
		}
		return nil, invalidRequest("Could not read the request body")
	}
	return parseTokenParams(r.Header.Get("Content-Type"), body)
}

// parseTokenParams parses a token request body of the given content type.
// Every parameter is a string; JSON null counts as absent (the Auth0 SDKs
// send null for unset options) and a JSON scope may be an array of strings.
// A repeated parameter is refused (RFC 6749 section 3.2).
func parseTokenParams(contentType string, body []byte) (map[string]string, *oauthError) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, invalidRequest("Content-Type must be application/json or application/x-www-form-urlencoded")
	}
	switch mt {
	case "application/json":
		return parseJSONParams(body)
	case "application/x-www-form-urlencoded":
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, invalidRequest("Malformed form body")
		}
		p := make(map[string]string, len(q))
		for k, v := range q {
			if len(v) != 1 {
				return nil, invalidRequest("Duplicate parameter: " + k)
			}
			p[k] = v[0]
		}
		return p, nil
	}
	return nil, invalidRequest("Content-Type must be application/json or application/x-www-form-urlencoded")
}

func parseJSONParams(body []byte) (map[string]string, *oauthError) {
	bad := invalidRequest("Malformed JSON body")
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, bad
	}
	p := map[string]string{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, invalidRequest("Duplicate parameter: " + key)
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, bad
		}
		var s string
		var list []string
		switch {
		case string(raw) == "null":
			continue
		case json.Unmarshal(raw, &s) == nil:
			p[key] = s
		case key == "scope" && json.Unmarshal(raw, &list) == nil:
			p[key] = strings.Join(list, " ")
		default:
			return nil, invalidRequest("Parameter " + key + " must be a string")
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, bad
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad // trailing data
	}
	return p, nil
}

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// authenticateClient finds the client of a token request and checks its
// credentials: client_secret in the body or HTTP Basic (client_secret_post,
// client_secret_basic), or a private_key_jwt assertion. A public client may
// present none; authenticated then reports false.
func (t *Tenant) authenticateClient(ctx context.Context, r *http.Request, p map[string]string) (c *client, authenticated bool, _ *oauthError) {
	id, secret := p["client_id"], p["client_secret"]
	assertion := p["client_assertion"]
	if bid, bsecret, ok := r.BasicAuth(); ok {
		// RFC 6749 section 2.3.1: both parts are form-encoded.
		bid, err1 := url.QueryUnescape(bid)
		bsecret, err2 := url.QueryUnescape(bsecret)
		if err1 != nil || err2 != nil {
			return nil, false, errUnauthorized
		}
		if secret != "" || assertion != "" || (id != "" && id != bid) {
			return nil, false, invalidRequest("Multiple client authentication methods")
		}
		id, secret = bid, bsecret
		if secret == "" {
			return nil, false, errUnauthorized
		}
	}
	if id == "" {
		return nil, false, invalidRequest("Missing required parameter: client_id")
	}
	c = t.dir.clients[id]
	if c == nil {
		return nil, false, errUnauthorized
	}
	switch {
	case assertion != "":
		if secret != "" {
			return nil, false, invalidRequest("Multiple client authentication methods")
		}
		if p["client_assertion_type"] != assertionType {
			return nil, false, invalidRequest("Invalid client_assertion_type")
		}
		if !t.checkAssertion(ctx, c, assertion) {
			return nil, false, errUnauthorized
		}
		return c, true, nil
	case secret != "":
		// Constant time, and a public client (empty Secret) never matches.
		if c.Secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
			return nil, false, errUnauthorized
		}
		return c, true, nil
	case c.Secret != "" || c.AssertionKey != nil:
		return nil, false, errUnauthorized // a confidential client must authenticate
	}
	return c, false, nil
}

// checkAssertion verifies a private_key_jwt client assertion (RFC 7523):
// signed by the client's key, iss = sub = client_id, aud the tenant's issuer
// or token endpoint, not expired, and a jti not seen before.
func (t *Tenant) checkAssertion(ctx context.Context, c *client, assertion string) bool {
	if c.AssertionKey == nil {
		return false
	}
	v, err := verifier.New(verifier.Config{
		Issuer:         c.ID,
		Audience:       []string{t.issuer, t.URL + "/oauth/token"},
		Algorithms:     []string{c.AssertionKey.Algorithm()},
		Keys:           anyKID{c.AssertionKey},
		RequiredClaims: []string{"sub", "jti"},
		CacheSize:      -1,
		Now:            t.now,
	})
	if err != nil {
		return false
	}
	claims, err := v.Verify(ctx, assertion)
	if err != nil || claims.Subject != c.ID || claims.ID == "" {
		return false
	}
	return t.assertions.first(c.ID+"\x00"+claims.ID, claims.ExpiresAt, t.now())
}

// anyKID serves one key whatever kid the token names: client assertions
// often carry none, or one the tenant does not know.
type anyKID struct{ k *verifier.Key }

func (a anyKID) Key(_ context.Context, _, alg string) (*verifier.Key, error) {
	if alg != a.k.Algorithm() {
		return nil, verifier.ErrKeyNotFound
	}
	return a.k, nil
}

// jtiCache remembers the jti of client assertions until they expire, to
// refuse replays.
type jtiCache struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// maxJTIs bounds the replay cache; beyond it the oldest entries are dropped.
const maxJTIs = 10000

func newJTICache() *jtiCache { return &jtiCache{seen: map[string]time.Time{}} }

// first records id until exp and reports whether it was new.
func (c *jtiCache) first(id string, exp, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.seen {
		if !e.After(now) {
			delete(c.seen, k)
		}
	}
	if _, dup := c.seen[id]; dup {
		return false
	}
	if len(c.seen) >= maxJTIs {
		return false // fail closed rather than forget
	}
	c.seen[id] = exp
	return true
}
