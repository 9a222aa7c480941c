package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
	"github.com/quire-cms/quire/internal/workflow"
)

// workflowFixture has an editor and a reviewer to move revisions along.
type workflowFixture struct {
	t                *testing.T
	st               *store.Store
	editor, reviewer int64
}

func newWorkflow(t *testing.T, st *store.Store) *workflowFixture {
	t.Helper()
	w := &workflowFixture{t: t, st: st}
	for _, a := range []struct {
		id   *int64
		role account.Role
	}{{&w.editor, account.Editor}, {&w.reviewer, account.Reviewer}} {
		created, err := st.CreateAccount(context.Background(), 0, account.Account{
			Email: string(a.role) + "@hen.example", Name: "The " + string(a.role), Role: a.role, Active: true,
		}, "unused-hash", false)
		if err != nil {
			t.Fatal(err)
		}
		*a.id = created.ID
	}
	return w
}

func (w *workflowFixture) reviewerActor() workflow.Actor {
	return workflow.Actor{ID: w.reviewer, Role: account.Reviewer}
}

// approve submits revisionID as the editor and approves it as the reviewer.
func (w *workflowFixture) approve(articleID, revisionID int64) {
	w.t.Helper()
	ctx := context.Background()
	if err := w.st.Submit(ctx, w.editor, articleID, revisionID); err != nil {
		w.t.Fatalf("Submit() error = %v", err)
	}
	if err := w.st.Review(ctx, w.reviewerActor(), articleID, revisionID, workflow.Approve, "Good."); err != nil {
		w.t.Fatalf("Review() error = %v", err)
	}
}

// save saves a new revision as the editor on top of revision base.
func (w *workflowFixture) save(articleID int64, base int, note string) article.Revision {
	w.t.Helper()
	rev, err := w.st.RevisionByNumber(context.Background(), articleID, base)
	if err != nil {
		w.t.Fatal(err)
	}
	rev.ChangeNote = note
	rev.BodyMarkdown += "\n\n" + note
	saved, err := w.st.SaveRevision(context.Background(), w.editor, articleID, base, rev)
	if err != nil {
		w.t.Fatalf("SaveRevision() error = %v", err)
	}
	return saved
}

func (w *workflowFixture) saveApproved(articleID int64, base int, note string) article.Revision {
	w.t.Helper()
	rev := w.save(articleID, base, note)
	w.approve(articleID, rev.ID)
	return rev
}

// draftArticle creates an article written by the editor.
func (w *workflowFixture) draftArticle(title string) (article.Article, article.Revision) {
	w.t.Helper()
	a, rev, err := w.st.CreateArticle(context.Background(), w.editor, fixture(w.t, w.st, title))
	if err != nil {
		w.t.Fatal(err)
	}
	return a, rev
}

func TestWorkflowRefuses(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	w := newWorkflow(t, st)
	future := time.Now().Add(time.Hour)

	tests := []struct {
		name string
		act  func() error
		want apperr.Code
	}{
		{"publishing a draft", func() error {
			a, rev := w.draftArticle("Draft")
			_, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, time.Now())
			return err
		}, apperr.Conflict},
		{"publishing a revision still in review", func() error {
			a, rev := w.draftArticle("In review")
			if err := st.Submit(ctx, w.editor, a.ID, rev.ID); err != nil {
				return err
			}
			_, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, time.Now())
			return err
		}, apperr.Conflict},
		{"approving one's own revision", func() error {
			a, rev := w.draftArticle("Own")
			if err := st.Submit(ctx, w.editor, a.ID, rev.ID); err != nil {
				return err
			}
			return st.Review(ctx, workflow.Actor{ID: w.editor, Role: account.Admin}, a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Forbidden},
		{"an editor approving", func() error {
			a, rev, err := st.CreateArticle(ctx, w.reviewer, fixture(t, st, "By the reviewer"))
			if err != nil {
				return err
			}
			if err := st.Submit(ctx, w.reviewer, a.ID, rev.ID); err != nil {
				return err
			}
			return st.Review(ctx, workflow.Actor{ID: w.editor, Role: account.Editor}, a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Forbidden},
		{"approving a revision not submitted", func() error {
			a, rev := w.draftArticle("Not submitted")
			return st.Review(ctx, w.reviewerActor(), a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Conflict},
		{"approving a revision that is no longer the head", func() error {
			a, rev := w.draftArticle("Superseded review")
			if err := st.Submit(ctx, w.editor, a.ID, rev.ID); err != nil {
				return err
			}
			w.save(a.ID, 1, "more")
			return st.Review(ctx, w.reviewerActor(), a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Conflict},
		{"requesting changes without a comment", func() error {
			a, rev := w.draftArticle("No comment")
			if err := st.Submit(ctx, w.editor, a.ID, rev.ID); err != nil {
				return err
			}
			return st.Review(ctx, w.reviewerActor(), a.ID, rev.ID, workflow.RequestChanges, "")
		}, apperr.Invalid},
		{"publishing an approved revision superseded by a save", func() error {
			a, rev := w.draftArticle("Superseded approval")
			w.approve(a.ID, rev.ID)
			w.save(a.ID, 1, "after approval")
			_, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, time.Now())
			return err
		}, apperr.Conflict},
		{"a first publication marked minor", func() error {
			a, rev := w.draftArticle("Minor first")
			w.approve(a.ID, rev.ID)
			_, err := st.Publish(ctx, w.editor, a.ID, rev.ID, true, time.Now())
			return err
		}, apperr.Invalid},
		{"scheduling in the past", func() error {
			a, rev := w.draftArticle("Past")
			w.approve(a.ID, rev.ID)
			return st.Schedule(ctx, w.editor, a.ID, rev.ID, false, time.Now().Add(-time.Minute))
		}, apperr.Invalid},
		{"scheduling an unapproved revision", func() error {
			a, rev := w.draftArticle("Unapproved schedule")
			return st.Schedule(ctx, w.editor, a.ID, rev.ID, false, future)
		}, apperr.Conflict},
		{"submitting twice", func() error {
			a, rev := w.draftArticle("Twice")
			if err := st.Submit(ctx, w.editor, a.ID, rev.ID); err != nil {
				return err
			}
			return st.Submit(ctx, w.editor, a.ID, rev.ID)
		}, apperr.Conflict},
		{"unpublishing a draft", func() error {
			a, _ := w.draftArticle("Never live")
			return st.Unpublish(ctx, w.editor, a.ID, time.Now())
		}, apperr.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.act()
			if got := apperr.CodeOf(err); got != tt.want {
				t.Fatalf("error = %v (%s), want %s", err, got, tt.want)
			}
			if apperr.MessageOf(err) == "" {
				t.Error("the refusal has no message for the user")
			}
		})
	}
}

func TestReviewsAreKeptWithTheirRevision(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	w := newWorkflow(t, st)
	a, rev := w.draftArticle("Reviewed")
	if err := st.Submit(ctx, w.editor, a.ID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Review(ctx, w.reviewerActor(), a.ID, rev.ID, workflow.RequestChanges, "Cite the autopsy."); err != nil {
		t.Fatal(err)
	}
	got, _ := st.RevisionByNumber(ctx, a.ID, 1)
	if got.Status != article.StatusChangesRequested {
		t.Fatalf("status = %s, want changes requested", got.Status)
	}
	// The author fixes it and resubmits the new revision.
	fixed := w.saveApproved(a.ID, 1, "Cited the autopsy")
	reviews, err := st.Reviews(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(reviews) != 2 || !reviews[0].Approved || reviews[0].RevisionID != fixed.ID ||
		reviews[1].Approved || reviews[1].Comment != "Cite the autopsy." || reviews[1].ReviewerName != "The reviewer" {
		t.Errorf("reviews = %+v", reviews)
	}
}

func TestUnpublishAndBringBack(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	w := newWorkflow(t, st)
	a, rev := w.draftArticle("Taken Down")
	w.approve(a.ID, rev.ID)
	first := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	if _, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, first); err != nil {
		t.Fatal(err)
	}
	if err := st.Unpublish(ctx, w.editor, a.ID, first.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LiveArticle(ctx, a.Slug); apperr.CodeOf(err) != apperr.Gone {
		t.Fatalf("unpublished LiveArticle() error = %v, want gone", err)
	}
	if _, total, _ := st.ListLive(ctx, store.ListFilter{Limit: 10}); total != 0 {
		t.Errorf("unpublished article is still listed")
	}
	// The live revision was approved before: it can come back as it was.
	if _, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, first.Add(2*time.Hour)); err != nil {
		t.Fatalf("bringing back: %v", err)
	}
	live, err := st.LiveArticle(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if !live.Article.PublishedAt.Equal(first) {
		t.Errorf("Published moved to %v, want %v", live.Article.PublishedAt, first)
	}
}

func TestScheduledPublication(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	st := storetest.Open(t, path)
	w := newWorkflow(t, st)
	a, rev := w.draftArticle("Scheduled")
	w.approve(a.ID, rev.ID)
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := st.Schedule(ctx, w.editor, a.ID, rev.ID, false, at); err != nil {
		t.Fatalf("Schedule() error = %v", err)
	}
	if got, _ := st.ArticleByID(ctx, a.ID); got.State != article.Scheduled {
		t.Errorf("state = %s, want scheduled", got.State)
	}
	if _, err := st.LiveArticle(ctx, a.Slug); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("readers see a scheduled article before its time: %v", err)
	}
	if n, err := st.PublishDue(ctx, "early", at.Add(-time.Second)); err != nil || n != 0 {
		t.Fatalf("PublishDue() before the time = %d, %v", n, err)
	}

	// Quire restarts, and two processes share the database: each wakes up
	// many times after the due time, and the article goes live exactly once.
	st.Close()
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i := range counts {
		proc := storetest.Open(t, path)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				n, err := proc.PublishDue(ctx, fmt.Sprintf("process-%d", i), at.Add(time.Minute))
				if err != nil {
					t.Errorf("process %d: PublishDue() error = %v", i, err)
					return
				}
				counts[i] += n
			}
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Fatalf("publications by process = %v, want exactly one in all", counts)
	}
	check := storetest.Open(t, path)
	pubs, err := check.Publications(ctx, a.ID)
	if err != nil || len(pubs) != 1 || pubs[0].PublishedBy != 0 {
		t.Fatalf("Publications() = %+v, %v; want one, by the scheduler", pubs, err)
	}
	if _, ok, _ := check.PendingSchedule(ctx, a.ID); ok {
		t.Error("the schedule is still pending after it went live")
	}
	if _, err := check.LiveArticle(ctx, a.Slug); err != nil {
		t.Errorf("LiveArticle() after the schedule: %v", err)
	}
}

func TestWhatEndsASchedule(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	w := newWorkflow(t, st)
	later := time.Now().Add(time.Hour)

	scheduled := func(title string) (article.Article, article.Revision) {
		t.Helper()
		a, rev := w.draftArticle(title)
		w.approve(a.ID, rev.ID)
		if err := st.Schedule(ctx, w.editor, a.ID, rev.ID, false, later); err != nil {
			t.Fatal(err)
		}
		return a, rev
	}
	pending := func(a article.Article) bool {
		t.Helper()
		_, ok, err := st.PendingSchedule(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	t.Run("a manual publish cancels it", func(t *testing.T) {
		a, rev := scheduled("Published by hand")
		if _, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		if pending(a) {
			t.Error("schedule still pending")
		}
		if n, _ := st.PublishDue(ctx, "later", later.Add(time.Minute)); n != 0 {
			t.Errorf("PublishDue() published %d after a manual publish", n)
		}
	})
	t.Run("a newer revision cancels it, so a newer approval cannot inherit it", func(t *testing.T) {
		a, _ := scheduled("Superseded schedule")
		newer := w.saveApproved(a.ID, 1, "newer")
		if pending(a) {
			t.Error("schedule of the superseded revision still pending")
		}
		if got, _ := st.ArticleByID(ctx, a.ID); got.State != article.Never {
			t.Errorf("state = %s, want never (back from scheduled)", got.State)
		}
		if got, _ := st.RevisionByNumber(ctx, a.ID, newer.Number); got.Status != article.StatusApproved {
			t.Errorf("newer revision = %s, want approved and waiting for its own Publish or Schedule", got.Status)
		}
	})
	t.Run("scheduling again replaces it", func(t *testing.T) {
		a, rev := scheduled("Rescheduled")
		if err := st.Schedule(ctx, w.editor, a.ID, rev.ID, false, later.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		all, _ := st.PendingSchedules(ctx)
		n := 0
		for _, s := range all {
			if s.ArticleID == a.ID {
				n++
				if !s.PublishAt.Equal(later.Add(time.Hour).Truncate(time.Second)) {
					t.Errorf("publish at = %v", s.PublishAt)
				}
			}
		}
		if n != 1 {
			t.Errorf("pending schedules for the article = %d, want 1", n)
		}
	})
	t.Run("unpublishing cancels a scheduled update", func(t *testing.T) {
		a, rev := w.draftArticle("Live with a scheduled update")
		w.approve(a.ID, rev.ID)
		if _, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		update := w.saveApproved(a.ID, 1, "update")
		if err := st.Schedule(ctx, w.editor, a.ID, update.ID, false, later); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.ArticleByID(ctx, a.ID); got.State != article.Live {
			t.Errorf("a live article with a scheduled update is %s, want still live", got.State)
		}
		if err := st.Unpublish(ctx, w.editor, a.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if pending(a) {
			t.Error("schedule still pending after unpublishing")
		}
	})
	t.Run("cancelling by hand", func(t *testing.T) {
		a, _ := scheduled("Cancelled")
		if ok, err := st.CancelSchedule(ctx, w.editor, a.ID); err != nil || !ok {
			t.Fatalf("CancelSchedule() = %v, %v", ok, err)
		}
		if ok, _ := st.CancelSchedule(ctx, w.editor, a.ID); ok {
			t.Error("cancelled twice")
		}
	})
}

func TestListingsFollowTheLiveRevision(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	w := newWorkflow(t, st)
	a, rev := w.draftArticle("Moved Between Categories")
	w.approve(a.ID, rev.ID)
	if _, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	politics := rev.Categories[0].ID
	war, err := st.CreateCategory(ctx, article.Category{Slug: "war", Name: "War"})
	if err != nil {
		t.Fatal(err)
	}
	listed := func(cat int64) int {
		t.Helper()
		_, total, err := st.ListLive(ctx, store.ListFilter{CategoryID: cat, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	if listed(politics) != 1 || listed(war.ID) != 0 {
		t.Fatalf("before: politics %d, war %d", listed(politics), listed(war.ID))
	}

	// A saved revision in another category changes nothing until it is live.
	next, _ := st.RevisionByNumber(ctx, a.ID, 1)
	next.Categories = []article.Category{war}
	saved, err := st.SaveRevision(ctx, w.editor, a.ID, 1, next)
	if err != nil {
		t.Fatal(err)
	}
	if listed(politics) != 1 || listed(war.ID) != 0 {
		t.Errorf("a draft moved the listing: politics %d, war %d", listed(politics), listed(war.ID))
	}
	w.approve(a.ID, saved.ID)
	if _, err := st.Publish(ctx, w.editor, a.ID, saved.ID, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if listed(politics) != 0 || listed(war.ID) != 1 {
		t.Errorf("after publishing: politics %d, war %d", listed(politics), listed(war.ID))
	}
	if err := st.Unpublish(ctx, w.editor, a.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if listed(war.ID) != 0 {
		t.Error("an unpublished article is still listed")
	}
}
