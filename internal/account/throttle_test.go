package account

import (
	"testing"
	"time"
)

func TestThrottleFail(t *testing.T) {
	t.Parallel()
	p := ThrottlePolicy{Limit: 3, Window: 10 * time.Minute, Lockout: 15 * time.Minute}
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		failures   []time.Duration // after start
		wantCount  int
		wantLocked time.Duration // after start; zero for not locked
	}{
		{"one failure counts", []time.Duration{0}, 1, 0},
		{"the limit locks", []time.Duration{0, time.Minute, 2 * time.Minute}, 0, 2*time.Minute + 15*time.Minute},
		{"failures outside the window start again", []time.Duration{0, time.Minute, 12 * time.Minute}, 1, 0},
		{"counting goes on after a lockout", []time.Duration{0, 1, 2, 3 * time.Minute}, 1, 2 + 15*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var th Throttle
			for _, d := range tt.failures {
				th = th.Fail(start.Add(d), p)
			}
			if th.Failures != tt.wantCount {
				t.Errorf("failures = %d, want %d", th.Failures, tt.wantCount)
			}
			var want time.Time
			if tt.wantLocked != 0 {
				want = start.Add(tt.wantLocked)
			}
			if !th.LockedUntil.Equal(want) {
				t.Errorf("locked until %v, want %v", th.LockedUntil, want)
			}
		})
	}
	if got := LockedUntil([]Throttle{{LockedUntil: start}, {}, {LockedUntil: start.Add(time.Hour)}}); !got.Equal(start.Add(time.Hour)) {
		t.Errorf("LockedUntil() = %v, want the latest lockout", got)
	}
}
