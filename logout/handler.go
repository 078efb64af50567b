package logout

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/verifier"
)

// Handler is the back-channel logout endpoint. It is safe for concurrent
// use.
type Handler struct {
	v           *verifier.Verifier
	replay      dpop.ReplayStore
	revocations verifier.RevocationSet
	sessionOnly bool
	onLogout    func(ctx context.Context, sub, sid string) error
	maxBody     int64
	maxLife     time.Duration
	retryAfter  string
	log         *slog.Logger
	now         func() time.Time
}

// New checks cfg and returns the handler.
func New(cfg Config) (*Handler, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	h := &Handler{v: cfg.Verifier, replay: cfg.Replay, revocations: cfg.Revocations, sessionOnly: cfg.SessionOnly,
		onLogout: cfg.OnLogout, maxBody: cfg.MaxBodySize, maxLife: cfg.MaxLifetime, log: cfg.Logger, now: cfg.Now}
	if h.now == nil {
		h.now = time.Now
	}
	if h.maxBody == 0 {
		h.maxBody = DefaultMaxBodySize
	}
	if h.maxLife == 0 {
		h.maxLife = DefaultMaxLifetime
	}
	ra := cfg.RetryAfter
	if ra == 0 {
		ra = DefaultRetryAfter
	}
	h.retryAfter = strconv.FormatInt(int64((ra+time.Second-1)/time.Second), 10)
	if h.replay == nil {
		s, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: DefaultReplayEntries, Now: h.now})
		if err != nil {
			return nil, err
		}
		h.replay = s
	}
	return h, nil
}

// Reasons a request is refused, in log records (key "reason").
const (
	ReasonMethod      = "method"
	ReasonContentType = "content_type"
	ReasonBody        = "body"
	ReasonForm        = "form"
	ReasonToken       = "invalid_token"
	ReasonLifetime    = "lifetime"
	ReasonReplay      = "replay"
	ReasonUnavailable = "unavailable"
	ReasonOnLogout    = "on_logout"
)

// Constant descriptions: nothing of the request is echoed.
const (
	descMethod      = "the logout endpoint accepts POST only"
	descContentType = "the request must be application/x-www-form-urlencoded"
	descBody        = "the request body is too large or unreadable"
	descForm        = "the request must carry exactly one logout_token form parameter"
	descToken       = "the logout token is invalid"
	descLifetime    = "the logout token is valid for too long"
	descReplay      = "the logout token was already used"
	descUnavailable = "the logout cannot be processed now; retry later"
	descFailed      = "the logout could not be completed"
)

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(r, w, http.StatusMethodNotAllowed, descMethod, ReasonMethod, nil)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" || len(r.Header.Values("Content-Type")) != 1 {
		h.fail(r, w, http.StatusBadRequest, descContentType, ReasonContentType, err)
		return
	}
	body, err := httpx.ReadBody(http.MaxBytesReader(w, r.Body, h.maxBody+1), h.maxBody)
	if err != nil {
		h.fail(r, w, http.StatusBadRequest, descBody, ReasonBody, err)
		return
	}
	tok, err := logoutToken(r, body)
	if err != nil {
		h.fail(r, w, http.StatusBadRequest, descForm, ReasonForm, err)
		return
	}
	ctx := r.Context()
	c, err := h.v.Verify(ctx, tok)
	if err != nil {
		if errors.Is(err, verifier.ErrKeysUnavailable) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			h.unavailable(r, w, err)
			return
		}
		h.fail(r, w, http.StatusBadRequest, descToken, ReasonToken, err)
		return
	}
	now := h.now()
	if c.ExpiresAt.Sub(now) > h.maxLife {
		h.fail(r, w, http.StatusBadRequest, descLifetime, ReasonLifetime, nil)
		return
	}
	sid := sessionID(c)
	// Revoke first: it is idempotent (the same Before again changes
	// nothing), so a delivery that fails after it can be retried, and a
	// replay that is refused below has done no harm.
	if err := h.revoke(ctx, c, sid); err != nil {
		h.unavailable(r, w, err)
		return
	}
	// The token may still pass the verifier until exp (plus the verifier's
	// leeway, at most 5 minutes): remember it that long.
	expires := c.ExpiresAt.Add(5 * time.Minute)
	err = h.replay.Add(ctx, replayKey(c.Issuer, c.ID), expires)
	switch {
	case errors.Is(err, dpop.ErrReplay):
		h.fail(r, w, http.StatusBadRequest, descReplay, ReasonReplay, err)
		return
	case err != nil:
		h.unavailable(r, w, err)
		return
	}
	if h.onLogout != nil {
		if _, err := hook.Call(func() (struct{}, error) { return struct{}{}, h.onLogout(ctx, c.Subject, sid) }); err != nil {
			h.fail(r, w, http.StatusInternalServerError, descFailed, ReasonOnLogout, err)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// logoutToken returns the one logout_token of a form body (section 2.5);
// a repeated or empty one, or one in the query too, is refused.
func logoutToken(r *http.Request, body []byte) (string, error) {
	if r.URL.Query().Has("logout_token") {
		return "", errors.New("logout_token in the query")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", err
	}
	v := form["logout_token"]
	if len(v) != 1 || v[0] == "" {
		return "", errors.New("not exactly one non-empty logout_token")
	}
	return v[0], nil
}

// revoke records the logout in the revocation set: the subject's tokens
// and the session's (see the package documentation).
func (h *Handler) revoke(ctx context.Context, c *verifier.Claims, sid string) error {
	if h.revocations == nil {
		return nil
	}
	before := c.IssuedAt.Truncate(time.Second).Add(time.Second)
	if sid != "" {
		if err := h.revokeOne(ctx, verifier.Revocation{Issuer: c.Issuer, Subject: c.Subject, SessionID: sid, Before: before}); err != nil {
			return err
		}
		if h.sessionOnly {
			return nil
		}
	}
	if c.Subject == "" {
		return nil
	}
	return h.revokeOne(ctx, verifier.Revocation{Issuer: c.Issuer, Subject: c.Subject, Before: before})
}

func (h *Handler) revokeOne(ctx context.Context, rv verifier.Revocation) error {
	_, err := hook.Call(func() (struct{}, error) { return struct{}{}, h.revocations.Revoke(ctx, rv) })
	return err
}

// replayKey is "logout:" + len(iss) + ":" + iss + jti: the issuer's length
// first, so that no two (iss, jti) pairs share a key.
func replayKey(iss, jti string) string {
	return "logout:" + strconv.Itoa(len(iss)) + ":" + iss + jti
}

// sessionID is the sid of a verified logout token ("" without one): the
// verifier checked that it is a string.
func sessionID(c *verifier.Claims) string {
	raw, ok := c.Lookup("sid")
	if !ok {
		return ""
	}
	var sid string
	if json.Unmarshal(raw, &sid) != nil {
		return ""
	}
	return sid
}

func (h *Handler) unavailable(r *http.Request, w http.ResponseWriter, err error) {
	w.Header().Set("Retry-After", h.retryAfter)
	h.fail(r, w, http.StatusServiceUnavailable, descUnavailable, ReasonUnavailable, err)
}

// fail answers a refused or failed request (section 2.8) and logs it.
func (h *Handler) fail(r *http.Request, w http.ResponseWriter, status int, desc, reason string, err error) {
	code := "invalid_request"
	switch status {
	case http.StatusServiceUnavailable:
		code = "temporarily_unavailable"
	case http.StatusInternalServerError:
		code = "server_error"
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
	w.Write(b)
	if h.log != nil {
		attrs := []any{"reason", reason, "status", status}
		if err != nil {
			attrs = append(attrs, "err", err.Error())
		}
		h.log.WarnContext(r.Context(), "logout: request refused", attrs...)
	}
}
