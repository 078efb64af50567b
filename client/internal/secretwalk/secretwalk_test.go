package secretwalk

import (
	"encoding/json"
	"net/url"
	"testing"
)

// The walk's fast path trusts that a Marker's tag survives every escaping
// and that Leaked finds a value in each of them: check both.
func TestTagsAndLeaked(t *testing.T) {
	f := &Filler{}
	v := f.Marker("Client_Secret")
	tag := TagOf(v)
	if tag != "k1kclientsecret" {
		t.Fatalf("TagOf(%q) = %q, want k1kclientsecret", v, tag)
	}
	for _, form := range Escapings(v) {
		if !Tags("x " + form + " y")[tag] {
			t.Errorf("tag %q not found in %q", tag, form)
		}
		if Leaked("x "+form+" y", v) == "" {
			t.Errorf("Leaked misses %q", form)
		}
	}
	b, _ := json.Marshal(map[string]string{"echo": url.QueryEscape(v)})
	if Leaked(string(b), v) == "" {
		t.Errorf("Leaked misses an escaping inside JSON: %s", b)
	}
	if Leaked("nothing here", v) != "" || TagOf("plain") != "" {
		t.Error("false positive")
	}
}
