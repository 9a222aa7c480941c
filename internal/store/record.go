package store

import (
	"context"
	"fmt"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/record"
)

// Steps of the tamper-evident record (see internal/record): walking the
// publications and audit entries in the order they were written, and
// sealing the rows written before the record existed. The database refuses
// any other change to a sealed row.

// PublicationsAfter lists up to limit publications written after the one
// with id after, in the order they were written.
func (s *Store) PublicationsAfter(ctx context.Context, after int64, limit int) ([]article.Publication, error) {
	var recs []publicationRecord
	if err := s.read(ctx).Where("id > ?", after).Order("id").Limit(limit).Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: walk publications: %w", err)
	}
	out := make([]article.Publication, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// Unsealed counts the publications and audit entries not sealed yet.
func (s *Store) Unsealed(ctx context.Context) (publications, events int, err error) {
	err = s.read(ctx).Raw(unsealedQuery).Row().Scan(&publications, &events)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count unsealed rows: %w", err)
	}
	return publications, events, nil
}

// unsealedQuery counts through the partial indexes of migration 26, which
// hold only unsealed rows: Quire runs it on every start.
const unsealedQuery = `SELECT (SELECT COUNT(*) FROM publications WHERE content_hash = ''),
	(SELECT COUNT(*) FROM audit_events WHERE chain_hash = '')`

// LiveArticles lists every live article's id, live revision and public
// dates, for checking them against the record.
func (s *Store) LiveArticles(ctx context.Context) ([]article.Article, error) {
	var recs []articleRecord
	err := s.read(ctx).Select("id", "live_revision_id", "first_published_at", "last_updated_at").
		Where("state = ?", string(article.Live)).Order("id").Find(&recs).Error
	if err != nil {
		return nil, fmt.Errorf("store: list live articles: %w", err)
	}
	out := make([]article.Article, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// SealPublication gives a publication written before the record existed
// its content and chain hashes.
func (s *Store) SealPublication(ctx context.Context, id int64, content, chain string) error {
	return s.exec(ctx, "UPDATE publications SET content_hash = ?, chain_hash = ? WHERE id = ? AND content_hash = ''", content, chain, id)
}

// AuditLink is one audit entry as the record chains it.
type AuditLink struct {
	ID    int64
	Chain string // as stored; empty until sealed
}

// WalkAudit calls fn with every audit entry, in the order written, and the
// chain hash it should carry, recomputed from what the entry records and
// from the stored chain hash of the entry before it (or, for an unsealed
// entry, the hash sealing gives it), until fn returns false. It reads
// batch entries at a time.
func (s *Store) WalkAudit(ctx context.Context, batch int, fn func(e AuditLink, chain string) (bool, error)) error {
	previous := ""
	var after int64
	for {
		var recs []auditRecord
		if err := s.read(ctx).Where("id > ?", after).Order("id").Limit(batch).Find(&recs).Error; err != nil {
			return fmt.Errorf("store: walk the audit log: %w", err)
		}
		if len(recs) == 0 {
			return nil
		}
		for _, r := range recs {
			after = r.ID
			chain := record.Chain(previous, r.event().Hash())
			if previous = r.ChainHash; previous == "" {
				previous = chain
			}
			if more, err := fn(AuditLink{ID: r.ID, Chain: r.ChainHash}, chain); err != nil || !more {
				return err
			}
		}
	}
}

// SealAudit gives an audit entry written before the record existed its
// chain hash.
func (s *Store) SealAudit(ctx context.Context, id int64, chain string) error {
	return s.exec(ctx, "UPDATE audit_events SET chain_hash = ? WHERE id = ? AND chain_hash = ''", chain, id)
}
