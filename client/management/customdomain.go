package management

// customDomainAllowed reports whether the endpoint (unescaped segments under
// /api/v2) takes the Auth0-Custom-Domain header: the whitelist of the Auth0
// Python SDK 5.x (management_client.py), where "*" is one path segment.
// Every other request is sent without the header.
func customDomainAllowed(segments []string) bool {
	for _, pattern := range [...][]string{
		{"jobs", "verification-email"},
		{"tickets", "email-verification"},
		{"tickets", "password-change"},
		{"organizations", "*", "invitations"},
		{"users"},
		{"users", "*"},
		{"guardian", "enrollments", "ticket"},
		{"self-service-profiles", "*", "sso-ticket"},
	} {
		if matchSegments(pattern, segments) {
			return true
		}
	}
	return false
}

func matchSegments(pattern, segments []string) bool {
	if len(pattern) != len(segments) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != segments[i] {
			return false
		}
	}
	return true
}
