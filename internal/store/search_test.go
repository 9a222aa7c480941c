package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/generate"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

// text joins a search result's segments, marking the matched ones as
// [word].
func text(segs []search.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Mark {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	st := e.Store
	exile := e.Publish("Trotsky Exiled", "", "Stalin had Trotsky deported to Turkey in 1929.")
	e.Publish("The Great Purge", "", "Stalin's purge reached the army; Trotsky was tried in absence.")
	e.Create("Secret Draft About Trotsky")

	find := func(q string) []search.Hit {
		t.Helper()
		hits, total, err := st.Search(ctx, search.Parse(q), 10, 0)
		if err != nil {
			t.Fatalf("Search(%q) error = %v", q, err)
		}
		if total != len(hits) {
			t.Fatalf("Search(%q) total %d for %d hits", q, total, len(hits))
		}
		return hits
	}
	hits := find("trotsky")
	if len(hits) != 2 {
		t.Fatalf("trotsky finds %d, want the two live articles (not the draft)", len(hits))
	}
	if hits[0].Revision.Title != "Trotsky Exiled" || text(hits[0].Title) != "[Trotsky] Exiled" {
		t.Errorf("best hit = %q (marked %q), want the title match first", hits[0].Revision.Title, text(hits[0].Title))
	}
	if got := find("deported"); len(got) != 1 || !strings.Contains(text(got[0].Snippet), "[deported]") {
		t.Errorf("snippet = %+v", got)
	}
	if got := find("purges"); len(got) != 1 {
		t.Errorf("the stemmer does not match purge/purges: %d hits", len(got))
	}
	for _, hostile := range []string{`"`, `"trotsky`, `trotsky*`, `NEAR(trotsky stalin)`, `-stalin`, `title:trotsky`, `a OR b AND NOT c`,
		"\x00\x02trotsky\x03", "\u0301", strings.Repeat("x", 10_000), strings.Repeat("trotsky ", 2000), `*`, `^trotsky`, `(`} {
		find(hostile)
	}

	if err := e.Pub.Unpublish(ctx, e.Editor, exile.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := find("deported"); len(got) != 0 {
		t.Errorf("an unpublished article is still found")
	}
}

// TestSearchFindsTheSameArticles: whichever database Quire runs on (the
// suite runs on both), the same words find the same articles. Only which
// are found is compared: ranking is each database's own.
func TestSearchFindsTheSameArticles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	st := e.Store
	e.Publish("Trotsky Exiled", "Deported to Turkey", "Stalin had Trotsky deported in 1929.")
	e.Publish("The Great Purge", "", "Stalin's purges reached the army; Trotsky was tried in absence.")
	e.Publish("Stalin Signs the Pact", "Molotov and Ribbentrop meet in Moscow", "The pact divided Eastern Europe.")
	e.Create("Trotsky in Mexico, a Draft")

	tests := []struct{ query, want string }{
		{"stalin", "Stalin Signs the Pact; The Great Purge; Trotsky Exiled"},
		{"trotsky", "The Great Purge; Trotsky Exiled"},
		{"TROTSKY stalin", "The Great Purge; Trotsky Exiled"},
		{"trotsky pact", ""},
		{"deport*", "Trotsky Exiled"},
		{"rib*", "Stalin Signs the Pact"},
		{"molotov", "Stalin Signs the Pact"},
		{"purge", "The Great Purge"},
		{"purges", "The Great Purge"},
		{"signing", "Stalin Signs the Pact"},
		{"1929", "Trotsky Exiled"},
		{"the great purge", "The Great Purge"},
		{"mexico", ""},
		{"kamenev", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, total, err := st.Search(ctx, search.Parse(tt.query), 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			titles := make([]string, len(hits))
			for i, h := range hits {
				titles[i] = h.Revision.Title
			}
			slices.Sort(titles)
			if got := strings.Join(titles, "; "); got != tt.want || total != len(hits) {
				t.Errorf("Search(%q) found %q (total %d), want %q", tt.query, got, total, tt.want)
			}
		})
	}
}

func TestSearchRanksTheNewestMatchesOfACommonWord(t *testing.T) {
	ctx := context.Background()
	e := publishingtest.New(t)
	st := e.Store
	store.ShrinkSearchWindow(t, 5)
	for i := range 8 {
		title := fmt.Sprintf("Article %d", i)
		if i == 0 {
			title = "Treaty of Versailles" // the best match, but the oldest
		}
		e.Publish(title, "", "A treaty was signed.")
	}
	hits, total, err := st.Search(ctx, search.Parse("treaty"), 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 6 || len(hits) != 5 {
		t.Errorf("total %d (want 6, meaning more than 5) and %d hits (want the 5 newest)", total, len(hits))
	}
	for _, h := range hits {
		if h.Revision.Title == "Treaty of Versailles" {
			t.Error("a match outside the window was ranked")
		}
	}
	if hits, _, _ := st.Search(ctx, search.Parse("versailles"), 20, 0); len(hits) != 1 {
		t.Errorf("a rare word finds %d, want the old article", len(hits))
	}
}

// BenchmarkSearch runs a two-word search over 2,000 generated live-ish
// articles, ranked, with the first page's titles and snippets marked.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	st := storetest.New(b)
	if _, err := generate.Run(ctx, publishing.New(st, markup.New()), access.New(st), generate.Options{Articles: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	q := search.Parse("treaty election")
	b.ResetTimer()
	for b.Loop() {
		if _, total, err := st.Search(ctx, q, 20, 0); err != nil || total == 0 {
			b.Fatalf("Search() = %d, %v", total, err)
		}
	}
}

// BenchmarkSearchHugeBody searches two words that fill a 1 MB article: the
// index keeps only a body's opening, so the excerpt costs the same
// whatever the length of the articles.
func BenchmarkSearchHugeBody(b *testing.B) {
	e := publishingtest.New(b)
	e.Publish("Huge", "", strings.Repeat("The treaty was signed and the armistice held for years. ", 18_000))
	e.Publish("Small", "", "The treaty was signed.")
	q := search.Parse("treaty armistice")
	for b.Loop() {
		if _, _, err := e.Store.Search(b.Context(), q, 20, 0); err != nil {
			b.Fatal(err)
		}
	}
}
