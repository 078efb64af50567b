package rest

import (
	"encoding/base64"
	"encoding/json"
	"runtime"

	"github.com/tokengate/tokengate/client"
)

// telemetry returns the Auth0-Client header value: standard, padded base64
// of {"name":"tokengate","version":client.Version,"env":{"go":runtime.Version()}}.
func telemetry() string {
	type env struct {
		Go string `json:"go"`
	}
	b, err := json.Marshal(struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Env     env    `json:"env"`
	}{"tokengate", client.Version, env{runtime.Version()}})
	if err != nil { // cannot happen for these types
		return ""
	}
	return base64.StdEncoding.EncodeToString(b)
}

// userAgent is "tokengate/<version> (<go version>)".
func userAgent() string {
	return "tokengate/" + client.Version + " (" + runtime.Version() + ")"
}
