package authtest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/httpx"
)

// BackChannelLogoutEvent is the events member of a logout token (OpenID
// Connect Back-Channel Logout 1.0 section 2.4).
const BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// logoutTokenTTL is the lifetime of the logout tokens the tenant sends.
const logoutTokenTTL = 2 * time.Minute

// Logout names what a back-channel logout ends: every session of Subject,
// or the one session SessionID (sid), or both as one logout token says.
type Logout struct {
	Subject   string // sub, "auth0|<id>" for database users
	SessionID string // sid
	// Client, when set, sends the logout to that client only; otherwise to
	// every client with a BackChannelLogoutURI.
	Client string
}

// checkLogoutURI validates Client.BackChannelLogoutURI: an http or https
// URL on a loopback host, like the tenant itself (this is a test server:
// it posts to nothing else).
func checkLogoutURI(c *Client) error {
	if c.BackChannelLogoutURI == "" {
		return nil
	}
	u, err := url.Parse(c.BackChannelLogoutURI)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !httpx.IsLoopback(u.Hostname()) || u.User != nil {
		return configErrorf("client %q: BackChannelLogoutURI must be an http(s) URL on a loopback host", c.ID)
	}
	return nil
}

// LogoutToken signs the logout token the tenant would send to clientID for
// l, valid for two minutes: header alg RS256, typ logout+jwt and kid;
// claims iss, aud (the client ID), iat, exp, a random jti, events, sub and
// sid when given. It is for tests that post a token themselves (a replay).
func (t *Tenant) LogoutToken(clientID string, l Logout) (string, error) {
	if l.Subject == "" && l.SessionID == "" {
		return "", errors.New("authtest: a logout needs a Subject or a SessionID")
	}
	now := t.now()
	claims := map[string]any{
		"iss":    t.issuer,
		"aud":    clientID,
		"iat":    now.Unix(),
		"exp":    now.Add(logoutTokenTTL).Unix(),
		"jti":    rand.Text(),
		"events": map[string]any{BackChannelLogoutEvent: map[string]any{}},
	}
	if l.Subject != "" {
		claims["sub"] = l.Subject
	}
	if l.SessionID != "" {
		claims["sid"] = l.SessionID
	}
	return t.signRS256Typ(claims, "logout+jwt")
}

// BackChannelLogout sends a logout token for l to the BackChannelLogoutURI
// of every client that has one (or of l.Client only), as Auth0 does when a
// session ends: a form-encoded POST of logout_token (section 2.5). It
// returns an error naming each client whose endpoint did not answer 200,
// after trying them all; a client without a URI is skipped, and naming one
// in l.Client is an error.
func (t *Tenant) BackChannelLogout(ctx context.Context, l Logout) error {
	var ids []string
	for id, c := range t.dir.clients {
		if c.BackChannelLogoutURI != "" && (l.Client == "" || l.Client == id) {
			ids = append(ids, id)
		}
	}
	if l.Client != "" && len(ids) == 0 {
		return fmt.Errorf("%w: client %q has no BackChannelLogoutURI", ErrNotFound, l.Client)
	}
	slices.Sort(ids)
	var errs []error
	for _, id := range ids {
		if err := t.sendLogout(ctx, id, l); err != nil {
			errs = append(errs, fmt.Errorf("authtest: back-channel logout to client %q: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

func (t *Tenant) sendLogout(ctx context.Context, clientID string, l Logout) error {
	tok, err := t.LogoutToken(clientID, l)
	if err != nil {
		return err
	}
	body := url.Values{"logout_token": {tok}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.dir.clients[clientID].BackChannelLogoutURI, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{Timeout: clientTimeout}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
