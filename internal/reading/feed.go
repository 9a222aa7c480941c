package reading

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/store"
)

// Filters of the article list, by the names the content API gives its
// query parameters; a refusal is keyed by the parameter at fault.
const (
	ParamCategory     = "category"
	ParamSubject      = "subject"
	ParamContributor  = "contributor"
	ParamQuery        = "q"
	ParamOrder        = "order"
	ParamUpdatedSince = "updated_since"
	ParamCursor       = "cursor"
	ParamLimit        = "limit"
)

// ArticlesQuery is one page of live articles as the content API asks for
// it: at most one listing (a category, subject or contributor by slug),
// an order, and articles published to since a moment; or search words,
// which rank the whole archive by relevance and take no other filter.
type ArticlesQuery struct {
	Category, Subject, Contributor string
	Order                          article.FeedOrder
	UpdatedSince                   time.Time
	Words                          string
	After                          article.FeedCursor // where the last page ended
	Offset                         int                // of search results
	Limit                          int
}

// ArticlesPage is a page of the list, and where the next one starts: more
// is false on the last page.
type ArticlesPage struct {
	Items  []article.Published
	Next   article.FeedCursor
	Offset int // the next page's, for a search
	More   bool
}

// Articles returns one page of live articles. A filter naming what does
// not exist is refused with the parameter named, not answered with an
// empty list that would look like "nothing published yet".
func (s *Service) Articles(ctx context.Context, q ArticlesQuery) (ArticlesPage, error) {
	if strings.TrimSpace(q.Words) != "" {
		return s.searchPage(ctx, q)
	}
	f := article.FeedQuery{Kind: "all", Order: q.Order, After: q.After, PublishedSince: q.UpdatedSince, Limit: q.Limit + 1}
	var chosen []string
	for _, by := range []struct {
		param, slug, kind string
		find              func(context.Context, string) (int64, error)
	}{
		{ParamCategory, q.Category, "category", func(ctx context.Context, slug string) (int64, error) {
			c, err := s.st.CategoryBySlug(ctx, slug)
			return c.ID, err
		}},
		{ParamSubject, q.Subject, "subject", func(ctx context.Context, slug string) (int64, error) {
			c, err := s.st.SubjectBySlug(ctx, slug)
			return c.ID, err
		}},
		{ParamContributor, q.Contributor, "contributor", func(ctx context.Context, slug string) (int64, error) {
			c, err := s.Contributor(ctx, slug)
			return c.ID, err
		}},
	} {
		if by.slug == "" {
			continue
		}
		chosen = append(chosen, by.param)
		id, err := by.find(ctx, by.slug)
		if err != nil {
			if apperr.CodeOf(err) == apperr.NotFound || errors.Is(err, store.ErrNotFound) {
				return ArticlesPage{}, apperr.Field(by.param, "There is no "+by.kind+" “"+by.slug+"”.")
			}
			return ArticlesPage{}, err
		}
		f.Kind, f.TaxonID = by.kind, id
	}
	if len(chosen) > 1 {
		return ArticlesPage{}, apperr.Field(chosen[1], "Filter by one of category, subject and contributor at a time, not "+strings.Join(chosen, " and ")+".")
	}
	// One more than asked says whether there is a next page; the keys and
	// the articles are read in one snapshot, so a page is never short.
	var items []article.Published
	var cursors []article.FeedCursor
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		items, cursors, err = tx.Feed(ctx, f)
		return err
	})
	if err != nil {
		return ArticlesPage{}, err
	}
	p := ArticlesPage{Items: items}
	if len(items) > q.Limit {
		p.Items, p.More, p.Next = items[:q.Limit], true, cursors[q.Limit-1]
	}
	return p, nil
}

func (s *Service) searchPage(ctx context.Context, q ArticlesQuery) (ArticlesPage, error) {
	words := search.Parse(q.Words)
	if words.Empty() {
		return ArticlesPage{}, apperr.Field(ParamQuery, "Give one or more words to search for.")
	}
	hits, total, err := s.st.Search(ctx, words, q.Limit, q.Offset)
	if err != nil {
		return ArticlesPage{}, err
	}
	p := ArticlesPage{Offset: q.Offset + len(hits), More: q.Offset+len(hits) < min(total, SearchWindow)}
	for _, h := range hits {
		p.Items = append(p.Items, h.Published)
	}
	return p, nil
}

// WholeArticle is Article with the whole plain text of the body, as the
// content API gives it.
func (s *Service) WholeArticle(ctx context.Context, slug string) (article.Published, error) {
	p, err := s.Article(ctx, slug)
	if err != nil {
		return p, err
	}
	p.Revision.BodyText, err = s.st.BodyText(ctx, p.Revision.ID)
	return p, err
}
