package redisstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// TestMetrics: the stores' events become counters, a histogram and the up
// gauge, on a real Redis and with Redis down.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("a second NewMetrics on one registry: got nil error")
	}
	s := newStore(t, sharedAddr(t), Config{Observer: m})
	ctx := context.Background()
	r := newReplay(t, s, ReplayConfig{})
	r.Add(ctx, "dpop:a:1", time.Now().Add(time.Minute))
	r.Add(ctx, "dpop:a:1", time.Now().Add(time.Minute))
	m.ObserveStore(ctx, Event{Store: StoreToken, Op: "get", Err: ErrUnavailable})
	m.ObserveStore(ctx, Event{Store: StoreToken, Op: "get", Err: errors.New("x"), Fallback: true})

	want := map[string]float64{
		`tokengate_redisstore_operations_total{op="add",result="ok",store="replay"}`:         2,
		`tokengate_redisstore_operations_total{op="get",result="unavailable",store="token"}`: 1,
		`tokengate_redisstore_fallbacks_total{store="token"}`:                                1,
		`tokengate_redisstore_fallbacks_total{store="replay"}`:                               0,
		`tokengate_redisstore_up`: 0,
		`tokengate_redisstore_operation_duration_seconds_count{store="replay"}`: 2,
	}
	got := gather(t, reg)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v", k, got[k], v)
		}
	}
}

// gather flattens reg's metrics to "name{labels}" → value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			name := mf.GetName()
			labels := ""
			for i, lp := range mt.GetLabel() {
				if i > 0 {
					labels += ","
				}
				labels += lp.GetName() + `="` + lp.GetValue() + `"`
			}
			if labels != "" {
				labels = "{" + labels + "}"
			}
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				out[name+labels] = mt.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[name+labels] = mt.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				out[name+"_count"+labels] = float64(mt.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}
