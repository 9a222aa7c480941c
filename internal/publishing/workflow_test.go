package publishing_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
	"github.com/quire-cms/quire/internal/workflow"
)

func TestWorkflowRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	future := time.Now().Add(time.Hour)

	tests := []struct {
		name string
		act  func() error
		want apperr.Code
	}{
		{"publishing a draft", func() error {
			a, rev := e.Create("Draft")
			_, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now())
			return err
		}, apperr.Conflict},
		{"publishing a revision still in review", func() error {
			a, rev := e.Create("In review")
			if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
				return err
			}
			_, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now())
			return err
		}, apperr.Conflict},
		{"approving one's own revision", func() error {
			a, rev := e.Create("Own")
			if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
				return err
			}
			return e.Pub.Review(ctx, workflow.Actor{ID: e.Editor.ID, Role: account.Admin}, a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Forbidden},
		{"an editor approving", func() error {
			a, rev, err := e.Pub.Create(ctx, e.Reviewer, e.Prepare(e.Draft("By the reviewer")))
			if err != nil {
				return err
			}
			if err := e.Pub.Submit(ctx, e.Reviewer, a.ID, rev.ID); err != nil {
				return err
			}
			return e.Pub.Review(ctx, e.Editor, a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Forbidden},
		{"approving a revision not submitted", func() error {
			a, rev := e.Create("Not submitted")
			return e.Pub.Review(ctx, e.Reviewer, a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Conflict},
		{"approving a revision that is no longer the head", func() error {
			a, rev := e.Create("Superseded review")
			if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
				return err
			}
			e.Save(a.ID, 1, "more")
			return e.Pub.Review(ctx, e.Reviewer, a.ID, rev.ID, workflow.Approve, "")
		}, apperr.Conflict},
		{"requesting changes without a comment", func() error {
			a, rev := e.Create("No comment")
			if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
				return err
			}
			return e.Pub.Review(ctx, e.Reviewer, a.ID, rev.ID, workflow.RequestChanges, "")
		}, apperr.Invalid},
		{"publishing an approved revision superseded by a save", func() error {
			a, rev := e.Create("Superseded approval")
			e.Approve(a.ID, rev.ID)
			e.Save(a.ID, 1, "after approval")
			_, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now())
			return err
		}, apperr.Conflict},
		{"a first publication marked minor", func() error {
			a, rev := e.Create("Minor first")
			e.Approve(a.ID, rev.ID)
			_, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{Minor: true}, time.Now())
			return err
		}, apperr.Invalid},
		{"scheduling in the past", func() error {
			a, rev := e.Create("Past")
			e.Approve(a.ID, rev.ID)
			return e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now().Add(-time.Minute))
		}, apperr.Invalid},
		{"scheduling an unapproved revision", func() error {
			a, rev := e.Create("Unapproved schedule")
			return e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, future)
		}, apperr.Conflict},
		{"submitting twice", func() error {
			a, rev := e.Create("Twice")
			if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
				return err
			}
			return e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID)
		}, apperr.Conflict},
		{"unpublishing a draft", func() error {
			a, _ := e.Create("Never live")
			return e.Pub.Unpublish(ctx, e.Editor, a.ID, time.Now())
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
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, rev := e.Create("Reviewed")
	if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Pub.Review(ctx, e.Reviewer, a.ID, rev.ID, workflow.RequestChanges, "Cite the autopsy."); err != nil {
		t.Fatal(err)
	}
	got, _ := e.Store.RevisionByNumber(ctx, a.ID, 1)
	if got.Status != article.StatusChangesRequested {
		t.Fatalf("status = %s, want changes requested", got.Status)
	}
	// The author fixes it and resubmits the new revision.
	fixed := e.SaveApproved(a.ID, 1, "Cited the autopsy")
	reviews, err := e.Store.Reviews(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(reviews) != 2 || !reviews[0].Approved || reviews[0].RevisionID != fixed.ID ||
		reviews[1].Approved || reviews[1].Comment != "Cite the autopsy." || reviews[1].ReviewerName != "The reviewer" {
		t.Errorf("reviews = %+v", reviews)
	}
}

func TestUnpublishAndBringBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, rev := e.Create("Taken Down")
	e.Approve(a.ID, rev.ID)
	first := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, first); err != nil {
		t.Fatal(err)
	}
	if err := e.Pub.Unpublish(ctx, e.Editor, a.ID, first.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Read.Article(ctx, a.Slug); apperr.CodeOf(err) != apperr.Gone {
		t.Fatalf("unpublished Article() error = %v, want gone", err)
	}
	if _, total, _ := e.Read.List(ctx, article.ListFilter{Limit: 10}); total != 0 {
		t.Errorf("unpublished article is still listed")
	}
	// The live revision was approved before: it can come back as it was.
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, first.Add(2*time.Hour)); err != nil {
		t.Fatalf("bringing back: %v", err)
	}
	live, err := e.Read.Article(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if !live.Article.PublishedAt.Equal(first) {
		t.Errorf("Published moved to %v, want %v", live.Article.PublishedAt, first)
	}
}

func TestScheduledPublication(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	st := storetest.Open(t, path)
	e := publishingtest.On(t, st)
	a, rev := e.Create("Scheduled")
	e.Approve(a.ID, rev.ID)
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, at); err != nil {
		t.Fatalf("Schedule() error = %v", err)
	}
	if got, _ := e.Store.Article(ctx, a.ID); got.State != article.Scheduled {
		t.Errorf("state = %s, want scheduled", got.State)
	}
	if _, err := e.Read.Article(ctx, a.Slug); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("readers see a scheduled article before its time: %v", err)
	}
	if n, err := e.Pub.PublishDue(ctx, "early", at.Add(-time.Second)); err != nil || n != 0 {
		t.Fatalf("PublishDue() before the time = %d, %v", n, err)
	}

	// Quire restarts, and two processes share the database: each wakes up
	// many times after the due time, and the article goes live exactly once.
	st.Close()
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i := range counts {
		proc := publishing.New(storetest.Open(t, path), markup.New())
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
	read := reading.New(check)
	pubs, err := check.Publications(ctx, a.ID)
	if err != nil || len(pubs) != 1 || pubs[0].PublishedBy != 0 {
		t.Fatalf("Publications() = %+v, %v; want one, by the scheduler", pubs, err)
	}
	if _, ok, _ := check.PendingSchedule(ctx, a.ID); ok {
		t.Error("the schedule is still pending after it went live")
	}
	if _, err := read.Article(ctx, a.Slug); err != nil {
		t.Errorf("Article() after the schedule: %v", err)
	}
}

func TestWhatEndsASchedule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	later := time.Now().Add(time.Hour)

	scheduled := func(title string) (article.Article, article.Revision) {
		t.Helper()
		a, rev := e.Create(title)
		e.Approve(a.ID, rev.ID)
		if err := e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, later); err != nil {
			t.Fatal(err)
		}
		return a, rev
	}
	pending := func(a article.Article) bool {
		t.Helper()
		_, ok, err := e.Store.PendingSchedule(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	t.Run("a manual publish cancels it", func(t *testing.T) {
		a, rev := scheduled("Published by hand")
		if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if pending(a) {
			t.Error("schedule still pending")
		}
		if n, _ := e.Pub.PublishDue(ctx, "later", later.Add(time.Minute)); n != 0 {
			t.Errorf("PublishDue() published %d after a manual publish", n)
		}
	})
	t.Run("a newer revision cancels it, so a newer approval cannot inherit it", func(t *testing.T) {
		a, _ := scheduled("Superseded schedule")
		newer := e.SaveApproved(a.ID, 1, "newer")
		if pending(a) {
			t.Error("schedule of the superseded revision still pending")
		}
		if got, _ := e.Store.Article(ctx, a.ID); got.State != article.Never {
			t.Errorf("state = %s, want never (back from scheduled)", got.State)
		}
		if got, _ := e.Store.RevisionByNumber(ctx, a.ID, newer.Number); got.Status != article.StatusApproved {
			t.Errorf("newer revision = %s, want approved and waiting for its own Publish or Schedule", got.Status)
		}
	})
	t.Run("scheduling again replaces it", func(t *testing.T) {
		a, rev := scheduled("Rescheduled")
		if err := e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, later.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		all, _ := e.Store.PendingSchedules(ctx, 10)
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
		a, rev := e.Create("Live with a scheduled update")
		e.Approve(a.ID, rev.ID)
		if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
			t.Fatal(err)
		}
		update := e.SaveApproved(a.ID, 1, "update")
		if err := e.Pub.Schedule(ctx, e.Editor, a.ID, update.ID, article.Change{}, later); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.Store.Article(ctx, a.ID); got.State != article.Live {
			t.Errorf("a live article with a scheduled update is %s, want still live", got.State)
		}
		if err := e.Pub.Unpublish(ctx, e.Editor, a.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if pending(a) {
			t.Error("schedule still pending after unpublishing")
		}
	})
	t.Run("cancelling by hand", func(t *testing.T) {
		a, _ := scheduled("Cancelled")
		if ok, err := e.Pub.CancelSchedule(ctx, e.Editor, a.ID); err != nil || !ok {
			t.Fatalf("CancelSchedule() = %v, %v", ok, err)
		}
		if ok, _ := e.Pub.CancelSchedule(ctx, e.Editor, a.ID); ok {
			t.Error("cancelled twice")
		}
	})
}

func TestListingsFollowTheLiveRevision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, rev := e.Create("Moved Between Categories")
	e.Approve(a.ID, rev.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	politics := rev.Categories[0].ID
	war, err := e.Pub.SaveCategory(ctx, article.Category{Slug: "war", Name: "War"})
	if err != nil {
		t.Fatal(err)
	}
	listed := func(cat int64) int {
		t.Helper()
		_, total, err := e.Read.List(ctx, article.ListFilter{CategoryID: cat, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	if listed(politics) != 1 || listed(war.ID) != 0 {
		t.Fatalf("before: politics %d, war %d", listed(politics), listed(war.ID))
	}

	// A saved revision in another category changes nothing until it is live.
	next, _ := e.Store.RevisionByNumber(ctx, a.ID, 1)
	d := publishingtest.DraftOf(next)
	d.CategoryIDs = []int64{war.ID}
	done, err := e.Pub.Save(ctx, e.Editor, a.ID, 1, e.Prepare(d))
	if err != nil {
		t.Fatal(err)
	}
	saved := done.Revision
	if listed(politics) != 1 || listed(war.ID) != 0 {
		t.Errorf("a draft moved the listing: politics %d, war %d", listed(politics), listed(war.ID))
	}
	e.Approve(a.ID, saved.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, saved.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if listed(politics) != 0 || listed(war.ID) != 1 {
		t.Errorf("after publishing: politics %d, war %d", listed(politics), listed(war.ID))
	}
	if err := e.Pub.Unpublish(ctx, e.Editor, a.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if listed(war.ID) != 0 {
		t.Error("an unpublished article is still listed")
	}
}

// TestAScheduleThatFailsIsMarkedAndBlocksNothing: a due schedule that
// cannot go live is marked failed with the reason, audited and shown on the
// desk, its article returns to the state it had, and the schedules after
// it go live on time.
func TestAScheduleThatFailsIsMarkedAndBlocksNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	due := time.Now().Add(time.Hour)

	// A live article's update renames it, and is scheduled.
	doomed, rev := e.Create("Doomed")
	e.Approve(doomed.ID, rev.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, doomed.ID, rev.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	d := e.Draft("Doomed")
	d.Slug = "renamed"
	update, err := e.Pub.Save(ctx, e.Editor, doomed.ID, 1, e.Prepare(d))
	if err != nil {
		t.Fatal(err)
	}
	e.Approve(doomed.ID, update.Revision.ID)
	if err := e.Pub.Schedule(ctx, e.Editor, doomed.ID, update.Revision.ID, article.Change{}, due); err != nil {
		t.Fatal(err)
	}
	fine, rev2 := e.Create("Fine")
	e.Approve(fine.ID, rev2.ID)
	if err := e.Pub.Schedule(ctx, e.Editor, fine.ID, rev2.ID, article.Change{}, due.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Data older than the slug reservation: another article already took
	// the doomed revision's slug.
	other, _ := e.Create("Other")
	other.Slug = "renamed"
	err = e.Store.Atomically(ctx, func(tx *store.Store) error { return tx.SaveArticle(ctx, other) })
	if err != nil {
		t.Fatal(err)
	}

	n, err := e.Pub.PublishDue(ctx, "test", due.Add(2*time.Minute))
	if n != 1 || err == nil {
		t.Fatalf("PublishDue() = %d, %v; want the fine one published and the doomed one's error", n, err)
	}
	if _, err := e.Read.Article(ctx, "fine"); err != nil {
		t.Errorf("the schedule after a failing one did not go live: %v", err)
	}
	v, err := e.Pub.View(ctx, doomed.ID, article.DeskParts{})
	if err != nil {
		t.Fatal(err)
	}
	if !v.HasFailed || !strings.Contains(v.Failed.Failure, "slug") || v.HasSchedule || v.Article.State != article.Live || v.Article.Slug != "doomed" {
		t.Errorf("after failing: failed %v (%q), pending %v, state %s", v.HasFailed, v.Failed.Failure, v.HasSchedule, v.Article.State)
	}
	if n, err := e.Pub.PublishDue(ctx, "test", due.Add(time.Hour)); n != 0 || err != nil {
		t.Errorf("a failed schedule was tried again: %d, %v", n, err)
	}
	events, _ := e.Store.ArticleAudit(ctx, doomed.ID)
	if len(events) == 0 || events[0].Action != audit.ScheduleFailed {
		t.Errorf("the failure is not in the audit log: %+v", events)
	}
	_, _, failed, err := e.Pub.Dashboard(ctx, account.Account{ID: e.Editor.ID, Role: e.Editor.Role}, 10)
	if err != nil || len(failed) != 1 || failed[0].ArticleID != doomed.ID {
		t.Errorf("the dashboard lists failures %+v, %v", failed, err)
	}
}

// TestASlugIsReservedByTheRevisionThatWillTakeIt: once an article's newest
// revision has a new slug, no other article can take it, so the revision
// can still go live when approved or scheduled.
func TestASlugIsReservedByTheRevisionThatWillTakeIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, rev := e.Create("First Title")
	e.Approve(a.ID, rev.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	d := e.Draft("First Title")
	d.Slug = "renamed"
	if _, err := e.Pub.Save(ctx, e.Editor, a.ID, 1, e.Prepare(d)); err != nil {
		t.Fatal(err)
	}
	other := e.Draft("Another")
	other.Slug = "renamed"
	_, _, err := e.Pub.Create(ctx, e.Editor, e.Prepare(other))
	if apperr.FieldsOf(err)[article.FieldSlug] == "" {
		t.Errorf("another article took a reserved slug: %v", err)
	}
}

// TestAnyBodyFitsTheSearchIndex: a body of 110,000 distinct words (past
// PostgreSQL's tsvector limit, were it indexed whole) publishes on either
// database; the index keeps its opening, so search finds the words there.
func TestAnyBodyFitsTheSearchIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	var b strings.Builder
	for i := range 110_000 {
		b.WriteString("w" + strconv.FormatInt(int64(i), 36) + " ")
	}
	a := e.Publish("Distinct Words", "", b.String())
	hits, _, err := e.Read.Search(ctx, search.Parse("w2s"), 10, 0)
	if err != nil || len(hits) != 1 || hits[0].Article.ID != a.ID {
		t.Errorf("search for an early word = %d hits, %v", len(hits), err)
	}
}

// TestAScheduleTheDatabaseFailsStaysPending: when the database, not the
// schedule, is at fault, the schedule is not marked failed: it goes live
// at the next run that succeeds.
func TestAScheduleTheDatabaseFailsStaysPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	e := publishingtest.On(t, storetest.Open(t, path))
	a, rev := e.Create("Late but live")
	e.Approve(a.ID, rev.ID)
	due := time.Now().Add(time.Hour)
	if err := e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, due); err != nil {
		t.Fatal(err)
	}
	if err := storetest.Exec(t, path, "ALTER TABLE live_listings RENAME TO live_listings_away"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Pub.PublishDue(ctx, "test", due); n != 0 || err == nil {
		t.Fatalf("PublishDue() with the database broken = %d, %v", n, err)
	}
	if v, err := e.Pub.View(ctx, a.ID, article.DeskParts{}); err != nil || v.HasFailed || !v.HasSchedule {
		t.Fatalf("after a database error: failed %v, pending %v, %v", v.HasFailed, v.HasSchedule, err)
	}
	if err := storetest.Exec(t, path, "ALTER TABLE live_listings_away RENAME TO live_listings"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Pub.PublishDue(ctx, "test", due.Add(time.Minute)); n != 1 || err != nil {
		t.Fatalf("PublishDue() once the database works = %d, %v", n, err)
	}
}
