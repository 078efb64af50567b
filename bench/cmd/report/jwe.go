package main

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/tokengate/tokengate/bench"
)

// JWE targets (issue 23): decrypt+verify of a nested token against the sum
// of the bare primitives it cannot avoid; a repeat of the encrypted token
// costs what a cache hit costs for a plain one.
const (
	JWEUncachedRatio = 1.10 // × (rsa.DecryptOAEP + AES-GCM open + rsa.VerifyPKCS1v15)
	JWECachedNs      = 500  // ns, with 0 allocations, as the plain cache hit
)

// evaluateJWE checks the JWE rows (alg=JWE): tokengate uncached against
// the floor (lib=floor-primitive of alg=JWE), and tokengate-cached against
// the plain cache-hit target.
func evaluateJWE(r Results) []Target {
	floor := r.Get(bench.JWE, bench.NamePrimitive)
	ours := r.Get(bench.JWE, bench.NameTokengate)
	cached := r.Get(bench.JWE, bench.NameTokengateCached)

	t1 := Target{Measure: "JWE decrypt+verify (RSA-OAEP-256, A256GCM, inner RS256), uncached",
		Goal: fmt.Sprintf("≤ %.2f × the bare primitives (rsa.DecryptOAEP + AES-GCM open + rsa.VerifyPKCS1v15)", JWEUncachedRatio)}
	if ours == nil || floor == nil || floor.NsOp == 0 {
		t1.Status, t1.Measured = NotMeasured, "missing from the run"
	} else {
		ratio := ours.NsOp / floor.NsOp
		t1.Measured = fmt.Sprintf("%.2f × (%s vs %s), %g allocs (primitives alone %g)", ratio, fmtNs(ours.NsOp), fmtNs(floor.NsOp), ours.AllocsOp, floor.AllocsOp)
		t1.Status = status(ratio <= JWEUncachedRatio)
	}

	t2 := Target{Measure: "repeat encrypted token (verified-token cache hit)", Goal: "≤ 0.5 µs, 0 allocations"}
	if cached == nil {
		t2.Status, t2.Measured = NotMeasured, "missing from the run"
	} else {
		t2.Measured = fmt.Sprintf("%s, %g allocs", fmtNs(cached.NsOp), cached.AllocsOp)
		t2.Status = status(cached.NsOp <= JWECachedNs && cached.AllocsOp == 0)
	}
	return []Target{t1, t2}
}

// renderJWE writes the encrypted-token section.
func renderJWE(p *printer, rs map[string]*Summary) {
	p.f("\n## Encrypted access tokens (JWE)\n\n")
	p.f("The RS256 rows' good token encrypted as Auth0 encrypts the access tokens of an API with token encryption on: ")
	p.f("a compact JWE, %s key wrap to an RSA-2048 key of the API, %s content encryption, `cty` JWT, a `kid` (`authtest.Encrypt`). ", bench.JWEAlg, bench.JWEEnc)
	p.f("Every contender first accepts it and refuses a flipped ciphertext bit, a flipped tag bit, encryptions of an expired, ")
	p.f("a wrong-audience and a badly signed inner token, and the plain inner token (`bench.CheckJWE`, also `TestJWECorrectness`). ")
	p.f("The floor is the bare primitives: `rsa.DecryptOAEP` (SHA-256) of the content key, `aes.NewCipher` + `cipher.NewGCM` + `Open`, ")
	p.f("SHA-256 and `rsa.VerifyPKCS1v15` of the inner signature, every segment decoded beforehand. ")
	p.f("The RSA private-key operation is most of the time: it is what an uncached encrypted token costs before anything is authenticated.\n\n")
	var libs [][3]string
	for _, c := range bench.JWEContenders() {
		libs = append(libs, [3]string{c.Name, c.Library, c.Setup})
	}
	renderSideRows(p, rs, libs)
}

// renderSideRows writes the table of a section with its own floor
// (lib=floor-primitive) and contenders, libs being each contender's name,
// module and setup: the rows by time, those missing from the run, then
// the contenders' setup.
func renderSideRows(p *printer, rs map[string]*Summary, libs [][3]string) {
	type row struct {
		lib string
		s   *Summary
	}
	var rows []row
	for lib, s := range rs {
		rows = append(rows, row{lib, s})
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Or(cmp.Compare(a.s.NsOp, b.s.NsOp), cmp.Compare(a.lib, b.lib)) })
	floor, ours := rs[bench.NamePrimitive], rs[bench.NameTokengate]
	p.f("| lib | ns/op | allocs/op | B/op | × floor | × tokengate | runs |\n|---|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rows {
		name := r.lib
		if r.lib == bench.NameTokengate || r.lib == bench.NameTokengateCached {
			name = "**" + name + "**"
		}
		p.f("| %s | %s | %g | %g | %s | %s | %d |\n", name, fmtInt(r.s.NsOp), r.s.AllocsOp, r.s.BytesOp, ratio(r.s, floor), ratio(r.s, ours), r.s.Runs)
	}
	if floor == nil {
		p.f("| %s | missing from this run | | | | | |\n", bench.NamePrimitive)
	}
	for _, l := range libs {
		if rs[l[0]] == nil {
			p.f("| %s | missing from this run | | | | | |\n", l[0])
		}
	}
	p.f("\n| lib | module | setup |\n|---|---|---|\n")
	for _, l := range libs {
		p.f("| %s | %s | %s |\n", l[0], l[1], l[2])
	}
}
