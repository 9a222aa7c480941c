package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/account"
)

type tokenRecord struct {
	ID         int64
	Name       string
	Scope      string
	SecretHash string
	CreatedBy  sql.NullInt64
	CreatedAt  time.Time
	ExpiresAt  sql.NullTime
	LastUsedAt sql.NullTime
	RevokedAt  sql.NullTime
}

func (tokenRecord) TableName() string { return "api_tokens" }

func (r tokenRecord) domain() account.Token {
	return account.Token{ID: r.ID, Name: r.Name, Scope: account.Scope(r.Scope), CreatedBy: r.CreatedBy.Int64, CreatedAt: r.CreatedAt,
		ExpiresAt: r.ExpiresAt.Time, LastUsedAt: r.LastUsedAt.Time, RevokedAt: r.RevokedAt.Time}
}

// InsertToken keeps a new API token with the digest of its secret.
func (s *Store) InsertToken(ctx context.Context, t account.Token, secretHash string) (account.Token, error) {
	w, err := s.write(ctx)
	if err != nil {
		return t, err
	}
	rec := tokenRecord{Name: t.Name, Scope: string(t.Scope), SecretHash: secretHash, CreatedBy: sql.NullInt64{Int64: t.CreatedBy, Valid: t.CreatedBy != 0},
		CreatedAt: t.CreatedAt.UTC(), ExpiresAt: nullTime(t.ExpiresAt)}
	if err := w.Create(&rec).Error; err != nil {
		return t, fmt.Errorf("store: keep API token: %w", err)
	}
	return rec.domain(), nil
}

// Token returns an API token and the digest of its secret.
func (s *Store) Token(ctx context.Context, id int64) (account.Token, string, error) {
	var rec tokenRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return account.Token{}, "", found(err, "find API token %d", id)
	}
	return rec.domain(), rec.SecretHash, nil
}

// Tokens lists every API token, newest first.
func (s *Store) Tokens(ctx context.Context) ([]account.Token, error) {
	var recs []tokenRecord
	if err := s.read(ctx).Order("id DESC").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list API tokens: %w", err)
	}
	out := make([]account.Token, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// RevokeToken revokes a token at at and reports whether it was still
// unrevoked.
func (s *Store) RevokeToken(ctx context.Context, id int64, at time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.UTC(), id)
	if res.Error != nil {
		return false, fmt.Errorf("store: revoke API token %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// TouchToken records a token's use at at, if its last use is still
// seen, and reports whether it did: of requests racing, one writes.
func (s *Store) TouchToken(ctx context.Context, id int64, seen, at time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	q := w.Where("id = ?", id)
	if seen.IsZero() {
		q = q.Where("last_used_at IS NULL")
	} else {
		q = q.Where("last_used_at = ?", seen.UTC())
	}
	res := q.Model(&tokenRecord{}).Update("last_used_at", at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("store: note API token use: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}
