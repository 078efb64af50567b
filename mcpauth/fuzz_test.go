package mcpauth

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzMC6Peek (SECURITY.md MC6): toolCalls never panics, and whenever it
// accepts a body, two other readers agree with it on the tools called:
// encoding/json (case-insensitive member matching, last duplicate wins,
// the reading a peer most likely makes) and an exact-case reader (the
// SDK's). A body on which they could disagree must be refused.
func FuzzMC6Peek(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"admin"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","name":"admin"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","Name":"admin"}}`,
		`{"jsonrpc":"2.0","id":1,"Method":"tools/call","params":{"name":"admin"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools\/call","params":{"n\u0061me":"admin"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"Tools/Call","params":{"name":"admin"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","param` + "\u017f" + `":{"name":"admin"}}`,
		`[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"}},{"jsonrpc":"2.0","id":2,"method":"ping"}]`,
		`{"jsonrpc":"2.0","id":1,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":1,"result":{}}`,
		`{"method":7,"params":{"name":"admin"}}`,
		`[]`, `null`, `"x"`, `{}`, `{"method":"tools/call"}`, `{"method":"tools/call","params":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		names, err := toolCalls(body)
		if err != nil {
			if _, ok := asBodyError(err); !ok {
				t.Fatalf("error %v is not an *errBody", err)
			}
			return
		}
		var msgs []json.RawMessage
		if err := json.Unmarshal(body, &msgs); err != nil {
			msgs = []json.RawMessage{body}
		}
		var folded, exact []string
		for _, m := range msgs {
			if name, ok := foldedReader(t, m); ok {
				folded = append(folded, name)
			}
			if name, ok := exactReader(t, m); ok {
				exact = append(exact, name)
			}
		}
		if !slices.Equal(names, folded) || !slices.Equal(names, exact) {
			t.Fatalf("toolCalls(%q) = %q; encoding/json reads %q, an exact-case reader %q", body, names, folded, exact)
		}
	})
}

// foldedReader reads one message as encoding/json does: member names
// matched case-insensitively, the last duplicate winning.
func foldedReader(t *testing.T, m json.RawMessage) (string, bool) {
	var msg struct {
		Method json.RawMessage `json:"method"`
		Params json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(m, &msg); err != nil {
		t.Fatalf("encoding/json refuses %q, which toolCalls accepted: %v", m, err)
	}
	var method string
	if json.Unmarshal(msg.Method, &method) != nil || method != methodToolsCall {
		return "", false
	}
	var p struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(msg.Params, &p); err != nil {
		t.Fatalf("encoding/json refuses the params of %q: %v", m, err)
	}
	return p.Name, true
}

// exactReader reads one message with exact member names (last wins).
func exactReader(t *testing.T, m json.RawMessage) (string, bool) {
	var msg map[string]json.RawMessage
	if err := json.Unmarshal(m, &msg); err != nil {
		t.Fatalf("not an object: %q: %v", m, err)
	}
	var method string
	if json.Unmarshal(msg["method"], &method) != nil || method != methodToolsCall {
		return "", false
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal(msg["params"], &p); err != nil {
		t.Fatalf("params of %q: %v", m, err)
	}
	var name string
	if err := json.Unmarshal(p["name"], &name); err != nil {
		t.Fatalf("name of %q: %v", m, err)
	}
	return name, true
}
