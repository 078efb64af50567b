package redisstore

import (
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tokengate/tokengate/client"
)

func TestConfigErrors(t *testing.T) {
	noTimeouts := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { noTimeouts.Close() })
	good := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true})
	t.Cleanup(func() { good.Close() })
	for _, tt := range []struct {
		name string
		cfg  Config
	}{
		{"no client", Config{}},
		{"context timeouts off", Config{Client: noTimeouts}},
		{"negative timeout", Config{Client: good, Timeout: -time.Second}},
		{"negative retry interval", Config{Client: good, RetryInterval: -time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("New: got %v, want ErrConfig", err)
			}
		})
	}
	s, err := New(Config{Client: good})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tokens(TokenConfig{OnError: 9}); err == nil {
		t.Error("Tokens with an unknown Policy: got nil error")
	}
	if _, err := s.Tokens(TokenConfig{LockTTL: -1}); err == nil {
		t.Error("Tokens with a negative LockTTL: got nil error")
	}
	if _, err := s.Budget(BudgetConfig{}); err == nil {
		t.Error("Budget without a Rate: got nil error")
	}
	if _, err := s.Budget(BudgetConfig{BudgetConfig: client.BudgetConfig{Rate: 1}, OnError: 7}); err == nil {
		t.Error("Budget with an unknown Policy: got nil error")
	}
	if _, err := s.Revocations(RevocationConfig{MaxTokenLifetime: -1}); err == nil {
		t.Error("Revocations with a negative MaxTokenLifetime: got nil error")
	}
}
