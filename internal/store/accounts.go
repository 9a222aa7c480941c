package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/account"
)

type accountRecord struct {
	ID           int64
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Active       bool
	SessionEpoch int64
	CreatedAt    time.Time
	LastLoginAt  sql.NullTime
	TotpSecret   string
}

func (accountRecord) TableName() string { return "accounts" }

func (r accountRecord) domain() account.Account {
	return account.Account{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: account.Role(r.Role), Active: r.Active,
		CreatedAt: r.CreatedAt, LastLoginAt: r.LastLoginAt.Time, SessionEpoch: r.SessionEpoch,
		TwoFactor: r.TotpSecret != "",
	}
}

// InsertAccount stores a new account with its password hash and returns it
// with its id.
func (s *Store) InsertAccount(ctx context.Context, a account.Account, hash string) (account.Account, error) {
	w, err := s.write(ctx)
	if err != nil {
		return a, err
	}
	rec := accountRecord{Email: a.Email, Name: a.Name, Role: string(a.Role), PasswordHash: hash, Active: a.Active,
		SessionEpoch: a.SessionEpoch, CreatedAt: a.CreatedAt.UTC()}
	if err := w.Create(&rec).Error; err != nil {
		return a, fmt.Errorf("store: insert account: %w", err)
	}
	return rec.domain(), nil
}

// Account finds an account by id.
func (s *Store) Account(ctx context.Context, id int64) (account.Account, error) {
	var rec accountRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return account.Account{}, found(err, "find account %d", id)
	}
	return rec.domain(), nil
}

// AccountByEmail finds an account by its normalized email and returns its
// password hash too.
func (s *Store) AccountByEmail(ctx context.Context, email string) (account.Account, string, error) {
	var rec accountRecord
	if err := s.read(ctx).Where("email = ?", email).Take(&rec).Error; err != nil {
		return account.Account{}, "", found(err, "find account by email")
	}
	return rec.domain(), rec.PasswordHash, nil
}

// Accounts lists every account, active ones first, by name.
func (s *Store) Accounts(ctx context.Context) ([]account.Account, error) {
	var recs []accountRecord
	if err := s.read(ctx).Order("active DESC, lower(name), id").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list accounts: %w", err)
	}
	out := make([]account.Account, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// CountAccounts counts every account, active or not.
func (s *Store) CountAccounts(ctx context.Context) (int, error) {
	var n int64
	if err := s.read(ctx).Model(&accountRecord{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: count accounts: %w", err)
	}
	return int(n), nil
}

// SaveAccount writes an account's name, role, active flag and session epoch.
func (s *Store) SaveAccount(ctx context.Context, a account.Account) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	err = w.Model(&accountRecord{ID: a.ID}).
		Updates(map[string]any{"name": a.Name, "role": string(a.Role), "active": a.Active, "session_epoch": a.SessionEpoch}).Error
	if err != nil {
		return fmt.Errorf("store: save account %d: %w", a.ID, err)
	}
	return nil
}

// SetPasswordHash replaces an account's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	if err := s.exec(ctx, "UPDATE accounts SET password_hash = ? WHERE id = ?", hash, id); err != nil {
		return fmt.Errorf("store: set password of account %d: %w", id, err)
	}
	return nil
}

// RecordLogin notes when an account last logged in.
func (s *Store) RecordLogin(ctx context.Context, id int64, at time.Time) error {
	if err := s.exec(ctx, "UPDATE accounts SET last_login_at = ? WHERE id = ?", at.UTC(), id); err != nil {
		return fmt.Errorf("store: record login: %w", err)
	}
	return nil
}

type throttleRecord struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	WindowStart time.Time
	LockedUntil sql.NullTime
}

func (throttleRecord) TableName() string { return "login_throttles" }

func (r throttleRecord) domain() account.Throttle {
	return account.Throttle{Failures: r.Failures, WindowStart: r.WindowStart, LockedUntil: r.LockedUntil.Time}
}

// Throttles returns the login throttles kept for keys; a key with none
// counts no failures.
func (s *Store) Throttles(ctx context.Context, keys []string) ([]account.Throttle, error) {
	var recs []throttleRecord
	if err := s.read(ctx).Where("key IN ?", keys).Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: read throttles: %w", err)
	}
	out := make([]account.Throttle, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// Throttle returns the login throttle kept for key, or a zero one.
func (s *Store) Throttle(ctx context.Context, key string) (account.Throttle, error) {
	var rec throttleRecord
	err := s.read(ctx).Where("key = ?", key).Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return account.Throttle{}, nil
	}
	if err != nil {
		return account.Throttle{}, fmt.Errorf("store: read throttle: %w", err)
	}
	return rec.domain(), nil
}

// SaveThrottle keeps the login throttle for key.
func (s *Store) SaveThrottle(ctx context.Context, key string, t account.Throttle) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	rec := throttleRecord{Key: key, Failures: t.Failures, WindowStart: t.WindowStart.UTC(), LockedUntil: nullTime(t.LockedUntil)}
	if err := w.Save(&rec).Error; err != nil {
		return fmt.Errorf("store: save throttle: %w", err)
	}
	return nil
}

// DeleteThrottles forgets the failures counted for every key that starts
// with prefix.
func (s *Store) DeleteThrottles(ctx context.Context, prefix string) error {
	if err := s.exec(ctx, "DELETE FROM login_throttles WHERE key LIKE ? ESCAPE '\\'", escapeLike(prefix)+"%"); err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}

// ExpireThrottles deletes at most limit throttles whose counting window
// started before cutoff and whose lockout, if any, ended before now.
func (s *Store) ExpireThrottles(ctx context.Context, cutoff, now time.Time, limit int) error {
	err := s.exec(ctx, `DELETE FROM login_throttles WHERE key IN (SELECT key FROM login_throttles
		WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?) LIMIT ?)`, cutoff.UTC(), now.UTC(), limit)
	if err != nil {
		return fmt.Errorf("store: expire login throttles: %w", err)
	}
	return nil
}

// ThrottleStats says how many login throttles are kept and how long the
// longest key is: what failed logins have cost the database.
func (s *Store) ThrottleStats(ctx context.Context) (count, longestKey int64, err error) {
	var row struct{ Count, Longest int64 }
	if err := s.read(ctx).Raw("SELECT COUNT(*) AS count, COALESCE(MAX(length(key)), 0) AS longest FROM login_throttles").Scan(&row).Error; err != nil {
		return 0, 0, fmt.Errorf("store: count throttles: %w", err)
	}
	return row.Count, row.Longest, nil
}

// DeleteThrottle forgets the failures counted for key.
func (s *Store) DeleteThrottle(ctx context.Context, key string) error {
	if err := s.exec(ctx, "DELETE FROM login_throttles WHERE key = ?", key); err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}

// InsertSetupToken keeps the digest of a first-run setup token.
func (s *Store) InsertSetupToken(ctx context.Context, digest string, at time.Time) error {
	if err := s.exec(ctx, "INSERT INTO setup_tokens (digest, created_at) VALUES (?, ?)", digest, at.UTC()); err != nil {
		return fmt.Errorf("store: keep setup token: %w", err)
	}
	return nil
}

// SetupTokenKept reports whether a setup token with digest was made since.
func (s *Store) SetupTokenKept(ctx context.Context, digest string, since time.Time) (bool, error) {
	var n int64
	err := s.read(ctx).Raw("SELECT COUNT(*) FROM setup_tokens WHERE digest = ? AND created_at >= ?", digest, since.UTC()).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: check setup token: %w", err)
	}
	return n > 0, nil
}

// DeleteSetupTokens forgets every setup token.
func (s *Store) DeleteSetupTokens(ctx context.Context) error {
	if err := s.exec(ctx, "DELETE FROM setup_tokens"); err != nil {
		return fmt.Errorf("store: forget setup tokens: %w", err)
	}
	return nil
}
