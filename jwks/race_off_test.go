//go:build !race

package jwks_test

const raceEnabled = false
