package store

import (
	"context"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/article"
)

// Feed returns one page of live articles for the content API, in the
// order asked, after the cursor, with each article's own cursor. Pages
// are read by keyset from live_listings' indexes, so the thousandth page
// costs what the first does.
func (s *Store) Feed(ctx context.Context, q article.FeedQuery) ([]article.Published, []article.FeedCursor, error) {
	db := s.read(ctx).Table("live_listings l").Select("l.article_id, l.published_at, l.event_date").
		Where("l.kind = ? AND l.taxon_id = ?", q.Kind, q.TaxonID)
	after := q.After
	switch q.Order {
	case article.FeedEvent:
		if !after.IsZero() {
			// A row value, which both databases walk in the index from
			// the cursor on; ORs of its parts would be scanned.
			db = db.Where("(l.event_date, l.published_at, l.article_id) > (?, ?, ?)", after.EventDate, after.PublishedAt.UTC(), after.ArticleID)
		}
		db = db.Order("l.event_date, l.published_at, l.article_id")
	default:
		if !after.IsZero() {
			db = db.Where("(l.published_at, l.article_id) < (?, ?)", after.PublishedAt.UTC(), after.ArticleID)
		}
		db = db.Order("l.published_at DESC, l.article_id DESC")
	}
	if !q.PublishedSince.IsZero() {
		db = db.Where("l.article_id IN (SELECT article_id FROM publications WHERE published_at >= ?)", q.PublishedSince.UTC())
	}
	var keys []struct {
		ArticleID   int64
		PublishedAt time.Time
		EventDate   string
	}
	if err := db.Limit(q.Limit).Scan(&keys).Error; err != nil {
		return nil, nil, fmt.Errorf("store: read the feed: %w", err)
	}
	ids := make([]int64, len(keys))
	cursors := make(map[int64]article.FeedCursor, len(keys))
	for i, k := range keys {
		ids[i] = k.ArticleID
		cursors[k.ArticleID] = article.FeedCursor{PublishedAt: k.PublishedAt, EventDate: k.EventDate, ArticleID: k.ArticleID}
	}
	items, err := s.summaries(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	// An article unpublished between the two reads is left out, and so is
	// its cursor.
	out := make([]article.FeedCursor, len(items))
	for i, it := range items {
		out[i] = cursors[it.Article.ID]
	}
	return items, out, nil
}
