package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/quire-cms/quire/internal/search"
)

// Marks around matched words in the titles and snippets the dialects
// highlight. Control characters never survive into indexed text, so they
// cannot be forged; they are turned into segments before leaving the store.
const (
	markStart = "\x02"
	markEnd   = "\x03"
)

// searchMark is a search result's title and snippet with its matched
// words marked.
type searchMark struct {
	ID      int64
	Marked  string
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
func (s *Store) Search(ctx context.Context, q search.Query, limit, offset int) ([]search.Hit, int, error) {
	if q.Empty() {
		return nil, 0, nil
	}
	db := s.read(ctx)
	// Only live articles are in the index: unpublishing removes them.
	ranked, total, err := s.dialect.search(db, q, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: search: %w", err)
	}
	if len(ranked) == 0 {
		return nil, int(total), nil
	}
	// Only the page shown is marked: highlighting costs as much as reading
	// the text again.
	marks, err := s.dialect.mark(db, q, ranked)
	if err != nil {
		return nil, 0, fmt.Errorf("store: mark search results: %w", err)
	}
	byID := make(map[int64]int, len(marks))
	for i, m := range marks {
		byID[m.ID] = i
	}
	items, err := s.summaries(ctx, ranked)
	if err != nil {
		return nil, 0, err
	}
	out := make([]search.Hit, len(items))
	for i, it := range items {
		out[i] = search.Hit{Published: it, Title: []search.Segment{{Text: it.Revision.Title}}}
		if k, ok := byID[it.Article.ID]; ok {
			out[i].Title, out[i].Snippet = segments(marks[k].Marked), segments(marks[k].Snippet)
		}
	}
	return out, int(total), nil
}

// segments splits text with search marks into plain and marked runs.
func segments(text string) []search.Segment {
	var out []search.Segment
	for text != "" {
		start := strings.Index(text, markStart)
		if start < 0 {
			return append(out, search.Segment{Text: strings.ReplaceAll(text, markEnd, "")})
		}
		if start > 0 {
			out = append(out, search.Segment{Text: strings.ReplaceAll(text[:start], markEnd, "")})
		}
		text = text[start+len(markStart):]
		end := strings.Index(text, markEnd)
		if end < 0 {
			end = len(text)
		}
		out = append(out, search.Segment{Text: strings.ReplaceAll(text[:end], markStart, ""), Mark: true})
		text = strings.TrimPrefix(text[end:], markEnd)
	}
	return out
}
