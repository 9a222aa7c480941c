package mailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/retry"
	"github.com/quire-cms/quire/internal/store"
)

// Worker delivers the outbox and writes the daily digests. Every Quire
// process runs one.
type Worker struct {
	st     *store.Store
	post   *Post
	send   Sender // nil: mail waits in the outbox
	name   string
	logger *slog.Logger
	now    func() time.Time
	pruned time.Time // when old mail was last cleared away
}

// NewWorker returns a worker on st sending through send; with a nil
// sender it only writes digests, and mail waits in the outbox.
func NewWorker(st *store.Store, post *Post, send Sender, logger *slog.Logger) *Worker {
	host, _ := os.Hostname()
	return &Worker{st: st, post: post, send: send, name: fmt.Sprintf("%s/%d", host, os.Getpid()), logger: logger, now: time.Now}
}

// lease is how long a claimed message is this worker's: longer than
// sending a batch can take, so that only a dead worker's claims run out.
const lease = 5 * time.Minute

// batch is how many messages one claim takes.
const batch = 20

// Run works at once and then every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	retry.Loop(ctx, every, w.logger, "mail delivery", func(ctx context.Context) error {
		_, err := w.Tick(ctx)
		return err
	})
}

// Keep is how long delivered and failed mail stays in the outbox.
const Keep = 90 * 24 * time.Hour

// Tick writes the digests that are due, sends what is due, batch after
// batch, and clears out mail older than Keep; it says how many messages it
// sent.
func (w *Worker) Tick(ctx context.Context) (int, error) {
	now := w.now()
	_, derr := w.post.WriteDigests(ctx, w.st, now)
	if now.Sub(w.pruned) >= time.Hour {
		w.pruned = now
		perr := w.st.Atomically(ctx, func(tx *store.Store) error { return tx.PruneMail(ctx, now.Add(-Keep), 5000) })
		derr = errors.Join(derr, perr)
	}
	if w.send == nil {
		return 0, derr
	}
	sent := 0
	for ctx.Err() == nil {
		// A read first: an idle tick takes no write lock from the desk.
		if due, err := w.st.MailDue(ctx, w.now()); err != nil || !due {
			return sent, errors.Join(derr, err)
		}
		var claimed []mail.Message
		err := w.st.Atomically(ctx, func(tx *store.Store) error {
			var err error
			claimed, err = tx.ClaimMail(ctx, w.name, w.now(), lease, batch)
			return err
		})
		if err != nil {
			return sent, errors.Join(derr, err)
		}
		if len(claimed) == 0 {
			break
		}
		for i, m := range claimed {
			if ctx.Err() != nil {
				// Shutting down: what was not tried goes back at once,
				// no attempt counted.
				w.release(claimed[i:])
				break
			}
			if w.deliver(ctx, m) {
				sent++
			}
		}
	}
	return sent, derr
}

// release gives claimed messages back without an attempt.
func (w *Worker) release(ms []mail.Message) {
	ctx := context.Background()
	err := w.st.Atomically(ctx, func(tx *store.Store) error {
		for _, m := range ms {
			if _, err := tx.SettleMail(ctx, w.name, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.logger.Error("could not give back claimed mail", "err", err)
	}
}

// stale says why a message is no longer worth sending: the link it
// carries expired while it waited.
func stale(m mail.Message, now time.Time) string {
	life := map[mail.Kind]time.Duration{mail.PasswordReset: account.PasswordResetLife, mail.Invitation: account.InvitationLife}[m.Kind]
	if life > 0 && now.Sub(m.CreatedAt) > life {
		return "not sent: its link expired before a mail server took it"
	}
	return ""
}

// deliver sends one claimed message and records how it went; a message
// that fails is retried later and holds up no other.
func (w *Worker) deliver(ctx context.Context, m mail.Message) bool {
	now := w.now().UTC()
	var err error
	if why := stale(m, now); why != "" {
		m.Status, m.LastError = mail.Failed, why
	} else if err = w.send.Send(ctx, m); err == nil {
		m.Attempts++
		m.Status, m.SentAt, m.LastError = mail.Sent, now, ""
	} else {
		m.Attempts++
		next, again := retry.Next(m.Attempts, now)
		m.DueAt, m.LastError = next, retry.Reason(err)
		if !again {
			m.Status = mail.Failed
		}
		w.logger.WarnContext(ctx, "mail not delivered", "id", m.ID, "kind", m.Kind, "attempts", m.Attempts, "retry", again, "err", m.LastError)
	}
	// Recorded without the request's context: a message handed over
	// while shutting down must not be sent again.
	settle := context.WithoutCancel(ctx)
	serr := w.st.Atomically(settle, func(tx *store.Store) error {
		_, err := tx.SettleMail(settle, w.name, m)
		return err
	})
	if serr != nil {
		w.logger.ErrorContext(ctx, "could not record a mail's delivery", "id", m.ID, "err", serr)
	}
	return m.Status == mail.Sent
}
