package authentication

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Grant types sent to /oauth/token.
const (
	GrantAuthorizationCode        = "authorization_code"
	GrantClientCredentials        = "client_credentials"
	GrantPasswordRealm            = "http://auth0.com/oauth/grant-type/password-realm"
	GrantPassword                 = "password"
	GrantRefreshToken             = "refresh_token"
	GrantPasswordlessOTP          = "http://auth0.com/oauth/grant-type/passwordless/otp"
	GrantCIBA                     = "urn:openid:params:grant-type:ciba"
	GrantFederatedConnectionToken = "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token"
	GrantTokenExchange            = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantMFAOTP                   = "http://auth0.com/oauth/grant-type/mfa-otp"
	GrantMFAOOB                   = "http://auth0.com/oauth/grant-type/mfa-oob"
	GrantMFARecoveryCode          = "http://auth0.com/oauth/grant-type/mfa-recovery-code"
)

// ErrIDToken is returned (wrapped, together with the verifier's error) when
// an ID token returned by a token endpoint fails verification.
var ErrIDToken = errors.New("authentication: the returned ID token failed verification")

// TokenResponse is the answer of a token endpoint. A 2xx answer without a
// non-empty access_token or token_type (RFC 6749 section 5.1), or with a
// member of the wrong JSON type, is a *TokenResponseError instead.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type,omitempty"`
	// ExpiresIn is in seconds, clamped to [0, 30 days]: a negative value
	// reads as 0 (no lifetime given), a larger one as 30 days.
	ExpiresIn       int64  `json:"expires_in,omitempty"`
	Scope           string `json:"scope,omitempty"`
	IssuedTokenType string `json:"issued_token_type,omitempty"` // token exchange
	RecoveryCode    string `json:"recovery_code,omitempty"`     // MFAVerifyRecoveryCode: the new code
	// ExpiresAt is the time of receipt plus ExpiresIn (zero if ExpiresIn is 0).
	ExpiresAt time.Time `json:"-"`
	// IDTokenClaims are the verified claims of IDToken when the Client has
	// an ID-token verifier; nil otherwise.
	IDTokenClaims *verifier.Claims `json:"-"`
}

// String shows the response without its tokens, so logging it is safe.
func (t TokenResponse) String() string {
	present := func(s string) string {
		if s == "" {
			return "none"
		}
		return "[REDACTED]"
	}
	return fmt.Sprintf("TokenResponse{access_token=%s id_token=%s refresh_token=%s recovery_code=%s token_type=%s expires_in=%d scope=%q}",
		present(t.AccessToken), present(t.IDToken), present(t.RefreshToken), present(t.RecoveryCode), t.TokenType, t.ExpiresIn, t.Scope)
}

// GoString is String, for %#v.
func (t TokenResponse) GoString() string { return t.String() }

// token posts a grant to /oauth/token form-encoded (RFC 6749 section 4):
// see grant.
func (c *Client) token(ctx context.Context, form url.Values, extra url.Values, auth bool, header http.Header, vopts []verifier.Option) (*TokenResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	form.Set("client_id", c.clientID)
	if err := addExtra(form, extra); err != nil {
		return nil, err
	}
	return c.grant(ctx, call{method: http.MethodPost, path: "/oauth/token", form: form, header: header, auth: auth}, vopts)
}

// grant sends a token request k (a form or, where the Auth0 SDKs send one,
// a JSON body that holds client_id), decodes the answer with
// decodeTokenResponse and verifies the returned ID token when a verifier is
// configured.
func (c *Client) grant(ctx context.Context, k call, vopts []verifier.Option) (*TokenResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if err := c.checksRunnable(vopts); err != nil {
		return nil, err
	}
	var raw []byte
	if _, err := c.do(ctx, k, &raw); err != nil {
		return nil, err
	}
	t, err := decodeTokenResponse(raw, c.now())
	if err != nil {
		return nil, err
	}
	if err := c.checkIDToken(ctx, t.IDToken, &t.IDTokenClaims, vopts); err != nil {
		return nil, err
	}
	return t, nil
}

// checkIDToken verifies idToken when a verifier is configured. Never
// skipped: a configured verifier sees every ID token of every answer, and
// when checks were asked (opts) an answer without an ID token is refused
// rather than let the checks pass unrun.
func (c *Client) checkIDToken(ctx context.Context, idToken string, claims **verifier.Claims, opts []verifier.Option) error {
	if err := c.checksRunnable(opts); err != nil {
		return err
	}
	if idToken == "" {
		if len(opts) > 0 {
			return &TokenResponseError{Field: "id_token", Problem: "is missing, and ID-token checks were asked"}
		}
		return nil
	}
	if c.verifier == nil {
		return nil
	}
	cl, err := c.verifier.Verify(ctx, idToken, opts...)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrIDToken, err)
	}
	*claims = cl
	return nil
}

// AuthorizationCodeRequest exchanges an authorization code (confidential
// clients; the client authenticates).
type AuthorizationCodeRequest struct {
	Code        string
	RedirectURI string // the redirect_uri of the /authorize request, if one was sent
	// IDTokenChecks are extra checks for the returned ID token (for example
	// verifier.WithNonce with the nonce sent to /authorize), applied by the
	// Client's ID-token verifier. Giving any makes the id_token required:
	// an answer without one is a *TokenResponseError, and a Client without
	// a verifier refuses the call (ErrNoIDTokenVerifier).
	IDTokenChecks []verifier.Option
}

// AuthorizationCode exchanges an authorization code for tokens
// (Python GetToken.authorization_code).
func (c *Client) AuthorizationCode(ctx context.Context, r AuthorizationCodeRequest) (*TokenResponse, error) {
	if r.Code == "" {
		return nil, errors.New("authentication: AuthorizationCode: empty code")
	}
	form := url.Values{"grant_type": {GrantAuthorizationCode}, "code": {r.Code}}
	setIf(form, "redirect_uri", r.RedirectURI)
	return c.token(ctx, form, nil, true, nil, r.IDTokenChecks)
}

// AuthorizationCodePKCERequest exchanges an authorization code with its
// PKCE code verifier (public clients; no client authentication is sent).
type AuthorizationCodePKCERequest struct {
	Code          string
	CodeVerifier  string
	RedirectURI   string
	IDTokenChecks []verifier.Option
}

// AuthorizationCodePKCE exchanges an authorization code and its PKCE
// verifier for tokens (Python GetToken.authorization_code_pkce).
func (c *Client) AuthorizationCodePKCE(ctx context.Context, r AuthorizationCodePKCERequest) (*TokenResponse, error) {
	if r.Code == "" || r.CodeVerifier == "" {
		return nil, errors.New("authentication: AuthorizationCodePKCE: empty code or code verifier")
	}
	form := url.Values{"grant_type": {GrantAuthorizationCode}, "code": {r.Code}, "code_verifier": {r.CodeVerifier}}
	setIf(form, "redirect_uri", r.RedirectURI)
	return c.token(ctx, form, nil, false, nil, r.IDTokenChecks)
}

// ClientCredentialsRequest asks for an access token for the application
// itself (machine to machine).
type ClientCredentialsRequest struct {
	Audience     string // the API identifier; required
	Organization string // org_ ID or name, for organization-bound M2M tokens
	Extra        url.Values
}

// ClientCredentials gets an access token with the client credentials grant
// (Python GetToken.client_credentials).
func (c *Client) ClientCredentials(ctx context.Context, r ClientCredentialsRequest) (*TokenResponse, error) {
	if r.Audience == "" {
		return nil, errors.New("authentication: ClientCredentials: empty audience")
	}
	form := url.Values{"grant_type": {GrantClientCredentials}, "audience": {r.Audience}}
	setIf(form, "organization", r.Organization)
	return c.token(ctx, form, r.Extra, true, nil, nil)
}

// LoginRequest is the resource owner password grant.
type LoginRequest struct {
	Username string
	Password string
	Realm    string // the connection (password-realm grant)
	Scope    string
	Audience string
	// Organization (an org_ ID or a name) asks for a token of that
	// organization: org_id (and org_name) in the tokens, refused when the
	// user is not a member. Auth0 documents the organization parameter on
	// /authorize (AuthorizeParams.Organization); package authtest, which
	// has no login page, honours it on this grant so that tests can log a
	// member in to an organization.
	Organization string
	// Invitation is the id of an organization invitation the user
	// accepts by logging in (with Organization set to its organization);
	// on Auth0 it goes to /authorize (AuthorizeParams.Invitation), and
	// authtest honours it on this grant.
	Invitation string
	// GrantType defaults to the password-realm grant; GrantPassword uses
	// the tenant's default directory instead of Realm.
	GrantType string
	// ForwardedFor is the end user's IP address, sent as the
	// auth0-forwarded-for header so brute-force protection sees the user,
	// not the server (requires "Trust Token Endpoint IP Header").
	ForwardedFor  string
	Extra         url.Values
	IDTokenChecks []verifier.Option
}

// Login exchanges a username and password for tokens (Python GetToken.login).
func (c *Client) Login(ctx context.Context, r LoginRequest) (*TokenResponse, error) {
	if r.Username == "" || r.Password == "" {
		return nil, errors.New("authentication: Login: empty username or password")
	}
	grant := r.GrantType
	if grant == "" {
		grant = GrantPasswordRealm
	}
	form := url.Values{"grant_type": {grant}, "username": {r.Username}, "password": {r.Password}}
	setIf(form, "realm", r.Realm)
	setIf(form, "scope", r.Scope)
	setIf(form, "audience", r.Audience)
	setIf(form, "organization", r.Organization)
	setIf(form, "invitation", r.Invitation)
	var h http.Header
	if r.ForwardedFor != "" {
		h = http.Header{"Auth0-Forwarded-For": {r.ForwardedFor}}
	}
	return c.token(ctx, form, r.Extra, true, h, r.IDTokenChecks)
}

// RefreshTokenRequest exchanges a refresh token.
type RefreshTokenRequest struct {
	RefreshToken  string
	Scope         string // optional: a subset of the original scopes
	IDTokenChecks []verifier.Option
}

// RefreshToken exchanges a refresh token for new tokens (Python
// GetToken.refresh_token). The client authenticates when it has
// credentials (public clients send only client_id).
func (c *Client) RefreshToken(ctx context.Context, r RefreshTokenRequest) (*TokenResponse, error) {
	if r.RefreshToken == "" {
		return nil, errors.New("authentication: RefreshToken: empty refresh token")
	}
	form := url.Values{"grant_type": {GrantRefreshToken}, "refresh_token": {r.RefreshToken}}
	setIf(form, "scope", r.Scope)
	return c.token(ctx, form, nil, true, nil, r.IDTokenChecks)
}

// PasswordlessLoginRequest completes a passwordless login with the code
// the user received.
type PasswordlessLoginRequest struct {
	Username      string // email address or phone number
	OTP           string // the code received
	Realm         string // "email" or "sms"
	Scope         string
	Audience      string
	IDTokenChecks []verifier.Option
}

// PasswordlessLogin exchanges a one-time code for tokens (Python
// GetToken.passwordless_login). The body is JSON, as the Auth0 SDKs send
// this grant (auth0-python's passwordless_login, go-auth0's
// Passwordless.LoginWithEmail and LoginWithSMS).
func (c *Client) PasswordlessLogin(ctx context.Context, r PasswordlessLoginRequest) (*TokenResponse, error) {
	if r.Username == "" || r.OTP == "" || r.Realm == "" {
		return nil, errors.New("authentication: PasswordlessLogin: username, OTP and realm are required")
	}
	body := map[string]any{"client_id": c.clientID, "grant_type": GrantPasswordlessOTP, "username": r.Username, "otp": r.OTP, "realm": r.Realm}
	for k, v := range map[string]string{"scope": r.Scope, "audience": r.Audience} {
		if v != "" {
			body[k] = v
		}
	}
	return c.grant(ctx, call{method: http.MethodPost, path: "/oauth/token", json: body, auth: true}, r.IDTokenChecks)
}

// BackChannelLoginToken polls for the tokens of a back-channel (CIBA)
// login started with BackChannelLogin (Python GetToken.backchannel_login).
// Until the user approves, the answer is a *client.Error with Code
// "authorization_pending" (or "slow_down"); poll again after the interval.
func (c *Client) BackChannelLoginToken(ctx context.Context, authReqID string, idTokenChecks ...verifier.Option) (*TokenResponse, error) {
	if authReqID == "" {
		return nil, errors.New("authentication: BackChannelLoginToken: empty auth_req_id")
	}
	form := url.Values{"grant_type": {GrantCIBA}, "auth_req_id": {authReqID}}
	return c.token(ctx, form, nil, true, nil, idTokenChecks)
}

// ConnectionTokenRequest asks for the access token of a federated
// connection (Token Vault) in exchange for an Auth0 token.
type ConnectionTokenRequest struct {
	SubjectTokenType   string // e.g. "urn:ietf:params:oauth:token-type:refresh_token"
	SubjectToken       string
	RequestedTokenType string // e.g. "http://auth0.com/oauth/token-type/federated-connection-access-token"
	Connection         string
	LoginHint          string
}

// AccessTokenForConnection exchanges an Auth0 token for a federated
// connection's access token (Python GetToken.access_token_for_connection).
func (c *Client) AccessTokenForConnection(ctx context.Context, r ConnectionTokenRequest) (*TokenResponse, error) {
	if r.SubjectTokenType == "" || r.SubjectToken == "" || r.RequestedTokenType == "" {
		return nil, errors.New("authentication: AccessTokenForConnection: subject token, its type and the requested type are required")
	}
	form := url.Values{
		"grant_type":           {GrantFederatedConnectionToken},
		"subject_token_type":   {r.SubjectTokenType},
		"subject_token":        {r.SubjectToken},
		"requested_token_type": {r.RequestedTokenType},
	}
	setIf(form, "connection", r.Connection)
	setIf(form, "login_hint", r.LoginHint)
	return c.token(ctx, form, nil, true, nil, nil)
}

// TokenExchangeRequest is an Auth0 Custom Token Exchange (RFC 8693).
type TokenExchangeRequest struct {
	SubjectTokenType   string // a type registered in a Custom Token Exchange profile
	SubjectToken       string
	Audience           string
	Scope              string
	RequestedTokenType string
	Organization       string
	Extra              url.Values
	IDTokenChecks      []verifier.Option
}

// CustomTokenExchange exchanges an external token for Auth0 tokens. (Not
// in the Python SDK; recorded in the go-auth0 fixtures.)
func (c *Client) CustomTokenExchange(ctx context.Context, r TokenExchangeRequest) (*TokenResponse, error) {
	if r.SubjectTokenType == "" || r.SubjectToken == "" {
		return nil, errors.New("authentication: CustomTokenExchange: subject token and its type are required")
	}
	form := url.Values{"grant_type": {GrantTokenExchange}, "subject_token_type": {r.SubjectTokenType}, "subject_token": {r.SubjectToken}}
	setIf(form, "audience", r.Audience)
	setIf(form, "scope", r.Scope)
	setIf(form, "requested_token_type", r.RequestedTokenType)
	setIf(form, "organization", r.Organization)
	return c.token(ctx, form, r.Extra, true, nil, r.IDTokenChecks)
}
