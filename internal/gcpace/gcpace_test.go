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
		{76 * mb, 160 * mb},  // up to four fifths of the ceiling
		{80 * mb, 164 * mb},  // past it, a quarter more than what is live...
		{200 * mb, 314 * mb}, // ...and the headroom again...
		{1024 * mb, 1440 * mb},
		{4096 * mb, 5760 * mb}, // ...or an eighth more, when that is more
	} {
		got := Limit(tt.live, 64*mb, 96*mb)
		if got != tt.want {
			t.Errorf("Limit(%d MB live) = %d MB, want %d MB", tt.live/mb, got/mb, tt.want/mb)
		}
		// The runtime's own goal under a limit is 97% of what the limit
		// leaves once stacks, bookkeeping and fragmentation are counted
		// (say 16 MB and 5% of the heap): pacing's goal must stay below.
		if tt.live == 0 {
			continue
		}
		goal := tt.live + tt.live*uint64(Percent(tt.live, 64*mb, 96*mb))/100
		nonHeap := 16*mb + goal/20
		if limitGoal := (uint64(got) - nonHeap) * 97 / 100; goal >= limitGoal {
			t.Errorf("with %d MB live pacing's goal %d MB passes the limit's %d MB", tt.live/mb, goal/mb, limitGoal/mb)
		}
	}
}

// The limit follows what is live, collection after collection.
func TestStartKeepsTheLimitWithWhatIsLive(t *testing.T) {
	const headroom, ceiling = 1 << 30, 16 << 20 // a small ceiling: the live heap passes it
	found := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(found) })
	foundLimit := debug.SetMemoryLimit(5 << 30)
	t.Cleanup(func() { debug.SetMemoryLimit(foundLimit) })
	stop := Start(headroom, ceiling, true)
	t.Cleanup(stop)
	limit := func() uint64 { return uint64(debug.SetMemoryLimit(-1)) }
	live := make([]*[1 << 20]byte, 64)
	for i := range live {
		live[i] = new([1 << 20]byte)
	}
	want := uint64(Limit(64<<20, headroom, ceiling))
	waitFor(t, func() bool { return limit() >= want }, "with 64 MB live the limit is %d, want at least %d", limit, want)
	runtime.KeepAlive(live)
	live = nil
	small := uint64(Limit(0, headroom, ceiling))
	waitFor(t, func() bool { return limit() < want && limit() >= small }, "with the 64 MB gone the limit is %d, want less than %d", limit, want)
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
	waitFor(t, func() bool { return gogc() <= want }, "with 64 MB live GOGC = %d, want at most %d", gogc, want)
	runtime.KeepAlive(live)
	// ...and from the small heap again once it is gone: every collection
	// sets it anew.
	live = nil
	waitFor(t, func() bool { return gogc() > want }, "with the 64 MB gone GOGC = %d, want more than %d", gogc, want)

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

// waitFor collects garbage until ok, or fails with format (given what got
// returns, and want) after ten seconds.
func waitFor(t *testing.T, ok func() bool, format string, got func() uint64, want uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		runtime.GC()
		if time.Now().After(deadline) {
			t.Fatalf(format, got(), want)
		}
		time.Sleep(time.Millisecond) // for the cleanup goroutine
	}
}

func gogc() uint64 {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
