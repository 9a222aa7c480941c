package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
)

// Audit actions for accounts.
const (
	ActionAccountCreated     = "account.created"
	ActionAccountUpdated     = "account.updated"
	ActionPasswordChanged    = "account.password_changed"
	ActionAccountDeactivated = "account.deactivated"
	ActionAccountReactivated = "account.reactivated"
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
}

func (accountRecord) TableName() string { return "accounts" }

func (r accountRecord) domain() account.Account {
	return account.Account{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: account.Role(r.Role), Active: r.Active,
		CreatedAt: r.CreatedAt, LastLoginAt: r.LastLoginAt.Time, SessionEpoch: r.SessionEpoch,
	}
}

// errAccountsExist refuses a first-run setup once anyone has an account.
var errAccountsExist = apperr.Errorf(apperr.NotFound, "Quire is already set up. Log in instead.")

// CreateAccount stores a new account. With firstOnly it succeeds only while
// there are no accounts; the check and the insert share one IMMEDIATE
// transaction, so two racing setups cannot both succeed.
func (s *Store) CreateAccount(ctx context.Context, actorID int64, a account.Account, hash string, firstOnly bool) (account.Account, error) {
	rec := accountRecord{Email: a.Email, Name: a.Name, Role: string(a.Role), PasswordHash: hash, Active: true, CreatedAt: time.Now().UTC()}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if firstOnly {
			var n int64
			if err := tx.Model(&accountRecord{}).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return errAccountsExist
			}
		}
		var taken int64
		if err := tx.Model(&accountRecord{}).Where("email = ?", a.Email).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return &apperr.Error{Code: apperr.Invalid, Message: "An account with that email already exists.",
				Fields: map[string]string{account.FieldEmail: "An account with this email already exists."}}
		}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		return audit(tx, rec.CreatedAt, actorID, ActionAccountCreated, 0, 0, rec.Email+" as "+rec.Role)
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("store: create account: %w", err)
	}
	return rec.domain(), nil
}

// AccountByID finds an account by id.
func (s *Store) AccountByID(ctx context.Context, id int64) (account.Account, error) {
	var rec accountRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return account.Account{}, fmt.Errorf("store: find account: %w", notFound(err, "There is no such account."))
	}
	return rec.domain(), nil
}

// AccountByEmail finds an account by its (normalized) email and returns its
// password hash too.
func (s *Store) AccountByEmail(ctx context.Context, email string) (account.Account, string, error) {
	var rec accountRecord
	if err := s.read(ctx).Where("email = ?", strings.ToLower(email)).Take(&rec).Error; err != nil {
		return account.Account{}, "", fmt.Errorf("store: find account: %w", notFound(err, "There is no account with that email."))
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

// UpdateAccount saves an account's role and active flag. Deactivation moves
// the session epoch so that the account's sessions end at once.
func (s *Store) UpdateAccount(ctx context.Context, actorID int64, a account.Account) (account.Account, error) {
	var rec accountRecord
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&rec, a.ID).Error; err != nil {
			return notFound(err, "There is no such account.")
		}
		action, detail := ActionAccountUpdated, fmt.Sprintf("%s: role %s", rec.Email, a.Role)
		switch {
		case rec.Active && !a.Active:
			action, detail = ActionAccountDeactivated, rec.Email
			rec.SessionEpoch++
		case !rec.Active && a.Active:
			action, detail = ActionAccountReactivated, rec.Email
		}
		rec.Role, rec.Active = string(a.Role), a.Active
		if err := tx.Model(&rec).Updates(map[string]any{"role": rec.Role, "active": rec.Active, "session_epoch": rec.SessionEpoch}).Error; err != nil {
			return err
		}
		return audit(tx, time.Now(), actorID, action, 0, 0, detail)
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("store: update account: %w", err)
	}
	return rec.domain(), nil
}

// SetPasswordHash replaces an account's password hash and moves its session
// epoch, ending every session created before.
func (s *Store) SetPasswordHash(ctx context.Context, actorID, id int64, hash string) (account.Account, error) {
	var rec accountRecord
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&rec, id).Error; err != nil {
			return notFound(err, "There is no such account.")
		}
		rec.PasswordHash, rec.SessionEpoch = hash, rec.SessionEpoch+1
		if err := tx.Model(&rec).Updates(map[string]any{"password_hash": hash, "session_epoch": rec.SessionEpoch}).Error; err != nil {
			return err
		}
		return audit(tx, time.Now(), actorID, ActionPasswordChanged, 0, 0, rec.Email)
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("store: set password: %w", err)
	}
	return rec.domain(), nil
}

// RecordLogin notes a successful login.
func (s *Store) RecordLogin(ctx context.Context, id int64, at time.Time) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&accountRecord{ID: id}).Update("last_login_at", at.UTC()).Error
	})
	if err != nil {
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

// LockedUntil returns the latest lockout among keys, or the zero time.
func (s *Store) LockedUntil(ctx context.Context, keys []string, now time.Time) (time.Time, error) {
	var recs []throttleRecord
	if err := s.read(ctx).Where("key IN ?", keys).Find(&recs).Error; err != nil {
		return time.Time{}, fmt.Errorf("store: read throttles: %w", err)
	}
	var until time.Time
	for _, r := range recs {
		if r.LockedUntil.Valid && r.LockedUntil.Time.After(until) {
			until = r.LockedUntil.Time
		}
	}
	return until, nil
}

// RecordFailure counts a failed login for key. Failures older than window
// start a new count; reaching limit locks the key for lockout.
func (s *Store) RecordFailure(ctx context.Context, key string, now time.Time, window time.Duration, limit int, lockout time.Duration) error {
	now = now.UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		var rec throttleRecord
		err := tx.Where("key = ?", key).Take(&rec).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			rec = throttleRecord{Key: key, WindowStart: now}
		case err != nil:
			return err
		}
		if now.Sub(rec.WindowStart) > window {
			rec.Failures, rec.WindowStart, rec.LockedUntil = 0, now, sql.NullTime{}
		}
		rec.Failures++
		if rec.Failures >= limit {
			rec.LockedUntil = sql.NullTime{Time: now.Add(lockout), Valid: true}
			rec.Failures, rec.WindowStart = 0, now
		}
		return tx.Save(&rec).Error
	})
	if err != nil {
		return fmt.Errorf("store: record login failure: %w", err)
	}
	return nil
}

// ClearFailures forgets the failures counted for key.
func (s *Store) ClearFailures(ctx context.Context, key string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("key = ?", key).Delete(&throttleRecord{}).Error
	})
	if err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}

// SessionStore keeps web sessions in the database, so that any instance
// sharing it serves any session.
type SessionStore interface {
	scs.Store
	// StopCleanup stops the goroutine that deletes expired sessions.
	StopCleanup()
}

// Sessions returns the session store for this database, deleting expired
// sessions every cleanup (never if zero). It uses the writer's connections,
// since every request that carries a session may also save it.
func (s *Store) Sessions(cleanup time.Duration) (SessionStore, error) {
	sqlDB, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	return s.db.sessions(sqlDB, cleanup), nil
}
