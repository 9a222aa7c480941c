// Package gcpace paces Go's garbage collector for a server whose live heap
// is small next to what it allocates per second.
//
// With GOGC=100 the collector runs whenever the heap has doubled. An
// uncached reader page allocates tens of kilobytes and keeps none of them,
// so with a few megabytes live the collector ran dozens of times a second
// and took a tenth of the CPU. Pacing lets the heap grow by a fixed
// headroom past what is live before collecting, as long as that keeps it
// under a ceiling; past the ceiling it grows by what is left under it, and
// never by less than a quarter of what is live. So a full page cache (long
// lived, and cheap to mark: its bodies hold no pointers) is not doubled as
// GOGC=100 would, and the memory a server needs is about what it keeps
// plus a fixed margin. Go's soft memory limit can follow the same live
// heap, a little above where pacing lets it grow. Live here is what GOGC
// multiplies: the marked heap, goroutine stacks and globals.
package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Percent is the GOGC that lets a heap with live scannable bytes (heap,
// stacks and globals, which the runtime's goal multiplies) grow by headroom
// before the next collection, or only up to ceiling when growing by the
// headroom would pass it, but never by less than a quarter of live. Nor
// more than lets the runtime's minimum heap (4 MB at GOGC=100, scaled by
// GOGC) pass the headroom: below 4 MB live, the minimum is the bound.
func Percent(live, headroom, ceiling uint64) int {
	const floor, minHeap = 25, 4 << 20
	top := max(100, headroom*100/minHeap)
	if live == 0 {
		return int(top)
	}
	grow := headroom
	if live+grow > ceiling {
		grow = ceiling - min(live, ceiling)
	}
	return int(min(top, max(floor, grow*100/live)))
}

// Limit is the soft memory limit for a heap with live scannable bytes:
// the most pacing lets the heap reach (the ceiling, or a quarter more than
// what is live when that is more) and room again, the headroom or an
// eighth of that most, whichever is more. The runtime keeps 3% of a limit
// back and counts stacks, its own bookkeeping and fragmentation against
// it, so a fixed room alone would bind pacing's goal once the heap is
// large. Pacing keeps the heap under it; it bounds what pacing cannot see
// coming, a heap growing in a burst between two collections (a page cache
// filling at once, an image decoded). When what is live shrinks, the
// limit falls with it and the runtime gives the excess back to the
// system at once.
func Limit(live, headroom, ceiling uint64) int64 {
	most := max(ceiling, live+live/4)
	return int64(most + max(headroom, most/8))
}

// Start sets the collector's percentage after every collection, from the
// live heap that collection measured, so the next one comes when the heap
// has grown as Percent says (by the headroom, or up to the ceiling): a
// percentage set by a timer would lag a live heap that grows fast (a page
// cache filling), and a heap that is small one second and large the next
// would be let grow many times over. With limit, it sets Go's soft memory
// limit (see Limit) after every collection too. Stop puts back the
// percentage and the limit Start found. Callers leave the collector alone
// when GOGC was set by hand, and the limit when GOMEMLIMIT was.
func Start(headroom, ceiling uint64, limit bool) (stop func()) {
	p := &pacer{headroom: headroom, ceiling: ceiling, limit: limit, sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}}
	percent, memory := p.pace()
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.stopped {
			p.stopped = true
			debug.SetGCPercent(percent)
			if limit {
				debug.SetMemoryLimit(memory)
			}
		}
	}
}

type pacer struct {
	headroom uint64
	ceiling  uint64
	limit    bool
	mu       sync.Mutex
	stopped  bool
	sample   []metrics.Sample
}

// pace sets the percentage (and the limit) now and again after the next
// collection (the cleanup of an object nothing refers to runs once a
// collection has found it unreachable), and returns the percentage and
// limit it replaced. Until that cleanup runs, shortly after the
// collection, the runtime's goal is the previous percentage applied to
// the new live heap; setting it moves the goal at once.
func (p *pacer) pace() (percent int, limit int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return 0, 0
	}
	metrics.Read(p.sample)
	var live uint64
	for _, s := range p.sample {
		if s.Value.Kind() == metrics.KindUint64 {
			live += s.Value.Uint64()
		}
	}
	percent = debug.SetGCPercent(Percent(live, p.headroom, p.ceiling))
	limit = debug.SetMemoryLimit(-1) // reads it
	if p.limit {
		debug.SetMemoryLimit(Limit(live, p.headroom, p.ceiling))
	}
	runtime.AddCleanup(new(sentinel), func(p *pacer) { p.pace() }, p)
	return percent, limit
}

// sentinel is large enough not to be batched with other tiny objects,
// whose cleanups may be delayed while any of them lives.
type sentinel [32]byte
