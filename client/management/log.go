package management

import "time"

// Log is a tenant log event (GET /logs/{id}).
type Log struct {
	ID           string     `json:"log_id,omitempty"`
	Date         *time.Time `json:"date,omitempty"`
	Type         string     `json:"type,omitempty"` // event code: s, f, fp, sapi, ...
	Description  string     `json:"description,omitempty"`
	ClientID     string     `json:"client_id,omitempty"`
	ClientName   string     `json:"client_name,omitempty"`
	IP           string     `json:"ip,omitempty"`
	Hostname     string     `json:"hostname,omitempty"`
	UserID       string     `json:"user_id,omitempty"`
	UserName     string     `json:"user_name,omitempty"`
	UserAgent    string     `json:"user_agent,omitempty"`
	Connection   string     `json:"connection,omitempty"`
	ConnectionID string     `json:"connection_id,omitempty"`
	Strategy     string     `json:"strategy,omitempty"`
	StrategyType string     `json:"strategy_type,omitempty"`
	Audience     string     `json:"audience,omitempty"`
	IsMobile     *bool      `json:"isMobile,omitempty"`
	Details      Object     `json:"details,omitzero"`
	LocationInfo Object     `json:"location_info,omitzero"`
	// scope is a string in some events and an array in others: it stays in
	// Extra with the other members.
	Extra Object `json:"-"`
}

func (l *Log) UnmarshalJSON(b []byte) error {
	type plain Log
	return unmarshalModel(b, (*plain)(l), &l.Extra)
}

func (l Log) MarshalJSON() ([]byte, error) {
	type plain Log
	return marshalModel((*plain)(&l), l.Extra)
}
