package rest

import (
	"context"
	"github.com/tokengate/tokengate/client"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRequestBody(t *testing.T) {
	var gotCT, gotBody string
	srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		gotCT = r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.WriteHeader(http.StatusNoContent)
	})
	var shown string
	c := newTestClient(t, srv.URL, client.Config{Debug: func(e client.DebugEvent) { shown = e.RequestBody }})
	ctx := context.Background()

	body := "--b\r\nContent-Disposition: form-data; name=\"users\"\r\n\r\n[{\"password_hash\":\"x\"}]\r\n--b--\r\n"
	h := http.Header{"Content-Type": {"multipart/form-data; boundary=b"}}
	if _, err := c.Do(ctx, &Request{Method: "POST", Path: "/up", Body: []byte(body), Header: h}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if gotCT != "multipart/form-data; boundary=b" || gotBody != body {
		t.Errorf("got %q %q, want the Content-Type and body as given", gotCT, gotBody)
	}
	if strings.Contains(shown, "password_hash") {
		t.Errorf("debug event shows the raw body: %q", shown)
	}

	for name, r := range map[string]*Request{
		"no content type": {Method: "POST", Path: "/up", Body: []byte("x")},
		"body and JSON":   {Method: "POST", Path: "/up", Body: []byte("x"), JSON: 1, Header: h},
		"body and form":   {Method: "POST", Path: "/up", Body: []byte("x"), Form: map[string][]string{"a": {"b"}}, Header: h},
	} {
		if _, err := c.Do(ctx, r, nil); err == nil {
			t.Errorf("%s: got nil error, want one", name)
		}
	}
}
