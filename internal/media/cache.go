package media

import (
	"cmp"
	"container/list"
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
}

type cached struct {
	name string
	size int64
}

// OpenCache opens the cache in dir (creating it), keeping at most limit
// bytes. The renditions already there are kept, oldest first to go.
func OpenCache(dir string, limit int64) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media: create the rendition cache: %w", err)
	}
	c := &Cache{dir: dir, limit: limit, order: list.New(), files: map[string]*list.Element{}}
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
		kept = append(kept, found{cached{e.Name(), info.Size()}, info.ModTime().UnixNano()})
	}
	// Newest first, so that the oldest are the first to go.
	slices.SortFunc(kept, func(a, b found) int { return cmp.Compare(b.at, a.at) })
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range kept {
		c.files[f.name] = c.order.PushBack(&cached{f.name, f.size})
		c.size += f.size
	}
	c.evict()
	return c, nil
}

// Cached returns the file holding the rendition called name, if the cache
// has it.
func (c *Cache) Cached(name string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.files[name]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	return filepath.Join(c.dir, name), true
}

// Path returns the file holding the rendition called name, rendering it
// with render when the cache does not have it. The file may be evicted
// later; a reader that cannot open it asks again with Forget.
func (c *Cache) Path(name string, render func() ([]byte, error)) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("media: bad rendition name %q", name)
	}
	if path, ok := c.Cached(name); ok {
		return path, nil
	}
	_, err, _ := c.flights.Do(name, func() (any, error) {
		data, err := render()
		if err != nil {
			return nil, err
		}
		return nil, c.put(name, data)
	})
	return filepath.Join(c.dir, name), err
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
		c.size -= e.Value.(*cached).size
		c.order.Remove(e)
	}
	c.files[name] = c.order.PushFront(&cached{name, int64(len(data))})
	c.size += int64(len(data))
	c.evict()
	return nil
}

// Forget drops a rendition the cache lists but the disk no longer has
// (someone cleared the folder), so that the next Path renders it again.
func (c *Cache) Forget(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.files[name]; ok {
		c.size -= e.Value.(*cached).size
		c.order.Remove(e)
		delete(c.files, name)
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
		c.order.Remove(e)
		delete(c.files, f.name)
		c.size -= f.size
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
