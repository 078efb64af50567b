package rest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"

	"github.com/tokengate/tokengate/client"
)

// minScrubLen: request secrets shorter than this are not searched for in
// answers (replacing every "a" of a message would only destroy it; real
// secrets are longer).
const minScrubLen = 4

// secretForms expands secret values into every form a server may echo them
// in: as they are, HTML-escaped (both common entity sets), and each of
// these JSON-escaped (HTML-safe or not, ASCII-only, with "\/"), form- and
// path-escaped (upper- and lower-case hex, "+" or "%20" for a space), and
// each of those once more JSON-escaped. Values shorter than minScrubLen are
// skipped. The forms are sorted longest
// first, so that a longer form is replaced before a shorter one inside it.
func secretForms(secrets []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if len(f) >= minScrubLen && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, sec := range secrets {
		if len(sec) < minScrubLen {
			continue
		}
		first := len(out)
		for _, base := range [...]string{sec, html.EscapeString(sec), htmlEntities.Replace(sec)} {
			add(base)
			for _, j := range [...]string{jsonEscape(base, true), jsonEscape(base, false), jsonASCII(base)} {
				add(j)
				add(strings.ReplaceAll(j, "/", `\/`))
			}
			for _, u := range [...]string{url.QueryEscape(base), url.PathEscape(base), strings.ReplaceAll(url.QueryEscape(base), "+", "%20")} {
				add(u)
				add(lowerPercentHex(u))
			}
		}
		// Each form once more inside a JSON string: an echo of an echo,
		// seen when a JSON body that is cut (so not decoded) holds one.
		for _, f := range out[first:] {
			add(jsonEscape(f, true))
			add(jsonEscape(f, false))
		}
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return out
}

// htmlEntities is the other common HTML escaping (&quot; and &#x27;).
var htmlEntities = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&#x27;")

// lowerPercentHex writes the hex digits of u's percent escapes in lower
// case (%2F as %2f), as some servers echo them.
func lowerPercentHex(u string) string {
	b := []byte(u)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if 'A' <= b[j] && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
		}
	}
	return string(b)
}

// jsonEscape is s as the inside of a JSON string, with or without
// encoding/json's HTML-safe escapes (\u003c, \u003e, \u0026).
func jsonEscape(s string, htmlSafe bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(htmlSafe)
	enc.Encode(s)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return string(b[1 : len(b)-1])
}

// jsonASCII is s as the inside of a JSON string with every non-ASCII rune
// written \uXXXX (lower-case hex, surrogate pairs), as Python's json does.
func jsonASCII(s string) string {
	var b strings.Builder
	for _, r := range jsonEscape(s, false) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			writeU(&b, 0xD800+(r>>10))
			writeU(&b, 0xDC00+(r&0x3FF))
		default:
			writeU(&b, r)
		}
	}
	return b.String()
}

func writeU(b *strings.Builder, r rune) {
	const hex = "0123456789abcdef"
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hex[(r>>shift)&0xF])
	}
}

// scrubber removes secret values, in every form secretForms knows, from
// text: one pass over the text whatever the number of forms (a
// strings.Replacer; at each position the first, so longest, form that
// matches wins). A nil *scrubber removes nothing.
type scrubber struct{ r *strings.Replacer }

func newScrubber(secrets []string) *scrubber {
	forms := secretForms(secrets)
	if len(forms) == 0 {
		return nil
	}
	args := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		args = append(args, f, client.Redacted)
	}
	return &scrubber{strings.NewReplacer(args...)}
}

func (sc *scrubber) scrub(s string) string {
	if sc == nil {
		return s
	}
	return sc.r.Replace(s)
}
