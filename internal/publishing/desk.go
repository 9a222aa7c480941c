package publishing

import (
	"context"
	"strconv"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/workflow"
)

// The desk's reads: each page's data is read in one read transaction, in a
// fixed number of queries however long the article's history.

// View reads an article with its newest and live revisions, its pending
// schedule, and the parts asked for.
func (s *Service) View(ctx context.Context, articleID int64, parts article.DeskParts) (article.DeskView, error) {
	var v article.DeskView
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		v, err = tx.DeskView(ctx, articleID, parts)
		return err
	})
	return v, notFound(err, noSuchArticle)
}

// History is an article with every revision, newest first.
func (s *Service) History(ctx context.Context, articleID int64) (article.DeskView, []article.Revision, error) {
	var v article.DeskView
	var revs []article.Revision
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		if v, err = tx.DeskView(ctx, articleID, article.DeskParts{}); err != nil {
			return notFound(err, noSuchArticle)
		}
		revs, err = tx.Revisions(ctx, articleID)
		return err
	})
	return v, revs, err
}

// Revisions reads an article and the revisions numbered ns, whole.
func (s *Service) Revisions(ctx context.Context, articleID int64, ns ...int) (article.DeskView, []article.Revision, error) {
	var v article.DeskView
	revs := make([]article.Revision, len(ns))
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		if v, err = tx.DeskView(ctx, articleID, article.DeskParts{}); err != nil {
			return notFound(err, noSuchArticle)
		}
		for i, n := range ns {
			if revs[i], err = tx.RevisionByNumber(ctx, articleID, n); err != nil {
				return notFound(err, noSuchRevision)
			}
		}
		return nil
	})
	return v, revs, err
}

// Audit reads an article and its audit log, newest first.
func (s *Service) Audit(ctx context.Context, articleID int64) (article.DeskView, []audit.Event, error) {
	var v article.DeskView
	var events []audit.Event
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		if v, err = tx.DeskView(ctx, articleID, article.DeskParts{}); err != nil {
			return notFound(err, noSuchArticle)
		}
		events, err = tx.ArticleAudit(ctx, articleID)
		return err
	})
	return v, events, err
}

// AuditLog reads one page of every audit event, newest first, and how many
// there are.
func (s *Service) AuditLog(ctx context.Context, limit, offset int) ([]audit.Event, int, error) {
	return s.st.AuditLog(ctx, limit, offset)
}

// Articles lists articles for the desk, most recently changed first, and
// how many match.
func (s *Service) Articles(ctx context.Context, f article.DeskFilter) ([]article.DeskRow, int, error) {
	return s.st.DeskArticles(ctx, f)
}

// failuresShown is how long the dashboard lists a scheduled publication
// that failed, unless someone saves a newer revision first.
const failuresShown = 30 * 24 * time.Hour

// Dashboard reads what waits for a person: their queues, the soonest
// pending schedules and the scheduled publications that failed lately, at
// most limit of each.
func (s *Service) Dashboard(ctx context.Context, me account.Account, limit int) (article.Queues, []article.Schedule, []article.Schedule, error) {
	var q article.Queues
	var scheduled, failed []article.Schedule
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		if q, err = tx.Queues(ctx, me.ID, me.Role.AtLeast(account.Reviewer), limit); err != nil {
			return err
		}
		if scheduled, err = tx.PendingSchedules(ctx, limit); err != nil {
			return err
		}
		failed, err = tx.FailedSchedules(ctx, s.now().Add(-failuresShown), limit)
		return err
	})
	return q, scheduled, failed, err
}

// Steps are the workflow steps open to an actor on an article now, as the
// rules decide them. Why says what stands in the way, or what comes next.
type Steps struct {
	Submit, Review, Publish, Schedule, CancelSchedule, Unpublish bool
	Why                                                          string
}

// StepsFor asks the workflow rules which steps v's newest revision allows
// actor now, so that the desk never offers what the service would refuse.
func StepsFor(actor workflow.Actor, v article.DeskView) Steps {
	a, head := v.Article, v.Head
	st := Steps{
		Submit:         workflow.Submit(head, head) == nil,
		Publish:        workflow.Publish(a, head, head, article.Change{}) == nil,
		CancelSchedule: v.HasSchedule,
		Unpublish:      workflow.Unpublish(a) == nil,
	}
	st.Schedule = st.Publish
	if err := workflow.Review(actor, head, head, workflow.Approve, ""); err == nil {
		st.Review = true
	} else if head.Status == article.StatusInReview {
		st.Why = apperr.MessageOf(err) + " It is waiting in the review queue."
	}
	number := strconv.Itoa(head.Number)
	switch {
	case st.Why != "":
	case head.Status == article.StatusChangesRequested:
		st.Why = "Changes were requested on revision " + number + ": see the review below, then Edit and submit the new revision."
	case a.State == article.Live && head.ID == a.LiveRevisionID:
		st.Why = "Revision " + number + " is live. Edit to start a new revision: readers keep seeing this one until the new one is approved and published."
	case st.Publish && a.State == article.Unpublished:
		st.Why = "This article is unpublished. Publish brings it back; its Published date stays as it was."
	case st.Publish:
		st.Why = "Revision " + number + " is approved: publish it now or schedule it."
	}
	return st
}

// ReviewWhy says why actor may not review v's newest revision now, or ""
// when they may.
func ReviewWhy(actor workflow.Actor, v article.DeskView) string {
	if err := workflow.Review(actor, v.Head, v.Head, workflow.Approve, ""); err != nil {
		return apperr.MessageOf(err)
	}
	return ""
}

// Editing reads what the article form shows: the article with its newest
// revision whole and its pending schedule, and every category, subject and
// contributor to choose from. For a new article (articleID zero) only the
// choices are read.
func (s *Service) Editing(ctx context.Context, articleID int64) (article.DeskView, article.Taxonomy, error) {
	var v article.DeskView
	var t article.Taxonomy
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		if articleID != 0 {
			if v, err = tx.DeskView(ctx, articleID, article.DeskParts{HeadBody: true, Taxonomy: true}); err != nil {
				return notFound(err, noSuchArticle)
			}
		}
		t, err = tx.Taxonomy(ctx)
		return err
	})
	return v, t, err
}
