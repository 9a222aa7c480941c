package media

import (
	"cmp"
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Cache keeps renditions on disk, bounded in size, forgetting the least
// recently used first. Renditions are derived data: the folder may be
// deleted at any time, and whatever is missing is rendered again.
//
// The most used small renditions (thumbnails, a phone's width) are also
// kept in memory, within a budget of their own: for a file of a few
// kilobytes, opening it and handing it to sendfile costs more system
// calls than the bytes cost to write, and a reader's page asks for many.
type Cache struct {
	dir   string
	limit int64
	// flights renders each missing rendition once, however many readers
	// ask for it at the same moment.
	flights singleflight.Group

	mu    sync.Mutex
	size  int64
	order *list.List // of *cached, most recently used first
	files map[string]*list.Element
	// hot are the renditions held in memory, most recently used first.
	hot               *list.List
	hotSize, hotLimit int64
}

type cached struct {
	name string
	size int64
	data []byte        // in memory, for a hot rendition
	hot  *list.Element // its place in hot
}

// maxHot is the largest rendition kept in memory.
const maxHot = 256 << 10

// Rendition is a cached rendition: its bytes when they are in memory, or
// else its file.
type Rendition struct {
	Path string
	Data []byte // nil: send the file at Path
	Size int64
}

// OpenCache opens the cache in dir (creating it), keeping at most limit
// bytes. The renditions already there are kept, oldest first to go.
func OpenCache(dir string, limit int64) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media: create the rendition cache: %w", err)
	}
	c := &Cache{dir: dir, limit: limit, order: list.New(), files: map[string]*list.Element{}, hot: list.New(),
		hotLimit: min(limit/4, 64<<20)}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("media: read the rendition cache: %w", err)
	}
	type found struct {
		cached
		at int64
	}
	var kept []found
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if strings.HasPrefix(e.Name(), ".") { // a rendition being written when the last process stopped
			_ = os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		kept = append(kept, found{cached{name: e.Name(), size: info.Size()}, info.ModTime().UnixNano()})
	}
	// Newest first, so that the oldest are the first to go.
	slices.SortFunc(kept, func(a, b found) int { return cmp.Compare(b.at, a.at) })
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range kept {
		c.files[f.name] = c.order.PushBack(&cached{name: f.name, size: f.size})
		c.size += f.size
	}
	c.evict()
	return c, nil
}

// Cached returns the rendition called name, if the cache has it; a small
// one is read into memory the first time it is asked for.
func (c *Cache) Cached(name string) (Rendition, bool) {
	c.mu.Lock()
	e, ok := c.files[name]
	if !ok {
		c.mu.Unlock()
		return Rendition{}, false
	}
	c.order.MoveToFront(e)
	f := e.Value.(*cached)
	r := Rendition{Data: f.data, Size: f.size}
	if f.hot != nil {
		c.hot.MoveToFront(f.hot)
	}
	c.mu.Unlock()
	if r.Data != nil {
		return r, true
	}
	path := filepath.Join(c.dir, name)
	r.Path = path
	if r.Size > maxHot || c.hotLimit == 0 {
		return r, true
	}
	data, err := os.ReadFile(path)
	if err != nil || int64(len(data)) != r.Size {
		return r, true // the reader finds out, and asks Forget
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.files[name]; ok && e.Value.(*cached) == f {
		c.warm(f, data)
	}
	return Rendition{Path: path, Data: data, Size: r.Size}, true
}

// warm keeps a rendition's bytes in memory, making room among the hot
// ones. Callers hold mu.
func (c *Cache) warm(f *cached, data []byte) {
	if f.hot != nil || int64(len(data)) > maxHot || c.hotLimit == 0 {
		return
	}
	f.data, f.hot = data, c.hot.PushFront(f)
	c.hotSize += int64(len(data))
	for c.hotSize > c.hotLimit {
		c.cool(c.hot.Back().Value.(*cached))
	}
}

// cool drops a rendition's bytes from memory. Callers hold mu.
func (c *Cache) cool(f *cached) {
	if f.hot == nil {
		return
	}
	c.hot.Remove(f.hot)
	c.hotSize -= int64(len(f.data))
	f.data, f.hot = nil, nil
}

// Path returns the file holding the rendition called name, rendering it
// with render when the cache does not have it. The file may be evicted
// later; a reader that cannot open it asks again with Forget.
func (c *Cache) Path(name string, render func() ([]byte, error)) (Rendition, error) {
	if !validName(name) {
		return Rendition{}, fmt.Errorf("media: bad rendition name %q", name)
	}
	if r, ok := c.Cached(name); ok {
		return r, nil
	}
	v, err, _ := c.flights.Do(name, func() (any, error) {
		data, err := render()
		if err != nil {
			return nil, err
		}
		if err := c.put(name, data); err != nil {
			return data, fmt.Errorf("%w: %w", ErrNotKept, err)
		}
		return data, nil
	})
	data, _ := v.([]byte)
	if data == nil {
		return Rendition{}, err
	}
	return Rendition{Path: filepath.Join(c.dir, name), Data: data, Size: int64(len(data))}, err
}

// ErrNotKept says a rendition was made but could not be kept (a full
// disk): the Rendition returned with it still holds its bytes to send.
var ErrNotKept = errors.New("media: the rendition could not be kept")

// Drop forgets every rendition whose name begins with prefix (an image's
// id and tag), removing their files: for an image taken down.
func (c *Cache) Drop(prefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, e := range c.files {
		if strings.HasPrefix(name, prefix) {
			_ = os.Remove(filepath.Join(c.dir, name))
			c.drop(e)
		}
	}
}

// put writes a rendition whole (a reader never sees half a file) and
// makes room for it.
func (c *Cache) put(name string, data []byte) error {
	tmp, err := os.CreateTemp(c.dir, ".new-*")
	if err != nil {
		return fmt.Errorf("media: cache a rendition: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(c.dir, name))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("media: cache a rendition: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.files[name]; ok {
		c.drop(e)
	}
	f := &cached{name: name, size: int64(len(data))}
	c.files[name] = c.order.PushFront(f)
	c.size += f.size
	c.warm(f, data)
	c.evict()
	return nil
}

// drop forgets a rendition's entry and its bytes in memory; callers remove
// its file. Callers hold mu.
func (c *Cache) drop(e *list.Element) {
	f := e.Value.(*cached)
	c.cool(f)
	c.order.Remove(e)
	delete(c.files, f.name)
	c.size -= f.size
}

// Forget drops a rendition the cache lists but the disk no longer has
// (someone cleared the folder), so that the next Path renders it again.
func (c *Cache) Forget(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.files[name]; ok {
		c.drop(e)
	}
}

// evict removes the least recently used renditions until the cache fits,
// keeping the newest even if it alone is over the limit. Callers hold mu.
func (c *Cache) evict() {
	for c.size > c.limit && c.order.Len() > 1 {
		e := c.order.Back()
		f := e.Value.(*cached)
		if err := os.Remove(filepath.Join(c.dir, f.name)); err != nil && !os.IsNotExist(err) {
			return // the disk refuses; try again on the next rendition
		}
		c.drop(e)
	}
}

// Stats is the cache's size and how many renditions it holds.
func (c *Cache) Stats() (files int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.size
}

// validName accepts the names Quire makes: no separators, no dot files.
func validName(name string) bool {
	return name != "" && !strings.HasPrefix(name, ".") && !strings.ContainsAny(name, `/\`) && fs.ValidPath(name)
}
