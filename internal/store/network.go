package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/quire-cms/quire/internal/publisher"
)

// Network returns the network's settings; ErrNotFound before any are saved.
func (s *Store) Network(ctx context.Context) (publisher.Settings, error) {
	var rec networkRecord
	if err := s.read(ctx).Take(&rec, 1).Error; err != nil {
		return publisher.Settings{}, found(err, "load network")
	}
	return rec.domain(), nil
}

// NetworkOr returns the network's settings, or def before any are saved.
func (s *Store) NetworkOr(ctx context.Context, def publisher.Settings) (publisher.Settings, error) {
	n, err := s.Network(ctx)
	if errors.Is(err, ErrNotFound) {
		return def, nil
	}
	return n, err
}

// SaveNetwork stores the network's settings.
func (s *Store) SaveNetwork(ctx context.Context, n publisher.Settings) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	rec := networkRecord{
		ID: 1, Name: n.Name, ShortName: n.ShortName, Attribution: n.Attribution, Tagline: n.Tagline,
		TimeZone: n.TimeZone, WordsPerMinute: n.WordsPerMinute, ShowReview: n.ShowReview, UpdatedAt: n.UpdatedAt.UTC(),
		RequireTwoFactor: string(n.TwoFactorRule()),
	}
	err = w.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "short_name", "attribution", "tagline", "time_zone", "words_per_minute", "show_review", "require_two_factor", "updated_at"}),
	}).Create(&rec).Error
	if err != nil {
		return fmt.Errorf("store: save network: %w", err)
	}
	return nil
}

// Generation is a counter that grows whenever anything readers see changes.
// Every process sharing the database can compare it to know its page cache
// is stale; reading it also tells this Store's own caches.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.read(ctx).Model(&networkRecord{}).Select("COALESCE(MAX(cache_generation), 0)").Scan(&g).Error
	if err != nil {
		return 0, fmt.Errorf("store: read cache generation: %w", err)
	}
	if s.shared.generation.Swap(g) != g {
		if s.tx != nil {
			s.shared.taxa.invalidate()
		} else {
			s.stale(ctx)
		}
	}
	return g, nil
}

// Empty reports whether the database holds no content at all: no network
// settings, accounts, categories, subjects or articles.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int64
	err := s.read(ctx).Raw(`SELECT (SELECT COUNT(*) FROM networks) + (SELECT COUNT(*) FROM accounts)
		+ (SELECT COUNT(*) FROM categories) + (SELECT COUNT(*) FROM subjects) + (SELECT COUNT(*) FROM articles)`).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: check for content: %w", err)
	}
	return n == 0, nil
}
