package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/workflow"
)

// TestDeskStateIsOneRule: the desk list filters by state in SQL and shows
// the state computed in Go (article.StateOf); on an article in each of the
// eight states, the filter finds exactly that article and Go names the
// same state.
func TestDeskStateIsOneRule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	live := func(title string) (article.Article, article.Revision) {
		a, rev := e.Create(title)
		e.Approve(a.ID, rev.ID)
		if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
			t.Fatal(err)
		}
		return a, rev
	}
	makeIn := map[article.DeskState]func(title string){
		article.DeskDraft: func(title string) { e.Create(title) },
		article.DeskInReview: func(title string) {
			a, rev := e.Create(title)
			if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
				t.Fatal(err)
			}
		},
		article.DeskChangesRequested: func(title string) {
			a, rev := e.Create(title)
			if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
				t.Fatal(err)
			}
			if err := e.Pub.Review(ctx, e.Reviewer, a.ID, rev.ID, workflow.RequestChanges, "Cite it."); err != nil {
				t.Fatal(err)
			}
		},
		article.DeskApproved: func(title string) {
			a, rev := e.Create(title)
			e.Approve(a.ID, rev.ID)
		},
		article.DeskLive: func(title string) { live(title) },
		article.DeskLivePending: func(title string) {
			a, _ := live(title)
			e.Save(a.ID, 1, "more")
		},
		article.DeskScheduled: func(title string) {
			a, rev := e.Create(title)
			e.Approve(a.ID, rev.ID)
			if err := e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		},
		article.DeskUnpublished: func(title string) {
			a, _ := live(title)
			if err := e.Pub.Unpublish(ctx, e.Editor, a.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		},
	}
	if len(makeIn) != len(article.DeskStates) {
		t.Fatalf("the test makes %d states; the desk has %d", len(makeIn), len(article.DeskStates))
	}
	for _, st := range article.DeskStates {
		makeIn[st]("In state " + string(st))
	}
	for _, st := range article.DeskStates {
		t.Run(string(st), func(t *testing.T) {
			rows, total, err := e.Store.DeskArticles(ctx, article.DeskFilter{State: st, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(rows) != 1 || rows[0].Title != "In state "+string(st) {
				t.Fatalf("the %s filter found %d: %+v", st, total, rows)
			}
			if rows[0].State != st {
				t.Errorf("SQL filters it as %s; Go calls it %s", st, rows[0].State)
			}
		})
	}
}
