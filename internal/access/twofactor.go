package access

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/store"
)

// RecoveryCodeCount is how many recovery codes a person gets at a time.
const RecoveryCodeCount = 10

// ErrBadCode is the one answer to a wrong, stale or replayed code.
var ErrBadCode = apperr.Field(account.FieldCode, "That code is not right. Enter the 6-digit code your app shows now, or one of your recovery codes.")

// totpOpts are RFC 6238's defaults, which every authenticator app reads.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// BeginTwoFactor makes a new authenticator secret for account id, kept
// aside until a code from it confirms it, and returns its otpauth:// URL
// (what the QR code holds) and the secret as text.
func (s *Service) BeginTwoFactor(ctx context.Context, id int64) (uri, secret string, err error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return "", "", err
	}
	network, err := s.st.NetworkOr(ctx, publisher.Default)
	if err != nil {
		return "", "", err
	}
	key, err := totpKey(network.Name, a.Email, "")
	if err != nil {
		return "", "", err
	}
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		current, _, _, err := tx.TwoFactor(ctx, id)
		if err != nil {
			return err
		}
		return tx.SetTwoFactor(ctx, id, current, key.Secret())
	})
	if err != nil {
		return "", "", fmt.Errorf("access: begin two-factor: %w", err)
	}
	return key.URL(), key.Secret(), nil
}

// PendingTwoFactor returns the secret being set up for account id, as
// BeginTwoFactor did, or empty strings if there is none.
func (s *Service) PendingTwoFactor(ctx context.Context, id int64) (uri, secret string, err error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return "", "", err
	}
	_, pending, _, err := s.st.TwoFactor(ctx, id)
	if err != nil || pending == "" {
		return "", "", err
	}
	network, err := s.st.NetworkOr(ctx, publisher.Default)
	if err != nil {
		return "", "", err
	}
	key, err := totpKey(network.Name, a.Email, pending)
	if err != nil {
		return "", "", err
	}
	return key.URL(), pending, nil
}

// totpKey is the authenticator key for secret (base32, as apps show it),
// or a new one when secret is empty.
func totpKey(issuer, email, secret string) (*otp.Key, error) {
	opts := totp.GenerateOpts{Issuer: issuer, AccountName: email}
	if secret != "" {
		raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
		if err != nil {
			return nil, fmt.Errorf("access: read an authenticator secret: %w", err)
		}
		opts.Secret = raw
	}
	key, err := totp.Generate(opts)
	if err != nil {
		return nil, fmt.Errorf("access: make an authenticator secret: %w", err)
	}
	return key, nil
}

// ConfirmTwoFactor turns two-factor login on for account id, if code comes
// from the secret being set up, and returns its recovery codes: shown
// this once, kept only as digests.
func (s *Service) ConfirmTwoFactor(ctx context.Context, id int64, code string) ([]string, error) {
	now := s.now().UTC()
	codes, digests := recoveryCodes()
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		a, err := tx.Account(ctx, id)
		if err != nil {
			return err
		}
		_, pending, _, err := tx.TwoFactor(ctx, id)
		if err != nil {
			return err
		}
		if pending == "" {
			return apperr.Errorf(apperr.Invalid, "Start again: press Set up two-factor login.")
		}
		step, ok := matchStep(pending, code, now)
		if !ok {
			return apperr.Field(account.FieldCode, "That code does not match. Check the time on your phone and enter the code your app shows now.")
		}
		if err := tx.SetTwoFactor(ctx, id, pending, ""); err != nil {
			return err
		}
		if _, err := tx.UseTimeStep(ctx, id, step); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, id, digests); err != nil {
			return err
		}
		if err := s.post.Security(ctx, tx, a, "Two-factor login was turned on for your account.", now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: id, Action: audit.TwoFactorOn, Detail: a.Email})
	})
	if err != nil {
		return nil, fmt.Errorf("access: turn on two-factor: %w", err)
	}
	return codes, nil
}

// NewRecoveryCodes replaces account id's recovery codes with new ones,
// confirmed with its password: a session alone must not be enough to
// make codes that outlive it.
func (s *Service) NewRecoveryCodes(ctx context.Context, id int64, password, addr string) ([]string, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	settle, err := s.confirmPassword(ctx, a, password, addr)
	if err != nil {
		return nil, err
	}
	codes, digests := recoveryCodes()
	now := s.now().UTC()
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := settle(tx); err != nil {
			return err
		}
		secret, _, _, err := tx.TwoFactor(ctx, id)
		if err != nil {
			return err
		}
		if secret == "" {
			return apperr.Errorf(apperr.Invalid, "Turn on two-factor login first.")
		}
		if err := tx.ReplaceRecoveryCodes(ctx, id, digests); err != nil {
			return err
		}
		if err := s.post.Security(ctx, tx, a, "New recovery codes were made for your account; the old ones no longer work.", now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: id, Action: audit.RecoveryCodesRenewed, Detail: a.Email})
	})
	if err != nil {
		return nil, fmt.Errorf("access: make recovery codes: %w", err)
	}
	return codes, nil
}

// RecoveryCodesLeft counts account id's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, id int64) (int, error) {
	return s.st.RecoveryCodesLeft(ctx, id)
}

// TurnOffTwoFactor turns two-factor login off for the account itself,
// confirmed with its password; the network's rule may forbid it.
func (s *Service) TurnOffTwoFactor(ctx context.Context, id int64, password, addr string) error {
	a, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	network, err := s.st.NetworkOr(ctx, publisher.Default)
	if err != nil {
		return err
	}
	if network.TwoFactorRule().Requires(a.Role) {
		return apperr.Errorf(apperr.Invalid, "Your network requires two-factor login for %s accounts: it stays on.", a.Role.Label())
	}
	settle, err := s.confirmPassword(ctx, a, password, addr)
	if err != nil {
		return err
	}
	return s.clearTwoFactor(ctx, id, id, audit.TwoFactorOff, settle)
}

// confirmPassword checks that password is a's, as asked from addr before
// a change to how a logs in; wrong ones count toward the login lockout.
// The returned step, run in the change's transaction, takes the attempt
// back.
func (s *Service) confirmPassword(ctx context.Context, a account.Account, password, addr string) (func(tx *store.Store) error, error) {
	now := s.now().UTC()
	keys := throttlesFor(a.Email, addr)
	if err := s.attempt(ctx, keys, now); err != nil {
		return nil, err
	}
	_, hash, err := s.st.AccountByEmail(ctx, a.Email)
	if err != nil {
		return nil, err
	}
	if !account.CheckPassword(hash, password) {
		return nil, apperr.Field(account.FieldCurrentPassword, "That is not your current password.")
	}
	return func(tx *store.Store) error { return succeeded(ctx, tx, keys, now) }, nil
}

// ResetTwoFactor turns off someone's two-factor login for them, as an
// admin does for a person who lost their phone and recovery codes.
func (s *Service) ResetTwoFactor(ctx context.Context, actor account.Account, id int64) (account.Account, error) {
	var a account.Account
	err := s.clearTwoFactor(ctx, actor.ID, id, audit.TwoFactorReset, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		a, err = tx.Account(ctx, id)
		return apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchAccount)
	})
	return a, err
}

// ResetTwoFactorByEmail is ResetTwoFactor from the server's command line.
func (s *Service) ResetTwoFactorByEmail(ctx context.Context, email string) (account.Account, error) {
	normalized, err := account.NormalizeEmail(email)
	if err != nil {
		return account.Account{}, apperr.Field(account.FieldEmail, "Enter an email address such as name@example.org.")
	}
	a, _, err := s.st.AccountByEmail(ctx, normalized)
	if err != nil {
		return account.Account{}, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no account with that email.")
	}
	return s.ResetTwoFactor(ctx, account.Account{Role: account.Admin}, a.ID)
}

// clearTwoFactor removes account id's secret and recovery codes after
// check, in one transaction, audited as action by actorID.
func (s *Service) clearTwoFactor(ctx context.Context, actorID, id int64, action audit.Action, check func(tx *store.Store) error) error {
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := check(tx); err != nil {
			return err
		}
		a, err := tx.Account(ctx, id)
		if err != nil {
			return apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchAccount)
		}
		if err := tx.SetTwoFactor(ctx, id, "", ""); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, id, nil); err != nil {
			return err
		}
		what := "Two-factor login was turned off for your account."
		if actorID != id {
			what = "An admin reset the two-factor login of your account: logging in asks for your password only until you set it up again."
		}
		if err := s.post.Security(ctx, tx, a, what, s.now().UTC()); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: s.now(), ActorID: actorID, Action: action, Detail: a.Email})
	})
	if err != nil {
		return fmt.Errorf("access: turn off two-factor: %w", err)
	}
	return nil
}

// VerifySecondFactor checks the code given after account id's password,
// from addr: a code from the authenticator app, good once, or an unused
// recovery code. Wrong codes count toward the same lockout as wrong
// passwords.
func (s *Service) VerifySecondFactor(ctx context.Context, id int64, code, addr string) (account.Account, error) {
	now := s.now().UTC()
	a, err := s.Get(ctx, id)
	if err != nil {
		return a, err
	}
	keys := throttlesFor(a.Email, addr)
	keys.code = accountThrottles(a.Email) + "code"
	if err := s.attempt(ctx, keys, now); err != nil {
		return account.Account{}, err
	}
	code = strings.TrimSpace(code)
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		secret, _, _, err := tx.TwoFactor(ctx, id)
		if err != nil {
			return err
		}
		ok := false
		if step, match := matchStep(secret, code, now); match && secret != "" {
			// A code seen once, here or on another instance, is spent.
			if ok, err = tx.UseTimeStep(ctx, id, step); err != nil {
				return err
			}
		} else if recovery := normalizeRecovery(code); recovery != "" {
			if ok, err = tx.UseRecoveryCode(ctx, id, digest(recovery), now); err != nil {
				return err
			}
			if ok {
				if err := tx.AddAudit(ctx, audit.Entry{At: now, ActorID: id, Action: audit.RecoveryCodeUsed, Detail: a.Email}); err != nil {
					return err
				}
			}
		}
		if !ok {
			return ErrBadCode
		}
		if err := succeeded(ctx, tx, keys, now); err != nil {
			return err
		}
		return tx.RecordLogin(ctx, id, now)
	})
	if errors.Is(err, ErrBadCode) {
		return account.Account{}, ErrBadCode
	}
	if err != nil {
		return account.Account{}, fmt.Errorf("access: check the second factor: %w", err)
	}
	return a, nil
}

// matchStep finds the time step, at now or one either side (for a phone's
// clock a little off), whose code is code.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.NewReplacer(" ", "", "-", "").Replace(code) // as some apps show it: "123 456"
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	for _, skew := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(skew) * 30 * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / 30, true
		}
	}
	return 0, false
}

// recoveryCodes makes a set of recovery codes, as shown ("abcde-fghij")
// and as kept.
func recoveryCodes() (shown, digests []string) {
	for range RecoveryCodeCount {
		raw := strings.ToLower(rand.Text()[:10]) // 50 random bits
		shown = append(shown, raw[:5]+"-"+raw[5:])
		digests = append(digests, digest(raw))
	}
	return shown, digests
}

// normalizeRecovery reads a recovery code as typed (any case, with or
// without its dash or spaces), or "" if it cannot be one.
func normalizeRecovery(code string) string {
	code = strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	if len(code) != 10 {
		return ""
	}
	return code
}
