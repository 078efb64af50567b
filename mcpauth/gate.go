package mcpauth

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/middleware"
)

// Outcomes (middleware.Event.Outcome) of the refusals of this package,
// reported by the Observer and Logger of the Authenticate in front. A
// per-tool scope refusal is middleware.OutcomeInsufficientScope.
const (
	// OutcomeBodyTooLarge: 413, the body of a POST is over MaxBodyBytes.
	OutcomeBodyTooLarge = "body_too_large"
	// OutcomeInvalidBody: 400, the body is not a JSON-RPC message whose
	// tool calls can be named without doubt, or could not be read.
	OutcomeInvalidBody = "invalid_body"
)

// Constant descriptions of the answers of this package.
const (
	descTooLarge = "the request body is larger than this server reads"
	descBody     = "the request body is not a JSON-RPC message this server can check"
)

// gate is step 2 of Handler: the per-tool scope check. next is the SDK
// side (its RequireBearerToken and the MCP handler).
func (p *Protector) gate(next http.Handler) http.Handler {
	// One prebuilt check per tool, and one for the other tools: a request
	// calling one tool costs a map lookup, and the 403 is the one
	// middleware.RequireScopes writes (scope=, resource_metadata, the
	// ErrorHandler), reported as its refusal.
	perTool := make(map[string]http.Handler, len(p.tools))
	for name, scopes := range p.tools {
		perTool[name] = p.requireScope(scopes...)(next)
	}
	other := next
	if len(p.otherTools) > 0 {
		other = p.requireScope(p.otherTools...)(next)
	}
	unauthenticated := &middleware.Error{Status: http.StatusUnauthorized, Outcome: middleware.OutcomeUnauthenticated}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Authenticate lets only verified requests through (it is built
		// without CredentialsOptional); this holds even if a caller
		// chains the pieces otherwise.
		if _, ok := middleware.ClaimsFromContext(r.Context()); !ok {
			refuse(w, r, unauthenticated)
			return
		}
		// Tool calls come in POST bodies only (GET opens the SSE stream,
		// DELETE ends a session); without per-tool scopes nothing is read.
		if !p.peek || r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body, err := p.readBody(r)
		if err != nil {
			refuse(w, r, bodyError(err))
			return
		}
		r = withBody(r, body)
		names, err := toolCalls(body)
		if err != nil {
			refuse(w, r, &middleware.Error{Status: http.StatusBadRequest, Code: "invalid_request",
				Description: descBody, Outcome: OutcomeInvalidBody, Err: err})
			return
		}
		switch len(names) {
		case 0:
			next.ServeHTTP(w, r)
		case 1:
			if h, ok := perTool[names[0]]; ok {
				h.ServeHTTP(w, r)
				return
			}
			other.ServeHTTP(w, r)
		default:
			p.batch(names, next).ServeHTTP(w, r)
		}
	})
}

// batch returns next behind the union of the scopes of the tools a batch
// calls (at most maxBatchCalls of them), so that the 403 names every scope
// the batch needs. Built per batch: batches are rare, and gone from MCP
// since 2025-06-18.
func (p *Protector) batch(names []string, next http.Handler) http.Handler {
	var union []string
	for _, name := range names {
		scopes, ok := p.tools[name]
		if !ok {
			scopes = p.otherTools
		}
		for _, s := range scopes {
			if !slices.Contains(union, s) {
				union = append(union, s)
			}
		}
	}
	if len(union) == 0 {
		return next
	}
	return p.requireScope(union...)(next)
}

// readBody reads the request body, at most maxBody bytes. A declared
// Content-Length over the bound is refused before anything is read.
func (p *Protector) readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > p.maxBody {
		return nil, httpx.ErrBodyTooLarge
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	return httpx.ReadBody(r.Body, p.maxBody)
}

// withBody returns a shallow copy of r whose body is body, read again from
// its start by the SDK. The server still closes the original body.
func withBody(r *http.Request, body []byte) *http.Request {
	r2 := new(http.Request)
	*r2 = *r
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return r2
}

func bodyError(err error) *middleware.Error {
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		return &middleware.Error{Status: http.StatusRequestEntityTooLarge, Code: "invalid_request",
			Description: descTooLarge, Outcome: OutcomeBodyTooLarge, Err: err}
	}
	return &middleware.Error{Status: http.StatusBadRequest, Code: "invalid_request",
		Description: descBody, Outcome: OutcomeInvalidBody, Err: err}
}

// refuse writes e as the request's Authenticate is set up to (its
// ErrorHandler, its challenge on a 401) and records the refusal, so that
// Authenticate's Observer and Logger report it as the request's outcome.
func refuse(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
	if s := routecheck.From(r.Context()); s != nil {
		s.Refused(e.Outcome, e.Status)
	}
	middleware.WriteError(w, r, e)
}
