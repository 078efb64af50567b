package verifier

// Audience returns a copy of the configured audiences (Config.Audience), so
// that a layer built on a Verifier can check at construction that it
// answers to the audience that layer needs (the mcpauth module refuses a
// Verifier whose audiences do not include the MCP server's URL).
func (v *Verifier) Audience() []string { return append([]string(nil), v.audience...) }

// Kind returns the configured token kind (Config.Kind): a layer that
// accepts access tokens only refuses an ID-token Verifier when it is built.
func (v *Verifier) Kind() Kind { return v.kind }
