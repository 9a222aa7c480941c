package mailer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/urls"
	letters "github.com/quire-cms/quire/views/mail"
)

// WriteDigests gathers, for each person whose digest is due at now, the
// notifications held for them before the day's digest time into one
// mail. Each person's digest is one transaction that also marks what it
// carries, so with any number of instances each notification is in
// exactly one digest.
func (p *Post) WriteDigests(ctx context.Context, st *store.Store, now time.Time) (int, error) {
	network, err := st.NetworkOr(ctx, publisher.Default)
	if err != nil {
		return 0, err
	}
	cutoff := mail.DigestBoundary(now, network.Location())
	due, err := st.HeldFor(ctx, cutoff)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	written := 0
	var errs []error
	for _, id := range due {
		err := st.Atomically(ctx, func(tx *store.Store) error {
			held, err := tx.TakeHeld(ctx, id, cutoff)
			if err != nil || len(held) == 0 {
				return err
			}
			to, err := tx.Account(ctx, id)
			if err != nil {
				return err
			}
			if !to.Active {
				return nil // marked digested: a deactivated account hears nothing
			}
			l := letters.Letter{
				Subject:    "Your daily digest: " + strconv.Itoa(len(held)) + " notification" + plural(len(held)),
				Greeting:   "Hello " + to.Name + ",",
				Paragraphs: []string{"This is what happened on the desk since your last digest."},
				Action:     letters.Link{Label: "Open the desk", URL: p.link(urls.Desk())},
				Footer:     "You get this digest as " + to.Email + " because you chose Daily digest on your Account page: " + p.link(urls.Account()),
			}
			for _, m := range held {
				l.Items = append(l.Items, letters.Item{Title: m.Subject, Link: m.Link})
			}
			return p.put(ctx, tx, mail.Digest, to, l, mail.Pending, now)
		})
		if err != nil {
			// One person's digest failing leaves the others' to go.
			errs = append(errs, fmt.Errorf("mailer: write the digest of account %d: %w", id, err))
			continue
		}
		written++
	}
	return written, errors.Join(errs...)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
