package access_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func newService(t *testing.T) *access.Service {
	t.Parallel()
	return access.New(storetest.New(t))
}

const goodPassword = "correct horse battery"

func TestCreateRefuses(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	if _, err := svc.Create(ctx, 0, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    account.New
		field string
	}{
		{"duplicate email in other case", account.New{Email: "ED@hen.example", Name: "Ed 2", Role: "editor", Password: goodPassword}, account.FieldEmail},
		{"unknown role", account.New{Email: "x@hen.example", Name: "X", Role: "owner", Password: goodPassword}, account.FieldRole},
		{"short password", account.New{Email: "y@hen.example", Name: "Y", Role: "editor", Password: "short"}, account.FieldPassword},
		{"no name", account.New{Email: "z@hen.example", Role: "editor", Password: goodPassword}, account.FieldName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Create(ctx, 0, tt.in)
			if apperr.FieldsOf(err)[tt.field] == "" {
				t.Errorf("Create() error = %v (fields %v), want a message for %s", err, apperr.FieldsOf(err), tt.field)
			}
		})
	}
}

func TestSetupRace(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	token := setupToken(t, svc)
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.Setup(ctx, token, account.New{Email: "admin" + string(rune('a'+i)) + "@hen.example", Name: "Admin", Password: goodPassword})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	created := 0
	for err := range results {
		switch apperr.CodeOf(err) {
		case "":
			created++
		case apperr.NotFound:
		default:
			t.Errorf("racing setup failed with %v", err)
		}
	}
	if created != 1 {
		t.Errorf("%d setups succeeded, want exactly 1", created)
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	if _, err := svc.Create(ctx, 0, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	if a, err := svc.Authenticate(ctx, "ED@hen.example", goodPassword, "192.0.2.1"); err != nil || a.Email != "ed@hen.example" {
		t.Fatalf("Authenticate() = %+v, %v", a, err)
	}
	_, wrong := svc.Authenticate(ctx, "ed@hen.example", "wrong password!", "192.0.2.1")
	_, unknown := svc.Authenticate(ctx, "nobody@hen.example", "wrong password!", "192.0.2.1")
	if wrong == nil || unknown == nil || wrong.Error() != unknown.Error() {
		t.Errorf("wrong password says %v, unknown email says %v; want the same", wrong, unknown)
	}
}

func TestAuthenticateThrottles(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	if _, err := svc.Create(ctx, 0, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	const attacker, owner = "192.0.2.66", "198.51.100.7"
	for i := range 5 {
		if _, err := svc.Authenticate(ctx, "ed@hen.example", "wrong password!", attacker); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	_, err := svc.Authenticate(ctx, "ed@hen.example", goodPassword, attacker)
	var throttled *access.ThrottledError
	if apperr.CodeOf(err) != apperr.TooMany || !errors.As(err, &throttled) || throttled.RetryAfter <= 0 {
		t.Fatalf("after 5 failures, even the right password from that address gives %v; want throttled", err)
	}
	// The attacker cannot lock the owner out: from the owner's own
	// address the account still logs in.
	if _, err := svc.Authenticate(ctx, "ed@hen.example", goodPassword, owner); err != nil {
		t.Errorf("the owner, elsewhere, was locked out too: %v", err)
	}
	// A new password, set by the owner or from the command line, lifts
	// the account's lockouts.
	if _, err := svc.ResetPassword(ctx, "ed@hen.example", "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, "ed@hen.example", "a brand new passphrase", attacker); err != nil {
		t.Errorf("after a password reset: %v", err)
	}
}

// TestParallelGuessesAreThrottled: guesses sent all at once are counted
// before any password is checked, so no more than the limit are tried.
func TestParallelGuessesAreThrottled(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	if _, err := svc.Create(ctx, 0, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	const guesses = 40
	var wg sync.WaitGroup
	codes := make(chan apperr.Code, guesses)
	for i := range guesses {
		wg.Go(func() {
			_, err := svc.Authenticate(ctx, "ed@hen.example", "guess number "+strconv.Itoa(i), "192.0.2.66")
			codes <- apperr.CodeOf(err)
		})
	}
	wg.Wait()
	close(codes)
	tried := 0
	for code := range codes {
		switch code {
		case apperr.Unauthorized:
			tried++
		case apperr.TooMany:
		default:
			t.Errorf("a guess gave %s", code)
		}
	}
	if tried > account.AccountThrottle.Limit {
		t.Errorf("%d of %d parallel guesses were checked; the limit is %d", tried, guesses, account.AccountThrottle.Limit)
	}
}

// A right password takes back its count: an address that logs in often
// is never locked by its own successes.
func TestRightPasswordsAreNotCounted(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	if _, err := svc.Create(ctx, 0, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	for i := range account.AddressThrottle.Limit + 5 {
		if i%5 == 4 { // and a typo now and then
			svc.Authenticate(ctx, "ed@hen.example", "a typo of it", "192.0.2.7")
			continue
		}
		if _, err := svc.Authenticate(ctx, "ed@hen.example", goodPassword, "192.0.2.7"); err != nil {
			t.Fatalf("login %d: %v", i+1, err)
		}
	}
}

// TestThrottlesStayBounded: whatever is typed into the login form, each
// failure stores fixed-size keys, and spent ones are deleted.
func TestThrottlesStayBounded(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	svc := access.New(st)
	for i := range 20 {
		huge := strings.Repeat("x", 1<<20) + strconv.Itoa(i) + "@hen.example"
		if _, err := svc.Authenticate(ctx, huge, "wrong password!", "192.0.2."+strconv.Itoa(i)); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	n, longest, err := st.ThrottleStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 40 || longest > 80 {
		t.Errorf("20 failures stored %d throttles, the longest key %d bytes", n, longest)
	}
	// Half an hour later, one more failure clears away the spent ones.
	access.SetNow(svc, func() time.Time { return time.Now().Add(30 * time.Minute) })
	svc.Authenticate(ctx, "someone@hen.example", "wrong password!", "203.0.113.9")
	if n, _, _ = st.ThrottleStats(ctx); n != 2 {
		t.Errorf("after the window, %d throttles are kept; want only the new failure's 2", n)
	}
}

func TestLastAdminStays(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	admin, err := svc.Setup(ctx, setupToken(t, svc), account.New{Email: "admin@hen.example", Name: "Admin", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeRole(ctx, admin, admin.ID, "editor"); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("demoting the last admin: %v", err)
	}
	if _, err := svc.SetActive(ctx, admin, admin.ID, false); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("deactivating oneself: %v", err)
	}
	ed, err := svc.Create(ctx, admin.ID, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeRole(ctx, ed, admin.ID, "editor"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an editor changing roles: %v", err)
	}
	deactivated, err := svc.SetActive(ctx, admin, ed.ID, false)
	if err != nil || deactivated.Active || deactivated.SessionEpoch == ed.SessionEpoch {
		t.Errorf("deactivate = %+v, %v; want inactive with a new session epoch", deactivated, err)
	}
}

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	ed, err := svc.Create(ctx, 0, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangePassword(ctx, ed.ID, "not my password", "a brand new passphrase", "192.0.2.1"); apperr.FieldsOf(err)[account.FieldCurrentPassword] == "" {
		t.Errorf("wrong current password: %v", err)
	}
	changed, err := svc.ChangePassword(ctx, ed.ID, goodPassword, "a brand new passphrase", "192.0.2.1")
	if err != nil || changed.SessionEpoch == ed.SessionEpoch {
		t.Fatalf("ChangePassword() = %+v, %v", changed, err)
	}
	if _, err := svc.Authenticate(ctx, "ed@hen.example", "a brand new passphrase", "192.0.2.1"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
}

// TestTwoAdminsDemotingEachOtherLeaveOne: the check for a remaining admin
// and the change share one write transaction, so two admins demoting each
// other at once cannot leave Quire without one.
func TestTwoAdminsDemotingEachOtherLeaveOne(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	a, err := svc.Setup(ctx, setupToken(t, svc), account.New{Email: "a@hen.example", Name: "A", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.Create(ctx, a.ID, account.New{Email: "b@hen.example", Name: "B", Role: "admin", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		var wg sync.WaitGroup
		wg.Go(func() { svc.ChangeRole(ctx, a, b.ID, "editor") })
		wg.Go(func() { svc.ChangeRole(ctx, b, a.ID, "editor") })
		wg.Wait()
		all, err := svc.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		admins := 0
		for _, x := range all {
			if x.Role == account.Admin {
				admins++
			}
		}
		if admins != 1 {
			t.Fatalf("%d admins after two demoted each other", admins)
		}
		// Back to two, from the command line, for the next round.
		for _, email := range []string{"a@hen.example", "b@hen.example"} {
			if _, err := svc.ChangeRoleByEmail(ctx, email, "admin"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func setupToken(t *testing.T, svc *access.Service) string {
	t.Helper()
	token, ok, err := svc.SetupLink(context.Background())
	if err != nil || !ok {
		t.Fatalf("SetupLink() = %v, %v", ok, err)
	}
	return token
}

// TestSetupNeedsTheLink: the first admin is created only with a setup
// link's token, which is spent once the admin exists.
func TestSetupNeedsTheLink(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	in := account.New{Email: "admin@hen.example", Name: "Admin", Password: goodPassword}
	if _, err := svc.Setup(ctx, "", in); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("setup without a token: %v, want forbidden", err)
	}
	token := setupToken(t, svc)
	if _, err := svc.Setup(ctx, token+"x", in); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("setup with a wrong token: %v, want forbidden", err)
	}
	if _, err := svc.Setup(ctx, token, in); err != nil {
		t.Fatalf("setup with the token: %v", err)
	}
	if ok, _ := svc.SetupLinkValid(ctx, token); ok {
		t.Error("the setup link still works once the admin exists")
	}
	if _, ok, _ := svc.SetupLink(ctx); ok {
		t.Error("a new setup link was made once an account exists")
	}
}

// TestADemotedAdminManagesNoMore: an admin's request still carries the
// account as it was; once demoted, the account manages nothing.
func TestADemotedAdminManagesNoMore(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	a, err := svc.Setup(ctx, setupToken(t, svc), account.New{Email: "a@hen.example", Name: "A", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.Create(ctx, a.ID, account.New{Email: "b@hen.example", Name: "B", Role: "admin", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	ed, err := svc.Create(ctx, a.ID, account.New{Email: "ed@hen.example", Name: "Ed", Role: "editor", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeRole(ctx, a, b.ID, "editor"); err != nil {
		t.Fatal(err)
	}
	// b as its request saw it, an admin.
	if _, err := svc.ChangeRole(ctx, b, ed.ID, "admin"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a demoted admin promoted an editor: %v", err)
	}
}
