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

func TestLimitLeavesPacingRoom(t *testing.T) {
	const mb = 1 << 20
	for _, tt := range []struct {
		live uint64
		want int64
	}{
		{0, 160 * mb},        // the ceiling and the headroom
		{64 * mb, 160 * mb},  //
		{96 * mb, 184 * mb},  // past the ceiling, a quarter more than what is live...
		{200 * mb, 314 * mb}, // ...and the headroom again
	} {
		if got := Limit(tt.live, 64*mb, 96*mb); got != tt.want {
			t.Errorf("Limit(%d MB live) = %d MB, want %d MB", tt.live/mb, got/mb, tt.want/mb)
		}
		// Pacing's goal is always under the limit.
		if goal := tt.live + tt.live*uint64(Percent(tt.live, 64*mb, 96*mb))/100; tt.live > 0 && int64(goal) >= tt.want {
			t.Errorf("with %d MB live pacing's goal %d MB passes the limit %d MB", tt.live/mb, goal/mb, tt.want/mb)
		}
	}
}

func TestStartPacesEveryCollectionUntilStopped(t *testing.T) {
	const headroom, ceiling = 1 << 30, 2 << 30 // far more than this test's live heap
	found := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(found) })
	foundLimit := debug.SetMemoryLimit(5 << 30)
	t.Cleanup(func() { debug.SetMemoryLimit(foundLimit) })
	stop := Start(headroom, ceiling, true)
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
	if got := debug.SetMemoryLimit(-1); got != ceiling+headroom {
		t.Errorf("after Start the memory limit is %d, want %d", got, ceiling+headroom)
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
	if got := debug.SetMemoryLimit(-1); got != 5<<30 {
		t.Errorf("after stop the memory limit is %d, want the 5 GiB set before Start", got)
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
