package rest

import (
	"context"
	"fmt"
	"github.com/tokengate/tokengate/client"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// secretValues are sent by TestNoSecretLeaks in every place a secret can be.
var secretValues = []string{
	"cs-Zm9vYmFyYmF6cXV4", // client_secret
	"eyJhbGciOiJSUzI1NiJ9.assertion.sig",
	"P@ssw0rd&<>!",
	"rt-9f8e7d6c5b4a",
	"authz-code-123456",
	"verifier-abcdefghijklmnop",
	"at-0a1b2c3d4e5f",
	"idt-zyxwvutsrq",
	"subject-tok-777",
	"otp-445566",
	"mfa-tok-Fe26.2",
	"bearer-tok-xyz987",
	"query-at-424242",
}

func TestNoSecretLeaks(t *testing.T) {
	form := url.Values{
		"client_id":        {"my-client-id"},
		"client_secret":    {secretValues[0]},
		"client_assertion": {secretValues[1]},
		"password":         {secretValues[2]},
		"refresh_token":    {secretValues[3]},
		"code":             {secretValues[4]},
		"code_verifier":    {secretValues[5]},
	}
	jsonBody := map[string]any{
		"client_id":     "my-client-id",
		"access_token":  secretValues[6],
		"id_token":      secretValues[7],
		"subject_token": secretValues[8],
		"nested":        map[string]any{"otp": secretValues[9], "list": []any{map[string]any{"mfa_token": secretValues[10]}}},
	}
	// The server echoes the whole request (body, headers, query) in its
	// answer, the worst case for an error message and a debug dump.
	echo := func(status int) func(int, http.ResponseWriter, *http.Request) {
		return func(_ int, w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Set-Cookie", "session="+secretValues[11])
			w.WriteHeader(status)
			dump := string(b) + " " + r.Header.Get("Authorization") + " " + r.URL.RawQuery
			fmt.Fprintf(w, `{"error":%q,"error_description":%q,"access_token":%q,"echo":%q}`,
				"bad "+dump, "you sent: "+dump, secretValues[6], dump)
		}
	}
	requests := map[string]func() *Request{
		"form": func() *Request {
			return &Request{Method: "POST", Path: "/oauth/token", Form: form,
				Header: http.Header{"Authorization": {"Bearer " + secretValues[11]}}}
		},
		"json": func() *Request {
			return &Request{Method: "POST", Path: "/mfa/challenge", JSON: jsonBody,
				Query: url.Values{"access_token": {secretValues[12]}, "page": {"1"}}}
		},
	}
	for _, status := range []int{200, 400, 429, 500} {
		for name, mk := range requests {
			t.Run(fmt.Sprintf("%s %d", name, status), func(t *testing.T) {
				srv, _ := counting(t, echo(status))
				var events []client.DebugEvent
				c := newTestClient(t, srv.URL, client.Config{MaxRetries: 1, Debug: func(e client.DebugEvent) { events = append(events, e) }})
				var out map[string]any
				_, err := c.Do(context.Background(), mk(), &out)
				if status == 200 && err != nil {
					t.Fatalf("Do: %v", err)
				}
				if status != 200 && err == nil {
					t.Fatalf("Do: got nil error for status %d", status)
				}
				if len(events) == 0 {
					t.Fatal("no debug events")
				}
				var dump strings.Builder
				if err != nil {
					dump.WriteString(err.Error())
					fmt.Fprintf(&dump, " %v %s", err, err)
				}
				for _, e := range events {
					fmt.Fprintf(&dump, " %+v %v %v", e, e.RequestHeader, e.ResponseHeader)
					if e.Err != nil {
						dump.WriteString(e.Err.Error())
					}
				}
				s := dump.String()
				for _, sec := range secretValues {
					if strings.Contains(s, sec) || strings.Contains(s, url.QueryEscape(sec)) {
						t.Errorf("secret %q leaked into the error or debug output:\n%s", sec, s)
					}
				}
				if !strings.Contains(s, client.Redacted) {
					t.Errorf("debug output has no %s marker:\n%s", client.Redacted, s)
				}
				if !strings.Contains(events[0].RequestBody, "my-client-id") {
					t.Errorf("request body lost its non-secret fields: %s", events[0].RequestBody)
				}
			})
		}
	}
}

func TestRedactURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw@tenant.auth0.com/x?access_token=abc&page=2&CODE=xyz#frag")
	got := redactURL(u)
	want := "https://%5BREDACTED%5D@tenant.auth0.com/x?CODE=%5BREDACTED%5D&access_token=%5BREDACTED%5D&page=2"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRedactBody(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		secrets                 []string
		want                    string
	}{
		{"json", "application/json", `{"password":"p","user":{"refresh_token":["a","b"]},"email":"e"}`, nil, `{"email":"e","password":"[REDACTED]","user":{"refresh_token":"[REDACTED]"}}`},
		{"form", "application/x-www-form-urlencoded", "client_secret=s&grant_type=x", nil, "client_secret=%5BREDACTED%5D&grant_type=x"},
		{"text with echoed secret", "text/plain", "bad secret hunter22", []string{"hunter22"}, "bad secret [REDACTED]"},
		{"short secrets not scrubbed", "text/plain", "a b", []string{"a"}, "a b"},
		{"empty", "", "", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := redactBody(tc.contentType, []byte(tc.body), newScrubber(tc.secrets)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestIsSecretName(t *testing.T) {
	for _, name := range []string{
		"client_secret", "Password", "refresh_token", "smtp_pass", "aws_secret_access_key",
		"auth_token", "skey", "cname_api_key", "datadogApiKey", "mixpanelServiceAccountPassword",
		"signing_secret", "webhook_token",
		// X22: the names Auth0 really uses, in any case and separator.
		"secretAccessKey", "clientSecret", "Client-Secret", "CLIENT_SECRET", "connectionString",
		"segmentWriteKey", "sumoSourceAddress", "x-api-key", "X-API-KEY", "ticket", "ticket_url",
		"invitation_url", "barcode_uri", "Barcode-URI", "ticket_id", "provisioning_ticket_url",
		"signingKey", "decryptionKey", "totp_secret",
	} {
		if !IsSecretName(name) {
			t.Errorf("IsSecretName(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"token_type", "expires_in", "scope", "name", "email", "user_id", "domain",
		"statusCode", "errorCode", "code_challenge", "key", "value", "configuration", "grant_type", ""} {
		if IsSecretName(name) {
			t.Errorf("IsSecretName(%q) = true, want false", name)
		}
	}
}
