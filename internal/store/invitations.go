package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/account"
)

type invitationRecord struct {
	ID          int64
	Email       string
	Name        string
	Role        string
	TokenDigest string
	InvitedBy   sql.NullInt64
	CreatedAt   time.Time
	ExpiresAt   time.Time
	AcceptedAt  sql.NullTime
	RevokedAt   sql.NullTime
}

func (invitationRecord) TableName() string { return "invitations" }

func (r invitationRecord) domain() account.Invitation {
	return account.Invitation{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: account.Role(r.Role), InvitedBy: r.InvitedBy.Int64,
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, AcceptedAt: r.AcceptedAt.Time, RevokedAt: r.RevokedAt.Time,
	}
}

// InsertInvitation keeps an invitation under the digest of its token.
func (s *Store) InsertInvitation(ctx context.Context, inv account.Invitation, digest string) (account.Invitation, error) {
	w, err := s.write(ctx)
	if err != nil {
		return inv, err
	}
	rec := invitationRecord{Email: inv.Email, Name: inv.Name, Role: string(inv.Role), TokenDigest: digest,
		InvitedBy: sql.NullInt64{Int64: inv.InvitedBy, Valid: inv.InvitedBy != 0}, CreatedAt: inv.CreatedAt.UTC(), ExpiresAt: inv.ExpiresAt.UTC()}
	if err := w.Create(&rec).Error; err != nil {
		return inv, fmt.Errorf("store: keep invitation: %w", err)
	}
	return rec.domain(), nil
}

// Invitation finds an invitation by id.
func (s *Store) Invitation(ctx context.Context, id int64) (account.Invitation, error) {
	var rec invitationRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return account.Invitation{}, found(err, "find invitation %d", id)
	}
	return rec.domain(), nil
}

// InvitationByToken finds the invitation whose token has digest.
func (s *Store) InvitationByToken(ctx context.Context, digest string) (account.Invitation, error) {
	var rec invitationRecord
	if err := s.read(ctx).Where("token_digest = ?", digest).Take(&rec).Error; err != nil {
		return account.Invitation{}, found(err, "find invitation by token")
	}
	return rec.domain(), nil
}

// OpenInvitations lists the invitations neither accepted nor revoked,
// newest first, expired ones included (they can be sent again).
func (s *Store) OpenInvitations(ctx context.Context) ([]account.Invitation, error) {
	var recs []invitationRecord
	if err := s.read(ctx).Where("accepted_at IS NULL AND revoked_at IS NULL").Order("id DESC").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list invitations: %w", err)
	}
	out := make([]account.Invitation, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// OpenInvitationFor finds the open invitation for email.
func (s *Store) OpenInvitationFor(ctx context.Context, email string) (account.Invitation, error) {
	var rec invitationRecord
	err := s.read(ctx).Where("email = ? AND accepted_at IS NULL AND revoked_at IS NULL", email).Order("id DESC").Take(&rec).Error
	if err != nil {
		return account.Invitation{}, found(err, "find invitation for an address")
	}
	return rec.domain(), nil
}

// RenewInvitation gives an open invitation a new token and expiry; the
// old link stops working.
func (s *Store) RenewInvitation(ctx context.Context, id int64, digest string, expires time.Time) error {
	err := s.exec(ctx, "UPDATE invitations SET token_digest = ?, expires_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
		digest, expires.UTC(), id)
	if err != nil {
		return fmt.Errorf("store: renew invitation %d: %w", id, err)
	}
	return nil
}

// CloseInvitation marks an open invitation accepted or revoked at at and
// reports whether it was open.
func (s *Store) CloseInvitation(ctx context.Context, id int64, accepted bool, at time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	column := "revoked_at"
	if accepted {
		column = "accepted_at"
	}
	res := w.Exec("UPDATE invitations SET "+column+" = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL", at.UTC(), id)
	if res.Error != nil {
		return false, fmt.Errorf("store: close invitation %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// InsertPasswordReset keeps a password reset for an account under the
// digest of its token.
func (s *Store) InsertPasswordReset(ctx context.Context, accountID int64, digest string, at, expires time.Time) error {
	err := s.exec(ctx, "INSERT INTO password_resets (token_digest, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		digest, accountID, at.UTC(), expires.UTC())
	if err != nil {
		return fmt.Errorf("store: keep password reset: %w", err)
	}
	return nil
}

// PasswordReset returns the account a reset token's digest is for, if it
// is unused and unexpired at now.
func (s *Store) PasswordReset(ctx context.Context, digest string, now time.Time) (int64, error) {
	var ids []int64
	err := s.read(ctx).Raw("SELECT account_id FROM password_resets WHERE token_digest = ? AND used_at IS NULL AND expires_at > ?",
		digest, now.UTC()).Scan(&ids).Error
	if err != nil {
		return 0, fmt.Errorf("store: find password reset: %w", err)
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}

// SpendPasswordResets marks every unused reset of an account used at at:
// one link sets one password, and sibling links die with it.
func (s *Store) SpendPasswordResets(ctx context.Context, accountID int64, at time.Time) error {
	if err := s.exec(ctx, "UPDATE password_resets SET used_at = ? WHERE account_id = ? AND used_at IS NULL", at.UTC(), accountID); err != nil {
		return fmt.Errorf("store: spend password resets: %w", err)
	}
	return nil
}

// ExpirePasswordResets deletes resets that expired before cutoff.
func (s *Store) ExpirePasswordResets(ctx context.Context, cutoff time.Time) error {
	if err := s.exec(ctx, "DELETE FROM password_resets WHERE expires_at < ?", cutoff.UTC()); err != nil {
		return fmt.Errorf("store: expire password resets: %w", err)
	}
	return nil
}

// TwoFactor returns an account's authenticator secret (empty when two-
// factor is off), the secret being set up, and the last time step used.
func (s *Store) TwoFactor(ctx context.Context, accountID int64) (secret, pending string, lastStep int64, err error) {
	var row struct {
		TotpSecret, TotpPending string
		TotpLastStep            int64
	}
	err = s.read(ctx).Raw("SELECT totp_secret, totp_pending, totp_last_step FROM accounts WHERE id = ?", accountID).Scan(&row).Error
	if err != nil {
		return "", "", 0, fmt.Errorf("store: read two-factor of account %d: %w", accountID, err)
	}
	return row.TotpSecret, row.TotpPending, row.TotpLastStep, nil
}

// SetTwoFactor sets an account's authenticator secret and the one being
// set up; turning it on or off starts the step count again.
func (s *Store) SetTwoFactor(ctx context.Context, accountID int64, secret, pending string) error {
	err := s.exec(ctx, "UPDATE accounts SET totp_secret = ?, totp_pending = ?, totp_last_step = 0 WHERE id = ?", secret, pending, accountID)
	if err != nil {
		return fmt.Errorf("store: set two-factor of account %d: %w", accountID, err)
	}
	return nil
}

// UseTimeStep records that an account's code for step was used, and
// reports false if that step or a later one was used already: a code is
// good once.
func (s *Store) UseTimeStep(ctx context.Context, accountID, step int64) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec("UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, accountID, step)
	if res.Error != nil {
		return false, fmt.Errorf("store: use time step: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReplaceRecoveryCodes replaces an account's recovery codes with digests.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, accountID int64, digests []string) error {
	if err := s.exec(ctx, "DELETE FROM recovery_codes WHERE account_id = ?", accountID); err != nil {
		return fmt.Errorf("store: replace recovery codes: %w", err)
	}
	for _, d := range digests {
		if err := s.exec(ctx, "INSERT INTO recovery_codes (account_id, code_digest) VALUES (?, ?)", accountID, d); err != nil {
			return fmt.Errorf("store: replace recovery codes: %w", err)
		}
	}
	return nil
}

// UseRecoveryCode spends an unused recovery code and reports whether
// there was one.
func (s *Store) UseRecoveryCode(ctx context.Context, accountID int64, digest string, at time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec("UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_digest = ? AND used_at IS NULL", at.UTC(), accountID, digest)
	if res.Error != nil {
		return false, fmt.Errorf("store: use recovery code: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RecoveryCodesLeft counts an account's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, accountID int64) (int, error) {
	var n int64
	err := s.read(ctx).Raw("SELECT COUNT(*) FROM recovery_codes WHERE account_id = ? AND used_at IS NULL", accountID).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: count recovery codes: %w", err)
	}
	return int(n), nil
}
