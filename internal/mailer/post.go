// Package mailer puts Quire's mail in the outbox and delivers it. The
// mail a use case causes is composed and written in that use case's own
// transaction (Post), so nothing happens without its mail and no mail
// tells of what did not happen; a worker in every instance then claims
// each message under a lease and hands it to the SMTP server, retrying
// with backoff (Worker). Without an SMTP server the mail waits in the
// outbox, where admins can read it.
package mailer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/urls"
	letters "github.com/quire-cms/quire/views/mail"
)

// Post composes mail with links to the site at its base address and puts
// it in the outbox.
type Post struct {
	base string
}

// NewPost returns a post whose links start with baseURL, the site's
// public address.
func NewPost(baseURL string) *Post { return &Post{base: strings.TrimRight(baseURL, "/")} }

func (p *Post) link(path string) string { return p.base + path }

// put composes a letter into a message for to and writes it to the
// outbox in tx, pending or held for a digest.
func (p *Post) put(ctx context.Context, tx *store.Store, kind mail.Kind, to account.Account, l letters.Letter, status mail.Status, now time.Time) error {
	network, err := tx.NetworkOr(ctx, publisher.Default)
	if err != nil {
		return err
	}
	l.Network = network.Name
	html, err := l.HTML()
	if err != nil {
		return fmt.Errorf("mailer: compose %s: %w", kind, err)
	}
	_, err = tx.InsertMail(ctx, mail.Message{
		Kind: kind, AccountID: to.ID, To: to.Email, Subject: l.Subject, Text: l.Text(), HTML: html,
		Link: l.Action.URL, Status: status, CreatedAt: now, DueAt: now,
	})
	return err
}

// Invite writes the invitation mail carrying token, sent by inviter.
func (p *Post) Invite(ctx context.Context, tx *store.Store, inv account.Invitation, token, inviter string, now time.Time) error {
	network, err := tx.NetworkOr(ctx, publisher.Default)
	if err != nil {
		return err
	}
	l := letters.Letter{
		Subject:  "You are invited to the " + network.Name + " desk",
		Greeting: "Hello " + inv.Name + ",",
		Paragraphs: []string{
			inviter + " invites you to join the " + network.Name + " desk as " + article(inv.Role.Label()) + ".",
			"Open the link below to choose your password. It works once, until " + inv.ExpiresAt.UTC().Format("2 January 2006 at 15:04 UTC") + ".",
		},
		Action: letters.Link{Label: "Accept the invitation", URL: p.link(urls.Invitation(token))},
		Footer: "You get this mail because an admin of " + network.Name + " invited " + inv.Email + ". If you did not expect it, ignore it.",
	}
	return p.put(ctx, tx, mail.Invitation, account.Account{Email: inv.Email}, l, mail.Pending, now)
}

// ResetLink writes the mail carrying a password reset token to a.
func (p *Post) ResetLink(ctx context.Context, tx *store.Store, a account.Account, token string, now time.Time) error {
	l := letters.Letter{
		Subject:  "Reset your password",
		Greeting: "Hello " + a.Name + ",",
		Paragraphs: []string{
			"Someone, probably you, asked to reset the password of your account (" + a.Email + ").",
			"Open the link below within an hour to choose a new one. It works once; choosing a new password logs you out everywhere.",
		},
		Action: letters.Link{Label: "Choose a new password", URL: p.link(urls.ResetPassword(token))},
		Footer: "If you did not ask for this, ignore this mail: your password stays as it is.",
	}
	return p.put(ctx, tx, mail.PasswordReset, a, l, mail.Pending, now)
}

// Security tells a of a change to how they log in, so that a change they
// did not make does not go unnoticed.
func (p *Post) Security(ctx context.Context, tx *store.Store, a account.Account, what string, now time.Time) error {
	if p == nil {
		return nil
	}
	l := letters.Letter{
		Subject:  "Security notice: a change to your account",
		Greeting: "Hello " + a.Name + ",",
		Paragraphs: []string{what, "If it was you, there is nothing to do. If it was not, ask an admin at once to deactivate your account " +
			"and reset your password and two-factor login."},
		Action: letters.Link{Label: "Open your Account page", URL: p.link(urls.Account())},
		Footer: "Quire sends this to " + a.Email + " whenever its password or two-factor login changes; it cannot be turned off.",
	}
	return p.put(ctx, tx, mail.Security, a, l, mail.Pending, now)
}

// article puts "a" or "an" before a role's label.
func article(label string) string {
	if strings.ContainsRune("AEIOU", rune(label[0])) {
		return "an " + label
	}
	return "a " + label
}
