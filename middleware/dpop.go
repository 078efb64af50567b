package middleware

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/internal/bearer"
	"github.com/tokengate/tokengate/internal/errclass"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/verifier"
)

// DPoPMode says which authorization schemes Authenticate accepts once
// WithDPoP is given. Without WithDPoP it accepts Bearer only, and refuses
// DPoP-bound tokens (cnf.jkt) as verifier.WithBindings' absence makes
// Verify do (SECURITY.md X1).
type DPoPMode uint8

const (
	// DPoPAllowed accepts unbound tokens with the Bearer scheme and
	// DPoP-bound tokens with the DPoP scheme and a proof (RFC 9449 section
	// 7.1). A DPoP-bound token sent with the Bearer scheme is refused.
	DPoPAllowed DPoPMode = iota + 1
	// DPoPRequired accepts only DPoP-bound tokens with the DPoP scheme and
	// a proof; any token sent otherwise (Bearer, cookie, query) is refused.
	DPoPRequired
)

// Outcomes of the DPoP modes.
const (
	OutcomeInvalidProof  = "invalid_dpop_proof" // 401 error="invalid_dpop_proof": the DPoP proof is missing or fails a check
	OutcomeNonceRequired = "use_dpop_nonce"     // 401 error="use_dpop_nonce" with a DPoP-Nonce header
	// OutcomeReplayStoreUnavailable: 503, the replay store is full or
	// failing, so the proof cannot be remembered and is refused.
	OutcomeReplayStoreUnavailable = "replay_store_unavailable"
)

// Descriptions of the DPoP answers; constant, like the others (W4). A
// refused token or proof gets its failure class's (internal/errclass).
const (
	descNonce       = "the resource server requires a fresh nonce in the DPoP proof"
	descDPoPOnly    = "this resource requires a DPoP-bound access token sent with the DPoP scheme"
	descNoToken     = "an access token is required"
	reasonDPoPOnly  = "dpop_required"
	dpopNonceHeader = "DPoP-Nonce"
)

// errBearerRefused is the cause of a token refused in DPoPRequired mode
// because it came with another scheme than DPoP.
var errBearerRefused = errors.New("middleware: DPoPRequired: token sent without the DPoP scheme")

// The extractor's errors for the DPoP scheme.
var (
	errEmptyDPoP     = fmt.Errorf("%w: DPoP scheme without a token", ErrInvalidRequest)
	errMalformedDPoP = fmt.Errorf("%w: malformed DPoP credentials", ErrInvalidRequest)
)

// WithDPoP makes Authenticate accept DPoP-bound access tokens (RFC 9449):
// a request with "Authorization: DPoP <token>" and one DPoP header holding
// a proof. The token is verified with verifier.WithBindings(BindingDPoP)
// (the verified-token cache may answer), must carry cnf.jkt, and the proof
// is checked by d against the request (method, URL, token, key) on every
// request, cache hit or not; see dpop.Verifier.Verify for the checks and
// their order, and package dpop for the replay store and nonces.
//
// Answers follow RFC 9449 section 7.1. The challenges name the accepted
// schemes: in DPoPAllowed mode WWW-Authenticate holds both,
// `Bearer realm="api", DPoP realm="api", algs="ES256"`, the scheme of the
// request carrying the error; in DPoPRequired mode the DPoP one only. A
// proof that fails is answered 401 error="invalid_dpop_proof"
// (OutcomeInvalidProof); with server nonces on, a proof without the
// current nonce 401 error="use_dpop_nonce" with a DPoP-Nonce header
// (OutcomeNonceRequired); a token that fails, or is not DPoP-bound, 401
// error="invalid_token"; a replay store that is full or failing 503 with
// Retry-After. A passing proof that used an older nonce gets the current
// one in a DPoP-Nonce header of the response. Event.Reason is
// dpop.Reason of the proof's error ("dpop_replay", "dpop_htu", ...) or
// verifier.Reason of the token's.
//
// WithDPoP cannot be combined with WithTokenExtractor (it reads the
// Authorization header itself). It panics on a nil d or an unknown mode.
func WithDPoP(d *dpop.Verifier, mode DPoPMode) Option {
	return func(c *config) { c.dpop, c.dpopMode = d, mode }
}

// senderConstraints is what WithDPoP and WithMTLS add to one Authenticate:
// the Verify options of each path and the precomputed DPoP answers.
type senderConstraints struct {
	d        *dpop.Verifier
	mode     DPoPMode
	dpopOpts []verifier.Option // Config's options + the bindings of the DPoP path

	badToken     [errclass.N]Error // invalid_token, DPoP challenge, by class
	badProof     [errclass.N]Error // invalid_dpop_proof, by proof class
	nonce        Error
	bearerDenied Error // a token without the DPoP scheme in DPoPRequired mode
	badRequest   Error // malformed DPoP credentials
	storeDown    Error // 503: the replay store is full or failing
}

// checkSenderConstraints validates WithDPoP and WithMTLS when Authenticate
// is built.
func (c *config) checkSenderConstraints() {
	if c.dpop == nil && c.dpopMode == 0 {
		return
	}
	if c.dpop == nil {
		panic("middleware: WithDPoP needs a *dpop.Verifier")
	}
	if c.dpopMode != DPoPAllowed && c.dpopMode != DPoPRequired {
		panic(fmt.Sprintf("middleware: unknown DPoPMode %d", c.dpopMode))
	}
	if c.extractor != nil {
		panic("middleware: WithDPoP reads the Authorization header itself: it cannot be combined with WithTokenExtractor")
	}
}

// initSenderConstraints sets up the bindings and answers of WithDPoP and
// WithMTLS on a freshly built authenticator: the Verify options of the
// Bearer path gain the mTLS binding, and the challenges of the answers
// name every accepted scheme.
func (a *authenticator) initSenderConstraints() {
	cfg := a.cfg
	if cfg.mtls != nil {
		cfg.verifyOpts = append(append([]verifier.Option(nil), cfg.verifyOpts...), verifier.WithBindings(verifier.BindingMTLS))
	}
	if cfg.dpop == nil {
		return
	}
	s := &senderConstraints{d: cfg.dpop, mode: cfg.dpopMode}
	b := verifier.BindingDPoP
	if cfg.mtls != nil {
		b |= verifier.BindingMTLS
	}
	s.dpopOpts = append(append([]verifier.Option(nil), cfg.verifyOpts...), verifier.WithBindings(b))

	dp := "DPoP " + cfg.authParams() + `, algs="` + strings.Join(s.d.Algorithms(), " ") + `"`
	bearer := a.prefix // Bearer realm="..."
	both := bearer + ", " + dp
	withError := func(ch, code, desc string) string {
		return ch + `, error="` + code + `", error_description="` + desc + `"`
	}
	accepted := both // a challenge without error: every accepted scheme
	if s.mode == DPoPRequired {
		accepted = dp
	}
	a.prefix = accepted
	a.missing.Challenge, a.missing.Description = accepted, descNoToken
	if s.mode == DPoPRequired {
		a.badRequest.Challenge = withError(dp, "invalid_request", descRequest)
	} else {
		a.badRequest.Challenge = withError(bearer, "invalid_request", descRequest) + ", " + dp
	}
	s.badRequest = Error{Status: http.StatusUnauthorized, Code: "invalid_request", Description: descRequest,
		Challenge: withError(dp, "invalid_request", descRequest), Outcome: OutcomeInvalidRequest}
	for c := range errclass.N {
		desc := c.Description(cfg.uniform)
		if s.mode == DPoPRequired {
			a.badToken[c].Challenge = withError(dp, "invalid_token", desc)
		} else {
			a.badToken[c].Challenge = withError(bearer, "invalid_token", desc) + ", " + dp
		}
		tokDesc, proofDesc := desc, desc
		if cfg.uniform { // one text per answer code, whatever the class
			tokDesc, proofDesc = errclass.UniformDPoPToken, errclass.UniformProof
		}
		s.badToken[c] = Error{Status: http.StatusUnauthorized, Code: "invalid_token", Description: tokDesc,
			Challenge: withError(dp, "invalid_token", tokDesc), Outcome: OutcomeInvalidToken}
		s.badProof[c] = Error{Status: http.StatusUnauthorized, Code: "invalid_dpop_proof", Description: proofDesc,
			Challenge: withError(dp, "invalid_dpop_proof", proofDesc), Outcome: OutcomeInvalidProof}
	}
	s.nonce = Error{Status: http.StatusUnauthorized, Code: "use_dpop_nonce", Description: descNonce,
		Challenge: withError(dp, "use_dpop_nonce", descNonce), Outcome: OutcomeNonceRequired}
	s.storeDown = a.unavailable
	s.storeDown.Outcome = OutcomeReplayStoreUnavailable
	s.bearerDenied = Error{Status: http.StatusUnauthorized, Code: "invalid_token", Description: descDPoPOnly,
		Challenge: withError(dp, "invalid_token", descDPoPOnly), Outcome: OutcomeInvalidToken}
	a.dp = s
}

// serveDPoP answers the requests that the DPoP modes take over: a request
// with the DPoP scheme, and in DPoPRequired mode every request. It reports
// false for the others (DPoPAllowed, another scheme), which go down the
// Bearer path.
func (a *authenticator) serveDPoP(w http.ResponseWriter, r *http.Request, t0 time.Time, next http.Handler) bool {
	s := a.dp
	h := r.Header["Authorization"]
	if len(h) != 1 || !hasScheme(h[0], "DPoP") {
		if s.mode == DPoPAllowed {
			return false
		}
		a.refuseBearer(w, r, t0, next)
		return true
	}
	tok, err := splitScheme(h[0], "DPoP")
	if err != nil {
		switch err {
		case errEmptyBearer:
			err = errEmptyDPoP
		default:
			err = errMalformedDPoP
		}
		a.refuse(w, r, t0, &s.badRequest, err, "")
		return true
	}
	if a.hasOtherToken(r) {
		a.refuse(w, r, t0, &s.badRequest, errAmbiguous, "")
		return true
	}
	ctx := r.Context()
	claims, err := a.v.Verify(a.verifyContext(r), tok, s.dpopOpts...)
	if err != nil {
		if !isB64Token(tok) {
			a.refuse(w, r, t0, &s.badRequest, errMalformedToken, "")
			return true
		}
		a.refuse(w, r, t0, a.classify(ctx, err, &s.badToken), err, verifier.Reason(err))
		return true
	}
	if err := a.checkCertificate(r, claims); err != nil {
		a.refuse(w, r, t0, &s.badToken[errclass.Certificate], err, certificateReason(err))
		return true
	}
	proof, err := s.d.VerifyRequest(ctx, r, tok, claims)
	if err != nil {
		a.refuseProof(w, r, t0, err)
		return true
	}
	if proof.NextNonce != "" {
		w.Header().Set(dpopNonceHeader, proof.NextNonce)
	}
	a.passChecked(w, r, t0, next, tok, claims)
	return true
}

// refuseProof answers a proof that failed.
func (a *authenticator) refuseProof(w http.ResponseWriter, r *http.Request, t0 time.Time, err error) {
	s := a.dp
	reason := dpop.Reason(err)
	switch {
	case errors.Is(err, dpop.ErrNonce):
		w.Header().Set(dpopNonceHeader, s.d.Nonce())
		a.refuse(w, r, t0, &s.nonce, err, reason)
	case errors.Is(err, dpop.ErrNotBound):
		a.refuse(w, r, t0, &s.badToken[errclass.ProofKey], err, reason)
	case errors.Is(err, dpop.ErrStoreFull), errors.Is(err, dpop.ErrStoreUnavailable):
		// The replay store cannot record the proof: not the client's
		// fault, and not a pass either (fail closed).
		tmpl := &s.storeDown
		if routecheck.ClientGone(r.Context()) {
			tmpl = &a.canceled
		}
		a.refuse(w, r, t0, tmpl, err, reason)
	default:
		a.refuse(w, r, t0, &s.badProof[errclass.Proof(err)], err, reason)
	}
}

// refuseBearer answers a request without the DPoP scheme in DPoPRequired
// mode: malformed credentials as usual; any token refused unverified; no
// token at all as a missing token (or anonymous with CredentialsOptional).
func (a *authenticator) refuseBearer(w http.ResponseWriter, r *http.Request, t0 time.Time, next http.Handler) {
	tok, _, other, err := a.cfg.extract(r)
	switch {
	case err != nil:
		a.refuse(w, r, t0, &a.badRequest, err, "")
	case tok != "":
		a.refuse(w, r, t0, &a.dp.bearerDenied, errBearerRefused, reasonDPoPOnly)
	case a.cfg.optional && !other:
		a.pass(w, r, t0, next, &state{Context: r.Context(), auth: a}, OutcomeAnonymous, "", nil)
	default:
		a.refuse(w, r, t0, &a.missing, nil, "")
	}
}

// hasOtherToken reports whether r carries a token besides its
// Authorization header: a cookie (WithCookie) or an access_token query
// parameter (W1: a request with two tokens is ambiguous).
func (a *authenticator) hasOtherToken(r *http.Request) bool {
	if a.cfg.cookie != "" {
		if ct, err := cookieToken(r, a.cfg.cookie); err != nil || ct != "" {
			return true
		}
	}
	return hasQueryToken(r)
}

// passChecked hands a request whose token and proof passed to next,
// after the form-body check (X18) of the Bearer path.
func (a *authenticator) passChecked(w http.ResponseWriter, r *http.Request, t0 time.Time, next http.Handler, tok string, claims *verifier.Claims) {
	var body io.ReadCloser
	if hasBody(r) {
		var found bool
		if found, body = formToken(r); found {
			a.refuse(w, r, t0, &a.dp.badRequest, errFormToken, "")
			return
		}
	}
	a.pass(w, r, t0, next, &state{Context: r.Context(), claims: claims, token: tok, auth: a}, OutcomeOK, "ok", body)
}

// hasScheme reports whether the Authorization value v starts with scheme
// (case-insensitive) followed by a space or nothing.
func hasScheme(v, scheme string) bool { return bearer.HasScheme(v, scheme) }
