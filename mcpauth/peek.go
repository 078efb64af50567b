package mcpauth

import (
	"bytes"
	"errors"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// errBody is the one error of the peek: the body is not a JSON-RPC message
// (or batch of them) whose tool calls can be named without doubt. The
// reason is kept for logs; the client gets one constant description.
type errBody struct{ reason string }

func (e *errBody) Error() string { return "mcpauth: request body refused: " + e.reason }

var (
	errNotJSON       = &errBody{"not strict JSON (syntax, duplicate or case-folded duplicate member names, depth, UTF-8)"}
	errNotMessage    = &errBody{"not a JSON-RPC object or a non-empty array of them"}
	errFoldedName    = &errBody{`a member name equal to "method", "params" or "name" only under case folding`}
	errFoldedMethod  = &errBody{`method equal to "tools/call" only under case folding`}
	errParams        = &errBody{"tools/call without params, or params not an object"}
	errToolName      = &errBody{"tools/call params without a string name"}
	errTooManyCalls  = &errBody{"more tool calls in one batch than MaxBatchCalls"}
	errEmptyToolName = &errBody{"tools/call with an empty tool name"}
)

// methodToolsCall is the JSON-RPC method of a tool call (MCP "tools/call").
const methodToolsCall = "tools/call"

// maxBatchCalls bounds the tool calls of one batch: the scopes of a batch
// are the union of its calls' scopes, so the work per call is bounded too.
const maxBatchCalls = 64

// toolCalls returns the names of the tools that body calls, in order: one
// per "tools/call" request of a single message or of a batch (a JSON
// array), none for other methods, notifications and responses. Its cost is
// linear in len(body): one strict pass over the whole body, plus one over
// each tools/call's params.
//
// It refuses (an *errBody error) what another JSON reader could take
// otherwise than we do, so that the tool whose scopes we check is the tool
// the SDK runs: anything strictjson refuses (duplicate member names at any
// depth, also when they differ only by case, which encoding/json and
// segmentio's decoder resolve last-wins or case-insensitively; invalid
// UTF-8; nesting beyond 32), a member named "method", "params" or "name"
// in another case (or with U+017F for s), a method "tools/call" in another
// case, a tools/call whose params are absent or not an object or whose
// name is absent, empty or not a string, a body that is neither an object
// nor a non-empty array of objects, and a batch of more than maxBatchCalls
// tool calls.
func toolCalls(body []byte) ([]string, error) {
	s := strictjson.NewScanner(body)
	var names []string
	switch s.Peek() {
	case strictjson.Object:
		name, call, err := message(&s)
		if err != nil {
			return nil, err
		}
		if call {
			names = append(names, name)
		}
	case strictjson.Array:
		if err := s.BeginArray(); err != nil {
			return nil, errNotJSON
		}
		n := 0
		for {
			more, err := s.NextElement()
			if err != nil {
				return nil, errNotJSON
			}
			if !more {
				break
			}
			n++
			if s.Peek() != strictjson.Object {
				return nil, errNotMessage
			}
			name, call, err := message(&s)
			if err != nil {
				return nil, err
			}
			if call {
				if len(names) == maxBatchCalls {
					return nil, errTooManyCalls
				}
				names = append(names, name)
			}
		}
		if n == 0 {
			return nil, errNotMessage
		}
	default:
		return nil, errNotMessage
	}
	if err := s.End(); err != nil {
		return nil, errNotJSON
	}
	return names, nil
}

// message reads one JSON-RPC message object and reports whether it is a
// tools/call, and the tool it names.
func message(s *strictjson.Scanner) (name string, call bool, err error) {
	if err := s.BeginObject(); err != nil {
		return "", false, errNotJSON
	}
	var (
		m         strictjson.Members
		method    []byte
		hasMethod bool
		params    []byte
	)
	for {
		member, ok, err := s.NextMember(&m)
		if err != nil {
			return "", false, errNotJSON
		}
		if !ok {
			break
		}
		switch {
		case string(member) == "method":
			if s.Peek() != strictjson.String {
				// A method that is not a string (null, a number) is
				// not a call the SDK runs; read it to check the JSON.
				if err := s.Skip(); err != nil {
					return "", false, errNotJSON
				}
				hasMethod = true
				method = nil
				continue
			}
			raw, esc, err := s.ReadString()
			if err != nil {
				return "", false, errNotJSON
			}
			if esc {
				raw = strictjson.Unescape(nil, raw)
			}
			method, hasMethod = raw, true
		case string(member) == "params":
			raw, err := s.SkipRaw()
			if err != nil {
				return "", false, errNotJSON
			}
			params = raw
		case foldEquals(member, "method"), foldEquals(member, "params"):
			return "", false, errFoldedName
		default:
			if err := s.Skip(); err != nil {
				return "", false, errNotJSON
			}
		}
	}
	if !hasMethod || method == nil {
		return "", false, nil // a response, or a method that is no string: no tool runs
	}
	if string(method) != methodToolsCall {
		if foldEquals(method, methodToolsCall) {
			return "", false, errFoldedMethod
		}
		return "", false, nil
	}
	if params == nil {
		return "", false, errParams
	}
	name, err = toolName(params)
	return name, err == nil, err
}

// toolName reads the name member of a tools/call's params, which the first
// pass read whole and found strict.
func toolName(params []byte) (string, error) {
	s := strictjson.NewCheckedScanner(params)
	if s.Peek() != strictjson.Object {
		return "", errParams
	}
	if err := s.BeginObject(); err != nil {
		return "", errNotJSON
	}
	var name []byte
	found := false
	for {
		member, ok, err := s.NextMember(nil)
		if err != nil {
			return "", errNotJSON
		}
		if !ok {
			break
		}
		switch {
		case string(member) == "name":
			if s.Peek() != strictjson.String {
				return "", errToolName
			}
			raw, esc, err := s.ReadString()
			if err != nil {
				return "", errNotJSON
			}
			if esc {
				raw = strictjson.Unescape(nil, raw)
			}
			name, found = raw, true
		case foldEquals(member, "name"):
			return "", errFoldedName
		default:
			if err := s.Skip(); err != nil {
				return "", errNotJSON
			}
		}
	}
	if !found {
		return "", errToolName
	}
	if len(name) == 0 {
		return "", errEmptyToolName
	}
	return string(name), nil
}

// foldEquals reports whether name equals want (lower-case ASCII) under the
// case folding of encoding/json's field matching (strictjson.AppendFold:
// U+017F folds to s, U+212A to k). Names much longer than want are not.
func foldEquals(name []byte, want string) bool {
	if len(name) > 3*len(want) {
		return false
	}
	var buf [48]byte
	return bytes.Equal(strictjson.AppendFold(buf[:0], name), []byte(want))
}

// asBodyError reports whether err is a refusal of the peek.
func asBodyError(err error) (*errBody, bool) {
	var e *errBody
	ok := errors.As(err, &e)
	return e, ok
}
