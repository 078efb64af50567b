package httpx

import "testing"

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LocalHost", true},
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true},
		{"", false},
		{"localhost.", false},
		{"localhost.example.com", false},
		{"127.0.0.1.nip.io", false},
		{"10.0.0.1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"[::1]", false},
		{"::1%lo", false},
		{"2130706433", false},
		{"0x7f.0.0.1", false},
		{"example.com", false},
	}
	for _, tt := range tests {
		if got := IsLoopback(tt.host); got != tt.want {
			t.Errorf("IsLoopback(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}
