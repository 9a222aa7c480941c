package retry_test

import (
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/retry"
)

func TestBacksOffAndGivesUpAfterADay(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now, attempts := created, 0
	var waits []time.Duration
	for {
		attempts++
		next, ok := retry.Next(attempts, now)
		if !ok {
			break
		}
		waits = append(waits, next.Sub(now))
		now = next
		if attempts > 100 {
			t.Fatal("never gives up")
		}
	}
	if got := now.Sub(created); got < 20*time.Hour || got > 26*time.Hour {
		t.Errorf("gave up after %s of retries, want about a day", got)
	}
	if waits[0] < 24*time.Second || waits[0] > 30*time.Second {
		t.Errorf("first wait %s, want 24–30 s", waits[0])
	}
	for i, w := range waits {
		if w > time.Hour {
			t.Errorf("wait %d is %s, over an hour", i, w)
		}
	}
	if waits[5] <= waits[1] {
		t.Errorf("waits do not grow: %v", waits)
	}
}
