package dpop

import "github.com/tokengate/tokengate/internal/hook"

// Observer receives one Event per Verify call (package metrics implements
// it).
type Observer interface {
	ObserveProof(Event)
}

// Event describes one proof check. It never holds proof or token data.
type Event struct {
	// Err is nil when the proof passed; Reason(Err) gives a bounded label.
	Err error
	// Algorithm is the proof's alg when it was a supported one, else "".
	Algorithm string
}

// observe hands e to the Observer; a panic in it is stopped, so that a bug
// in a metrics hook cannot change the outcome or take the request down.
func (v *Verifier) observe(e Event) {
	defer hook.Recover(nil, "dpop observer")
	v.obs.ObserveProof(e)
}
