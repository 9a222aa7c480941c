package reading_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/store/storetest"
)

// The store keeps the categories, subjects and contributors that reader
// pages name in memory. A change made through the same store shows at once;
// one made by another process sharing the database shows once this one
// reads the content generation (as every instance does twice a second),
// and a category this process has never seen shows at once.
func TestReaderPagesNameTheCurrentTaxonomy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	here := publishingtest.On(t, storetest.Open(t, path))
	// Another instance, with the same people acting.
	there := *here
	there.Store = storetest.Open(t, path)
	there.Pub, there.Read = publishing.New(there.Store, markup.New()), reading.New(there.Store)
	if err := here.Pub.EnsureSettings(ctx); err != nil { // the row that holds the content generation
		t.Fatal(err)
	}
	a := here.Publish("The Treaty", "", "Signed at night.")
	categoryOf := func() string {
		t.Helper()
		p, err := here.Read.Article(ctx, a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Revision.Categories) != 1 {
			t.Fatalf("categories = %+v", p.Revision.Categories)
		}
		return p.Revision.Categories[0].Name
	}
	if got := categoryOf(); got != "Politics" {
		t.Fatalf("category = %q", got)
	}

	renamed := here.Category
	renamed.Name = "Politics and power"
	if _, err := here.Pub.SaveCategory(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	if got := categoryOf(); got != "Politics and power" {
		t.Errorf("after a rename here, category = %q", got)
	}

	renamed.Name = "Statecraft"
	if _, err := there.Pub.SaveCategory(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	if _, err := here.Store.Generation(ctx); err != nil {
		t.Fatal(err)
	}
	if got := categoryOf(); got != "Statecraft" {
		t.Errorf("after a rename by another instance and a generation read, category = %q", got)
	}

	// Another instance makes a category and publishes an article in it:
	// no generation read is needed for a name this one has never seen.
	war, err := there.Pub.SaveCategory(ctx, article.Category{Slug: "war", Name: "War"})
	if err != nil {
		t.Fatal(err)
	}
	there.Category = war
	b := there.Publish("The Front", "", "Held at dawn.")
	p, err := here.Read.Article(ctx, b.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Revision.Categories) != 1 || p.Revision.Categories[0].Name != "War" || p.Revision.Categories[0].Slug != "war" {
		t.Errorf("categories of an article in a new category = %+v", p.Revision.Categories)
	}
}
