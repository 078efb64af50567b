// Package bench compares tokengate's verifier with the Go JWT libraries
// people use, on one realistic Auth0-style access token per algorithm
// (RS256, HS256, ES256), in one run on one machine.
//
// The package holds what the benchmarks and the correctness test share: the
// fixtures (keys, tokens, a JWKS document), one Contender per library set up
// for full validation (signature, iss, aud, exp), and two floors: the bare
// signature primitive and a minimal hand-written verifier. The custom-claims
// contenders (NewDecode) also decode the token's four custom claims into
// CustomClaims, and are checked to decode them right (CheckDecode).
//
// The DPoP rows (DPoPFixture, DPoPContenders, CheckDPoP) time one request
// with a DPoP-bound access token and a fresh proof: tokengate's verifier
// and package dpop, against go-jwt-middleware v3's DPoP path and the floor
// of one proof signature.
//
// The JWE rows (JWEFixture, JWEContenders, CheckJWE) time decrypt+verify
// of the RS256 good token encrypted as Auth0 encrypts access tokens
// (RSA-OAEP-256, A256GCM): tokengate's verifier with Config.Decryption,
// uncached and cached, against go-jose v4 and jwx v3 and the floor of the
// bare primitives (NewJWEPrimitive).
//
// # What is trusted
//
// Nothing here is library code: it is a measuring instrument. Every
// contender is first checked to accept the good token and to reject an
// expired token, a token for another audience, a token from another issuer
// and a token with a bad signature (see Check). A contender that fails the
// check is never timed: the benchmark fails instead.
//
// # Running
//
// bench/run.sh runs the correctness test and the benchmarks, then writes
// RESULTS.md with cmd/report. The module is nested (its own go.mod, with a
// replace to the working tree) so that the peers never become dependencies
// of tokengate itself.
package bench
