package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/demo"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func services(t *testing.T) (*store.Store, *publishing.Service, *reading.Service) {
	t.Parallel()
	st := storetest.New(t)
	return st, publishing.New(st, markup.New()), reading.New(st)
}

const slug = "trotskys-assassination-ends-stalins-opposition"

func TestLoad(t *testing.T) {
	ctx := context.Background()
	st, pub, read := services(t)
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	loaded, err := demo.Load(ctx, pub, at)
	if err != nil || !loaded {
		t.Fatalf("Load() = %v, %v; want true, nil", loaded, err)
	}

	n, err := st.Network(ctx)
	if err != nil || n.Name != "History Editorial Network" || n.ShortName != "HEN" {
		t.Fatalf("network = %+v, %v", n, err)
	}
	p, err := read.Article(ctx, slug)
	if err != nil {
		t.Fatalf("Article() error = %v", err)
	}
	rev := p.Revision
	checks := []struct {
		name      string
		got, want any
	}{
		{"title", rev.Title, "Trotsky's Assassination Ends Stalin's Opposition"},
		{"revision number", rev.Number, 1},
		{"categories", names(rev.Categories, func(c article.Category) string { return c.Name }), "Politics, Biography"},
		{"subjects", names(rev.Subjects, func(s article.Subject) string { return s.Name }), "Joseph Stalin, Leon Trotsky"},
		{"event date", rev.EventDate.Format(article.DateLayout), "1940-08-20"},
		{"reference title", rev.Reference.Title, "Assassination of Leon Trotsky"},
		{"reference URL", rev.Reference.URL, "https://en.wikipedia.org/wiki/Assassination_of_Leon_Trotsky"},
		{"attribution", rev.Attribution, "History Editorial Network (HEN)"},
		{"reading time", rev.ReadingMinutes, 4},
		{"published", p.Article.PublishedAt.UTC(), at},
		{"updated", p.Article.UpdatedAt.UTC(), at},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if rev.WordCount < 250 {
		t.Errorf("word count = %d; the body should hold the seed's two paragraphs", rev.WordCount)
	}
	// No backdoor around review: the article was created as a draft, then
	// submitted, approved and published, each step in the audit log.
	events, err := st.ArticleAudit(ctx, p.Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, string(e.Action))
	}
	slices.Sort(got)
	want := []string{string(audit.Created), string(audit.Published), string(audit.Approved), string(audit.Submitted)}
	if !slices.Equal(got, want) {
		t.Errorf("audit log = %v, want %v", got, want)
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	ctx := context.Background()
	_, pub, read := services(t)
	if _, err := demo.Load(ctx, pub, time.Now()); err != nil {
		t.Fatal(err)
	}
	loaded, err := demo.Load(ctx, pub, time.Now())
	if err != nil || loaded {
		t.Fatalf("second Load() = %v, %v; want false, nil", loaded, err)
	}
	items, total, err := read.List(ctx, article.ListFilter{Limit: 10})
	if err != nil || total != 1 || len(items) != 1 {
		t.Errorf("after two loads: %d live articles, %v; want 1", total, err)
	}
}

func TestLoadLeavesADatabaseWithContentAlone(t *testing.T) {
	ctx := context.Background()
	st, pub, read := services(t)
	if _, err := pub.SaveCategory(ctx, article.Category{Slug: "war", Name: "War"}); err != nil {
		t.Fatal(err)
	}
	loaded, err := demo.Load(ctx, pub, time.Now())
	if err != nil || loaded {
		t.Fatalf("Load() = %v, %v; want false, nil", loaded, err)
	}
	n, _ := read.Settings(ctx)
	if n.Name == demo.Network.Name {
		t.Error("demo network was written into a database that had content")
	}
	cats, _ := st.Categories(ctx)
	if len(cats) != 1 {
		t.Errorf("categories = %v, want only the existing one", cats)
	}
}

func names[T any](items []T, name func(T) string) string {
	out := ""
	for i, it := range items {
		if i > 0 {
			out += ", "
		}
		out += name(it)
	}
	return out
}
