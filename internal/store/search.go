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
	var rows []struct {
		Summary summaryRow `gorm:"embedded"`
		Marked  string
		Snippet string
	}
	// Rank within the window (article ids grow with time, and FTS5 walks
	// rowids in order cheaply), then mark only the page shown: snippet()
	// and highlight() cost as much as reading the text again.
	err = db.Raw(`SELECT `+summaryColumns+`,
			highlight(search_index, 0, ?, ?) AS marked,
			snippet(search_index, 2, ?, ?, '…', 32) AS snippet
		FROM (SELECT rowid AS id, bm25(search_index, 10.0, 4.0, 1.0) AS score FROM search_index
			WHERE search_index MATCH ? AND rowid >= COALESCE((SELECT rowid FROM search_index WHERE search_index MATCH ?
				ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)
			ORDER BY score LIMIT ? OFFSET ?) AS top
		JOIN search_index ON search_index.rowid = top.id
		JOIN articles a ON a.id = top.id
		JOIN revisions r ON r.id = a.live_revision_id
		JOIN revision_bodies b ON b.revision_id = r.id
		WHERE search_index MATCH ? AND a.state = 'live'
		ORDER BY top.score, a.first_published_at DESC`, MarkStart, MarkEnd, MarkStart, MarkEnd,
		match, match, searchWindow-1, limit, offset, match).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: search: %w", err)
	}
	out := make([]SearchHit, len(rows))
	items := make([]article.Published, len(rows))
	for i, r := range rows {
		items[i] = r.Summary.domain()
	}
	if err := s.attachTaxonomyTo(ctx, items); err != nil {
		return nil, 0, err
	}
	for i, r := range rows {
		out[i] = SearchHit{Published: items[i], Title: r.Marked, Snippet: r.Snippet}
	}
	return out, int(total), nil
}
