// Package gcpace paces Go's garbage collector for a server whose live heap
// is small next to what it allocates per second.
//
// With GOGC=100 the collector runs whenever the heap has doubled. An
// uncached reader page allocates tens of kilobytes and keeps none of them,
// so with a few megabytes live the collector ran dozens of times a second
// and took a tenth of the CPU. Pacing lets the heap grow by at least a
// fixed headroom past what is live before collecting, and by GOGC=100's
// doubling once the live heap (a full page cache, say) is larger than
// that: the heap stays bounded by live + max(live, headroom). Live here is
// what GOGC multiplies: the marked heap, goroutine stacks and globals.
package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Percent is the GOGC that lets a heap with live scannable bytes (heap,
// stacks and globals, which the runtime's goal multiplies) grow by headroom
// before the next collection, and never less than Go's default of 100.
// Nor more than lets the runtime's minimum heap (4 MB at GOGC=100, scaled
// by GOGC) pass the headroom: below 4 MB live, the minimum is the bound.
func Percent(live, headroom uint64) int {
	const floor, minHeap = 100, 4 << 20
	ceiling := max(floor, headroom*100/minHeap)
	if live == 0 {
		return int(ceiling)
	}
	return int(min(ceiling, max(floor, headroom*100/live)))
}

// Start sets the collector's percentage after every collection, from the
// live heap that collection measured, so the next one comes when the heap
// has grown by the headroom: a percentage set by a timer would lag a live
// heap that grows fast (a page cache filling), and a heap that is small
// one second and large the next would be let grow many times over. Stop
// puts back the percentage Start found. Callers leave the collector alone
// when GOGC was set by hand.
func Start(headroom uint64) (stop func()) {
	p := &pacer{headroom: headroom, sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}}
	before := p.pace()
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.stopped {
			p.stopped = true
			debug.SetGCPercent(before)
		}
	}
}

type pacer struct {
	headroom uint64
	mu       sync.Mutex
	stopped  bool
	sample   []metrics.Sample
}

// pace sets the percentage now and again after the next collection (the
// cleanup of an object nothing refers to runs once a collection has found
// it unreachable), and returns the percentage it replaced. Until that
// cleanup runs, shortly after the collection, the runtime's goal is the
// previous percentage applied to the new live heap; setting it moves the
// goal at once.
func (p *pacer) pace() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return 0
	}
	metrics.Read(p.sample)
	var live uint64
	for _, s := range p.sample {
		if s.Value.Kind() == metrics.KindUint64 {
			live += s.Value.Uint64()
		}
	}
	before := debug.SetGCPercent(Percent(live, p.headroom))
	runtime.AddCleanup(new(sentinel), func(p *pacer) { p.pace() }, p)
	return before
}

// sentinel is large enough not to be batched with other tiny objects,
// whose cleanups may be delayed while any of them lives.
type sentinel [32]byte
