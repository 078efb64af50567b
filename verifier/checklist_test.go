package verifier_test

import "testing"

// TestChecklist runs SECURITY.md section 2 (the RFC checklist) row by
// row. Most rows are fully covered by rows of section 3; a row then runs
// those cases again under its own id (for example S4 runs D1-D5). Rows about
// the JWK import alone (A8, A9, A10, C9) belong to package jwks; the
// verifier side of A7 (points on the curve) runs through NewKey. Rows that
// need their own machinery say where it is: A11's H2 (no outbound request)
// is TestNoOutboundRequest, C10 (an unknown kid reaches the key source) is
// TestUnknownKidReachesKeySource.
func TestChecklist(t *testing.T) {
	all := allCases()
	keyRows := keyPolicyRows()
	rows := []struct {
		id    string
		cases []string // ids of token cases
		keys  []string // ids of NewKey rows
	}{
		{id: "S1", cases: []string{"S1", "N4"}},
		{id: "S2", cases: []string{"B1", "B2", "B3", "B4"}},
		{id: "S3", cases: []string{"S3"}},
		{id: "S4", cases: []string{"D1", "D2", "D3", "D4", "D5"}},
		{id: "S5", cases: []string{"S5", "N2"}},
		{id: "S6", cases: []string{"S6", "CR5"}},
		{id: "S7", cases: []string{"CR1", "CR2", "CR3"}},
		{id: "S8", cases: []string{"CR4"}},
		{id: "S9", cases: []string{"S9"}},
		{id: "S10", cases: []string{"C8"}},
		{id: "A1", cases: []string{"A1", "M1", "M3", "KC5"}, keys: []string{"A1", "M4"}},
		{id: "A2", cases: []string{"N1", "N2", "N3"}},
		{id: "A3", cases: []string{"HM1", "HM2", "HM5"}, keys: []string{"A3", "HM3", "HM4"}},
		{id: "A4", keys: []string{"R3", "R5"}},
		{id: "A5", cases: []string{"R6/pss-salt-32", "R6/pss-salt-0", "R6/pss-salt-20", "R6/pss-salt-64", "R6/pss-salt-max"}},
		{id: "A6", cases: []string{"E3", "M2"}, keys: []string{"M2"}},
		{id: "A7", keys: []string{"E5", "E6"}},
		{id: "A11", cases: []string{"H1", "H3", "H4", "KD1"}},
		{id: "A12", cases: []string{"M5", "A1/EdDSA", "A1/Ed25519", "E7"}, keys: []string{"E7", "KC4"}},
		{id: "A13", cases: []string{"S9", "S1/JSON-general-serialization", "T8"}},
		{id: "C1", cases: []string{"T1", "T2", "T3", "T4/exp-before-leeway", "T4/exp-at-leeway", "T4/exp-within-leeway", "T4/exp-plus-1s", "T4/exp-minus-1s", "T6"}},
		{id: "C2", cases: []string{"T4/nbf-after-leeway", "T4/nbf-at-leeway", "T4/nbf-plus-1s-no-leeway", "T4/nbf-now", "T4/nbf-after-exp"}},
		{id: "C3", cases: []string{"T5"}},
		{id: "C4", cases: []string{"C4", "C5"}},
		{id: "C5", cases: []string{"C1", "C2", "C3"}},
		{id: "C6", cases: []string{"ID/3-sub-missing", "ID/3-sub-empty", "ID/3-sub-number", "AT/sub-missing"}},
		{id: "C7", cases: []string{"ID", "C6", "C9"}},
		{id: "C8", cases: []string{"C7"}},
	}
	for _, r := range rows {
		t.Run(r.id, func(t *testing.T) {
			for _, id := range r.cases {
				if len(casesByID(all, id)) == 0 {
					t.Fatalf("row %s: no token case %s", r.id, id)
				}
			}
			for _, id := range r.keys {
				if len(keyRowsByID(keyRows, id)) == 0 {
					t.Fatalf("row %s: no key row %s", r.id, id)
				}
			}
			cs := casesByID(all, r.cases...)
			ks := keyRowsByID(keyRows, r.keys...)
			runCases(t, cs)
			runKeyRows(t, ks)
		})
	}
}
