package jwks_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// A static key set from a JWKS document: every key is checked and bound to
// one algorithm; keys the policy refuses are skipped and reported.
func ExampleParse() {
	data, err := os.ReadFile("testdata/example-jwks.json")
	if err != nil {
		log.Fatal(err)
	}
	set, err := jwks.Parse(data)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range set.Keys() {
		fmt.Println("key", k.ID(), k.Algorithm())
	}
	for _, d := range set.Dropped() {
		fmt.Println("skipped", d.Kid+":", d.Reason)
	}
	// The set is a verifier.KeySource.
	_, err = set.Key(context.Background(), "rsa-2024", "PS256")
	fmt.Println(errors.Is(err, verifier.ErrKeyNotFound))
	// Output:
	// key rsa-2024 RS256
	// key ec-2024 ES256
	// skipped enc-2024: use "enc" is not sig
	// true
}

// A remote key set: New fetches the JWKS (here from a local test server),
// keeps it fresh, and refetches when a token names an unknown kid.
func ExampleNew() {
	data, err := os.ReadFile("testdata/example-jwks.json")
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Write(data)
	}))
	defer srv.Close()

	keys, err := jwks.New(jwks.Config{
		URL:      srv.URL + "/.well-known/jwks.json", // use https for a real provider
		Prefetch: 5 * time.Second,                    // fail at start-up if the keys cannot be had
	})
	if err != nil {
		log.Fatal(err)
	}
	defer keys.Close()
	fmt.Println("keys:", keys.Stats().Keys)

	k, err := keys.Key(context.Background(), "rsa-2024", "RS256")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("found", k.ID(), k.Algorithm())

	// Wire it into a verifier.
	v, err := verifier.New(verifier.Config{
		Issuer:   "https://tenant.example.auth0.com/",
		Audience: []string{"https://api.example.com"},
		Keys:     keys,
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = v
	// Output:
	// keys: 2
	// found rsa-2024 RS256
}

// Discover finds an issuer's jwks_uri; its issuer must match exactly.
func ExampleDiscover() {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, srv.URL+"/", srv.URL+"/.well-known/jwks.json")
	}))
	defer srv.Close()

	uri, err := jwks.Discover(context.Background(), srv.URL+"/", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(uri == srv.URL+"/.well-known/jwks.json")

	_, err = jwks.Discover(context.Background(), srv.URL, nil) // no trailing slash: a different issuer
	fmt.Println(errors.Is(err, jwks.ErrDiscovery))
	// Output:
	// true
	// true
}

// A JWKS URL that serves no key set (here a 404) is a configuration
// problem: with Prefetch, New fails at start-up and says so, once.
func ExampleFetchError_Misconfigured() {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()

	_, err := jwks.New(jwks.Config{URL: srv.URL + "/jwks.json", Prefetch: 5 * time.Second})
	var fe *jwks.FetchError
	if errors.As(err, &fe) {
		fmt.Println(fe.StatusCode, fe.ContentType, fe.Misconfigured())
	}
	fmt.Println(strings.ReplaceAll(err.Error(), srv.URL, "https://tenant.example.com"))
	// Output:
	// 404 text/plain true
	// verifier: keys unavailable: jwks: fetch https://tenant.example.com/jwks.json: HTTP 404 (text/plain): not a key set URL: check the configured JWKS URL
}
