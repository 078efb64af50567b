package verifier

import "time"

// Option adds a per-call check to Verify. Options are plain values: passing
// them allocates nothing.
type Option struct {
	kind optionKind
	b    Binding
	s    string
	d    time.Duration
}

type optionKind uint8

const (
	optNonce optionKind = iota + 1
	optMaxAge
	optOrganization
	optBindings
	optAudience
)

// WithNonce requires the nonce claim to equal nonce exactly (OIDC Core
// 3.1.3.7). An empty nonce fails closed rather than disabling the check: a
// lost session value must not switch replay protection off.
func WithNonce(nonce string) Option { return Option{kind: optNonce, s: nonce} }

// WithMaxAge requires auth_time to be present and no older than d (plus
// Leeway). WithMaxAge(0) requires an authentication that happened now, as
// OIDC's max_age=0; a negative d fails closed.
func WithMaxAge(d time.Duration) Option { return Option{kind: optMaxAge, d: d} }

// WithOrganization requires the token to belong to org. A value whose first
// four bytes are "org_" in any ASCII case is an organization id and must
// equal the org_id claim exactly ("ORG_abc" matches no token; it is never
// taken for a name). Any other value is a name: lower-cased with
// strings.ToLower, as the Auth0 SDKs do, it must equal the org_name claim
// exactly (Auth0 organization names are lower case), with no further case
// folding (strings.EqualFold would match "ſ" to "s"). An empty org fails
// closed. Claims.CheckOrganization applies the same rule (package orgs uses
// it per route).
func WithOrganization(org string) Option { return Option{kind: optOrganization, s: org} }

// WithAudience requires the aud claim to contain aud exactly, on top of the
// Config.Audience rule (aud must contain one of the configured audiences).
// A Verifier that answers to several audiences uses it where one of them
// is meant: an MCP server, whose tokens must name its own canonical URL
// (RFC 8707; the MCP authorization specification), refuses there a token
// issued for another API of the same Verifier. An empty aud fails closed.
func WithAudience(aud string) Option { return Option{kind: optAudience, s: aud} }
