package verifier

import (
	"context"
	"errors"

	"github.com/tokengate/tokengate/internal/hook"
)

// IssuerResolver picks, per request, the issuers a Verifier accepts and
// their keys: several custom domains of one tenant, or one API serving many
// tenants. Config.Resolver takes one in place of Config.Issuer and
// Config.Keys. *jwks.Issuers is the implementation that discovers each
// allowed issuer's keys and keeps a bounded number of key sets.
//
// The token's unverified iss only asks: Resolve decides, from the request
// (RequestFromContext: facts the server established, such as the host it
// was reached at) and an allow list of the program's, whether iss may be
// used here, and returns the keys of exactly that issuer. After the
// signature verifies with one of them, the claims' iss must still be that
// issuer; so a token of one issuer is never verified with the keys of
// another, and one of an issuer not allowed for the request is refused
// before any key is fetched.
type IssuerResolver interface {
	// Resolve returns the key source of issuer iss when iss may be used
	// for the request of ctx. It returns an error wrapping ErrIssuer when
	// iss may not (the token is refused: 401), and any other error when
	// the answer cannot be had now (a lookup that failed: the verification
	// fails with ErrKeysUnavailable, 503). It is called on every
	// verification, cache hits included (a cached token is accepted only
	// where its issuer is allowed), so it must be fast once an issuer is
	// known; a key source it returns may fetch its keys on first use.
	Resolve(ctx context.Context, iss string) (KeySource, error)
}

// Request holds what the server itself established about the request a
// token came with, for an IssuerResolver. Package middleware puts it on the
// context it verifies with when the Verifier has a resolver.
type Request struct {
	// Host is the host the request was sent to (its Host header), in lower
	// case, without port or trailing dot; "" when the header is not a
	// valid host. A client can send any Host: allow an issuer for a host
	// only where answering that host's tenant is what the server does for
	// that Host anyway (a server that routes tenants by host).
	Host string
	// Path is the request's URL path, not unescaped.
	Path string
}

type requestKey struct{}

// ContextWithRequest returns ctx carrying req, for the IssuerResolver of a
// Verify called with it.
func ContextWithRequest(ctx context.Context, req Request) context.Context {
	return context.WithValue(ctx, requestKey{}, req)
}

// RequestFromContext returns the Request that ContextWithRequest put on
// ctx, and false when there is none (a Verify outside a request: allow
// nothing that depends on the request then).
func RequestFromContext(ctx context.Context) (Request, bool) {
	req, ok := ctx.Value(requestKey{}).(Request)
	return req, ok
}

// Resolver returns the IssuerResolver of the Verifier's Config, or nil.
// Package middleware asks it to decide whether to describe the request.
func (v *Verifier) Resolver() IssuerResolver { return v.resolver }

// resolve asks the resolver for the keys of iss. The resolver is the
// program's code: its panic is an error (503), as its failures are.
func (v *Verifier) resolve(ctx context.Context, iss string) (KeySource, error) {
	ks, err := hook.Call(func() (KeySource, error) { return v.resolver.Resolve(ctx, iss) })
	switch {
	case err == nil && ks != nil:
		return ks, nil
	case err == nil, errors.Is(err, ErrIssuer):
		return nil, newError(ErrIssuer, "iss", "issuer (iss) is not allowed for this request")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, err
	}
	msg := "the issuer's keys cannot be had"
	if cause := causeOf(err, ErrKeysUnavailable); cause != "" {
		msg += ": " + cause
	}
	return nil, &ValidationError{Claim: "iss", Message: msg, Err: ErrKeysUnavailable}
}
