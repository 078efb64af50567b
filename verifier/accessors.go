package verifier

// Audience returns a copy of the configured audiences (Config.Audience), so
// that a layer built on a Verifier can check at construction that it
// answers to the audience that layer needs (the mcpauth module refuses a
// Verifier whose audiences do not include the MCP server's URL).
func (v *Verifier) Audience() []string { return append([]string(nil), v.audience...) }

// Kind returns the configured token kind (Config.Kind), so that a layer
// built for one kind refuses a Verifier configured for another when it is
// built (mcpauth takes access tokens only; package logout logout tokens).
func (v *Verifier) Kind() Kind { return v.kind }
