package grpcauth_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/orgs"
)

const (
	msgOrgMissing = "the request names no organization this token can be checked against"
	msgOrgDenied  = "the access token is not valid for this organization"
	msgNotMember  = "the user is not a member of the token's organization"
	msgOrgDown    = "the organization cannot be checked right now; try again later"
)

// members is a MembershipChecker: "org/user" pairs, or an error, or a
// panic; calls counts the calls.
type members struct {
	mu     sync.Mutex
	pairs  map[string]bool
	err    error
	panics bool
	calls  atomic.Int32
}

func (m *members) IsMember(_ context.Context, org, user string) (bool, error) {
	m.calls.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.panics {
		panic("checker bug")
	}
	return m.pairs[org+"/"+user], m.err
}

// serviceOrg reads the organization from a health request's service field.
func serviceOrg(msg any) (string, bool) {
	r, ok := msg.(*healthpb.HealthCheckRequest)
	if !ok || r.Service == "" {
		return "", false
	}
	if r.Service == "panic" {
		panic("FromMessage bug")
	}
	return r.Service, true
}

// TestGR5Organizations: organization rules per full method, the
// organization named by metadata or by the request message, compared as
// orgs.Require compares it (org_ id exactly, else the name lower-cased),
// Allow, and membership through orgs.NewMembers' cache. The organization
// checked is what orgs.Checked returns in the handler.
func TestGR5Organizations(t *testing.T) {
	m := &members{pairs: map[string]bool{"org_acme/auth0|alice": true}}
	var oev orgEvents
	conn := serve(t, grpcauth.Config{
		Verifier: newVerifier(t, nil),
		Methods: map[string]grpcauth.Rule{
			echoM:  {Organization: &grpcauth.Organization{Metadata: "x-org", Allow: []string{"org_support"}}},
			checkM: {Organization: &grpcauth.Organization{FromMessage: serviceOrg}, Member: true},
			chatM:  {Organization: &grpcauth.Organization{FromMessage: serviceOrg}},
			watchM: {Member: true},
		},
		Membership:  m,
		OrgObserver: &oev,
	})
	acme := token(t, map[string]any{"org_id": "org_acme", "org_name": "acme"})
	bob := token(t, map[string]any{"org_id": "org_acme", "sub": "auth0|bob"})
	other := token(t, map[string]any{"org_id": "org_other"})
	support := token(t, map[string]any{"org_id": "org_support"})
	noOrg := token(t, nil)
	ok := expect{codes.OK, "", ""}
	missing := expect{codes.PermissionDenied, msgOrgMissing, ""}
	denied := expect{codes.PermissionDenied, msgOrgDenied, ""}
	tests := []struct {
		name, method, tok, service string
		md                         []string
		want                       expect
		org                        string // what orgs.Checked gave the handler
	}{
		{"GR5/metadata-id", echoM, acme, "", []string{"x-org", "org_acme"}, ok, "org_acme"},
		{"GR5/metadata-id-any-case-prefix", echoM, acme, "", []string{"x-org", "ORG_acme"}, denied, ""},
		{"GR5/metadata-name", echoM, acme, "", []string{"x-org", "ACME"}, ok, "ACME"},
		{"GR5/metadata-other", echoM, other, "", []string{"x-org", "org_acme"}, denied, ""},
		{"GR5/metadata-token-without-org", echoM, noOrg, "", []string{"x-org", "org_acme"}, denied, ""},
		{"GR5/metadata-absent", echoM, acme, "", nil, missing, ""},
		{"GR5/metadata-empty", echoM, acme, "", []string{"x-org", ""}, missing, ""},
		{"GR5/metadata-twice", echoM, acme, "", []string{"x-org", "org_acme", "x-org", "org_acme"}, missing, ""},
		{"GR5/allow", echoM, support, "", []string{"x-org", "org_acme"}, ok, "org_acme"},
		{"GR5/message-member", checkM, acme, "org_acme", nil, ok, ""},
		{"GR5/message-not-member", checkM, bob, "org_acme", nil, expect{codes.PermissionDenied, msgNotMember, ""}, ""},
		{"GR5/message-other", checkM, other, "org_acme", nil, denied, ""},
		{"GR5/message-none", checkM, acme, "", nil, missing, ""},
		{"GR5/message-panics", checkM, acme, "panic", nil, missing, ""},
		{"GR5/member-of-token-org", watchM, acme, "items", nil, ok, ""},
		{"GR5/member-token-without-org", watchM, noOrg, "items", nil, missing, ""},
		{"GR5/stream-message", chatM, acme, "org_acme", nil, ok, "org_acme"},
		{"GR5/stream-message-other", chatM, other, "org_acme", nil, denied, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := append(bearer(tt.tok), tt.md...)
			req := &healthpb.HealthCheckRequest{Service: tt.service}
			var r result
			switch tt.method {
			case chatM:
				r = chat(t, conn, chatM, []*healthpb.HealthCheckRequest{req}, md...)
			case watchM:
				r = watch(t, conn, req, md...)
			default:
				r = unary(t, conn, tt.method, req, md...)
			}
			checkResult(t, r, tt.want, tt.tok)
			if tt.org != "" {
				if got := r.trailer.Get("x-org"); len(got) != 1 || got[0] != tt.org {
					t.Errorf("orgs.Checked in the handler: got %q, want %q", got, tt.org)
				}
			}
		})
	}
	for _, e := range oev.take() {
		if e.Route == "" || e.Outcome == "" {
			t.Errorf("orgs.Event without route or outcome: %+v", e)
		}
	}

	t.Run("GR5/member-cached", func(t *testing.T) {
		n := m.calls.Load()
		for range 3 {
			unary(t, conn, checkM, &healthpb.HealthCheckRequest{Service: "org_acme"}, bearer(acme)...)
		}
		if got := m.calls.Load() - n; got != 0 {
			t.Errorf("IsMember calls for answers in the cache: got %d, want 0", got)
		}
	})
	t.Run("GR5/checker-fails", func(t *testing.T) {
		m.mu.Lock()
		m.err = errors.New("management API down")
		m.mu.Unlock()
		defer func() { m.mu.Lock(); m.err = nil; m.mu.Unlock() }()
		carol := token(t, map[string]any{"org_id": "org_acme", "sub": "auth0|carol"})
		r := unary(t, conn, checkM, &healthpb.HealthCheckRequest{Service: "org_acme"}, bearer(carol)...)
		checkResult(t, r, expect{codes.Unavailable, msgOrgDown, ""})
		if got := r.trailer.Get("grpc-retry-pushback-ms"); len(got) != 1 {
			t.Errorf("grpc-retry-pushback-ms: got %q, want one value", got)
		}
	})
	t.Run("GR5/checker-panics", func(t *testing.T) {
		m.mu.Lock()
		m.panics = true
		m.mu.Unlock()
		defer func() { m.mu.Lock(); m.panics = false; m.mu.Unlock() }()
		dave := token(t, map[string]any{"org_id": "org_acme", "sub": "auth0|dave"})
		r := unary(t, conn, checkM, &healthpb.HealthCheckRequest{Service: "org_acme"}, bearer(dave)...)
		checkResult(t, r, expect{codes.Unavailable, msgOrgDown, ""})
	})
}

var _ orgs.MembershipChecker = (*members)(nil)
