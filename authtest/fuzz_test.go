package authtest

import (
	"net/url"
	"strings"
	"testing"
)

func FuzzParseTokenParams(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=a&client_secret=b&audience=https%3A%2F%2Fapi")
	f.Add("application/x-www-form-urlencoded", "a=1&a=2")
	f.Add("application/x-www-form-urlencoded", "a=%zz")
	f.Add("application/json", `{"grant_type":"password","username":"u","password":"p","realm":null,"scope":["openid","email"]}`)
	f.Add("application/json; charset=utf-8", `{"a":"1","a":"2"}`)
	f.Add("application/json", `{"a":1}`)
	f.Add("application/json", `{"a":"1"}{}`)
	f.Add("application/json", `[]`)
	f.Add("application/json", `{"scope":[1]}`)
	f.Add("text/plain", "a=b")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		p, oerr := parseTokenParams(contentType, []byte(body))
		if oerr != nil {
			if p != nil || oerr.status != 400 || oerr.code != "invalid_request" || oerr.description == "" {
				t.Fatalf("error answer %+v with params %v", oerr, p)
			}
			return
		}
		if p == nil {
			t.Fatal("no error and no params")
		}
		// Accepted form bodies survive a round trip unchanged.
		if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
			q := url.Values{}
			for k, v := range p {
				q.Set(k, v)
			}
			again, oerr := parseTokenParams(contentType, []byte(q.Encode()))
			if oerr != nil || len(again) != len(p) {
				t.Fatalf("round trip: %v %v, want %v", again, oerr, p)
			}
			for k, v := range p {
				if again[k] != v {
					t.Fatalf("round trip of %q: got %q, want %q", k, again[k], v)
				}
			}
		}
	})
}

func FuzzParsePaging(f *testing.F) {
	f.Add("page=1&per_page=10&include_totals=true", true)
	f.Add("from="+encodeCursor(3)+"&take=2", true)
	f.Add("from=MTIz", true)
	f.Add("take=0", true)
	f.Add("take=101", false)
	f.Add("page=-1", false)
	f.Add("include_totals=yes", false)
	f.Add("page=99999999999999999999", false)
	f.Fuzz(func(t *testing.T, query string, checkpoint bool) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		p, err := parsePaging(q, checkpoint)
		if err != nil {
			return
		}
		if p.size < 1 || p.size > maxPageSize || p.start < 0 {
			t.Fatalf("%q: size %d start %d out of bounds", query, p.size, p.start)
		}
		if p.checkpoint && !checkpoint {
			t.Fatalf("%q: checkpoint paging where the endpoint has none", query)
		}
	})
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(0))
	f.Add(encodeCursor(123456))
	f.Add("MTIz")
	f.Add("YXV0aHRlc3Q6LTE") // "authtest:-1"
	f.Add("YXV0aHRlc3Q6MDE") // "authtest:01"
	f.Add(strings.Repeat("A", 100))
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := decodeCursor(s)
		if !ok {
			return
		}
		// Cursors are canonical: only the encoding of n decodes to n.
		if n < 0 || encodeCursor(n) != s {
			t.Fatalf("decodeCursor(%q) = %d, but encodeCursor(%d) = %q", s, n, n, encodeCursor(n))
		}
	})
}
