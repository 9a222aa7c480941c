package mailer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/mailer"
	"github.com/quire-cms/quire/internal/mailer/mailtest"
	"github.com/quire-cms/quire/internal/retry"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newAccount(t *testing.T, st *store.Store, email string) account.Account {
	t.Helper()
	var a account.Account
	err := st.Atomically(context.Background(), func(tx *store.Store) error {
		var err error
		a, err = tx.InsertAccount(context.Background(), account.Account{Email: email, Name: "Ada " + email, Role: account.Reviewer, Active: true, CreatedAt: time.Now()}, "x")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// notify writes n notices to the accounts.
func notify(t *testing.T, st *store.Store, post *mailer.Post, to []account.Account, n int, at time.Time) {
	t.Helper()
	for i := range n {
		err := st.Atomically(context.Background(), func(tx *store.Store) error {
			return post.Notify(context.Background(), tx, mailer.Notice{Kind: mail.Submitted, ArticleID: int64(i + 1), Title: fmt.Sprintf("Article %d", i),
				Revision: 2, Actor: "Grace"}, 0, to, at)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func sender(t *testing.T, srv *mailtest.Server) mailer.Sender {
	t.Helper()
	s, err := mailer.NewSMTP(srv.URL, "Quire <desk@hen.example>", "hen.example")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMailArrivesWithBothPartsAndALink(t *testing.T) {
	st := storetest.New(t)
	srv := mailtest.Start(t)
	post := mailer.NewPost("https://hen.example")
	a := newAccount(t, st, "ada@hen.example")
	notify(t, st, post, []account.Account{a}, 1, time.Now())
	sent, err := mailer.NewWorker(st, post, sender(t, srv), quiet).Tick(context.Background())
	if err != nil || sent != 1 {
		t.Fatalf("Tick = %d, %v", sent, err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d mails arrived", len(got))
	}
	m := got[0]
	if m.To != "ada@hen.example" || m.Subject != "Review requested: Article 0" || !strings.Contains(m.From, "desk@hen.example") {
		t.Errorf("mail: to %q, from %q, subject %q", m.To, m.From, m.Subject)
	}
	if link := m.Link("/desk/articles/1/review"); link != "https://hen.example/desk/articles/1/review" {
		t.Errorf("review link %q in\n%s", link, m.Text)
	}
	if !strings.Contains(m.HTML, `href="https://hen.example/desk/articles/1/review"`) || strings.Contains(m.HTML, "<script") || strings.Contains(m.HTML, "src=") {
		t.Errorf("HTML part:\n%s", m.HTML)
	}
	if !strings.HasPrefix(m.MessageID, "<quire-") {
		t.Errorf("Message-ID %q", m.MessageID)
	}
	// Sent is sent: the next tick sends nothing again.
	if n, _ := mailer.NewWorker(st, post, sender(t, srv), quiet).Tick(context.Background()); n != 0 || len(srv.Messages()) != 1 {
		t.Errorf("second tick sent %d", n)
	}
}

func TestADeadServerDelaysMailButLosesNone(t *testing.T) {
	st := storetest.New(t)
	srv := mailtest.Start(t)
	post := mailer.NewPost("https://hen.example")
	a := newAccount(t, st, "ada@hen.example")
	notify(t, st, post, []account.Account{a}, 3, time.Now())
	srv.Refuse(true)
	w := mailer.NewWorker(st, post, sender(t, srv), quiet)
	if n, err := w.Tick(context.Background()); n != 0 || err != nil {
		t.Fatalf("Tick with a refusing server = %d, %v", n, err)
	}
	msgs, _, err := st.Outbox(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Status != mail.Pending || m.Attempts != 1 || m.LastError == "" || !m.DueAt.After(time.Now()) {
			t.Errorf("after a refusal: %+v", m)
		}
	}
	srv.Refuse(false)
	// Not due yet: the backoff holds them.
	if n, _ := w.Tick(context.Background()); n != 0 {
		t.Errorf("sent %d before the retry was due", n)
	}
	later := mailer.NewWorker(st, post, sender(t, srv), quiet)
	mailer.SetNow(later, time.Now().Add(time.Minute))
	if n, err := later.Tick(context.Background()); n != 3 || err != nil {
		t.Fatalf("retry sent %d, %v", n, err)
	}
	if got := len(srv.To("ada@hen.example")); got != 3 {
		t.Errorf("%d of 3 mails arrived", got)
	}
}

func TestAMailThatNeverGoesThroughFailsAfterADay(t *testing.T) {
	st := storetest.New(t)
	srv := mailtest.Start(t)
	post := mailer.NewPost("https://hen.example")
	a := newAccount(t, st, "ada@hen.example")
	start := time.Now()
	notify(t, st, post, []account.Account{a}, 1, start)
	srv.Refuse(true)
	w := mailer.NewWorker(st, post, sender(t, srv), quiet)
	var at time.Time
	for at = start; at.Before(start.Add(48 * time.Hour)); at = at.Add(10 * time.Minute) {
		mailer.SetNow(w, at)
		w.Tick(context.Background())
		if m, _ := st.Mail(context.Background(), 1); m.Status == mail.Failed {
			break
		}
	}
	m, err := st.Mail(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if took := at.Sub(start); m.Status != mail.Failed || m.Attempts != retry.MaxAttempts || took < 20*time.Hour || took > 28*time.Hour {
		t.Errorf("refused again and again: status %s after %d attempts over %s", m.Status, m.Attempts, took)
	}
	// Kept for admins to read, then cleared away.
	mailer.SetNow(w, start.Add(mailer.Keep-time.Hour))
	w.Tick(context.Background())
	if _, err := st.Mail(context.Background(), 1); err != nil {
		t.Errorf("failed mail gone before its time: %v", err)
	}
	mailer.SetNow(w, start.Add(mailer.Keep+time.Hour))
	w.Tick(context.Background())
	if _, err := st.Mail(context.Background(), 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("failed mail kept past %s: %v", mailer.Keep, err)
	}
}

// Several workers on one database, as instances behind a load balancer,
// with a server that refuses every third message: every message arrives
// exactly once.
func TestEveryMailArrivesOnceWithManyWorkers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quire.db")
	st := storetest.Open(t, path)
	srv := mailtest.Start(t)
	srv.FailEvery(3)
	post := mailer.NewPost("https://hen.example")
	var to []account.Account
	for i := range 5 {
		to = append(to, newAccount(t, st, fmt.Sprintf("r%d@hen.example", i)))
	}
	notify(t, st, post, to, 20, time.Now()) // 100 mails
	var wg sync.WaitGroup
	clock := time.Now()
	for round := range 8 {
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := mailer.Named(mailer.NewWorker(storetest.Open(t, path), post, sender(t, srv), quiet), fmt.Sprintf("worker-%d", i))
				mailer.SetNow(w, clock.Add(time.Duration(round)*time.Hour))
				w.Tick(context.Background())
			}()
		}
		wg.Wait()
	}
	ids := map[string]int{}
	for _, m := range srv.Messages() {
		ids[m.MessageID]++
	}
	if len(ids) != 100 {
		t.Errorf("%d distinct mails arrived, want 100", len(ids))
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
}

func TestChoicesAndTheDailyDigest(t *testing.T) {
	st := storetest.New(t)
	post := mailer.NewPost("https://hen.example")
	now := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC) // before 08:00 UTC
	digest, off, at := newAccount(t, st, "d@hen.example"), newAccount(t, st, "o@hen.example"), newAccount(t, st, "n@hen.example")
	ctx := context.Background()
	err := st.Atomically(ctx, func(tx *store.Store) error {
		if err := tx.SaveNotificationChoices(ctx, digest.ID, map[mail.Kind]mail.Choice{mail.Submitted: mail.DailyDigest}); err != nil {
			return err
		}
		return tx.SaveNotificationChoices(ctx, off.ID, map[mail.Kind]mail.Choice{mail.Submitted: mail.Off})
	})
	if err != nil {
		t.Fatal(err)
	}
	notify(t, st, post, []account.Account{digest, off, at, at}, 3, now)
	counts, _ := st.MailCounts(ctx)
	if counts[mail.Pending] != 3 || counts[mail.Held] != 3 {
		t.Fatalf("outbox after three notices: %v (want 3 pending for the immediate reader, once each, 3 held, none for Off)", counts)
	}
	// Before the digest hour nothing is gathered; after it, one digest.
	if n, err := post.WriteDigests(ctx, st, now.Add(30*time.Minute)); n != 0 || err != nil {
		t.Fatalf("digest before 08:00: %d, %v", n, err)
	}
	if n, err := post.WriteDigests(ctx, st, now.Add(90*time.Minute)); n != 1 || err != nil {
		t.Fatalf("digest after 08:00: %d, %v", n, err)
	}
	if n, _ := post.WriteDigests(ctx, st, now.Add(2*time.Hour)); n != 0 {
		t.Errorf("a second digest was written")
	}
	msgs, _, _ := st.Outbox(ctx, 0, 1)
	d := msgs[0]
	if d.Kind != mail.Digest || d.To != "d@hen.example" || !strings.Contains(d.Subject, "3 notifications") {
		t.Errorf("digest: %+v", d)
	}
	for i := range 3 {
		if !strings.Contains(d.Text, fmt.Sprintf("Review requested: Article %d", i)) {
			t.Errorf("digest lacks article %d:\n%s", i, d.Text)
		}
	}

	// Delivered, it arrives once, beside the immediate reader's three.
	srv := mailtest.Start(t)
	w := mailer.NewWorker(st, post, sender(t, srv), quiet)
	mailer.SetNow(w, now.Add(3*time.Hour))
	if n, err := w.Tick(ctx); n != 4 || err != nil {
		t.Fatalf("Tick = %d, %v", n, err)
	}
	got := srv.To("d@hen.example")
	if len(got) != 1 || got[0].Subject != "Your daily digest: 3 notifications" || got[0].Link("/desk/articles/2/review") == "" {
		t.Errorf("digest as it arrived: %+v", got)
	}
	if len(srv.To("n@hen.example")) != 3 || len(srv.To("o@hen.example")) != 0 {
		t.Errorf("immediate reader got %d, the one who chose Off %d", len(srv.To("n@hen.example")), len(srv.To("o@hen.example")))
	}
}

func TestSMTPURLs(t *testing.T) {
	for _, bad := range []string{"http://x", "smtp://", "smtp://host:99999", "smtp://user:hunter2@host:x"} {
		_, err := mailer.NewSMTP(bad, "a@b.example", "b.example")
		if err == nil {
			t.Errorf("NewSMTP(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error shows the password: %v", err)
		}
	}
	for _, good := range []string{"smtp://mail.example", "smtps://u:p@mail.example", "smtp://u:p@mail.example:2525"} {
		if _, err := mailer.NewSMTP(good, "a@b.example", "b.example"); err != nil {
			t.Errorf("NewSMTP(%q): %v", good, err)
		}
	}
}

// A reset link that waited longer than it works is not sent.
func TestAnExpiredLinkIsNotSent(t *testing.T) {
	st := storetest.New(t)
	srv := mailtest.Start(t)
	post := mailer.NewPost("https://hen.example")
	a := newAccount(t, st, "ada@hen.example")
	created := time.Now().Add(-2 * account.PasswordResetLife)
	err := st.Atomically(context.Background(), func(tx *store.Store) error {
		return post.ResetLink(context.Background(), tx, a, "TOKEN", created)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := mailer.NewWorker(st, post, sender(t, srv), quiet).Tick(context.Background()); n != 0 || err != nil {
		t.Fatalf("Tick = %d, %v", n, err)
	}
	m, _ := st.Mail(context.Background(), 1)
	if m.Status != mail.Failed || !strings.Contains(m.LastError, "expired") || len(srv.Messages()) != 0 {
		t.Errorf("an expired reset link: %s (%s), %d sent", m.Status, m.LastError, len(srv.Messages()))
	}
}
