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
	match := q.FTS5()
	db := s.read(ctx)
	var total int64
	// Only live articles are in the index: unpublishing removes them.
	err := db.Raw(`SELECT COUNT(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?)`,
		match, searchWindow+1).Scan(&total).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: count search results: %w", err)
	}
	// Rank within the window (article ids grow with time, and FTS5 walks
	// rowids in order cheaply), then mark only the page shown: snippet()
	// and highlight() cost as much as reading the text again. Separate
	// queries keep SQLite from joining the ranking back to every match.
	var ranked []int64
	err = db.Raw(`SELECT rowid FROM search_index
		WHERE search_index MATCH ? AND rowid >= COALESCE((SELECT rowid FROM search_index WHERE search_index MATCH ?
			ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)
		ORDER BY bm25(search_index, 10.0, 4.0, 1.0), rowid DESC LIMIT ? OFFSET ?`,
		match, match, searchWindow-1, limit, offset).Scan(&ranked).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: search: %w", err)
	}
	if len(ranked) == 0 {
		return nil, int(total), nil
	}
	var marks []struct {
		ID      int64
		Marked  string
		Snippet string
	}
	err = db.Raw(`SELECT rowid AS id, highlight(search_index, 0, ?, ?) AS marked, snippet(search_index, 2, ?, ?, '…', 32) AS snippet
		FROM search_index WHERE search_index MATCH ? AND rowid IN ?`,
		MarkStart, MarkEnd, MarkStart, MarkEnd, match, ranked).Scan(&marks).Error
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
