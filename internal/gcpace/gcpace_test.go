package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercentGivesTheHeadroomUnderTheCeiling(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		live uint64
		want int
	}{
		{0, 1600},                // nothing measured yet: the runtime's minimum heap is the headroom
		{mb / 2, 1600},           // 12,800 % would make that minimum 512 MB
		{3 * mb, 1600},           //
		{4 * mb, 1600},           // a small live heap grows by the headroom
		{24 * mb, 64 * 100 / 24}, // rounded down
		{32 * mb, 200},           // up to the ceiling of 96 MB...
		{48 * mb, 100},           // ...and then by what is left under it
		{64 * mb, 50},            //
		{72 * mb, 33},            //
		{77 * mb, 25},            // never by less than a quarter of what is live
		{96 * mb, 25},            //
		{512 * mb, 25},           //
	}
	for _, tt := range tests {
		if got := Percent(tt.live, 64*mb, 96*mb); got != tt.want {
			t.Errorf("Percent(%d bytes live) = %d, want %d", tt.live, got, tt.want)
		}
	}
	// A ceiling far away: the headroom alone.
	if got := Percent(128*mb, 64*mb, 1<<40); got != 50 {
		t.Errorf("Percent(128 MB live, no ceiling in reach) = %d, want 50", got)
	}
}

func TestStartPacesEveryCollectionUntilStopped(t *testing.T) {
	const headroom, ceiling = 1 << 30, 2 << 30 // far more than this test's live heap
	found := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(found) })
	stop := Start(headroom, ceiling)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	small := gogc()
	if small <= 150 {
		t.Errorf("after Start GOGC = %d", small)
	}
	// A live heap of 64 MB: after the next collection the percentage is
	// set from it, not from the small heap measured at Start...
	live := make([]*[1 << 20]byte, 64)
	for i := range live {
		live[i] = new([1 << 20]byte)
	}
	want := uint64(Percent(64<<20, headroom, ceiling))
	waitFor(t, func() bool { return gogc() <= want }, "with 64 MB live GOGC = %d, want at most %d", want)
	runtime.KeepAlive(live)
	// ...and from the small heap again once it is gone: every collection
	// sets it anew.
	live = nil
	waitFor(t, func() bool { return gogc() > want }, "with the 64 MB gone GOGC = %d, want more than %d", want)

	stop()
	stopped = true
	runtime.GC()
	time.Sleep(10 * time.Millisecond) // a cleanup that would set it again
	if p := gogc(); p != 150 {
		t.Errorf("after stop GOGC = %d, want the 150 set before Start", p)
	}
}

// waitFor collects garbage until ok, or fails with format (given GOGC and
// want) after ten seconds.
func waitFor(t *testing.T, ok func() bool, format string, want uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		runtime.GC()
		if time.Now().After(deadline) {
			t.Fatalf(format, gogc(), want)
		}
		time.Sleep(time.Millisecond) // for the cleanup goroutine
	}
}

func gogc() uint64 {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
