// Package pagecache keeps rendered reader pages in memory, bounded by bytes
// and evicting the least recently used. Every page belongs to a generation
// of the site's content; when the generation moves (something readers see
// was published, unpublished or changed, in this process or another one
// sharing the database) every page is dropped at once.
//
// Pages come in two kinds with budgets of their own: the site's own pages
// (articles, sections), a set as large as the site, and pages made for one
// query (a search, a page of a listing), which anyone can ask for in
// endless variety. Query pages may take a quarter of the cache and evict
// only each other, so a flood of one-off searches never pushes out the
// pages readers keep coming back to.
//
// Once a budget is full, a page is only kept when it is asked for a second
// time (see Admit): a crawler walking the whole archive once passes through
// without evicting anything.
package pagecache

import (
	"container/list"
	"hash/maphash"
	"sync"
	"time"
)

// entryOverhead approximates the bookkeeping bytes of one entry, so that
// many tiny pages cannot exceed the bound unseen.
const entryOverhead = 256

// Page is a rendered response, ready to be sent again, as it is and
// compressed.
type Page struct {
	ContentType  string
	LastModified time.Time
	// Headers are the page's own response headers besides the usual ones
	// (Link, Memento-Datetime, Vary beyond Accept-Encoding).
	Headers     map[string]string
	Plain, Gzip Variant // Gzip is empty when not made
	// NoGzip says the compressed variant was not kept, the page with it
	// being too large for its budget: clients are sent the plain one
	// rather than have it compressed at every request.
	NoGzip bool
}

// Variant is one encoding of a page's body with its own validator.
type Variant struct {
	Body []byte
	ETag string
	// Header, when set, is the response headers that are this variant's
	// own (validators, length, type, encoding and the page's Headers),
	// prepared once so that a hit only copies slices; those every cached
	// page sends alike are its server's. A slice, not a map: a map of a
	// dozen headers took more memory than a page's compressed body.
	Header []Field
}

// Field is one response header and its values.
type Field struct {
	Name   string
	Values []string
}

// Kind is which budget a page is kept under.
type Kind int

// Kinds of page.
const (
	Site  Kind = iota // one of the site's own pages
	Query             // a page made for one query: search results, a listing's page N
)

type entry struct {
	key  string
	kind Kind
	page Page
}

// lru is one budget's pages, most recently used at the front.
type lru struct {
	max, size int64
	order     *list.List
	full      bool // it has evicted a page in this generation
}

// The keys of missed pages are remembered by their hashes, in a fixed
// table per budget (about 160 KiB in all, whatever is asked for), so that
// a flood of one-off searches cannot make the site's pages forgotten. A
// bucket holds the last four keys that met in it, an empty slot filled
// first and then the oldest replaced: two keys meeting in a bucket do not
// overwrite each other, as they would in a slot of one.
const (
	seenBuckets = 1 << 11
	bucketSize  = 4
)

type seenTable [seenBuckets]struct {
	marks [bucketSize]uint64
	next  uint8 // the oldest mark, replaced next
}

// Cache is safe for concurrent use. The zero value is not usable; call New.
type Cache struct {
	mu       sync.Mutex
	gen      int64
	lrus     [2]lru
	items    map[string]*list.Element
	seed     maphash.Seed
	seen     [2]seenTable // by Kind
	hits     uint64
	misses   uint64
	rejected uint64
	passed   uint64
}

// New returns a cache holding at most maxBytes of pages, a quarter of it
// for query pages.
func New(maxBytes int64) *Cache {
	return &Cache{
		lrus:  [2]lru{{max: maxBytes - maxBytes/4, order: list.New()}, {max: maxBytes / 4, order: list.New()}},
		items: map[string]*list.Element{},
		seed:  maphash.MakeSeed(),
	}
}

// Admit reports whether the page missed under key is to be kept once
// rendered, before the work of preparing it for the cache is done. Every
// page is until kind's budget has had to evict a page in this generation.
// From then on only a page asked for before displaces others: the first
// miss of a key is remembered (in a fixed table, where later keys may
// push it out) and the second is admitted. So a crawler asking once for
// each of 100,000 articles neither evicts the pages readers come back to
// nor pays for compressing pages no one asks for again. A body of size
// bytes that Put would refuse (more than half the budget) is never
// admitted.
func (c *Cache) Admit(key string, kind Kind, size int) bool {
	h := maphash.String(c.seed, key)
	mark := h | 1 // never 0, an empty entry
	c.mu.Lock()
	defer c.mu.Unlock()
	l := &c.lrus[kind]
	if int64(size) > l.max/2 {
		c.rejected++
		return false
	}
	if !l.full {
		return true
	}
	b := &c.seen[kind][(h>>1)%seenBuckets]
	empty := -1
	for i, m := range b.marks {
		switch m {
		case mark:
			b.marks[i] = 0
			return true
		case 0:
			empty = i
		}
	}
	if empty >= 0 {
		b.marks[empty] = mark // an admitted key's slot, before any other key's
	} else {
		b.marks[b.next] = mark
		b.next = (b.next + 1) % bucketSize
	}
	c.passed++
	return false
}

// Generation is the content generation the cached pages belong to. A page
// rendered from data read after this value was taken may be Put under it.
func (c *Cache) Generation() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// SetGeneration records the current content generation; if it moved, every
// page is dropped.
func (c *Cache) SetGeneration(gen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		return
	}
	c.gen = gen
	for i := range c.lrus {
		c.lrus[i].order.Init()
		c.lrus[i].size = 0
		c.lrus[i].full = false
	}
	clear(c.items)
}

// Get returns the page cached under key.
func (c *Cache) Get(key string) (Page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.misses++
		return Page{}, false
	}
	c.hits++
	e := el.Value.(*entry)
	c.lrus[e.kind].order.MoveToFront(el)
	return e.page, true
}

// Put caches page under key, in kind's budget, if it was rendered in the
// current generation gen; a page rendered while the content changed is not
// kept. A page larger than half its budget is not kept either.
func (c *Cache) Put(key string, kind Kind, gen int64, page Page) {
	cost := cost(key, page)
	c.mu.Lock()
	defer c.mu.Unlock()
	l := &c.lrus[kind]
	if gen != c.gen || cost > l.max/2 {
		c.rejected++
		return
	}
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	c.items[key] = l.order.PushFront(&entry{key: key, kind: kind, page: page})
	l.size += cost
	for l.size > l.max {
		c.remove(l.order.Back())
		l.full = true
	}
}

// AddGzip adds the compressed variant v of page to the page cached under
// key, when that is still page (the same plain body, of the same moment)
// and has no compressed variant: pages kept from a client that did not
// take gzip are compressed when one that does first asks. A page the
// variant would make too large for its budget is marked NoGzip instead.
func (c *Cache) AddGzip(key string, page Page, v Variant) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return
	}
	e := el.Value.(*entry)
	if e.page.Plain.ETag != page.Plain.ETag || !e.page.LastModified.Equal(page.LastModified) ||
		e.page.Gzip.Body != nil || e.page.NoGzip {
		return
	}
	l := &c.lrus[e.kind]
	before := cost(key, e.page)
	grown := e.page
	grown.Gzip = v
	after := cost(key, grown)
	if after > l.max/2 {
		e.page.NoGzip = true
		return
	}
	e.page = grown
	l.size += after - before
	// At most half the budget, the page at the front is never evicted.
	l.order.MoveToFront(el)
	for l.size > l.max {
		c.remove(l.order.Back())
		l.full = true
	}
}

func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*entry)
	l := &c.lrus[e.kind]
	l.order.Remove(el)
	delete(c.items, e.key)
	l.size -= cost(e.key, e.page)
}

// cost is the memory a page takes, as near as its parts tell: the bytes
// its bodies hold (their capacity: a compressed body is a buffer's),
// its strings, and the maps and slices that hold them
// (TestCostIsTheMemoryKept checks it against what the heap grows by).
func cost(key string, p Page) int64 {
	const stringHeader, sliceHeader = 16, 24
	n := len(key) + len(p.ContentType)
	if p.Headers != nil {
		n += smallMap
	}
	for k, v := range p.Headers {
		n += len(k) + len(v)
	}
	for _, v := range []Variant{p.Plain, p.Gzip} {
		n += cap(v.Body) + len(v.ETag)
		for _, f := range v.Header {
			n += stringHeader + sliceHeader + len(f.Name)
			for _, x := range f.Values {
				n += stringHeader + len(x)
			}
		}
	}
	return int64(n) + entryOverhead
}

// smallMap is what a map of up to eight strings takes besides the
// strings' bytes (measured with Go 1.26: about 340 bytes).
const smallMap = 340

// Stats is a snapshot of the cache's use.
type Stats struct {
	Pages, Bytes, MaxBytes int64
	Hits, Misses, Rejected uint64
	// Passed counts misses not admitted: first asks while the budget was full.
	Passed     uint64
	Generation int64
}

// Stats reports how the cache is doing.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Stats{Pages: int64(len(c.items)), Hits: c.hits, Misses: c.misses, Rejected: c.rejected, Passed: c.passed, Generation: c.gen}
	for _, l := range c.lrus {
		s.Bytes += l.size
		s.MaxBytes += l.max
	}
	return s
}
