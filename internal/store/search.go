package store

import (
	"context"
	"fmt"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/search"
)

// Marks around matched words in SearchHit titles and snippets. Control
// characters never survive into indexed text, so they cannot be forged.
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// searchMark is a search result's title and snippet with its matched
// words marked.
type searchMark struct {
	ID      int64
	Marked  string
	Snippet string
}

// SearchHit is a live article found by a search, with its title and an
// excerpt in which the matched words are marked.
type SearchHit struct {
	article.Published
	Title   string
	Snippet string
}

// SearchWindow bounds the work of one search: a query matching more live
// articles than this ranks the newest SearchWindow of them, so that a search
// for a common word costs the same however large the archive grows.
const SearchWindow = 2000

// searchWindow is SearchWindow, smaller in tests.
var searchWindow = SearchWindow

// Search finds live articles matching q, best first (title matches weigh
// most, then the dek, then the body), and says how many match, counting at
// most SearchWindow+1: a total above SearchWindow means "more than".
func (s *Store) Search(ctx context.Context, q search.Query, limit, offset int) ([]SearchHit, int, error) {
	if q.Empty() {
		return nil, 0, nil
	}
	db := s.read(ctx)
	// Only live articles are in the index: unpublishing removes them.
	ranked, total, err := s.db.search(db, q, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: search: %w", err)
	}
	if len(ranked) == 0 {
		return nil, int(total), nil
	}
	// Only the page shown is marked: highlighting costs as much as reading
	// the text again.
	marks, err := s.db.mark(db, q, ranked)
	if err != nil {
		return nil, 0, fmt.Errorf("store: mark search results: %w", err)
	}
	byID := make(map[int64]int, len(marks))
	for i, m := range marks {
		byID[m.ID] = i
	}
	items, err := s.summaries(ctx, ranked, false)
	if err != nil {
		return nil, 0, err
	}
	out := make([]SearchHit, len(items))
	for i, it := range items {
		out[i] = SearchHit{Published: it, Title: it.Revision.Title}
		if k, ok := byID[it.Article.ID]; ok {
			out[i].Title, out[i].Snippet = marks[k].Marked, marks[k].Snippet
		}
	}
	return out, int(total), nil
}
