package main

import (
	"fmt"
	"strings"

	"github.com/tokengate/tokengate/bench"
	"github.com/tokengate/tokengate/bench/e2e"
)

// Status of a target.
type Status string

const (
	Met         Status = "met"
	NotMet      Status = "**not met**"
	NotMeasured Status = "not measured"
	// Elsewhere marks a target that a test of another package checks.
	Elsewhere Status = "tested elsewhere"
)

// E2ETarget is DESIGN.md's end-to-end target: tokengate's middleware keeps
// at least this fraction of the bare server's requests/s.
const E2ETarget = 0.85

// Target is one line of DESIGN.md's performance table, evaluated.
type Target struct {
	Measure  string
	Goal     string
	Measured string
	Status   Status
}

// The custom-claims targets of issue 26: tokengate's typed path
// (verifier.Typed) decoding the four custom claims of the fixture.
const (
	CustomRSATarget  = 1.12 // RS256 with custom claims, × bare primitive
	CustomHMACTarget = 4.0  // HS256 with custom claims, × bare primitive
	CustomOverheadNs = 1500 // HS256: ns over tokengate's typed-only path (registered claims only)
)

// isPeer reports whether lib is another library's row without custom
// claims (not ours, not a floor, not a custom-claims row).
func isPeer(lib string) bool {
	switch lib {
	case bench.NameTokengate, bench.NameTokengateCached, bench.NamePrimitive, bench.NameMinimal:
		return false
	}
	return !isCustom(lib)
}

// isCustom reports whether lib is a custom-claims row.
func isCustom(lib string) bool {
	for _, c := range bench.Contenders() {
		if c.Name == lib {
			return c.Custom()
		}
	}
	return false
}

// Evaluate checks the DESIGN.md targets against the verification results r
// and the end-to-end results e.
func Evaluate(r Results, e E2E) []Target {
	var ts []Target
	ratioToFloor := func(alg string, max float64) Target {
		t := Target{
			Measure: alg + " verify incl. claims, uncached",
			Goal:    fmt.Sprintf("≤ %.2f × bare primitive", max),
		}
		tg, fl := r.Get(alg, bench.NameTokengate), r.Get(alg, bench.NamePrimitive)
		if tg == nil || fl == nil || fl.NsOp == 0 {
			t.Status, t.Measured = NotMeasured, "missing from the run"
			return t
		}
		ratio := tg.NsOp / fl.NsOp
		t.Measured = fmt.Sprintf("%.2f × (%s vs %s)", ratio, fmtNs(tg.NsOp), fmtNs(fl.NsOp))
		t.Status = status(ratio <= max)
		return t
	}

	ts = append(ts, ratioToFloor(bench.RS256, 1.10))

	// RS256 faster than every peer.
	t := Target{Measure: "RS256 verify, uncached, against peers", Goal: "faster than every peer"}
	if tg := r.Get(bench.RS256, bench.NameTokengate); tg == nil {
		t.Status, t.Measured = NotMeasured, "missing from the run"
	} else {
		best, bestNs := "", 0.0
		for lib, s := range r[bench.RS256] {
			if isPeer(lib) && (best == "" || s.NsOp < bestNs) {
				best, bestNs = lib, s.NsOp
			}
		}
		if best == "" {
			t.Status, t.Measured = NotMeasured, "no peer in the run"
		} else {
			t.Measured = fmt.Sprintf("fastest peer %s: %s, %.2f × tokengate", best, fmtNs(bestNs), bestNs/tg.NsOp)
			t.Status = status(tg.NsOp < bestNs)
		}
	}
	ts = append(ts, t)

	ts = append(ts, ratioToFloor(bench.HS256, 3))

	t = Target{Measure: "HS256 verify, uncached, against golang-jwt/v5", Goal: "≥ 3 × faster than golang-jwt/v5"}
	if tg, gj := r.Get(bench.HS256, bench.NameTokengate), r.Get(bench.HS256, bench.NameGolangJWT); tg == nil || gj == nil || tg.NsOp == 0 {
		t.Status, t.Measured = NotMeasured, "missing from the run"
	} else {
		speedup := gj.NsOp / tg.NsOp
		t.Measured = fmt.Sprintf("%.2f × faster (%s vs %s)", speedup, fmtNs(tg.NsOp), fmtNs(gj.NsOp))
		t.Status = status(speedup >= 3)
	}
	ts = append(ts, t)

	ts = append(ts, ratioToFloor(bench.ES256, 1.10))

	// Allocations, every algorithm.
	t = Target{Measure: "allocations per uncached verify", Goal: "≤ 12"}
	ok, parts, missing := true, []string(nil), false
	for _, alg := range bench.Algorithms {
		s := r.Get(alg, bench.NameTokengate)
		if s == nil {
			missing = true
			continue
		}
		part := fmt.Sprintf("%s %g", alg, s.AllocsOp)
		if fl := r.Get(alg, bench.NamePrimitive); fl != nil {
			// The primitive allocates too (crypto/rsa, crypto/ecdsa): say
			// how much of the count is ours.
			part += fmt.Sprintf(" (primitive alone %g)", fl.AllocsOp)
		}
		parts = append(parts, part)
		ok = ok && s.AllocsOp <= 12
	}
	t.Measured = strings.Join(parts, ", ")
	switch {
	case missing:
		t.Status = NotMeasured
		t.Measured += " (an algorithm is missing from the run)"
	default:
		t.Status = status(ok)
	}
	ts = append(ts, t)

	t = Target{Measure: "repeat token (verified-token cache hit)", Goal: "≤ 0.5 µs, 0 allocations"}
	ok, parts, missing = true, nil, false
	for _, alg := range bench.Algorithms {
		s := r.Get(alg, bench.NameTokengateCached)
		if s == nil {
			missing = true
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s, %g allocs", alg, fmtNs(s.NsOp), s.AllocsOp))
		ok = ok && s.NsOp <= 500 && s.AllocsOp == 0
	}
	t.Measured = strings.Join(parts, "; ")
	if missing {
		t.Status = NotMeasured
		t.Measured += " (an algorithm is missing from the run)"
	} else {
		t.Status = status(ok)
	}
	ts = append(ts, t)

	ts = append(ts, evaluateCustom(r)...)
	ts = append(ts, evaluateDPoP(r)...)
	ts = append(ts, evaluateJWE(r)...) // jwe.go

	ts = append(ts, evaluateE2E(e), Target{
		Measure: "unknown-kid storm (10,000 concurrent)", Goal: "1 JWKS fetch per cooldown window",
		Measured: "measured in jwks tests (TestF1_UnknownKidStorm in jwks/cache_test.go), not a timing",
		Status:   Elsewhere,
	})
	return ts
}

// DPoP targets (issue 25): the extra cost of a proof over its signature.
const (
	DPoPUncachedRatio = 1.10 // × (RS256 bearer verify + the proof's bare ecdsa.Verify)
	DPoPCachedSlackNs = 2000 // ns over the proof's bare ecdsa.Verify, the access token a cache hit
	NameGoJWTMWv3     = "go-jwt-middleware-v3"
)

// evaluateDPoP checks the DPoP rows (alg=DPoP): uncached against the RS256
// bearer verification plus the proof's floor; with the access token a
// cache hit against the proof's floor alone; and against go-jwt-middleware
// v3's DPoP path.
func evaluateDPoP(r Results) []Target {
	floor := r.Get(bench.DPoP, bench.NamePrimitive)
	ours := r.Get(bench.DPoP, bench.NameTokengate)
	cached := r.Get(bench.DPoP, bench.NameTokengateCached)
	bearer := r.Get(bench.RS256, bench.NameTokengate)
	missing := func(t Target) Target {
		t.Status, t.Measured = NotMeasured, "missing from the run"
		return t
	}

	t1 := Target{Measure: "DPoP request (RS256 token + ES256 proof), uncached",
		Goal: fmt.Sprintf("≤ %.2f × (RS256 bearer verify + bare ecdsa.Verify of the proof)", DPoPUncachedRatio)}
	if ours == nil || floor == nil || bearer == nil {
		t1 = missing(t1)
	} else {
		base := bearer.NsOp + floor.NsOp
		ratio := ours.NsOp / base
		t1.Measured = fmt.Sprintf("%.2f × (%s vs %s + %s)", ratio, fmtNs(ours.NsOp), fmtNs(bearer.NsOp), fmtNs(floor.NsOp))
		t1.Status = status(ratio <= DPoPUncachedRatio)
	}

	t2 := Target{Measure: "DPoP request, the access token a verified-token cache hit",
		Goal: "≤ bare ecdsa.Verify of the proof + 2 µs"}
	if cached == nil || floor == nil {
		t2 = missing(t2)
	} else {
		over := cached.NsOp - floor.NsOp
		t2.Measured = fmt.Sprintf("%s = floor %s %+.2f µs", fmtNs(cached.NsOp), fmtNs(floor.NsOp), over/1e3)
		t2.Status = status(over <= DPoPCachedSlackNs)
	}

	t3 := Target{Measure: "DPoP request against go-jwt-middleware v3", Goal: "faster than its DPoP path (CheckTokenWithDPoP)"}
	if peer := r.Get(bench.DPoP, NameGoJWTMWv3); ours == nil || peer == nil {
		t3 = missing(t3)
	} else {
		t3.Measured = fmt.Sprintf("%s vs %s: %.2f × faster (it keeps no replay store)", fmtNs(ours.NsOp), fmtNs(peer.NsOp), peer.NsOp/ours.NsOp)
		t3.Status = status(ours.NsOp < peer.NsOp)
	}
	return []Target{t1, t2, t3}
}

// evaluateCustom checks the custom-claims targets: the typed path
// uncached against the primitive (RS256, HS256) and against the typed-only
// path (HS256), and the typed path on a cache hit.
func evaluateCustom(r Results) []Target {
	var ts []Target
	t := Target{Measure: "RS256 verify incl. 4 custom claims (typed), uncached", Goal: fmt.Sprintf("≤ %.2f × bare primitive", CustomRSATarget)}
	if tg, fl := r.Get(bench.RS256, bench.NameTokengateCustom), r.Get(bench.RS256, bench.NamePrimitive); tg == nil || fl == nil || fl.NsOp == 0 {
		t.Status, t.Measured = NotMeasured, "missing from the run"
	} else {
		ratio := tg.NsOp / fl.NsOp
		t.Measured = fmt.Sprintf("%.2f × (%s vs %s)", ratio, fmtNs(tg.NsOp), fmtNs(fl.NsOp))
		t.Status = status(ratio <= CustomRSATarget)
	}
	ts = append(ts, t)

	t = Target{Measure: "HS256 verify incl. 4 custom claims (typed), uncached",
		Goal: fmt.Sprintf("≤ %.0f × bare primitive and ≤ %s over the typed-only path", CustomHMACTarget, fmtNs(CustomOverheadNs))}
	tg, fl, plain := r.Get(bench.HS256, bench.NameTokengateCustom), r.Get(bench.HS256, bench.NamePrimitive), r.Get(bench.HS256, bench.NameTokengate)
	if tg == nil || fl == nil || plain == nil || fl.NsOp == 0 {
		t.Status, t.Measured = NotMeasured, "missing from the run"
	} else {
		ratio, over := tg.NsOp/fl.NsOp, tg.NsOp-plain.NsOp
		t.Measured = fmt.Sprintf("%.2f × (%s vs %s); %s over tokengate (%s), %g allocs", ratio, fmtNs(tg.NsOp), fmtNs(fl.NsOp),
			fmtSignedNs(over), fmtNs(plain.NsOp), tg.AllocsOp)
		t.Status = status(ratio <= CustomHMACTarget && over <= CustomOverheadNs)
	}
	ts = append(ts, t)

	t = Target{Measure: "repeat token with 4 custom claims (typed, cache hit)", Goal: "≤ 0.5 µs, 0 allocations"}
	ok, missing := true, false
	var parts []string
	for _, alg := range bench.Algorithms {
		s := r.Get(alg, bench.NameTokengateCustomCached)
		if s == nil {
			missing = true
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s, %g allocs", alg, fmtNs(s.NsOp), s.AllocsOp))
		ok = ok && s.NsOp <= 500 && s.AllocsOp == 0
	}
	t.Measured = strings.Join(parts, "; ")
	if missing {
		t.Status = NotMeasured
		t.Measured += " (an algorithm is missing from the run)"
	} else {
		t.Status = status(ok)
	}
	return append(ts, t)
}

// fmtSignedNs is fmtNs with a sign: "+560 ns", "-20 ns".
func fmtSignedNs(ns float64) string {
	if ns < 0 {
		return "-" + fmtNs(-ns)
	}
	return "+" + fmtNs(ns)
}

// evaluateE2E checks the loopback target with the counting driver: the
// Authenticate server (cache on, repeat tokens) against bare. The full
// chain and go-jwt-middleware are reported next to it, not judged.
func evaluateE2E(e E2E) Target {
	t := Target{
		Measure: "middleware on a loopback HTTP server, repeat tokens",
		Goal:    fmt.Sprintf("≥ %.2f × requests/s of the bare server", E2ETarget),
	}
	d := e.Driver()
	tg, bare := e.Get(d, e2e.NameTokengate), e.Get(d, e2e.NameBare)
	if tg == nil || bare == nil || bare.RPS == 0 {
		t.Status, t.Measured = NotMeasured, "missing from the run (run.sh's end-to-end part)"
		return t
	}
	ratio := tg.RPS / bare.RPS
	rounds := fmt.Sprintf("median of %d rounds", min(tg.Rounds, bare.Rounds))
	if min(tg.Rounds, bare.Rounds) == 1 {
		rounds = "1 round"
	}
	t.Measured = fmt.Sprintf("%.2f × (%s vs %s req/s, %s, %s)", ratio,
		fmtInt(tg.RPS), fmtInt(bare.RPS), driverName(d), rounds)
	if c := e.CPURatio(d, e2e.NameTokengate); c > 0 {
		t.Measured += fmt.Sprintf(", server CPU per request %.2f × bare's", c)
	}
	var others []string
	for _, o := range []struct{ name, label string }{
		{e2e.NameTokengateChain, "full chain"},
		{e2e.NameGoJWTMiddleware3, "go-jwt-middleware v3"},
		{e2e.NameGoJWTMiddleware2, "v2"},
	} {
		if r := e.Ratio(d, o.name); r > 0 {
			others = append(others, fmt.Sprintf("%s %.2f ×", o.label, r))
		}
	}
	if len(others) > 0 {
		t.Measured += "; " + strings.Join(others, ", ")
	}
	t.Status = status(ratio >= E2ETarget)
	if tg.Failures > 0 || bare.Failures > 0 {
		t.Status, t.Measured = NotMeasured, t.Measured+"; requests failed, figures invalid"
	}
	return t
}

// driverName names a driver for readers.
func driverName(d string) string {
	switch d {
	case "wrk":
		return "wrk"
	case "go":
		return "Go driver"
	}
	return d
}

func status(ok bool) Status {
	if ok {
		return Met
	}
	return NotMet
}

// fmtNs prints a duration in ns with a unit that keeps 3 significant digits.
func fmtNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e4:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
