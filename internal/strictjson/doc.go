// Package strictjson is tokengate's strict JSON scanner, shared by the
// token verifier (JOSE headers and claims, in verifier and
// internal/jose, also used by dpop) and by jwks (key sets and discovery documents).
//
// It reads RFC 8259 JSON in place and accepts less than encoding/json:
//   - no duplicate member names in any object at any depth, compared after
//     unescaping and under Unicode case folding, because encoding/json
//     resolves duplicates last-wins and matches struct fields
//     case-insensitively ("alg" and "aLg", "k" and the Kelvin sign U+212A
//     would otherwise mean one member to us and another to a peer);
//   - valid UTF-8 only, and no lone or reversed surrogate escapes (which
//     encoding/json replaces with U+FFFD);
//   - nesting at most MaxDepth (32), numbers at most 64 characters, at most
//     MaxMembers (1024) members per object;
//   - nothing after the value but whitespace.
//
// Nothing in the input is trusted: every call either consumes a well-formed
// value or returns an error (ErrSyntax, ErrDuplicate, ErrDepth, ErrUTF8,
// ErrTrailing, ErrNumber, ErrMembers), after which the Scanner must not be
// used again. The one exception is SkipRaw: it reads a value with duplicate names to its
// end and returns ErrDuplicate with the value's bytes, so a caller can refuse
// that value alone and go on (jwks drops the one key, not the whole set).
//
// Every call costs time linear in what it reads, whatever the input: the
// duplicate check hashes names with a per-process random seed, so that no
// set of names found offline shares one probe chain (SECURITY.md X2).
//
// The Scanner is a pull parser over a byte slice: Peek the kind of the next
// value, then BeginObject/NextMember, BeginArray/NextElement, ReadString,
// ReadNumber, ReadFloat, ReadBool, ReadNull, Skip or SkipRaw it. It
// allocates only for member names with escapes and for objects of more than
// 24 members, so it sits on the hot path of token verification. Valid and
// ValidObject check a whole document.
package strictjson
