// Package access runs the use cases of who may use the desk: first-run
// setup, logging in with throttling, passwords, and admins managing
// accounts. The rules (roles, password policy, throttle arithmetic) are in
// internal/account; each change here is one transaction with its audit
// entry.
package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/mailer"
	"github.com/quire-cms/quire/internal/store"
)

// ErrBadCredentials is the one answer to a wrong email or a wrong password,
// so that a stranger cannot learn which addresses have accounts.
var ErrBadCredentials = apperr.Errorf(apperr.Unauthorized, "The email or password is incorrect.")

// ThrottledError refuses a login attempt until a lockout ends.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	minutes := int(e.RetryAfter.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("Too many failed attempts. For your security, logging in is paused; try again in %d minute(s).", max(1, minutes))
}

// Unwrap gives the error its application code.
func (e *ThrottledError) Unwrap() error {
	return &apperr.Error{Code: apperr.TooMany, Message: e.Error()}
}

// Service runs the account use cases on one database.
type Service struct {
	st   *store.Store
	post *mailer.Post
	now  func() time.Time
}

// ResetFloor is the least time a password reset request takes, whether or
// not the address has an account: more than the difference, small enough
// for someone waiting for the page.
const ResetFloor = 100 * time.Millisecond

// New returns the service on st. Its mail links to http://localhost:8080
// until Mailing says where the site is.
func New(st *store.Store) *Service {
	return &Service{st: st, post: mailer.NewPost("http://localhost:8080"), now: time.Now}
}

// Mailing makes the service write its mail with post.
func (s *Service) Mailing(post *mailer.Post) *Service {
	s.post = post
	return s
}

const noSuchAccount = "There is no such account."

// setupLinkLife is how long a first-run setup link works.
const setupLinkLife = 24 * time.Hour

// errNoSetupLink refuses a first-run setup without the link Quire printed.
var errNoSetupLink = apperr.Errorf(apperr.Forbidden,
	"Creating the first admin needs the setup link Quire printed when it started (quire setup-link prints a new one).")

// SetupLink makes a one-time token for the first-run setup page, while no
// account exists; ok is false once one does. Only the token's digest is
// kept, so the link exists only where it is printed.
func (s *Service) SetupLink(ctx context.Context) (token string, ok bool, err error) {
	token = rand.Text()
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		n, err := tx.CountAccounts(ctx)
		if err != nil || n > 0 {
			return err
		}
		ok = true
		return tx.InsertSetupToken(ctx, digest(token), s.now())
	})
	if err != nil || !ok {
		return "", false, err
	}
	return token, true, nil
}

// SetupLinkValid reports whether token opens the first-run setup page.
func (s *Service) SetupLinkValid(ctx context.Context, token string) (bool, error) {
	if token == "" || len(token) > 64 {
		return false, nil
	}
	return s.st.SetupTokenKept(ctx, digest(token), s.now().Add(-setupLinkLife))
}

// Setup creates the first admin, for whoever holds a setup link's token.
// It fails with NotFound once any account exists, also when two setups
// race: the check and the insert share one transaction, which also spends
// every setup link.
func (s *Service) Setup(ctx context.Context, token string, in account.New) (account.Account, error) {
	in.Role = string(account.Admin)
	return s.create(ctx, 0, in, &token)
}

// NeedsSetup reports whether no account exists yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.st.CountAccounts(ctx)
	return n == 0, err
}

// Create adds an account on behalf of actorID (zero for the command line).
func (s *Service) Create(ctx context.Context, actorID int64, in account.New) (account.Account, error) {
	return s.create(ctx, actorID, in, nil)
}

// create adds an account; with a setup token, only as the first one.
func (s *Service) create(ctx context.Context, actorID int64, in account.New, setupToken *string) (account.Account, error) {
	a, err := in.Validate()
	if err != nil {
		return account.Account{}, err
	}
	hash, err := account.HashPassword(in.Password)
	if err != nil {
		return account.Account{}, err
	}
	a.CreatedAt = s.now().UTC()
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if setupToken != nil {
			n, err := tx.CountAccounts(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				return apperr.Errorf(apperr.NotFound, "Quire is already set up. Log in instead.")
			}
			valid, err := tx.SetupTokenKept(ctx, digest(*setupToken), s.now().Add(-setupLinkLife))
			if err != nil {
				return err
			}
			if !valid || *setupToken == "" {
				return errNoSetupLink
			}
			if err := tx.DeleteSetupTokens(ctx); err != nil {
				return err
			}
		}
		_, _, err := tx.AccountByEmail(ctx, a.Email)
		switch {
		case err == nil:
			return apperr.Field(account.FieldEmail, "An account with this email already exists.")
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if a, err = tx.InsertAccount(ctx, a, hash); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: a.CreatedAt, ActorID: actorID, Action: audit.AccountCreated, Detail: a.Email + " as " + string(a.Role)})
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("access: create account: %w", err)
	}
	return a, nil
}

// throttles are the keys a password attempt is counted under: the account
// it names from the address it comes from, and the address. Keys are
// fixed-size digests, whatever was typed, and a lockout of one account
// from one address leaves its owner, elsewhere, free to log in.
type throttles struct {
	account, address string
	// code, when set, counts wrong second factors of the account from
	// anywhere; a right password does not take them back, a new password
	// or an admin's reactivation does (it shares accountThrottles' prefix).
	code string
}

func throttlesFor(email, addr string) throttles {
	return throttles{account: accountThrottles(email) + digest(addr), address: "addr:" + digest(addr)}
}

// accountThrottles is the prefix of every key counting failures for the
// account with email.
func accountThrottles(email string) string { return "acct:" + digest(email) + ":" }

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// expireBatch is how many spent throttles each attempt clears away, so
// that the table never grows past what the last window's failures need.
const expireBatch = 100

// keyPolicies pairs each key with the policy it is counted under.
func (keys throttles) policies() []struct {
	key    string
	policy account.ThrottlePolicy
} {
	return []struct {
		key    string
		policy account.ThrottlePolicy
	}{{keys.account, account.AccountThrottle}, {keys.address, account.AddressThrottle}, {keys.code, account.CodeThrottle}}[:keys.count()]
}

// count is how many keys are set: the code key comes last, when it is.
func (keys throttles) count() int {
	if keys.code == "" {
		return 2
	}
	return 3
}

// attempt counts a password attempt as a failure under both keys before
// the password is checked, refusing it while either key is locked. Counted
// first, in one transaction, parallel guesses cannot all slip past the
// check before the first failure is counted; a right password takes its
// count back (succeeded).
func (s *Service) attempt(ctx context.Context, keys throttles, now time.Time) error {
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		var counted []account.Throttle
		for _, k := range keys.policies() {
			t, err := tx.Throttle(ctx, k.key)
			if err != nil {
				return err
			}
			counted = append(counted, t)
		}
		if until := account.LockedUntil(counted); until.After(now) {
			return &ThrottledError{RetryAfter: until.Sub(now)}
		}
		for i, k := range keys.policies() {
			if err := tx.SaveThrottle(ctx, k.key, counted[i].Fail(now, k.policy)); err != nil {
				return err
			}
		}
		window := max(account.AccountThrottle.Window, account.AddressThrottle.Window)
		return tx.ExpireThrottles(ctx, now.Add(-window), now, expireBatch)
	})
	var throttled *ThrottledError
	if err != nil && !errors.As(err, &throttled) {
		return fmt.Errorf("access: count an attempt: %w", err)
	}
	return err
}

// succeeded takes back the count of an attempt whose password was right:
// the account's count from the address starts again, the address's loses
// the attempt.
func succeeded(ctx context.Context, tx *store.Store, keys throttles, now time.Time) error {
	for _, key := range []string{keys.account, keys.code} {
		if key == "" {
			continue
		}
		if err := tx.DeleteThrottle(ctx, key); err != nil {
			return err
		}
	}
	t, err := tx.Throttle(ctx, keys.address)
	if err != nil {
		return err
	}
	return tx.SaveThrottle(ctx, keys.address, t.Refund(now, account.AddressThrottle))
}

// Authenticate checks an email and password from a client address,
// applying throttling per account and address, and per address.
func (s *Service) Authenticate(ctx context.Context, email, password, addr string) (account.Account, error) {
	now := s.now().UTC()
	normalized, err := account.NormalizeEmail(email)
	valid := err == nil
	if !valid {
		normalized = strings.ToLower(strings.TrimSpace(email))
	}
	keys := throttlesFor(normalized, addr)
	if err := s.attempt(ctx, keys, now); err != nil {
		return account.Account{}, err
	}
	var a account.Account
	var hash string
	if valid { // what is not an email address has no account
		a, hash, err = s.st.AccountByEmail(ctx, normalized)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return account.Account{}, err
		}
	}
	if !account.CheckPassword(hash, password) {
		return account.Account{}, ErrBadCredentials
	}
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := succeeded(ctx, tx, keys, now); err != nil || !a.Active || a.TwoFactor {
			return err // with two-factor, the login is recorded once the code is right
		}
		return tx.RecordLogin(ctx, a.ID, now)
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("access: record a login: %w", err)
	}
	if !a.Active {
		return account.Account{}, apperr.Errorf(apperr.Forbidden, "This account has been deactivated. Ask an admin to reactivate it.")
	}
	return a, nil
}

// ChangePassword changes an account's own password, which must be confirmed
// with the current one, asked from addr: wrong current passwords count
// toward the same lockout as failed logins. Every other session of the
// account ends.
func (s *Service) ChangePassword(ctx context.Context, id int64, current, next, addr string) (account.Account, error) {
	now := s.now().UTC()
	a, err := s.Get(ctx, id)
	if err != nil {
		return account.Account{}, err
	}
	keys := throttlesFor(a.Email, addr)
	if err := s.attempt(ctx, keys, now); err != nil {
		return account.Account{}, err
	}
	_, hash, err := s.st.AccountByEmail(ctx, a.Email)
	if err != nil {
		return account.Account{}, err
	}
	v := apperr.Validation{}
	if account.CheckPassword(hash, current) {
		err := s.st.Atomically(ctx, func(tx *store.Store) error { return succeeded(ctx, tx, keys, now) })
		if err != nil {
			return account.Account{}, fmt.Errorf("access: settle an attempt: %w", err)
		}
	} else {
		v.Add(account.FieldCurrentPassword, "That is not your current password.")
	}
	if problem := account.PasswordProblem(next); problem != "" {
		v.Add(account.FieldNewPassword, problem)
	}
	if err := v.Err(); err != nil {
		return account.Account{}, err
	}
	return s.setPassword(ctx, id, id, next)
}

// ResetPassword sets the password of the account with email, as the command
// line does for a forgotten password. Every session of the account ends.
func (s *Service) ResetPassword(ctx context.Context, email, password string) (account.Account, error) {
	if problem := account.PasswordProblem(password); problem != "" {
		return account.Account{}, apperr.Field(account.FieldPassword, problem)
	}
	normalized, err := account.NormalizeEmail(email)
	if err != nil {
		return account.Account{}, apperr.Field(account.FieldEmail, "Enter an email address such as name@example.org.")
	}
	a, _, err := s.st.AccountByEmail(ctx, normalized)
	if err != nil {
		return account.Account{}, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no account with that email.")
	}
	return s.setPassword(ctx, 0, a.ID, password)
}

// setPassword replaces the password hash and moves the session epoch,
// ending every session created before, and lifts the account's login
// lockouts.
func (s *Service) setPassword(ctx context.Context, actorID, id int64, password string) (account.Account, error) {
	hash, err := account.HashPassword(password)
	if err != nil {
		return account.Account{}, err
	}
	var a account.Account
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		a, err = s.writePassword(ctx, tx, actorID, id, hash, audit.PasswordChanged)
		return err
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("access: set password: %w", err)
	}
	return a, nil
}

// writePassword is setPassword's work inside tx, audited as action.
func (s *Service) writePassword(ctx context.Context, tx *store.Store, actorID, id int64, hash string, action audit.Action) (account.Account, error) {
	a, err := tx.Account(ctx, id)
	if err != nil {
		return a, apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchAccount)
	}
	a.SessionEpoch++
	if err := tx.SetPasswordHash(ctx, id, hash); err != nil {
		return a, err
	}
	if err := tx.SaveAccount(ctx, a); err != nil {
		return a, err
	}
	if err := tx.DeleteThrottles(ctx, accountThrottles(a.Email)); err != nil {
		return a, err
	}
	if err := s.post.Security(ctx, tx, a, "The password of your account was changed. Every session was logged out.", s.now().UTC()); err != nil {
		return a, err
	}
	return a, tx.AddAudit(ctx, audit.Entry{At: s.now(), ActorID: actorID, Action: action, Detail: a.Email})
}

// List returns every account, active ones first, by name.
func (s *Service) List(ctx context.Context) ([]account.Account, error) { return s.st.Accounts(ctx) }

// Get returns one account.
func (s *Service) Get(ctx context.Context, id int64) (account.Account, error) {
	a, err := s.st.Account(ctx, id)
	return a, apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchAccount)
}

// ChangeRole gives an account a new role; the last active admin keeps theirs.
func (s *Service) ChangeRole(ctx context.Context, actor account.Account, id int64, role string) (account.Account, error) {
	r, err := account.ParseRole(role)
	if err != nil {
		return account.Account{}, err
	}
	return s.update(ctx, actor, id, func(a *account.Account) { a.Role = r })
}

// ChangeRoleByEmail gives the account with email a new role, as the
// command line does: whoever has the server's shell acts for Quire itself,
// which is how a network that lost its last admin gets one back.
func (s *Service) ChangeRoleByEmail(ctx context.Context, email, role string) (account.Account, error) {
	normalized, err := account.NormalizeEmail(email)
	if err != nil {
		return account.Account{}, apperr.Field(account.FieldEmail, "Enter an email address such as name@example.org.")
	}
	a, _, err := s.st.AccountByEmail(ctx, normalized)
	if err != nil {
		return account.Account{}, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no account with that email.")
	}
	return s.ChangeRole(ctx, account.Account{Role: account.Admin}, a.ID, role)
}

// SetActive deactivates or reactivates an account. Admins cannot deactivate
// themselves, and the last active admin stays.
func (s *Service) SetActive(ctx context.Context, actor account.Account, id int64, active bool) (account.Account, error) {
	if !active && id == actor.ID {
		return account.Account{}, apperr.Errorf(apperr.Invalid, "You cannot deactivate your own account.")
	}
	return s.update(ctx, actor, id, func(a *account.Account) { a.Active = active })
}

// update changes an account inside one write transaction, so that two
// admins demoting each other at once cannot leave Quire without one.
func (s *Service) update(ctx context.Context, actor account.Account, id int64, change func(*account.Account)) (account.Account, error) {
	var a account.Account
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		if a, err = tx.Account(ctx, id); err != nil {
			return apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchAccount)
		}
		before := a
		change(&a)
		if before.Active && before.Role == account.Admin && (a.Role != account.Admin || !a.Active) {
			if err := keepAnAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		action, detail := audit.AccountUpdated, fmt.Sprintf("%s: role %s", a.Email, a.Role)
		switch {
		case before.Active && !a.Active:
			action, detail = audit.AccountDeactivated, a.Email
			a.SessionEpoch++ // its sessions end at once
		case !before.Active && a.Active:
			action, detail = audit.AccountReactivated, a.Email
			// An admin vouching for the account lifts its lockouts too.
			if err := tx.DeleteThrottles(ctx, accountThrottles(a.Email)); err != nil {
				return err
			}
		}
		if err := tx.SaveAccount(ctx, a); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: s.now(), ActorID: actor.ID, Action: action, Detail: detail})
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("access: update account: %w", err)
	}
	return a, nil
}

// keepAnAdmin refuses a change that would leave no active admin.
func keepAnAdmin(ctx context.Context, tx *store.Store, losing int64) error {
	all, err := tx.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range all {
		if a.ID != losing && a.Active && a.Role == account.Admin {
			return nil
		}
	}
	return apperr.Errorf(apperr.Invalid, "Quire needs at least one active admin; make someone else admin first.")
}
