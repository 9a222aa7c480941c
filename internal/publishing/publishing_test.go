package publishing_test

import (
	"context"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
)

func TestCreateAndPublish(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, rev := e.Create("Trotsky Assassinated")
	if rev.Number != 1 || a.HeadRevisionID != rev.ID || a.State != article.Never {
		t.Fatalf("created article %+v revision number %d", a, rev.Number)
	}

	if _, err := e.Read.Article(ctx, a.Slug); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("never-published Article() error = %v, want not found", err)
	}
	if items, total, _ := e.Read.List(ctx, article.ListFilter{Limit: 10}); total != 0 || len(items) != 0 {
		t.Fatalf("never-published article is listed: %d", total)
	}

	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	e.Approve(a.ID, rev.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, at); err != nil {
		t.Fatalf("Publish() error = %v", err)
	}
	live, err := e.Read.Article(ctx, a.Slug)
	if err != nil {
		t.Fatalf("Article() error = %v", err)
	}
	if !live.Article.PublishedAt.Equal(at) || !live.Article.UpdatedAt.Equal(at) {
		t.Errorf("dates = %v / %v, want %v", live.Article.PublishedAt, live.Article.UpdatedAt, at)
	}
	if live.Revision.Title != "Trotsky Assassinated" || len(live.Revision.Categories) != 1 || len(live.Revision.Subjects) != 1 {
		t.Errorf("live revision = %+v", live.Revision)
	}
	if got := live.Revision.EventDate.Format(article.DateLayout); got != "1940-08-20" {
		t.Errorf("event date = %s", got)
	}

	// A minor correction moves neither date; an update moves only Updated
	// and appears in the public update log with its change note.
	fix := e.SaveApproved(a.ID, 1, "Typo fixed")
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, fix.ID, article.Change{Minor: true}, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	live, _ = e.Read.Article(ctx, a.Slug)
	if !live.Article.UpdatedAt.Equal(at) || !live.Article.PublishedAt.Equal(at) || len(live.Updates) != 0 {
		t.Errorf("minor correction: dates %v / %v, updates %v", live.Article.PublishedAt, live.Article.UpdatedAt, live.Updates)
	}
	update := e.SaveApproved(a.ID, 2, "Added the autopsy report")
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, update.ID, article.Change{}, at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	live, _ = e.Read.Article(ctx, a.Slug)
	if !live.Article.UpdatedAt.Equal(at.Add(2*time.Hour)) || !live.Article.PublishedAt.Equal(at) {
		t.Errorf("update: dates %v / %v", live.Article.PublishedAt, live.Article.UpdatedAt)
	}
	if len(live.Updates) != 1 || live.Updates[0].Note != "Added the autopsy report" {
		t.Errorf("updates = %+v, want the one non-minor update", live.Updates)
	}
	pubs, err := e.Store.Publications(ctx, a.ID)
	if err != nil || len(pubs) != 3 {
		t.Fatalf("Publications() = %v, %v", pubs, err)
	}
}

func TestPublishRefusesRevisionOfAnotherArticle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, _ := e.Create("First")
	_, other := e.Create("Second")
	_, err := e.Pub.Publish(ctx, e.Editor, a.ID, other.ID, article.Change{}, time.Now())
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("Publish() error = %v, want not found", err)
	}
	err = e.Pub.Submit(ctx, e.Editor, a.ID, other.ID)
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("Submit() error = %v, want not found", err)
	}
}

func TestCreateArticleRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	e.Create("Taken")
	tests := []struct {
		name   string
		change func(*article.Draft)
		field  string
	}{
		{"taken slug", func(d *article.Draft) {}, article.FieldSlug},
		{"unknown category", func(d *article.Draft) {
			d.Slug = "other"
			d.CategoryIDs = []int64{999}
		}, article.FieldCategories},
		{"unknown subject", func(d *article.Draft) {
			d.Slug = "another"
			d.SubjectIDs = []int64{999}
		}, article.FieldSubjects},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := e.Draft("Taken")
			tt.change(&d)
			_, _, err := e.Pub.Create(ctx, e.Editor, e.Prepare(d))
			if apperr.CodeOf(err) != apperr.Invalid || apperr.FieldsOf(err)[tt.field] == "" {
				t.Errorf("CreateArticle() error = %v (fields %v), want a message for %s", err, apperr.FieldsOf(err), tt.field)
			}
		})
	}
	// Nothing half-made was left behind by the refused saves.
	items, _, _ := e.Read.List(ctx, article.ListFilter{Limit: 10})
	if len(items) != 0 {
		t.Errorf("refused saves left live articles: %d", len(items))
	}
}
