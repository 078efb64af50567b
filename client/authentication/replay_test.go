package authentication

import (
	"bufio"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/internal/rest"
)

// record is one line of testdata/auth0-recordings.jsonl.
type record struct {
	Cassette           string            `json:"cassette"`
	Method             string            `json:"method"`
	Path               string            `json:"path"`
	ContentType        *string           `json:"request_content_type"`
	RequestBody        json.RawMessage   `json:"request_body"`
	Status             int               `json:"status"`
	ResponseHeaders    map[string]string `json:"response_headers_subset"`
	ResponseBody       json.RawMessage   `json:"response_body"`
	QualityFlags       []string          `json:"quality_flags"`
	formBody, jsonBody map[string]any
}

func loadRecords(t *testing.T) []*record {
	t.Helper()
	f, err := os.Open("testdata/auth0-recordings.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if string(r.RequestBody) != "null" && len(r.RequestBody) > 0 {
			var m map[string]any
			if err := json.Unmarshal(r.RequestBody, &m); err != nil {
				t.Fatalf("%s: request body: %v", r.Cassette, err)
			}
			if r.ContentType != nil && *r.ContentType == "application/x-www-form-urlencoded" {
				r.formBody = m
			} else {
				r.jsonBody = m
			}
		}
		out = append(out, &r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// field returns a recorded request field as a string ("" if absent).
func (r *record) field(name string) string {
	var v any
	if r.formBody != nil {
		v = r.formBody[name]
		if l, ok := v.([]any); ok && len(l) > 0 {
			v = l[0]
		}
	} else if r.jsonBody != nil {
		v = r.jsonBody[name]
	}
	s, _ := v.(string)
	return s
}

func (r *record) strings(name string) []string {
	l, _ := r.jsonBody[name].([]any)
	var out []string
	for _, v := range l {
		out = append(out, v.(string))
	}
	return out
}

// extra returns the recorded form fields this package does not set itself.
func (r *record) extra(known ...string) url.Values {
	out := url.Values{}
	for k, v := range r.formBody {
		if slices.Contains(known, k) || k == "client_id" || k == "client_secret" || k == "client_assertion" || k == "client_assertion_type" {
			continue
		}
		for _, s := range v.([]any) {
			out.Add(k, s.(string))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// replayCase says how to call the method a cassette recorded.
type replayCase struct {
	// forceSecret configures a client secret even though the recording has
	// none: the method must not send client authentication.
	forceSecret bool
	call        func(ctx context.Context, c *Client, r *record) (any, error)
}

func backChannelLogin(ctx context.Context, c *Client, r *record) (any, error) {
	return c.BackChannelLogin(ctx, BackChannelLoginRequest{BindingMessage: r.field("binding_message"), LoginHint: r.field("login_hint"), Scope: r.field("scope")})
}

var replayCases = map[string]replayCase{
	"TestCIBA":         {call: backChannelLogin},
	"TestCIBANegative": {call: backChannelLogin},
	"TestDatabaseChangePassword": {forceSecret: true, call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.ChangePassword(ctx, ChangePasswordRequest{Email: r.field("email"), Connection: r.field("connection"), Organization: r.field("organization")})
	}},
	"TestDatabaseSignUp": {forceSecret: true, call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.Signup(ctx, SignupRequest{Email: r.field("email"), Password: r.field("password"), Connection: r.field("connection"),
			Username: r.field("username"), PhoneNumber: r.field("phone_number")})
	}},
	"TestLoginWithAuthCode/": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.AuthorizationCode(ctx, AuthorizationCodeRequest{Code: r.field("code"), RedirectURI: r.field("redirect_uri")})
	}},
	"TestLoginWithAuthCodeWithPKCE": {forceSecret: true, call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.AuthorizationCodePKCE(ctx, AuthorizationCodePKCERequest{Code: r.field("code"), CodeVerifier: r.field("code_verifier"), RedirectURI: r.field("redirect_uri")})
	}},
	"TestLoginWithClientCredentials": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.ClientCredentials(ctx, ClientCredentialsRequest{Audience: r.field("audience"), Organization: r.field("organization"),
			Extra: r.extra("grant_type", "audience", "organization")})
	}},
	"TestMFAAddAuthenticator": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.MFAAssociate(ctx, MFAAssociateRequest{MFAToken: "mfa-token", AuthenticatorTypes: r.strings("authenticator_types"),
			OOBChannels: r.strings("oob_channels"), PhoneNumber: r.field("phone_number")})
	}},
	"TestMFAChallenge": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.MFAChallenge(ctx, MFAChallengeRequest{MFAToken: r.field("mfa_token"), ChallengeType: r.field("challenge_type"), AuthenticatorID: r.field("authenticator_id")})
	}},
	"TestMFADeleteAuthenticator": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		id, _ := url.PathUnescape(r.Path[strings.LastIndex(r.Path, "/")+1:])
		return nil, c.DeleteMFAAuthenticator(ctx, "mfa-token", id)
	}},
	"TestMFAListAuthenticators": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.MFAAuthenticators(ctx, "mfa-token")
	}},
	"TestMFAVerifyWithOOB": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.MFAVerifyOOB(ctx, r.field("mfa_token"), r.field("oob_code"), r.field("binding_code"))
	}},
	"TestMFAVerifyWithOTP": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.MFAVerifyOTP(ctx, r.field("mfa_token"), r.field("otp"))
	}},
	"TestOAuthLoginWithPassword": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.Login(ctx, LoginRequest{Username: r.field("username"), Password: r.field("password"), Realm: r.field("realm"),
			Scope: r.field("scope"), Audience: r.field("audience"), GrantType: r.field("grant_type"),
			Extra: r.extra("grant_type", "username", "password", "realm", "scope", "audience")})
	}},
	"TestPushedAuthorizationRequest": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.PushAuthorizationRequest(ctx, PushedAuthorizationRequest{ResponseType: r.field("response_type"), RedirectURI: r.field("redirect_uri"),
			Audience: r.field("audience"), Scope: r.field("scope"), Nonce: r.field("nonce"), Organization: r.field("organization"),
			Invitation: r.field("invitation"), Connection: r.field("connection"), CodeChallenge: r.field("code_challenge"),
			ResponseMode: r.field("response_mode"),
			Extra:        r.extra("response_type", "redirect_uri", "audience", "scope", "nonce", "organization", "invitation", "connection", "code_challenge", "response_mode")})
	}},
	"TestRefreshToken": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.RefreshToken(ctx, RefreshTokenRequest{RefreshToken: r.field("refresh_token"), Scope: r.field("scope")})
	}},
	"TestRevokeRefreshToken": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return nil, c.RevokeRefreshToken(ctx, r.field("token"))
	}},
	"TestUserInfo": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.UserInfo(ctx, "test-access-token")
	}},
	"TestLoginWithCustomTokenExchange": {call: func(ctx context.Context, c *Client, r *record) (any, error) {
		return c.CustomTokenExchange(ctx, TokenExchangeRequest{SubjectTokenType: r.field("subject_token_type"), SubjectToken: r.field("subject_token"),
			Audience: r.field("audience"), Scope: r.field("scope"), RequestedTokenType: r.field("requested_token_type"), Organization: r.field("organization"),
			Extra: r.extra("grant_type", "subject_token_type", "subject_token", "audience", "scope", "requested_token_type", "organization")})
	}},
}

func caseFor(cassette string) (replayCase, bool) {
	name := strings.TrimPrefix(cassette, "authentication/")
	var best string
	for k := range replayCases {
		// "TestLoginWithAuthCode/" must not catch "TestLoginWithAuthCodeWithPKCE".
		if strings.HasPrefix(name, k) && (strings.HasSuffix(k, "/") || len(name) == len(k) || name[len(k)] == '/' || name[len(k)] == '_') && len(k) > len(best) {
			best = k
		}
	}
	rc, ok := replayCases[best]
	return rc, ok
}

var (
	assertionKeyOnce sync.Once
	assertionKey     *rsa.PrivateKey
)

func testRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	assertionKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		assertionKey = k
	})
	return assertionKey
}

// TestReplay sends every recorded Authentication API call through the
// matching method and checks, on a server that replays the recording, the
// method, path, content type and every body field, then that the method
// decodes the recorded answer.
func TestReplay(t *testing.T) {
	records := loadRecords(t)
	if len(records) != 45 {
		t.Fatalf("records: got %d, want 45", len(records))
	}
	for _, rec := range records {
		t.Run(strings.TrimPrefix(rec.Cassette, "authentication/"), func(t *testing.T) {
			rc, ok := caseFor(rec.Cassette)
			if !ok {
				t.Fatalf("no replay case for cassette %s", rec.Cassette)
			}
			srv := httptest.NewServer(replayHandler(t, rec))
			defer srv.Close()

			cfg := Config{ClientID: rec.field("client_id"), HTTP: client.Config{MaxRetries: client.NoRetries}}
			if s := rec.field("client_secret"); s != "" {
				cfg.ClientSecret = s
			} else if rc.forceSecret {
				cfg.ClientSecret = "must-not-be-sent"
			}
			if rec.field("client_assertion") != "" {
				cfg.ClientAssertionKey, cfg.ClientAssertionAlg = testRSAKey(t), "RS256"
			}
			if cfg.ClientID == "" {
				cfg.ClientID = "test-client_id"
			}
			c, err := New(srv.URL, cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			got, err := rc.call(context.Background(), c, rec)
			if rec.Status >= 400 {
				checkRecordedError(t, rec, err)
				return
			}
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			checkDecoded(t, rec, got)
		})
	}
}

// replayHandler checks the request against rec and answers as recorded.
func replayHandler(t *testing.T, rec *record) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != rec.Method {
			t.Errorf("method: got %s, want %s", r.Method, rec.Method)
		}
		if r.URL.EscapedPath() != rec.Path {
			t.Errorf("path: got %s, want %s", r.URL.EscapedPath(), rec.Path)
		}
		body, _ := io.ReadAll(r.Body)
		// A content type is compared where the recording has a body; the
		// recorder stamped application/json on bodyless GET and DELETE too.
		if rec.formBody != nil || rec.jsonBody != nil {
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if mt != *rec.ContentType {
				t.Errorf("content type: got %q, want %q", mt, *rec.ContentType)
			}
		} else if len(body) != 0 {
			t.Errorf("body: got %q, want none", body)
		}
		switch {
		case rec.formBody != nil:
			got, err := url.ParseQuery(string(body))
			if err != nil {
				t.Errorf("form body %q: %v", body, err)
			}
			want := url.Values{}
			for k, v := range rec.formBody {
				for _, s := range v.([]any) {
					want.Add(k, s.(string))
				}
			}
			compareAssertion(t, got.Get("client_assertion"), want.Get("client_assertion"), "http://"+r.Host+"/")
			got.Del("client_assertion")
			want.Del("client_assertion")
			if !reflect.DeepEqual(got, want) {
				t.Errorf("form fields:\n got %v\nwant %v", got, want)
			}
		case rec.jsonBody != nil:
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Errorf("JSON body %q: %v", body, err)
			}
			if !reflect.DeepEqual(got, rec.jsonBody) {
				t.Errorf("JSON fields:\n got %v\nwant %v", got, rec.jsonBody)
			}
		}
		if strings.HasPrefix(rec.Path, "/userinfo") || strings.HasPrefix(rec.Path, "/mfa/authenticators") {
			if got := r.Header.Get("Authorization"); got == "" {
				t.Errorf("Authorization: got none, want a bearer token")
			}
		}
		for k, v := range rec.ResponseHeaders {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rec.Status)
		w.Write(recordedBody(rec))
	}
}

// recordedBody is the response body as the API sent it.
func recordedBody(rec *record) []byte {
	b := rec.ResponseBody
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] == '"' && !strings.Contains(rec.ResponseHeaders["Content-Type"], "json") {
		var s string
		json.Unmarshal(b, &s)
		return []byte(s)
	}
	return b
}

// compareAssertion checks a private_key_jwt assertion: present exactly when
// recorded, signed by our key, with the claims the Auth0 SDKs send.
func compareAssertion(t *testing.T, got, recorded, audience string) {
	t.Helper()
	if (got == "") != (recorded == "") {
		t.Errorf("client_assertion: got %q, recorded %q", got, recorded)
		return
	}
	if got == "" {
		return
	}
	checkAssertion(t, got, testRSAKey(t).Public(), "RS256", "test-client_id", audience)
}

func checkAssertion(t *testing.T, tok string, pub crypto.PublicKey, algName, clientID, audience string) (jti string) {
	t.Helper()
	alg, ok := jwa.LookupSignatureAlgorithm(algName)
	if !ok {
		t.Errorf("jwx knows no algorithm %q", algName)
		return ""
	}
	payload, err := jws.Verify([]byte(tok), jws.WithKey(alg, pub))
	if err != nil {
		t.Errorf("client assertion does not verify: %v", err)
		return ""
	}
	msg, _ := jws.Parse([]byte(tok))
	h := msg.Signatures()[0].ProtectedHeaders()
	gotAlg, _ := h.Algorithm()
	typ, _ := h.Type()
	if gotAlg != alg || typ != "JWT" {
		t.Errorf("assertion header: got alg %s typ %q, want %s JWT", gotAlg, typ, alg)
	}
	var cl struct {
		Iss, Sub, Aud, Jti string
		Iat, Exp           int64
	}
	if err := json.Unmarshal(payload, &cl); err != nil {
		t.Errorf("assertion claims %s: %v", payload, err)
		return ""
	}
	if cl.Iss != clientID || cl.Sub != clientID || cl.Aud != audience {
		t.Errorf("assertion iss/sub/aud: got %q %q %q, want %q %q %q", cl.Iss, cl.Sub, cl.Aud, clientID, clientID, audience)
	}
	if cl.Exp-cl.Iat != 180 {
		t.Errorf("assertion lifetime: got %d s, want 180 s", cl.Exp-cl.Iat)
	}
	if now := time.Now().Unix(); cl.Iat < now-60 || cl.Iat > now+60 {
		t.Errorf("assertion iat: got %d, want about %d", cl.Iat, now)
	}
	if len(cl.Jti) != 36 || cl.Jti[14] != '4' {
		t.Errorf("assertion jti: got %q, want a UUIDv4", cl.Jti)
	}
	return cl.Jti
}

// checkRecordedError: a recorded error answer becomes a *client.Error with
// the recorded status and the fields ParseError reads.
func checkRecordedError(t *testing.T, rec *record, err error) {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *client.Error", err)
	}
	want := rest.ParseError(rec.Status, nil, recordedBody(rec))
	if e.StatusCode != rec.Status || e.Code != want.Code || e.Message != want.Message {
		t.Errorf("error: got %d %q %q, want %d %q %q", e.StatusCode, e.Code, e.Message, rec.Status, want.Code, want.Message)
	}
	var body map[string]any
	if json.Unmarshal(rec.ResponseBody, &body) == nil {
		if code, ok := body["error"].(string); ok && e.Code != code {
			t.Errorf("Code: got %q, want the recorded error %q", e.Code, code)
		}
	}
}

// checkDecoded: every member of the recorded answer is in the decoded
// value, with the same value.
func checkDecoded(t *testing.T, rec *record, got any) {
	t.Helper()
	want := recordedBody(rec)
	if len(want) == 0 {
		if got != nil && !reflect.ValueOf(got).IsNil() {
			t.Errorf("got %v for an empty answer, want nil", got)
		}
		return
	}
	if s, ok := got.(string); ok {
		if s != string(want) {
			t.Errorf("got %q, want %q", s, want)
		}
		return
	}
	gotJSON, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	json.Unmarshal(gotJSON, &g)
	json.Unmarshal(want, &w)
	if diff := missing(g, w, ""); diff != "" {
		t.Errorf("decoded answer lost recorded members: %s\n got %s\nwant %s", diff, gotJSON, want)
	}
}

// missing reports the first member of want absent or different in got
// (zero values in want may be omitted by omitempty).
func missing(got, want any, at string) string {
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				if wv == false || wv == "" || wv == float64(0) {
					continue
				}
				return at + "." + k
			}
			if d := missing(gv, wv, at+"."+k); d != "" {
				return d
			}
		}
	case []any:
		g, _ := got.([]any)
		if len(g) != len(w) {
			return at + " (length)"
		}
		for i := range w {
			if d := missing(g[i], w[i], at+"[]"); d != "" {
				return d
			}
		}
	default:
		if !reflect.DeepEqual(got, want) {
			return at
		}
	}
	return ""
}
