package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/quire-cms/quire/internal/network"
)

// DefaultNetwork is what a database started without demo content calls
// itself until an admin names the network.
var DefaultNetwork = network.Network{
	Name: "Quire Newsroom", ShortName: "Quire", Attribution: "Quire Newsroom",
	TimeZone: "UTC", WordsPerMinute: 200,
}

// Network returns the network's settings, or DefaultNetwork before any are saved.
func (s *Store) Network(ctx context.Context) (network.Network, error) {
	var rec networkRecord
	err := s.read(ctx).Take(&rec, 1).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultNetwork, nil
	}
	if err != nil {
		return network.Network{}, fmt.Errorf("store: load network: %w", err)
	}
	return rec.domain(), nil
}

// ActionSettingsSaved is the audit action for a change of network settings.
const ActionSettingsSaved = "network.saved"

// SaveNetwork stores the network's settings, audited as actorID's change
// (zero for Quire itself), and invalidates reader caches.
func (s *Store) SaveNetwork(ctx context.Context, actorID int64, n network.Network) error {
	rec := networkRecord{
		ID: 1, Name: n.Name, ShortName: n.ShortName, Attribution: n.Attribution, Tagline: n.Tagline,
		TimeZone: n.TimeZone, WordsPerMinute: n.WordsPerMinute, UpdatedAt: time.Now().UTC(),
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "id"}},
			DoUpdates: clause.AssignmentColumns([]string{"name", "short_name", "attribution", "tagline", "time_zone", "words_per_minute", "updated_at"}),
		}).Create(&rec).Error
		if err != nil {
			return fmt.Errorf("store: save network: %w", err)
		}
		if err := bumpGeneration(tx); err != nil {
			return err
		}
		return audit(tx, rec.UpdatedAt, actorID, ActionSettingsSaved, 0, 0, n.Name)
	})
}

// EnsureNetwork saves DefaultNetwork if no settings exist yet.
func (s *Store) EnsureNetwork(ctx context.Context) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&networkRecord{}).Count(&n).Error; err != nil {
			return fmt.Errorf("store: count networks: %w", err)
		}
		if n > 0 {
			return nil
		}
		return s.within(tx).SaveNetwork(ctx, 0, DefaultNetwork)
	})
}

// Generation is a counter that grows whenever anything readers see changes.
// Every process sharing the database can compare it to know its page cache
// is stale.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.read(ctx).Model(&networkRecord{}).Select("COALESCE(MAX(cache_generation), 0)").Scan(&g).Error
	if err != nil {
		return 0, fmt.Errorf("store: read cache generation: %w", err)
	}
	return g, nil
}

func bumpGeneration(tx *gorm.DB) error {
	if err := tx.Exec("UPDATE networks SET cache_generation = cache_generation + 1").Error; err != nil {
		return fmt.Errorf("store: bump cache generation: %w", err)
	}
	return nil
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
