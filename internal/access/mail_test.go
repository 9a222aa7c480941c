package access_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

var tokenRE = regexp.MustCompile(`token=([A-Za-z0-9%]+)`)

// lastMail returns the newest mail in the outbox and the token its link
// carries.
func lastMail(t *testing.T, st *store.Store) (mail.Message, string) {
	t.Helper()
	msgs, _, err := st.Outbox(context.Background(), 0, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("outbox: %v, %d mails", err, len(msgs))
	}
	m := tokenRE.FindStringSubmatch(msgs[0].Text)
	if m == nil {
		return msgs[0], ""
	}
	return msgs[0], m[1]
}

func mailCount(t *testing.T, st *store.Store) int {
	t.Helper()
	counts, err := st.MailCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

func adminOn(t *testing.T, svc *access.Service) account.Account {
	t.Helper()
	a, err := svc.Create(context.Background(), 0, account.New{Email: "admin@hen.example", Name: "Ada Admin", Role: "admin", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t)
	svc := access.New(st)
	now := time.Now()
	access.SetNow(svc, func() time.Time { return now })
	admin := adminOn(t, svc)

	if _, err := svc.Invite(ctx, account.Account{ID: 99, Role: account.Editor}, "x@hen.example", "X", "editor"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an editor invited: %v", err)
	}
	inv, err := svc.Invite(ctx, admin, "Rita@HEN.example", "Rita Reviewer", "reviewer")
	if err != nil {
		t.Fatal(err)
	}
	m, token := lastMail(t, st)
	if m.To != "rita@hen.example" || m.Kind != mail.Invitation || token == "" || !strings.Contains(m.Text, "Ada Admin invites you") {
		t.Fatalf("invitation mail to %s (%s), token %q:\n%s", m.To, m.Kind, token, m.Text)
	}
	for _, again := range []string{"rita@hen.example", "admin@hen.example"} {
		if _, err := svc.Invite(ctx, admin, again, "Again", "editor"); apperr.FieldsOf(err)[account.FieldEmail] == "" {
			t.Errorf("invited %s twice: %v", again, err)
		}
	}

	// Sending it again makes a new link; the old one stops working.
	if _, err := svc.ResendInvitation(ctx, admin, inv.ID); err != nil {
		t.Fatal(err)
	}
	_, fresh := lastMail(t, st)
	if _, err := svc.InvitationFor(ctx, token); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("the first link still works after a resend: %v", err)
	}
	if _, err := svc.AcceptInvitation(ctx, fresh, "short"); apperr.FieldsOf(err)[account.FieldPassword] == "" {
		t.Errorf("accepted a short password: %v", err)
	}
	a, err := svc.AcceptInvitation(ctx, fresh, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if a.Email != "rita@hen.example" || a.Role != account.Reviewer || a.Name != "Rita Reviewer" || !a.Active {
		t.Errorf("accepted account: %+v", a)
	}
	if _, err := svc.AcceptInvitation(ctx, fresh, goodPassword); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("an invitation was accepted twice: %v", err)
	}

	// Revoked and expired links are spent.
	other, err := svc.Invite(ctx, admin, "otto@hen.example", "Otto", "editor")
	if err != nil {
		t.Fatal(err)
	}
	_, ottoToken := lastMail(t, st)
	if _, err := svc.RevokeInvitation(ctx, admin, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AcceptInvitation(ctx, ottoToken, goodPassword); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("a revoked invitation was accepted: %v", err)
	}
	if _, err := svc.Invite(ctx, admin, "late@hen.example", "Late", "editor"); err != nil {
		t.Fatal(err)
	}
	_, lateToken := lastMail(t, st)
	now = now.Add(account.InvitationLife + time.Minute)
	if _, err := svc.AcceptInvitation(ctx, lateToken, goodPassword); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("an expired invitation was accepted: %v", err)
	}

	// An invitation is worth what its sender is: once they are no longer
	// an admin, it opens nothing.
	other2, err := svc.Create(ctx, 0, account.New{Email: "second@hen.example", Name: "Second Admin", Role: "admin", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Invite(ctx, other2, "mole@hen.example", "Mole", "admin"); err != nil {
		t.Fatal(err)
	}
	_, moleToken := lastMail(t, st)
	if _, err := svc.ChangeRole(ctx, admin, other2.ID, "editor"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AcceptInvitation(ctx, moleToken, goodPassword); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("an invitation from a demoted admin was accepted: %v", err)
	}
	for _, forged := range []string{"", "AAAA", strings.Repeat("A", 26), strings.Repeat("x", 5000)} {
		if _, err := svc.AcceptInvitation(ctx, forged, goodPassword); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("forged token %.10q: %v", forged, err)
		}
	}
}

func TestPasswordResetByMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t)
	svc := access.New(st)
	now := time.Now()
	access.SetNow(svc, func() time.Time { return now })
	admin := adminOn(t, svc)

	// An unknown address gets the same answer and no mail.
	if err := svc.RequestPasswordReset(ctx, "nobody@hen.example", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if err := svc.RequestPasswordReset(ctx, "not an address", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if n := mailCount(t, st); n != 0 {
		t.Fatalf("%d mails for unknown addresses", n)
	}
	if err := svc.RequestPasswordReset(ctx, "ADMIN@hen.example", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	m, token := lastMail(t, st)
	if m.To != "admin@hen.example" || m.Kind != mail.PasswordReset || token == "" {
		t.Fatalf("reset mail to %s, token %q", m.To, token)
	}
	if ok, _ := svc.PasswordResetValid(ctx, token); !ok {
		t.Fatal("fresh link not valid")
	}
	a, err := svc.ResetPasswordWithToken(ctx, token, "a brand new passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if a.SessionEpoch <= admin.SessionEpoch {
		t.Errorf("sessions did not end: epoch %d → %d", admin.SessionEpoch, a.SessionEpoch)
	}
	if _, err := svc.Authenticate(ctx, "admin@hen.example", "a brand new passphrase", "192.0.2.1"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if _, err := svc.ResetPasswordWithToken(ctx, token, "yet another passphrase"); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("a reset link worked twice: %v", err)
	}

	// A link older than an hour is spent.
	if err := svc.RequestPasswordReset(ctx, "admin@hen.example", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	_, old := lastMail(t, st)
	now = now.Add(account.PasswordResetLife + time.Minute)
	if _, err := svc.ResetPasswordWithToken(ctx, old, "yet another passphrase"); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("an expired link worked: %v", err)
	}

	// Requests are throttled per address typed, known or not.
	for _, addr := range []string{"admin@hen.example", "ghost@hen.example"} {
		var err error
		for i := range account.AccountThrottle.Limit + 1 {
			if err = svc.RequestPasswordReset(ctx, addr, "198.51.100."+string(rune('1'+i))); err != nil {
				break
			}
		}
		if apperr.CodeOf(err) != apperr.TooMany {
			t.Errorf("%s: requests never throttled: %v", addr, err)
		}
	}
}

func TestTwoFactor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t)
	svc := access.New(st)
	now := time.Now()
	access.SetNow(svc, func() time.Time { return now })
	admin := adminOn(t, svc)

	uri, secret, err := svc.BeginTwoFactor(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, secret) {
		t.Errorf("uri %q", uri)
	}
	if again, _, _ := svc.PendingTwoFactor(ctx, admin.ID); again != uri {
		t.Errorf("pending key %q, want %q", again, uri)
	}
	if _, err := svc.ConfirmTwoFactor(ctx, admin.ID, "000000"); apperr.FieldsOf(err)[account.FieldCode] == "" {
		t.Errorf("a wrong code turned it on: %v", err)
	}
	code, _ := totp.GenerateCode(secret, now)
	codes, err := svc.ConfirmTwoFactor(ctx, admin.ID, code)
	if err != nil || len(codes) != access.RecoveryCodeCount {
		t.Fatalf("confirm: %v, %d codes", err, len(codes))
	}
	if a, _ := svc.Get(ctx, admin.ID); !a.TwoFactor {
		t.Error("two-factor is not on")
	}
	// The code that confirmed it is spent.
	if _, err := svc.VerifySecondFactor(ctx, admin.ID, code, "192.0.2.1"); err != access.ErrBadCode {
		t.Errorf("the confirming code was good again: %v", err)
	}
	now = now.Add(30 * time.Second)
	next, _ := totp.GenerateCode(secret, now)
	if _, err := svc.VerifySecondFactor(ctx, admin.ID, next, "192.0.2.1"); err != nil {
		t.Fatalf("a fresh code: %v", err)
	}
	if _, err := svc.VerifySecondFactor(ctx, admin.ID, next, "192.0.2.2"); err != access.ErrBadCode {
		t.Errorf("a code was replayed: %v", err)
	}
	// A recovery code works once, typed any way.
	if _, err := svc.VerifySecondFactor(ctx, admin.ID, strings.ToUpper(codes[0]), "192.0.2.1"); err != nil {
		t.Errorf("recovery code: %v", err)
	}
	if _, err := svc.VerifySecondFactor(ctx, admin.ID, codes[0], "192.0.2.1"); err != access.ErrBadCode {
		t.Errorf("a recovery code worked twice: %v", err)
	}
	if left, _ := svc.RecoveryCodesLeft(ctx, admin.ID); left != access.RecoveryCodeCount-1 {
		t.Errorf("%d recovery codes left", left)
	}
	// Wrong codes lock the account out like wrong passwords.
	var lockErr error
	for range account.AccountThrottle.Limit + 1 {
		if _, lockErr = svc.VerifySecondFactor(ctx, admin.ID, "123456", "203.0.113.9"); apperr.CodeOf(lockErr) == apperr.TooMany {
			break
		}
	}
	if apperr.CodeOf(lockErr) != apperr.TooMany {
		t.Errorf("wrong codes never throttled: %v", lockErr)
	}
	// Spread over many addresses, with the right password between tries,
	// the guesses still run out: wrong codes count per account too.
	now = now.Add(time.Hour)
	guesses := 0
	for i := range 40 {
		addr := "198.51.100." + strconv.Itoa(i)
		if _, err := svc.Authenticate(ctx, "admin@hen.example", goodPassword, addr); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.VerifySecondFactor(ctx, admin.ID, "654321", addr); apperr.CodeOf(err) == apperr.TooMany {
			break
		}
		guesses++
	}
	if guesses > account.CodeThrottle.Limit {
		t.Errorf("%d code guesses from fresh addresses, want at most %d", guesses, account.CodeThrottle.Limit)
	}
	now = now.Add(time.Hour)

	// Turning it off takes the password; an admin can reset it for anyone.
	if err := svc.TurnOffTwoFactor(ctx, admin.ID, "wrong password!", "192.0.2.7"); apperr.FieldsOf(err)[account.FieldCurrentPassword] == "" {
		t.Errorf("turned off without the password: %v", err)
	}
	if _, err := svc.ResetTwoFactorByEmail(ctx, "admin@hen.example"); err != nil {
		t.Fatal(err)
	}
	if a, _ := svc.Get(ctx, admin.ID); a.TwoFactor {
		t.Error("reset left two-factor on")
	}
}
