// Package pagecache keeps rendered reader pages in memory, bounded by bytes
// and evicting the least recently used. Every page belongs to a generation
// of the site's content; when the generation moves (something readers see
// was published, unpublished or changed, in this process or another one
// sharing the database) every page is dropped at once.
package pagecache

import (
	"container/list"
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
	Plain, Gzip  Variant // Gzip is empty when not made
}

// Variant is one encoding of a page's body with its own validator.
type Variant struct {
	Body []byte
	ETag string
	// Header, when set, is every header of the response, prepared once
	// so that a hit only copies slices.
	Header map[string][]string
}

type entry struct {
	key  string
	page Page
}

// Cache is safe for concurrent use. The zero value is not usable; call New.
type Cache struct {
	mu       sync.Mutex
	max      int64
	size     int64
	gen      int64
	order    *list.List // front is most recently used
	items    map[string]*list.Element
	hits     uint64
	misses   uint64
	rejected uint64
}

// New returns a cache holding at most maxBytes of pages.
func New(maxBytes int64) *Cache {
	return &Cache{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
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
	c.order.Init()
	clear(c.items)
	c.size = 0
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
	c.order.MoveToFront(el)
	return el.Value.(*entry).page, true
}

// Put caches page under key if it was rendered in the current generation
// gen; a page rendered while the content changed is not kept. A page larger
// than half the cache is not kept either.
func (c *Cache) Put(key string, gen int64, page Page) {
	cost := cost(key, page)
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || cost > c.max/2 {
		c.rejected++
		return
	}
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	c.items[key] = c.order.PushFront(&entry{key: key, page: page})
	c.size += cost
	for c.size > c.max {
		c.remove(c.order.Back())
	}
}

func (c *Cache) remove(el *list.Element) {
	e := c.order.Remove(el).(*entry)
	delete(c.items, e.key)
	c.size -= cost(e.key, e.page)
}

func cost(key string, p Page) int64 {
	n := len(key) + len(p.ContentType)
	for _, v := range []Variant{p.Plain, p.Gzip} {
		n += len(v.Body) + len(v.ETag)
		for k, vs := range v.Header {
			n += len(k)
			for _, x := range vs {
				n += len(x)
			}
		}
	}
	return int64(n) + entryOverhead
}

// Stats is a snapshot of the cache's use.
type Stats struct {
	Pages, Bytes, MaxBytes int64
	Hits, Misses, Rejected uint64
	Generation             int64
}

// Stats reports how the cache is doing.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Pages: int64(len(c.items)), Bytes: c.size, MaxBytes: c.max, Hits: c.hits, Misses: c.misses,
		Rejected: c.rejected, Generation: c.gen}
}
