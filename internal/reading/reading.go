// Package reading is what readers may see: live articles, listings, the
// subject timelines, search, and what the sitemap lists. It applies the
// domain's rule on what a reader may see (article.ForReaders) and says
// what was not found in a reader's words; readers never see a draft.
package reading

import (
	"context"
	"errors"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/store"
)

// Service answers readers' requests from one database.
type Service struct {
	st     *store.Store
	images *media.Processor
	memo   imageMemo
}

// New returns the service on st.
func New(st *store.Store) *Service {
	return &Service{st: st, images: media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget)}
}

// Article returns the article at slug as readers may see it: its live
// revision and update log. A never-published article is NotFound and a
// withdrawn one Gone.
func (s *Service) Article(ctx context.Context, slug string) (article.Published, error) {
	p, err := s.st.ArticleAt(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return article.Published{}, article.ErrNotAtAddress
	}
	if err != nil {
		return article.Published{}, err
	}
	if err := p.Article.ForReaders(); err != nil {
		return article.Published{}, err
	}
	return p, nil
}

// Redirect returns the current slug of the article that used to be at
// slug, if any, so that links shared before a slug change keep working.
func (s *Service) Redirect(ctx context.Context, slug string) (string, bool, error) {
	return s.st.RedirectFor(ctx, slug)
}

// List returns one page of live articles and how many match in all:
// newest first, or by event date for a subject's timeline.
func (s *Service) List(ctx context.Context, f article.ListFilter) ([]article.Published, int, error) {
	return s.st.ListLive(ctx, f)
}

// Locations returns one page of every live article's address, oldest
// first, and how many there are.
func (s *Service) Locations(ctx context.Context, limit, offset int) ([]article.Location, int, error) {
	return s.st.LiveLocations(ctx, limit, offset)
}

// SearchWindow is how many of the newest matches a search ranks; a total
// above it means "more than".
const SearchWindow = store.SearchWindow

// Search finds live articles, best first, and says how many match
// (counting at most SearchWindow+1).
func (s *Service) Search(ctx context.Context, q search.Query, limit, offset int) ([]search.Hit, int, error) {
	return s.st.Search(ctx, q, limit, offset)
}

// Category returns the category at slug.
func (s *Service) Category(ctx context.Context, slug string) (article.Category, error) {
	c, err := s.st.CategoryBySlug(ctx, slug)
	return c, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no category at this address.")
}

// Subject returns the subject at slug.
func (s *Service) Subject(ctx context.Context, slug string) (article.Subject, error) {
	sub, err := s.st.SubjectBySlug(ctx, slug)
	return sub, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no subject at this address.")
}

// Contributor returns the contributor at slug, unless they are hidden.
func (s *Service) Contributor(ctx context.Context, slug string) (article.Contributor, error) {
	c, err := s.st.ContributorBySlug(ctx, slug)
	if err == nil && c.Hidden {
		err = store.ErrNotFound
	}
	return c, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no contributor at this address.")
}

// Kinds of pages whose former addresses redirect.
const (
	CategoryPage    = store.SlugCategory
	SubjectPage     = store.SlugSubject
	ContributorPage = store.SlugContributor
)

// Moved returns the current slug of the category, subject or contributor
// (kind) that used to be at slug, if any, so that links shared before a
// slug change keep working.
func (s *Service) Moved(ctx context.Context, kind, slug string) (string, bool, error) {
	now, err := s.st.FormerSlug(ctx, kind, slug)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	return now, err == nil, err
}

// Categories lists every category by name: the site's sections.
func (s *Service) Categories(ctx context.Context) ([]article.Category, error) {
	return s.st.Categories(ctx)
}

// Sections lists every category, subject and contributor: the pages the
// sitemap lists beside the articles (hidden contributors have none).
func (s *Service) Sections(ctx context.Context) (article.Taxonomy, error) {
	return s.st.Taxonomy(ctx)
}

// Settings returns the network's settings, or publisher.Default before an
// admin saves any.
func (s *Service) Settings(ctx context.Context) (publisher.Settings, error) {
	return s.st.NetworkOr(ctx, publisher.Default)
}
