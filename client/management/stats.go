package management

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// DailyStats are the login and signup counts of one day.
type DailyStats struct {
	Date            *time.Time `json:"date,omitempty"`
	Logins          *int       `json:"logins,omitempty"`
	Signups         *int       `json:"signups,omitempty"`
	LeakedPasswords *int       `json:"leaked_passwords,omitempty"`
	CreatedAt       *time.Time `json:"created_at,omitempty"`
	UpdatedAt       *time.Time `json:"updated_at,omitempty"`
	Extra           Object     `json:"-"`
	empty           emptyMembers
}

func (d *DailyStats) UnmarshalJSON(b []byte) error {
	type plain DailyStats
	return unmarshalModel(b, (*plain)(d), &d.Extra, &d.empty)
}

func (d DailyStats) MarshalJSON() ([]byte, error) {
	type plain DailyStats
	return marshalModel((*plain)(&d), d.Extra, d.empty)
}

// StatsManager calls the /stats endpoints (Python Stats class).
type StatsManager struct{ m *Management }

// ActiveUsers returns the number of users who logged in during the last 30
// days (GET /stats/active-users; Python Stats.active_users).
func (r *StatsManager) ActiveUsers(ctx context.Context) (int, error) {
	var n int
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/stats/active-users")}, &n)
	return n, err
}

// Daily returns the counts of each day from from to to, both included and
// sent as YYYYMMDD in their own location; a zero time leaves that end open
// (GET /stats/daily; Python Stats.daily_stats).
func (r *StatsManager) Daily(ctx context.Context, from, to time.Time) ([]*DailyStats, error) {
	q := url.Values{}
	if !from.IsZero() {
		q.Set("from", from.Format("20060102"))
	}
	if !to.IsZero() {
		q.Set("to", to.Format("20060102"))
	}
	var out []*DailyStats
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/stats/daily"), query: q}, &out)
	return out, err
}
