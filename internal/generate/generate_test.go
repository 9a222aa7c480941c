package generate_test

import (
	"context"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/generate"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func TestRun(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	const n = 300
	res, err := generate.Run(ctx, st, generate.Options{Articles: n, Seed: 7, Now: time.Now()})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if res.Articles != n || res.Revisions <= n || res.Live == 0 || res.Unpublished == 0 || res.Pending == 0 || res.Scheduled != 1 {
		t.Errorf("result = %+v, want every kind of article", res)
	}
	live, total, err := st.ListLive(ctx, store.ListFilter{Limit: 1})
	if err != nil || total != res.Live || len(live) != 1 {
		t.Errorf("ListLive() total = %d, %v; want the %d live articles", total, err, res.Live)
	}
	// A second run adds to the site, reusing its categories, subjects and staff.
	again, err := generate.Run(ctx, st, generate.Options{Articles: 10, Seed: 8})
	if err != nil || again.Articles != 10 {
		t.Fatalf("second Run() = %+v, %v", again, err)
	}
}

func BenchmarkRun(b *testing.B) {
	st := storetest.New(b)
	for b.Loop() {
		if _, err := generate.Run(context.Background(), st, generate.Options{Articles: 500, Seed: uint64(b.N)}); err != nil {
			b.Fatal(err)
		}
	}
}
