package publishing_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/hooks"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
)

// BenchmarkPublish is a publication by hand, with and without five
// webhooks told of it in its transaction (their deliveries are sent
// later, by the worker).
func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{0, 5} {
		b.Run(fmt.Sprintf("%d webhooks", n), func(b *testing.B) {
			ctx := context.Background()
			e := publishingtest.New(b)
			admin, err := e.Access.Create(ctx, 0, account.New{Email: "admin@hen.example", Name: "Admin", Role: "admin", Password: "correct horse battery"})
			if err != nil {
				b.Fatal(err)
			}
			for i := range n {
				if _, err := hooks.New(e.Store).Add(ctx, admin, fmt.Sprintf("https://receiver%d.example/hook", i), []string{"article.published", "article.updated"}); err != nil {
					b.Fatal(err)
				}
			}
			a, rev := e.Create("Benchmarked")
			e.Approve(a.ID, rev.ID)
			if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				next := e.SaveApproved(a.ID, rev.Number, "again")
				rev = next
				b.StartTimer()
				if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, next.ID, article.Change{}, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
