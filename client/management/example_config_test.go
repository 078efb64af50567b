package management_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"

	"github.com/tokengate/tokengate/client/management"
)

// bruteForceTenant serves /attack-protection/brute-force-protection: GET
// answers the setting, PATCH changes the members it is sent.
func bruteForceTenant() *httptest.Server {
	setting := map[string]any{"enabled": true, "shields": []string{"block", "user_notification"},
		"mode": "count_per_identifier", "allowlist": []string{}, "max_attempts": 10}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/attack-protection/brute-force-protection", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(setting)
	})
	mux.HandleFunc("PATCH /api/v2/attack-protection/brute-force-protection", func(w http.ResponseWriter, r *http.Request) {
		var change map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&change); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		maps.Copy(setting, change)
		json.NewEncoder(w).Encode(setting)
	})
	return httptest.NewServer(mux)
}

// Configuration-style settings are Objects: read members by name, and send
// only the members to change.
func ExampleAttackProtectionManager_GetBruteForceProtection() {
	srv := bruteForceTenant()
	defer srv.Close()
	m, err := management.New(srv.URL, management.Config{Token: "my-management-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	bf, err := m.AttackProtection.GetBruteForceProtection(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bf["enabled"], bf["max_attempts"], bf["shields"])

	bf, err = m.AttackProtection.UpdateBruteForceProtection(ctx, management.Object{"max_attempts": 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bf["max_attempts"])
	// Output:
	// true 10 [block user_notification]
	// 5
}
