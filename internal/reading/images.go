package reading

import (
	"context"
	"fmt"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/store"
)

// Imaging makes the service render images with p (shared with the desk's
// uploads, so that both stay within one memory budget).
func (s *Service) Imaging(p *media.Processor) *Service {
	s.images = p
	return s
}

// Image returns an image of the library as readers may ask for it,
// withdrawn or not: the caller asks ForReaders.
func (s *Service) Image(ctx context.Context, id int64) (media.Item, error) {
	it, err := s.st.MediaItem(ctx, id)
	return it, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no image at this address.")
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
