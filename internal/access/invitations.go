package access

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/store"
)

var errOnlyAdmins = apperr.Errorf(apperr.Forbidden, "Only admins manage accounts.")

// AsAdmin refuses an actor who is not, as tx sees them, an active admin:
// an admin demoted a moment ago manages nothing more. The command line
// acts as no account (ID zero) and for Quire itself. Other services'
// admin use cases ask it too.
func AsAdmin(ctx context.Context, tx *store.Store, actor account.Account) error {
	if !actor.Role.AtLeast(account.Admin) {
		return errOnlyAdmins
	}
	if actor.ID == 0 {
		return nil
	}
	current, err := tx.Account(ctx, actor.ID)
	if err != nil || !current.Active || !current.Role.AtLeast(account.Admin) {
		return errOnlyAdmins
	}
	return nil
}

// errLinkSpent is the one answer to an invitation or reset link that is
// unknown, expired, used or revoked: which of these it was helps no one
// but a guesser.
var (
	errInvitationSpent = apperr.Errorf(apperr.NotFound,
		"This invitation link has expired, was already used or was withdrawn. Ask an admin to send a new one.")
	errResetSpent = apperr.Errorf(apperr.NotFound,
		"This password reset link has expired or was already used. Ask for a new one.")
)

// Invite offers an account to email, as actor, and mails the link.
func (s *Service) Invite(ctx context.Context, actor account.Account, email, name, role string) (account.Invitation, error) {
	inv, err := account.NewInvitation(email, name, role)
	if err != nil {
		return inv, err
	}
	now := s.now().UTC()
	token := rand.Text()
	inv.InvitedBy, inv.CreatedAt, inv.ExpiresAt = actor.ID, now, now.Add(account.InvitationLife)
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		if _, _, err := tx.AccountByEmail(ctx, inv.Email); err == nil {
			return apperr.Field(account.FieldEmail, "An account with this email already exists.")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if _, err := tx.OpenInvitationFor(ctx, inv.Email); err == nil {
			return apperr.Field(account.FieldEmail, "This address already has an invitation waiting: send it again from the list below.")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if inv, err = tx.InsertInvitation(ctx, inv, digest(token)); err != nil {
			return err
		}
		if err := s.post.Invite(ctx, tx, inv, token, inviterName(actor), now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.Invited, Detail: inv.Email + " as " + string(inv.Role)})
	})
	if err != nil {
		return account.Invitation{}, fmt.Errorf("access: invite: %w", err)
	}
	return inv, nil
}

func inviterName(a account.Account) string {
	if a.Name == "" {
		return "An admin"
	}
	return a.Name
}

// ResendInvitation mails an open invitation again with a new link, valid
// for a new InvitationLife; the old link stops working.
func (s *Service) ResendInvitation(ctx context.Context, actor account.Account, id int64) (account.Invitation, error) {
	now := s.now().UTC()
	token := rand.Text()
	var inv account.Invitation
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		if inv, err = s.openInvitation(ctx, tx, id); err != nil {
			return err
		}
		inv.ExpiresAt = now.Add(account.InvitationLife)
		if err := tx.RenewInvitation(ctx, id, digest(token), inv.ExpiresAt); err != nil {
			return err
		}
		if err := s.post.Invite(ctx, tx, inv, token, inviterName(actor), now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.Invited, Detail: inv.Email + " as " + string(inv.Role) + ", sent again"})
	})
	if err != nil {
		return account.Invitation{}, fmt.Errorf("access: resend invitation: %w", err)
	}
	return inv, nil
}

// RevokeInvitation withdraws an open invitation: its link stops working.
func (s *Service) RevokeInvitation(ctx context.Context, actor account.Account, id int64) (account.Invitation, error) {
	now := s.now().UTC()
	var inv account.Invitation
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		if inv, err = s.openInvitation(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.CloseInvitation(ctx, id, false, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.InvitationRevoked, Detail: inv.Email})
	})
	if err != nil {
		return account.Invitation{}, fmt.Errorf("access: revoke invitation: %w", err)
	}
	return inv, nil
}

func (s *Service) openInvitation(ctx context.Context, tx *store.Store, id int64) (account.Invitation, error) {
	inv, err := tx.Invitation(ctx, id)
	if err != nil {
		return inv, apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no such invitation.")
	}
	if !inv.AcceptedAt.IsZero() || !inv.RevokedAt.IsZero() {
		return inv, apperr.Errorf(apperr.Invalid, "This invitation was already accepted or withdrawn.")
	}
	return inv, nil
}

// Invitations lists the invitations not yet accepted or withdrawn.
func (s *Service) Invitations(ctx context.Context) ([]account.Invitation, error) {
	return s.st.OpenInvitations(ctx)
}

// InvitationFor returns the open invitation a link's token opens.
func (s *Service) InvitationFor(ctx context.Context, token string) (account.Invitation, error) {
	if token == "" || len(token) > 64 {
		return account.Invitation{}, errInvitationSpent
	}
	var inv account.Invitation
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		inv, err = openedBy(ctx, tx, token, s.now())
		return err
	})
	return inv, err
}

// openedBy returns the invitation token opens: unexpired, neither
// accepted nor revoked, and sent by someone who is still an active admin
// (an invitation is worth what its sender is).
func openedBy(ctx context.Context, tx *store.Store, token string, now time.Time) (account.Invitation, error) {
	inv, err := tx.InvitationByToken(ctx, digest(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !inv.Open(now)) || token == "" {
		return account.Invitation{}, errInvitationSpent
	}
	if err != nil {
		return inv, err
	}
	if inv.InvitedBy != 0 {
		sender, err := tx.Account(ctx, inv.InvitedBy)
		if err != nil || !sender.Active || !sender.Role.AtLeast(account.Admin) {
			return account.Invitation{}, errInvitationSpent
		}
	}
	return inv, nil
}

// AcceptInvitation creates the invited account with the password its
// owner chose, and spends the invitation.
func (s *Service) AcceptInvitation(ctx context.Context, token, password string) (account.Account, error) {
	if problem := account.PasswordProblem(password); problem != "" {
		return account.Account{}, apperr.Field(account.FieldPassword, problem)
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return account.Account{}, err
	}
	now := s.now().UTC()
	var a account.Account
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		inv, err := openedBy(ctx, tx, token, now)
		if err != nil {
			return err
		}
		if _, _, err := tx.AccountByEmail(ctx, inv.Email); err == nil {
			return apperr.Errorf(apperr.Invalid, "An account with this email already exists. Log in instead.")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if a, err = tx.InsertAccount(ctx, account.Account{Email: inv.Email, Name: inv.Name, Role: inv.Role, Active: true, CreatedAt: now}, hash); err != nil {
			return err
		}
		if _, err := tx.CloseInvitation(ctx, inv.ID, true, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: a.ID, Action: audit.InvitationAccepted, Detail: a.Email + " as " + string(a.Role)})
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("access: accept invitation: %w", err)
	}
	return a, nil
}

// resetThrottles are the keys a reset request is counted under: the
// address typed, whether or not it has an account, and the client.
func resetThrottles(email, addr string) throttles {
	return throttles{account: "reset:" + digest(email), address: "reset-addr:" + digest(addr)}
}

// RequestPasswordReset mails a reset link to the account with email, if
// there is an active one. The caller learns nothing either way: the
// answer, and the work done before it, are the same.
func (s *Service) RequestPasswordReset(ctx context.Context, email, addr string) error {
	// Writing the link and its mail takes a little longer than finding no
	// account: every answer waits until resetFloor has passed, so that the
	// time taken does not tell which it was.
	start := time.Now()
	defer func() {
		t := time.NewTimer(ResetFloor - time.Since(start))
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}()
	now := s.now().UTC()
	normalized, err := account.NormalizeEmail(email)
	if err != nil {
		normalized = strings.ToLower(strings.TrimSpace(email))
	}
	if err := s.attempt(ctx, resetThrottles(normalized, addr), now); err != nil {
		return err
	}
	token := rand.Text()
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		a, _, err := tx.AccountByEmail(ctx, normalized)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !a.Active) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.ExpirePasswordResets(ctx, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		if err := tx.InsertPasswordReset(ctx, a.ID, digest(token), now, now.Add(account.PasswordResetLife)); err != nil {
			return err
		}
		return s.post.ResetLink(ctx, tx, a, token, now)
	})
	if err != nil {
		return fmt.Errorf("access: request a password reset: %w", err)
	}
	return nil
}

// PasswordResetValid reports whether a reset link's token can still set a
// password.
func (s *Service) PasswordResetValid(ctx context.Context, token string) (bool, error) {
	if token == "" || len(token) > 64 {
		return false, nil
	}
	_, err := s.st.PasswordReset(ctx, digest(token), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// ResetPasswordWithToken sets the password of the account a reset link
// is for. Every link of the account is spent and every session ends.
func (s *Service) ResetPasswordWithToken(ctx context.Context, token, password string) (account.Account, error) {
	if problem := account.PasswordProblem(password); problem != "" {
		return account.Account{}, apperr.Field(account.FieldNewPassword, problem)
	}
	if token == "" || len(token) > 64 {
		return account.Account{}, errResetSpent
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return account.Account{}, err
	}
	now := s.now().UTC()
	var a account.Account
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		id, err := tx.PasswordReset(ctx, digest(token), now)
		if errors.Is(err, store.ErrNotFound) {
			return errResetSpent
		}
		if err != nil {
			return err
		}
		if err := tx.SpendPasswordResets(ctx, id, now); err != nil {
			return err
		}
		a, err = s.writePassword(ctx, tx, id, id, hash, audit.PasswordReset)
		return err
	})
	if err != nil {
		return account.Account{}, fmt.Errorf("access: reset password: %w", err)
	}
	return a, nil
}

// NotificationChoices returns how an account takes each kind of
// notification, Immediately where it has not chosen.
func (s *Service) NotificationChoices(ctx context.Context, id int64) (map[mail.Kind]mail.Choice, error) {
	chosen, err := s.st.NotificationChoices(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[mail.Kind]mail.Choice{}
	for _, k := range mail.Notifications {
		out[k] = mail.Immediately
		if c, ok := chosen[k]; ok {
			out[k] = c
		}
	}
	return out, nil
}

// SaveNotificationChoices keeps an account's choices; kinds it leaves out
// stay Immediately.
func (s *Service) SaveNotificationChoices(ctx context.Context, id int64, choices map[mail.Kind]mail.Choice) error {
	kept := map[mail.Kind]mail.Choice{}
	for k, c := range choices {
		if !k.IsNotification() {
			return apperr.Errorf(apperr.Invalid, "There is no notification %q.", k)
		}
		if _, ok := mail.ParseChoice(string(c)); !ok {
			return apperr.Field(string(k), "Choose Immediately, Daily digest or Off.")
		}
		kept[k] = c
	}
	return s.st.Atomically(ctx, func(tx *store.Store) error { return tx.SaveNotificationChoices(ctx, id, kept) })
}

// Outbox lists the newest mail with an id below before (zero: from the
// newest), at most limit, and whether there is older mail.
func (s *Service) Outbox(ctx context.Context, before int64, limit int) ([]mail.Message, bool, error) {
	return s.st.Outbox(ctx, before, limit)
}

// MailCounts counts the outbox's mail by status.
func (s *Service) MailCounts(ctx context.Context) (map[mail.Status]int, error) {
	return s.st.MailCounts(ctx)
}

// RetryMail makes a failed mail due again at once, as actor, an admin.
func (s *Service) RetryMail(ctx context.Context, actor account.Account, id int64) (mail.Message, error) {
	now := s.now().UTC()
	var m mail.Message
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		if m, err = tx.Mail(ctx, id); err != nil {
			return apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no such mail.")
		}
		ok, err := tx.RetryMail(ctx, id, now)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Errorf(apperr.Invalid, "Only a mail that failed can be sent again; this one is %s.", m.Status)
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.MailRetried, Detail: m.Subject + " to " + m.To})
	})
	if err != nil {
		return mail.Message{}, fmt.Errorf("access: send a mail again: %w", err)
	}
	return m, nil
}
