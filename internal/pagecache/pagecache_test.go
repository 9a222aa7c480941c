package pagecache

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func page(body string) Page {
	// Its capacity the body's length wherever it is made, so that its cost
	// does not depend on where the compiler puts it.
	b := append(make([]byte, 0, len(body)), body...)
	return Page{ContentType: "text/html", Plain: Variant{Body: b, ETag: `"x"`}}
}

func TestGetPut(t *testing.T) {
	t.Parallel()
	c := New(1 << 20)
	if _, ok := c.Get("/"); ok {
		t.Fatal("empty cache has a page")
	}
	c.Put("/", Site, 0, page("home"))
	if p, ok := c.Get("/"); !ok || string(p.Plain.Body) != "home" {
		t.Fatalf("Get(/) = %q, %v", p.Plain.Body, ok)
	}
	c.Put("/", Site, 0, page("home again"))
	if p, _ := c.Get("/"); string(p.Plain.Body) != "home again" {
		t.Errorf("a second Put did not replace the page: %q", p.Plain.Body)
	}
	if s := c.Stats(); s.Pages != 1 || s.Hits != 2 || s.Misses != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestANewGenerationDropsEverything(t *testing.T) {
	t.Parallel()
	c := New(1 << 20)
	c.Put("/a", Site, 0, page("a"))
	c.SetGeneration(1)
	if _, ok := c.Get("/a"); ok {
		t.Error("a page of the old generation survived")
	}
	// A page rendered before the change must not come back after it.
	c.Put("/a", Site, 0, page("stale"))
	if _, ok := c.Get("/a"); ok {
		t.Error("a page rendered in the old generation was kept")
	}
	if s := c.Stats(); s.Bytes != 0 || s.Rejected != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestBoundedByBytes(t *testing.T) {
	t.Parallel()
	const max = 64 << 10
	c := New(max)
	body := strings.Repeat("x", 1000)
	for i := range 500 {
		c.Put(fmt.Sprintf("/articles/%d", i), Site, 0, page(body))
		if s := c.Stats(); s.Bytes > max {
			t.Fatalf("after %d pages the cache holds %d bytes, more than %d", i+1, s.Bytes, max)
		}
	}
	if _, ok := c.Get("/articles/499"); !ok {
		t.Error("the newest page was evicted")
	}
	if _, ok := c.Get("/articles/0"); ok {
		t.Error("the oldest page was kept past the bound")
	}
	c.Put("/huge", Site, 0, page(strings.Repeat("x", max/2)))
	if _, ok := c.Get("/huge"); ok {
		t.Error("a page bigger than half the cache was kept")
	}
}

func TestLeastRecentlyUsedGoesFirst(t *testing.T) {
	t.Parallel()
	c := New((3*cost("/a", page("a")) + 10) * 4 / 3) // the site's pages get three quarters
	c.Put("/a", Site, 0, page("a"))
	c.Put("/b", Site, 0, page("b"))
	c.Get("/a")
	c.Put("/c", Site, 0, page("c"))
	c.Put("/d", Site, 0, page("d"))
	if _, ok := c.Get("/a"); !ok {
		t.Error("the recently read page was evicted")
	}
	if _, ok := c.Get("/b"); ok {
		t.Error("the least recently used page was kept")
	}
}

// TestQueriesCannotPushOutTheSite: a flood of pages made for one query
// each (every search anyone types) evicts only other query pages.
func TestQueriesCannotPushOutTheSite(t *testing.T) {
	t.Parallel()
	const max = 64 << 10
	c := New(max)
	c.Put("/articles/hot", Site, 0, page(strings.Repeat("x", 1000)))
	for i := range 8000 {
		c.Put(fmt.Sprintf("/search?q=%d", i), Query, 0, page(strings.Repeat("y", 1000)))
	}
	if _, ok := c.Get("/articles/hot"); !ok {
		t.Error("8,000 query pages evicted a page of the site")
	}
	if _, ok := c.Get("/search?q=7999"); !ok {
		t.Error("the newest query page was not kept")
	}
	if s := c.Stats(); s.Bytes > max {
		t.Errorf("the cache holds %d bytes, more than %d", s.Bytes, max)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c := New(1 << 16)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				key := fmt.Sprintf("/%d", i%50)
				if _, ok := c.Get(key); !ok {
					c.Put(key, Site, c.Generation(), page(key))
				}
				if g == 0 && i%100 == 0 {
					c.SetGeneration(int64(i))
				}
			}
		}()
	}
	wg.Wait()
	if s := c.Stats(); s.Bytes > 1<<16 || s.Bytes < 0 {
		t.Errorf("bytes = %d after concurrent use", s.Bytes)
	}
}

// BenchmarkAdmit is the cost a miss of a full cache pays to be refused.
func BenchmarkAdmit(b *testing.B) {
	c := New(64 << 20)
	c.lrus[Site].full = true
	keys := make([]string, 64*seenBuckets*bucketSize) // so that nearly every ask is a first
	for i := range keys {
		keys[i] = fmt.Sprintf("/articles/a-crawled-article-%d", i)
	}
	b.ResetTimer()
	for i := range b.N {
		c.Admit(keys[i%len(keys)], Site, 10_000)
	}
}

func BenchmarkGet(b *testing.B) {
	c := New(64 << 20)
	c.Put("/articles/x", Site, 0, page(strings.Repeat("x", 20_000)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Get("/articles/x")
		}
	})
}

func TestAFullCacheKeepsOnlyPagesAskedForTwice(t *testing.T) {
	t.Parallel()
	c := New(64 << 10)
	body := strings.Repeat("x", 1000)
	// While the budget has room, every page is kept at its first miss.
	if !c.Admit("/articles/0", Site, 1000) {
		t.Fatal("a page was not admitted to an empty cache")
	}
	for i := 0; !c.lrus[Site].full; i++ {
		c.Put(fmt.Sprintf("/articles/%d", i), Site, 0, page(body))
	}
	// Full, a crawler's one-off pages pass through.
	if c.Admit("/articles/popular", Site, 1000) {
		t.Fatal("a page was admitted to a full cache at its first miss")
	}
	// The crawl is small next to the table (a tenth of its buckets): four
	// of its keys meeting in the popular page's bucket, which would push
	// that page out, happen about once in 250,000 runs.
	for i := range seenBuckets / 10 {
		if c.Admit(fmt.Sprintf("/archive/%d", i), Site, 1000) {
			t.Fatalf("page %d of a crawl was admitted at its first miss", i)
		}
	}
	if s := c.Stats(); s.Passed != seenBuckets/10+1 {
		t.Errorf("after the crawl: %+v", s)
	}
	// A page asked for again is kept, and its next miss starts over.
	for _, key := range []string{"/archive/1", "/articles/popular"} {
		if !c.Admit(key, Site, 1000) {
			t.Errorf("%s, asked for a second time, was not admitted", key)
		}
		if c.Admit(key, Site, 1000) {
			t.Errorf("%s: a third miss was admitted without a second ask", key)
		}
	}
	// Query pages have a budget, and a table, of their own: a flood of
	// searches neither waits for the site's budget nor makes it forget.
	if !c.Admit("/search?q=stalin", Query, 1000) {
		t.Error("a query page was refused while its own budget has room")
	}
	c.lrus[Query].full = true
	c.Admit("/articles/asked-twice", Site, 1000)
	for i := range 100 * seenBuckets * bucketSize {
		c.Admit(fmt.Sprintf("/search?q=%d", i), Query, 1000)
	}
	if !c.Admit("/articles/asked-twice", Site, 1000) {
		t.Error("searches pushed a site page's first miss out of the site's table")
	}
	// A page too large for the budget is refused at once, its key not
	// remembered: Put would refuse it after the work of preparing it.
	huge := int(c.lrus[Site].max/2) + 1
	for range 2 {
		if c.Admit("/articles/huge", Site, huge) {
			t.Error("a page larger than half the budget was admitted")
		}
	}
	// A new generation empties the cache, which has room again.
	c.SetGeneration(1)
	if c.lrus[Site].full || !c.Admit("/archive/never-asked", Site, 1000) {
		t.Error("a page was refused by the emptied cache of a new generation")
	}
}

// Two keys meeting in one bucket of the table, asked for in turn, are each
// admitted at their second miss: neither pushes the other out.
func TestKeysSharingABucketAreBothAdmitted(t *testing.T) {
	t.Parallel()
	c := New(1 << 20)
	c.lrus[Site].full = true
	bucket := func(key string) uint64 { return (maphash.String(c.seed, key) >> 1) % seenBuckets }
	first, second := "/articles/0", ""
	for i := 1; second == ""; i++ {
		if key := fmt.Sprintf("/articles/%d", i); bucket(key) == bucket(first) {
			second = key
		}
	}
	for _, key := range []string{first, second} {
		if c.Admit(key, Site, 1000) {
			t.Fatalf("%s was admitted at its first miss", key)
		}
	}
	for _, key := range []string{first, second} {
		if !c.Admit(key, Site, 1000) {
			t.Errorf("%s, sharing a bucket with the other, was not admitted at its second miss", key)
		}
	}
}

func TestAddGzip(t *testing.T) {
	t.Parallel()
	const max = 64 << 10
	c := New(max)
	gz := Variant{Body: []byte(strings.Repeat("z", 4000)), ETag: `"x-gz"`}
	a := page("a")
	c.Put("/a", Site, 0, a)
	replaced := page("b") // the page was cached again since, changed...
	replaced.Plain.ETag = `"other"`
	later := page("a") // ...or the same, in another generation
	later.LastModified = time.Now()
	for _, other := range []Page{replaced, later} {
		c.AddGzip("/a", other, gz)
		if p, _ := c.Get("/a"); p.Gzip.Body != nil {
			t.Fatalf("a compressed variant made from %+v was added to the page cached", other)
		}
	}
	before := c.Stats().Bytes
	c.AddGzip("/a", a, gz)
	p, _ := c.Get("/a")
	if string(p.Gzip.Body) != string(gz.Body) || string(p.Plain.Body) != "a" {
		t.Fatalf("after AddGzip: plain %q, gzip %d bytes", p.Plain.Body, len(p.Gzip.Body))
	}
	if grown := c.Stats().Bytes - before; grown != int64(cap(gz.Body)+len(gz.ETag)) {
		t.Errorf("the cache grew by %d bytes for a %d-byte variant", grown, len(gz.Body))
	}
	c.AddGzip("/a", a, Variant{Body: []byte("second"), ETag: `"y"`})
	if p, _ := c.Get("/a"); string(p.Gzip.Body) != string(gz.Body) {
		t.Error("a second AddGzip replaced the first")
	}
	c.AddGzip("/gone", a, gz)
	if _, ok := c.Get("/gone"); ok {
		t.Error("AddGzip made a page")
	}

	// Growing a page evicts others, never the page itself, even when it
	// is the least recently used, and keeps the budget (three quarters
	// of max for site pages).
	c.Put("/c", Site, 0, page(strings.Repeat("c", 1000)))
	for i := range 30 {
		c.Put(fmt.Sprintf("/b%d", i), Site, 0, page(strings.Repeat("b", 1000)))
	}
	c.AddGzip("/c", page(strings.Repeat("c", 1000)), Variant{Body: []byte(strings.Repeat("z", 20000)), ETag: `"x-gz"`})
	if p, ok := c.Get("/c"); !ok || len(p.Gzip.Body) != 20000 {
		t.Error("the grown page was not kept")
	}
	if s := c.Stats(); s.Bytes > max-max/4 {
		t.Errorf("after growing a page the site pages hold %d bytes, more than %d", s.Bytes, max-max/4)
	}
	// Nor may a variant make a page larger than half its budget: the page
	// stays, marked so that it is not compressed again at every request.
	b29 := page(strings.Repeat("b", 1000))
	c.AddGzip("/b29", b29, Variant{Body: make([]byte, max/2), ETag: `"x-gz"`})
	if p, ok := c.Get("/b29"); !ok || p.Gzip.Body != nil || !p.NoGzip {
		t.Errorf("a page grown past half its budget: kept %v, gzip %d bytes, NoGzip %v", ok, len(p.Gzip.Body), p.NoGzip)
	}
}

// TestCostIsTheMemoryKept: the bytes a cache counts are about what the heap
// grows by when it keeps them, bodies, headers and bookkeeping: for pages
// such as Quire's articles (8–16 KB of HTML, a quarter of that
// compressed into a buffer with room to spare, their own header fields),
// and for small pages, where the headers and bookkeeping are most of it.
// Not parallel: it measures the heap.
func TestCostIsTheMemoryKept(t *testing.T) {
	fields := func(n int) []Field {
		out := make([]Field, n)
		for i := range out {
			out[i] = Field{Name: fmt.Sprintf("X-Header-%d", i), Values: []string{fmt.Sprintf(`"value of header %d"`, i)}}
		}
		return out
	}
	for _, tt := range []struct {
		name string
		body func(i int) int
	}{
		{"articles", func(i int) int { return 8<<10 + i*4 }},
		{"small pages", func(i int) int { return 200 + i%300 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const pages = 2000
			c := New(1 << 30)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i := range pages {
				size := tt.body(i)
				p := Page{ContentType: "text/html; charset=UTF-8", LastModified: time.Now(),
					Plain: Variant{Body: make([]byte, size), ETag: `"AAAAAAAAAAA"`, Header: fields(6)},
					Gzip:  Variant{Body: make([]byte, size/4, size/3+64), ETag: `"AAAAAAAAAAA-gz"`, Header: fields(7)}}
				if i%2 == 0 {
					p.Headers = map[string]string{"Link": fmt.Sprintf("<https://example.org/articles/%d/versions>; rel=timemap", i)}
				}
				c.Put(fmt.Sprintf("/articles/some-article-%d", i), Site, 0, p)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			grown, counted := float64(after.HeapAlloc-before.HeapAlloc), float64(c.Stats().Bytes)
			if r := grown / counted; r < 0.9 || r > 1.1 {
				t.Errorf("%d pages counted as %.0f bytes took %.0f on the heap (%.2f×)", pages, counted, grown, r)
			}
			runtime.KeepAlive(c)
		})
	}
}
