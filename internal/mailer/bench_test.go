package mailer_test

import (
	"context"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/mailer"
	"github.com/quire-cms/quire/internal/mailer/mailtest"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

// BenchmarkNotify is the cost a notification adds to the use case that
// causes it: composing both parts and writing the row, inside its
// transaction.
func BenchmarkNotify(b *testing.B) {
	st := storetest.New(b)
	post := mailer.NewPost("https://hen.example")
	var to account.Account
	st.Atomically(context.Background(), func(tx *store.Store) error {
		var err error
		to, err = tx.InsertAccount(context.Background(), account.Account{Email: "r@hen.example", Name: "R", Role: account.Reviewer, Active: true, CreatedAt: time.Now()}, "x")
		return err
	})
	n := mailer.Notice{Kind: mail.Submitted, ArticleID: 1, Title: "The Yalta Conference", Revision: 2, Actor: "Ed", Summary: "+12 words, −3 words."}
	b.ReportAllocs()
	for b.Loop() {
		err := st.Atomically(context.Background(), func(tx *store.Store) error {
			return post.Notify(context.Background(), tx, n, 0, []account.Account{to}, time.Now())
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeliver sends mail from the outbox to a real SMTP server on
// loopback, one connection per message.
func BenchmarkDeliver(b *testing.B) {
	st := storetest.New(b)
	srv := mailtest.Start(b)
	post := mailer.NewPost("https://hen.example")
	send, err := mailer.NewSMTP(srv.URL, "desk@hen.example", "hen.example")
	if err != nil {
		b.Fatal(err)
	}
	var to account.Account
	st.Atomically(context.Background(), func(tx *store.Store) error {
		to, err = tx.InsertAccount(context.Background(), account.Account{Email: "r@hen.example", Name: "R", Role: account.Reviewer, Active: true, CreatedAt: time.Now()}, "x")
		return err
	})
	n := mailer.Notice{Kind: mail.Submitted, ArticleID: 1, Title: "The Yalta Conference", Revision: 2, Actor: "Ed"}
	w := mailer.NewWorker(st, post, send, quiet)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		st.Atomically(context.Background(), func(tx *store.Store) error {
			return post.Notify(context.Background(), tx, n, 0, []account.Account{to}, time.Now().Add(-time.Second))
		})
		b.StartTimer()
		if sent, err := w.Tick(context.Background()); err != nil || sent != 1 {
			b.Fatalf("Tick = %d, %v", sent, err)
		}
	}
}
