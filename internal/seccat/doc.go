// Package seccat keeps SECURITY.md, the catalogue of security cases at the
// root of the repository, true to the code. It holds no code of its own: its
// test reads the catalogue and every *_test.go file of the repository and
// fails when
//
//   - a test the catalogue names (written `pkg.TestName` or
//     `pkg.TestName/ID`, also Fuzz, Benchmark and Example functions) is
//     declared nowhere, or a subtest id it names (`verifier.TestKid/KD3`) has
//     no subtest or table row of that id in the package;
//   - a case id carried by a test name (TestF7_ColdStart, TestX21RetryWait),
//     a subtest name (t.Run("C10/rotation", ...)) or a table row
//     ({id: "E5/y-plus-p"}) is not a case of the catalogue;
//   - a case row says neither which tests check it nor "not tested" or
//     "out of scope";
//   - a test the catalogue names is missing from its test index, the table
//     that gives each test's file.
//
// Test names are what is checked: the package directory of a reference and
// the file of an index row are hints, and a test found elsewhere (a file
// renamed, a test moved) is only logged (go test -v shows it).
//
// Run it with go test ./internal/seccat. The nested bench module and
// node_modules and testdata directories are not read.
package seccat
