package main

import "testing"

// TestDemo runs the -demo steps against a fresh tenant and server: the
// SDK's client with a good token, with none (401, resource_metadata, the
// metadata naming the tenant), and with too few scopes (403).
func TestDemo(t *testing.T) {
	if err := run("127.0.0.1:0", true); err != nil {
		t.Fatal(err)
	}
}
