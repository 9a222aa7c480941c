package account

import (
	"context"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
)

// Store is what the account service needs from storage. Every change takes
// the acting account's id so that it is audited in the same transaction.
type Store interface {
	// CreateAccount stores a new account. With firstOnly it succeeds only
	// while no account exists at all, atomically.
	CreateAccount(ctx context.Context, actorID int64, a Account, hash string, firstOnly bool) (Account, error)
	AccountByID(ctx context.Context, id int64) (Account, error)
	// AccountByEmail returns the account and its password hash.
	AccountByEmail(ctx context.Context, email string) (Account, string, error)
	Accounts(ctx context.Context) ([]Account, error)
	CountAccounts(ctx context.Context) (int, error)
	// UpdateAccount saves role and active flag; deactivating moves the epoch.
	UpdateAccount(ctx context.Context, actorID int64, a Account) (Account, error)
	// SetPasswordHash replaces the hash and moves the session epoch.
	SetPasswordHash(ctx context.Context, actorID, id int64, hash string) (Account, error)
	RecordLogin(ctx context.Context, id int64, at time.Time) error
	// LockedUntil returns the latest lockout among keys.
	LockedUntil(ctx context.Context, keys []string, now time.Time) (time.Time, error)
	// RecordFailure counts a failed login for key within window and locks
	// the key for lockout once limit failures are reached.
	RecordFailure(ctx context.Context, key string, now time.Time, window time.Duration, limit int, lockout time.Duration) error
	ClearFailures(ctx context.Context, key string) error
}

// Login throttling: an account is locked after accountLimit failures within
// the window, a client address after addressLimit (it may serve a whole
// newsroom behind one NAT).
const (
	accountLimit  = 5
	addressLimit  = 20
	failureWindow = 15 * time.Minute
	lockout       = 15 * time.Minute
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

// Service applies the account rules.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service on st.
func NewService(st Store) *Service { return &Service{store: st, now: time.Now} }

// Setup creates the first admin. It fails with NotFound once any account
// exists, also when two setups race.
func (s *Service) Setup(ctx context.Context, in New) (Account, error) {
	in.Role = string(Admin)
	a, err := in.Validate()
	if err != nil {
		return Account{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return Account{}, err
	}
	return s.store.CreateAccount(ctx, 0, a, hash, true)
}

// NeedsSetup reports whether no account exists yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.store.CountAccounts(ctx)
	return n == 0, err
}

// Create adds an account on behalf of actorID (zero for the command line).
func (s *Service) Create(ctx context.Context, actorID int64, in New) (Account, error) {
	a, err := in.Validate()
	if err != nil {
		return Account{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return Account{}, err
	}
	return s.store.CreateAccount(ctx, actorID, a, hash, false)
}

// Authenticate checks an email and password from a client address,
// applying throttling per account and per address.
func (s *Service) Authenticate(ctx context.Context, email, password, addr string) (Account, error) {
	now := s.now()
	normalized, err := NormalizeEmail(email)
	if err != nil {
		normalized = email
	}
	keys := []string{"email:" + normalized, "addr:" + addr}
	until, err := s.store.LockedUntil(ctx, keys, now)
	if err != nil {
		return Account{}, err
	}
	if until.After(now) {
		return Account{}, &ThrottledError{RetryAfter: until.Sub(now)}
	}

	a, hash, err := s.store.AccountByEmail(ctx, normalized)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		hash = dummyHash
	case err != nil:
		return Account{}, err
	}
	ok := len(password) <= 4*MaxPasswordLen && VerifyPassword(hash, password) && a.ID != 0
	if !ok {
		for i, limit := range []int{accountLimit, addressLimit} {
			if err := s.store.RecordFailure(ctx, keys[i], now, failureWindow, limit, lockout); err != nil {
				return Account{}, err
			}
		}
		return Account{}, ErrBadCredentials
	}
	if !a.Active {
		return Account{}, apperr.Errorf(apperr.Forbidden, "This account has been deactivated. Ask an admin to reactivate it.")
	}
	if err := s.store.ClearFailures(ctx, keys[0]); err != nil {
		return Account{}, err
	}
	if err := s.store.RecordLogin(ctx, a.ID, now); err != nil {
		return Account{}, err
	}
	return a, nil
}

// ChangePassword changes an account's own password, which must be confirmed
// with the current one. Every other session of the account ends.
func (s *Service) ChangePassword(ctx context.Context, id int64, current, next string) (Account, error) {
	a, err := s.store.AccountByID(ctx, id)
	if err != nil {
		return Account{}, err
	}
	_, hash, err := s.store.AccountByEmail(ctx, a.Email)
	if err != nil {
		return Account{}, err
	}
	v := apperr.Validation{}
	if !VerifyPassword(hash, current) {
		v.Add("Current password", "That is not your current password.")
	}
	if err := ValidatePassword(next); err != nil {
		v.Add("New password", capitalize(err.Error())+".")
	}
	if err := v.Err(); err != nil {
		return Account{}, err
	}
	return s.setPassword(ctx, id, id, next)
}

// ResetPassword sets the password of the account with email, as the command
// line does for a forgotten password. Every session of the account ends.
func (s *Service) ResetPassword(ctx context.Context, email, password string) (Account, error) {
	if err := ValidatePassword(password); err != nil {
		return Account{}, &apperr.Error{Code: apperr.Invalid, Message: "Password: " + err.Error() + ".", Fields: map[string]string{FieldPassword: capitalize(err.Error()) + "."}}
	}
	normalized, err := NormalizeEmail(email)
	if err != nil {
		return Account{}, apperr.Errorf(apperr.Invalid, "Email: %v.", err)
	}
	a, _, err := s.store.AccountByEmail(ctx, normalized)
	if err != nil {
		return Account{}, err
	}
	return s.setPassword(ctx, 0, a.ID, password)
}

func (s *Service) setPassword(ctx context.Context, actorID, id int64, password string) (Account, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return Account{}, err
	}
	return s.store.SetPasswordHash(ctx, actorID, id, hash)
}

// List returns every account.
func (s *Service) List(ctx context.Context) ([]Account, error) { return s.store.Accounts(ctx) }

// Get returns one account.
func (s *Service) Get(ctx context.Context, id int64) (Account, error) {
	return s.store.AccountByID(ctx, id)
}

// ChangeRole gives an account a new role; the last active admin keeps theirs.
func (s *Service) ChangeRole(ctx context.Context, actor Account, id int64, role string) (Account, error) {
	r, err := ParseRole(role)
	if err != nil {
		return Account{}, err
	}
	return s.update(ctx, actor, id, func(a *Account) { a.Role = r })
}

// SetActive deactivates or reactivates an account. Admins cannot deactivate
// themselves, and the last active admin stays.
func (s *Service) SetActive(ctx context.Context, actor Account, id int64, active bool) (Account, error) {
	if !active && id == actor.ID {
		return Account{}, apperr.Errorf(apperr.Invalid, "You cannot deactivate your own account.")
	}
	return s.update(ctx, actor, id, func(a *Account) { a.Active = active })
}

func (s *Service) update(ctx context.Context, actor Account, id int64, change func(*Account)) (Account, error) {
	if !actor.Role.AtLeast(Admin) {
		return Account{}, apperr.Errorf(apperr.Forbidden, "Only admins manage accounts.")
	}
	a, err := s.store.AccountByID(ctx, id)
	if err != nil {
		return Account{}, err
	}
	wasAdmin := a.Active && a.Role == Admin
	change(&a)
	if wasAdmin && (a.Role != Admin || !a.Active) {
		if err := s.keepAnAdmin(ctx, id); err != nil {
			return Account{}, err
		}
	}
	return s.store.UpdateAccount(ctx, actor.ID, a)
}

// keepAnAdmin refuses a change that would leave no active admin.
func (s *Service) keepAnAdmin(ctx context.Context, losing int64) error {
	all, err := s.store.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range all {
		if a.ID != losing && a.Active && a.Role == Admin {
			return nil
		}
	}
	return apperr.Errorf(apperr.Invalid, "Quire needs at least one active admin; make someone else admin first.")
}
