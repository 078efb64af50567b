package grpcauth

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/internal/bearer"
	"github.com/tokengate/tokengate/middleware"
)

// The extraction errors. They name the defect, never the token; each wraps
// middleware.ErrInvalidRequest (answered invalid_request), as the HTTP
// extractor's do.
var (
	errTwoAuthorization = fmt.Errorf("%w: more than one authorization metadata value", middleware.ErrInvalidRequest)
	errEmptyBearer      = fmt.Errorf("%w: Bearer scheme without a token", middleware.ErrInvalidRequest)
	errMalformedBearer  = fmt.Errorf("%w: malformed Bearer credentials", middleware.ErrInvalidRequest)
	errEmptyDPoP        = fmt.Errorf("%w: DPoP scheme without a token", middleware.ErrInvalidRequest)
	errMalformedDPoP    = fmt.Errorf("%w: malformed DPoP credentials", middleware.ErrInvalidRequest)
	errMalformedToken   = fmt.Errorf("%w: token with characters outside RFC 6750's b64token", middleware.ErrInvalidRequest)
	errTwoProofs        = fmt.Errorf("%w: more than one dpop metadata value", dpop.ErrMalformed)
	errBearerRefused    = errors.New("grpcauth: DPoPRequired: token sent without the DPoP scheme")
)

// readAuthorization reads the authorization metadata of a call: at most one
// value, of the Bearer scheme or, when dpopOn, the DPoP scheme, in the
// strict syntax of package bearer (the HTTP middleware's). It returns the
// token and whether it came with the DPoP scheme; no token and no error
// when there is no value or one of another scheme. The token's characters
// are checked only after Verify failed (see package bearer).
func readAuthorization(values []string, dpopOn bool) (tok string, isDPoP bool, err error) {
	switch len(values) {
	case 0:
		return "", false, nil
	case 1:
	default:
		return "", false, errTwoAuthorization
	}
	v := values[0]
	if dpopOn && bearer.HasScheme(v, "DPoP") {
		tok, d := bearer.Split(v, "DPoP")
		switch d {
		case bearer.Empty:
			return "", true, errEmptyDPoP
		case bearer.OK:
			return tok, true, nil
		}
		return "", true, errMalformedDPoP
	}
	tok, d := bearer.Split(v, "Bearer")
	switch d {
	case bearer.OtherScheme:
		return "", false, nil // Basic or another scheme: no bearer token (RFC 7235)
	case bearer.Empty:
		return "", false, errEmptyBearer
	case bearer.Malformed:
		return "", false, errMalformedBearer
	}
	return tok, false, nil
}

// readProof returns the one dpop metadata value ("" when there is none:
// dpop.Verify refuses it with ErrMissing); two are refused (RFC 9449
// section 4.3, check 1).
func readProof(values []string) (string, error) {
	switch len(values) {
	case 0:
		return "", nil
	case 1:
		return values[0], nil
	}
	return "", errTwoProofs
}

// singleValue returns the one non-empty value of a metadata key; absent,
// empty or sent twice is none (an organization must be named once).
func singleValue(values []string) (string, bool) {
	if len(values) != 1 || values[0] == "" {
		return "", false
	}
	return values[0], true
}

// transport is the metadata of one call: what the client sent, and where
// the answer's header and trailer go (grpc.SetHeader for unary calls, the
// stream's own methods for streams).
type transport interface {
	get(key string) []string
	setHeader(md metadata.MD)
	setTrailer(md metadata.MD)
}

type unaryMetadata struct{ ctx context.Context }

func (u unaryMetadata) get(k string) []string     { return metadata.ValueFromIncomingContext(u.ctx, k) }
func (u unaryMetadata) setHeader(md metadata.MD)  { _ = grpc.SetHeader(u.ctx, md) }
func (u unaryMetadata) setTrailer(md metadata.MD) { _ = grpc.SetTrailer(u.ctx, md) }

type streamMetadata struct{ ss grpc.ServerStream }

func (s streamMetadata) get(k string) []string {
	return metadata.ValueFromIncomingContext(s.ss.Context(), k)
}
func (s streamMetadata) setHeader(md metadata.MD)  { _ = s.ss.SetHeader(md) }
func (s streamMetadata) setTrailer(md metadata.MD) { s.ss.SetTrailer(md) }
