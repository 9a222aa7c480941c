package generate_test

import (
	"context"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/generate"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t)
	pub, acc := publishing.New(st, markup.New()), access.New(st)
	const n = 300
	res, err := generate.Run(ctx, pub, acc, generate.Options{Articles: n, Seed: 7, Now: time.Now()})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if res.Articles != n || res.Revisions <= n || res.Live == 0 || res.Unpublished == 0 || res.Pending == 0 || res.Scheduled != 1 {
		t.Errorf("result = %+v, want every kind of article", res)
	}
	live, total, err := st.ListLive(ctx, article.ListFilter{Limit: 1})
	if err != nil || total != res.Live || len(live) != 1 {
		t.Errorf("ListLive() total = %d, %v; want the %d live articles", total, err, res.Live)
	}
	// Most articles credit the generator's contributors.
	first, err := st.ContributorBySlug(ctx, generate.FirstContributor)
	if err != nil {
		t.Fatal(err)
	}
	if _, credited, err := st.ListLive(ctx, article.ListFilter{ContributorID: first.ID, Limit: 1}); err != nil || credited == 0 {
		t.Errorf("the first contributor is credited by %d live articles (%v), want some", credited, err)
	}
	// About a third of the articles lead with one of the library's photographs.
	all, _, err := st.ListLive(ctx, article.ListFilter{Limit: n})
	if err != nil {
		t.Fatal(err)
	}
	led := 0
	for _, p := range all {
		if p.Revision.Lead.MediaID != 0 {
			led++
		}
	}
	if led < len(all)/5 || led > len(all)/2 {
		t.Errorf("%d of %d live articles have a lead image, want about a third", led, len(all))
	}
	// A second run adds to the site, reusing its categories, subjects and staff.
	again, err := generate.Run(ctx, pub, acc, generate.Options{Articles: 10, Seed: 8})
	if err != nil || again.Articles != 10 {
		t.Fatalf("second Run() = %+v, %v", again, err)
	}
}

func BenchmarkRun(b *testing.B) {
	st := storetest.New(b)
	pub, acc := publishing.New(st, markup.New()), access.New(st)
	for b.Loop() {
		if _, err := generate.Run(context.Background(), pub, acc, generate.Options{Articles: 500, Seed: uint64(b.N)}); err != nil {
			b.Fatal(err)
		}
	}
}
