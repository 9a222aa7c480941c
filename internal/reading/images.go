package reading

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/store"
)

// Imaging makes the service render images with p (shared with the desk's
// uploads, so that both stay within one memory budget).
func (s *Service) Imaging(p *media.Processor) *Service {
	s.images = p
	return s
}

// Image returns an image of the library as readers may see it: Gone once
// withdrawn (with the item, for its address), NotFound if there is none.
// What it reads is remembered for the content generation gen, which every
// withdrawal moves: a reader's page asks for many images at once.
func (s *Service) Image(ctx context.Context, gen, id int64) (media.Item, error) {
	if it, ok := s.memo.get(gen, id); ok {
		return it, it.ForReaders()
	}
	it, err := s.st.MediaItem(ctx, id)
	if err != nil {
		return it, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no image at this address.")
	}
	s.memo.put(gen, it)
	return it, it.ForReaders()
}

// Remember reads the lead images of items that the content generation gen
// has not read yet, in one query, so that a listing or a feed then finds
// each card's image without a query of its own.
func (s *Service) Remember(ctx context.Context, gen int64, items []article.Published) error {
	var missing []int64
	for _, p := range items {
		if id := p.Revision.Lead.MediaID; id != 0 {
			if _, ok := s.memo.get(gen, id); !ok {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := s.st.MediaItemsByID(ctx, missing)
	if err != nil {
		return err
	}
	for _, it := range found {
		s.memo.put(gen, it)
	}
	return nil
}

// Lead is a revision's lead image as readers may see it: false when it has
// none, or its image was withdrawn (the page then shows none).
func (s *Service) Lead(ctx context.Context, gen int64, l article.Lead) (media.Item, bool, error) {
	if l.MediaID == 0 {
		return media.Item{}, false, nil
	}
	it, err := s.Image(ctx, gen, l.MediaID)
	switch apperr.CodeOf(err) {
	case "":
		return it, true, nil
	case apperr.Gone, apperr.NotFound:
		return it, false, nil
	}
	return it, false, err
}

// Body is a revision's body as readers see it in the content generation
// gen: other sites' images (in bodies saved before images came from the
// library only) as links, and the images withdrawn since it was saved
// replaced by a note.
func (s *Service) Body(ctx context.Context, gen int64, body string) (string, error) {
	if strings.Contains(body, `<img src="http`) {
		body = media.Unhotlinked(body)
	}
	if !strings.Contains(body, `data-media="`) {
		return body, nil
	}
	gone, ok := s.memo.withdrawn(gen)
	if !ok {
		ids, err := s.st.WithdrawnMedia(ctx)
		if err != nil {
			return "", err
		}
		set := make(map[int64]bool, len(ids))
		for _, id := range ids {
			set[id] = true
		}
		s.memo.setWithdrawn(gen, set)
		gone = func(id int64) bool { return set[id] }
	}
	return media.Withdrawn(body, gone), nil
}

// imageMemo remembers the library's images readers asked for, and which
// were withdrawn, for one content generation. Other instances' changes
// reach it with the generation they poll.
type imageMemo struct {
	mu    sync.Mutex
	gen   int64
	items map[int64]media.Item
	gone  map[int64]bool // nil until read
}

// maxRemembered bounds the memo; a full one starts again.
const maxRemembered = 20000

func (m *imageMemo) get(gen, id int64) (media.Item, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.move(gen)
	it, ok := m.items[id]
	return it, ok
}

// move forgets what was read in an older generation, and ignores an older
// one. Callers hold mu.
func (m *imageMemo) move(gen int64) {
	if gen > m.gen {
		m.gen, m.items, m.gone = gen, nil, nil
	}
}

func (m *imageMemo) put(gen int64, it media.Item) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen != gen {
		return
	}
	if m.items == nil || len(m.items) >= maxRemembered {
		m.items = map[int64]media.Item{}
	}
	m.items[it.ID] = it
}

func (m *imageMemo) withdrawn(gen int64) (func(int64) bool, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.move(gen)
	if m.gen != gen || m.gone == nil {
		return nil, false
	}
	gone := m.gone
	return func(id int64) bool { return gone[id] }, true
}

func (m *imageMemo) setWithdrawn(gen int64, gone map[int64]bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen == gen {
		m.gone = gone
	}
}

// Render makes one rendition of an image readers may see, from its
// original.
func (s *Service) Render(ctx context.Context, it media.Item, v media.Variant) ([]byte, error) {
	if err := it.ForReaders(); err != nil {
		return nil, err
	}
	data, err := s.st.MediaOriginal(ctx, it.ID)
	if err != nil {
		return nil, fmt.Errorf("reading: render image %d: %w", it.ID, err)
	}
	return s.images.Render(ctx, data, v)
}

// WithdrawnImages lists the images admins withdrew, which pages no longer
// show.
func (s *Service) WithdrawnImages(ctx context.Context) ([]int64, error) {
	return s.st.WithdrawnMedia(ctx)
}
