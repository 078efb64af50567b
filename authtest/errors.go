package authtest

import "errors"

var (
	// ErrConfig is wrapped by the errors of NewTenant about its Config.
	ErrConfig = errors.New("authtest: invalid configuration")
	// ErrKey is wrapped by the errors of the key operations (RotateTo,
	// RemoveKey) and of Mint when it has no key for the algorithm.
	ErrKey = errors.New("authtest: key")
	// ErrClaim is wrapped by the errors of Mint about a typed claim field
	// of Token (Subject, Audience, Scopes, Permissions, OrgID, OrgName,
	// Custom) holding a value Auth0 would not issue.
	ErrClaim = errors.New("authtest: invalid claim")
	// ErrNotFound is wrapped by the errors of RemoveMember about an unknown
	// organization, user or membership.
	ErrNotFound = errors.New("authtest: not found")
)
