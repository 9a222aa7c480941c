package publishing

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/record"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/webhook"
	"github.com/quire-cms/quire/internal/workflow"
)

// Publish makes revisionID live at time at as the change ch, if the rules
// allow it, and records the publication (a new public version, sealed in
// the record), the public dates, the search index entry and the audit
// entry in one transaction. A note left empty is the revision's change
// note. A pending schedule is cancelled: the editor's explicit publish
// wins over an earlier plan.
func (s *Service) Publish(ctx context.Context, actor workflow.Actor, articleID, revisionID int64, ch article.Change, at time.Time) (article.Article, error) {
	var a article.Article
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		sit, err := situate(ctx, tx, articleID, revisionID)
		if err != nil {
			return err
		}
		ch = changeOf(sit, ch)
		if err := workflow.Publish(sit.article, sit.head, sit.target, ch); err != nil {
			return err
		}
		if _, err := cancelSchedule(ctx, tx, actor.ID, &sit.article, at, "published by hand instead"); err != nil {
			return err
		}
		var pub article.Publication
		if a, pub, err = publish(ctx, tx, actor.ID, sit, ch, at, ""); err != nil {
			return err
		}
		if err := s.announcePublication(ctx, tx, sit.article, pub, at); err != nil {
			return err
		}
		n, err := notice(ctx, tx, mail.Published, sit, actor.ID)
		if err != nil {
			return err
		}
		return s.tell(ctx, tx, n, actor.ID, sit.target.AuthorID)
	})
	if err != nil {
		return article.Article{}, fmt.Errorf("publishing: publish: %w", err)
	}
	return a, nil
}

// changeOf completes a change as it will be published: the revision's
// change note when none was given; a first publication or a minor
// correction is no kind of update readers are told of.
func changeOf(sit situation, ch article.Change) article.Change {
	ch.Note = strings.TrimSpace(ch.Note)
	if ch.Note == "" && !ch.Typed {
		ch.Note = sit.target.ChangeNote
	}
	if ch.Kind == "" || ch.Minor || sit.article.PublishedAt.IsZero() {
		ch.Kind = article.ChangeUpdate
	}
	return ch
}

// publish does the work of Publish once the rules have agreed; note is
// added to the audit detail.
func publish(ctx context.Context, tx *store.Store, actorID int64, sit situation, ch article.Change, at time.Time, note string) (article.Article, article.Publication, error) {
	a, rev := sit.article, sit.target
	at = record.Moment(at)
	detail := strings.ToLower(ch.Kind.Label())
	switch {
	case a.PublishedAt.IsZero():
		detail = "first publication"
	case a.State != article.Live:
		detail = "brought back"
	case ch.Minor:
		detail = "minor correction"
	}
	if note != "" {
		detail += "; " + note
	}
	if a.Slug != rev.Slug {
		if err := slugFreeFor(ctx, tx, rev); err != nil {
			return a, article.Publication{}, err
		}
		// Links shared before keep working.
		if !a.PublishedAt.IsZero() {
			if err := tx.MoveSlug(ctx, a.ID, a.Slug, rev.Slug, at); err != nil {
				return a, article.Publication{}, err
			}
		}
		a.Slug = rev.Slug
	}
	pub := article.Publication{ArticleID: a.ID, RevisionID: rev.ID, PublishedBy: actorID, PublishedAt: at, Minor: ch.Minor, Kind: ch.Kind, Note: ch.Note}
	a.Record(pub)
	a.ChangedAt = at
	var err error
	if pub.Version, err = tx.NextVersion(ctx, a.ID); err != nil {
		return a, pub, err
	}
	whole, err := tx.Revision(ctx, rev.ID)
	if err != nil {
		return a, pub, err
	}
	pub.ContentHash = contentOf(pub, whole, a.PublishedAt, a.UpdatedAt).Hash()
	if _, err := tx.InsertPublication(ctx, pub); err != nil {
		return a, pub, err
	}
	steps := []func() error{
		func() error { return tx.SaveArticle(ctx, a) },
		func() error { return tx.SetRevisionStatus(ctx, rev.ID, article.StatusPublished) },
		func() error { return tx.Index(ctx, a.ID, rev) },
		func() error { return tx.Relist(ctx, a, rev) },
		func() error { return tx.BumpGeneration(ctx) },
		func() error {
			return tx.AddAudit(ctx, audit.Entry{At: at, ActorID: actorID, Action: audit.Published, ArticleID: a.ID, RevisionID: rev.ID, Detail: detail})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return a, pub, err
		}
	}
	return a, pub, nil
}

// Schedule sets revisionID to go live at at, as the change ch. It
// replaces any pending schedule of the article. An article that is not
// live yet shows as Scheduled until then; a live one keeps serving its
// live revision.
func (s *Service) Schedule(ctx context.Context, actor workflow.Actor, articleID, revisionID int64, ch article.Change, at time.Time) error {
	now := s.now().UTC()
	at = at.UTC().Truncate(time.Second)
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		sit, err := situate(ctx, tx, articleID, revisionID)
		if err != nil {
			return err
		}
		ch = changeOf(sit, ch)
		if err := workflow.Schedule(sit.article, sit.head, sit.target, ch, at, now); err != nil {
			return err
		}
		a := sit.article
		if _, err := cancelSchedule(ctx, tx, actor.ID, &a, now, "replaced by a new schedule"); err != nil {
			return err
		}
		err = tx.InsertSchedule(ctx, article.Schedule{ArticleID: articleID, RevisionID: revisionID, PublishAt: at, Change: ch, CreatedBy: actor.ID, CreatedAt: now})
		if err != nil {
			return err
		}
		if a.State != article.Live {
			a.State = article.Scheduled
		}
		if err := tx.SaveArticle(ctx, a); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.Scheduled, ArticleID: articleID, RevisionID: revisionID,
			Detail: "to go live at " + at.Format(time.RFC3339)})
	})
	if err != nil {
		return fmt.Errorf("publishing: schedule: %w", err)
	}
	return nil
}

// CancelSchedule cancels the article's pending schedule, if any, and says
// whether there was one.
func (s *Service) CancelSchedule(ctx context.Context, actor workflow.Actor, articleID int64) (bool, error) {
	var cancelled bool
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		a, err := tx.Article(ctx, articleID)
		if err != nil {
			return notFound(err, noSuchArticle)
		}
		if cancelled, err = cancelSchedule(ctx, tx, actor.ID, &a, s.now(), "cancelled by hand"); err != nil || !cancelled {
			return err
		}
		return tx.SaveArticle(ctx, a)
	})
	if err != nil {
		return false, fmt.Errorf("publishing: cancel schedule: %w", err)
	}
	return cancelled, nil
}

// cancelSchedule cancels a's pending schedule, if any, giving why in the
// audit log, and returns a to the state the rules give it after a schedule
// (the caller saves a).
func cancelSchedule(ctx context.Context, tx *store.Store, actorID int64, a *article.Article, at time.Time, why string) (bool, error) {
	sch, ok, err := tx.PendingSchedule(ctx, a.ID)
	if err != nil || !ok {
		return false, err
	}
	if _, err := tx.EndSchedule(ctx, sch.ID, article.ScheduleCancelled, "", at); err != nil {
		return false, err
	}
	a.State = workflow.AfterSchedule(*a)
	err = tx.AddAudit(ctx, audit.Entry{At: at, ActorID: actorID, Action: audit.ScheduleCancelled, ArticleID: a.ID, RevisionID: sch.RevisionID, Detail: why})
	return true, err
}

// Unpublish takes a live article down: readers get 410 Gone, it leaves
// listings and search, a pending schedule is cancelled, and its history stays.
func (s *Service) Unpublish(ctx context.Context, actor workflow.Actor, articleID int64, at time.Time) error {
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		a, err := tx.Article(ctx, articleID)
		if err != nil {
			return notFound(err, noSuchArticle)
		}
		if err := workflow.Unpublish(a); err != nil {
			return err
		}
		if _, err := cancelSchedule(ctx, tx, actor.ID, &a, at, "the article was unpublished"); err != nil {
			return err
		}
		a.State, a.ChangedAt = article.Unpublished, at.UTC()
		steps := []func() error{
			func() error { return tx.SaveArticle(ctx, a) },
			func() error { return tx.Unindex(ctx, articleID) },
			func() error { return tx.Unlist(ctx, articleID) },
			func() error { return tx.BumpGeneration(ctx) },
			func() error {
				return tx.AddAudit(ctx, audit.Entry{At: at, ActorID: actor.ID, Action: audit.Unpublished, ArticleID: articleID, RevisionID: a.LiveRevisionID})
			},
			func() error {
				return s.announce(ctx, tx, webhook.ArticleUnpublished, at, func() (any, error) {
					live, err := tx.RevisionHeader(ctx, a.LiveRevisionID)
					if err != nil {
						return nil, err
					}
					return map[string]any{"article": s.refOf(a, live, false)}, nil
				})
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("publishing: unpublish: %w", err)
	}
	return nil
}

// dueBatch is how many due schedules PublishDue reads at a time.
const dueBatch = 100

// PublishDue publishes every schedule due at now and returns how many went
// live. worker names the calling process in the claim. Each schedule is
// claimed and published in its own transaction, and only a pending
// schedule can be claimed, so with any number of processes on one
// database each goes live exactly once; a crash before commit leaves it
// pending for the next run. A schedule that fails does not hold up the
// ones after it.
func (s *Service) PublishDue(ctx context.Context, worker string, now time.Time) (int, error) {
	now = now.UTC()
	due, err := s.st.DueSchedules(ctx, now, dueBatch)
	if err != nil {
		return 0, fmt.Errorf("publishing: find due schedules: %w", err)
	}
	published := 0
	var errs []error
	for _, sch := range due {
		var done bool
		err := s.st.Atomically(ctx, func(tx *store.Store) error {
			var err error
			done, err = s.publishScheduled(ctx, tx, sch, worker, now)
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("schedule %d of article %d failed: %w", sch.ID, sch.ArticleID, err))
			if apperr.CodeOf(err) == apperr.Internal {
				// The database, not the schedule: a lock timeout, a lost
				// connection, a shutdown. It stays pending, to go live
				// late rather than never.
				continue
			}
			// Refused by the rules (its slug was taken, say), it is marked
			// failed and no longer due: it shows on the desk and never
			// holds up the ones after it.
			if ferr := s.failSchedule(ctx, sch, worker, now, err); ferr != nil {
				errs = append(errs, fmt.Errorf("mark schedule %d failed: %w", sch.ID, ferr))
			}
			continue
		}
		if done {
			published++
		}
	}
	if err := errors.Join(errs...); err != nil {
		return published, fmt.Errorf("publishing: publish due schedules: %w", err)
	}
	return published, nil
}

// failSchedule marks a schedule that could not go live failed, with the
// reason, returns its article to the state it had before, and audits it.
func (s *Service) failSchedule(ctx context.Context, sch article.Schedule, worker string, now time.Time, cause error) error {
	reason := apperr.MessageOf(cause)
	if fields := apperr.FieldsOf(cause); len(fields) > 0 {
		reason = strings.Join(slices.Sorted(maps.Values(fields)), " ")
	}
	return s.st.Atomically(ctx, func(tx *store.Store) error {
		failed, err := tx.FailSchedule(ctx, sch.ID, reason, worker, now)
		if err != nil || !failed {
			return err
		}
		a, err := tx.Article(ctx, sch.ArticleID)
		if err != nil {
			return err
		}
		if after := workflow.AfterSchedule(a); after != a.State {
			a.State = after
			if err := tx.SaveArticle(ctx, a); err != nil {
				return err
			}
		}
		rev, err := tx.RevisionHeader(ctx, sch.RevisionID)
		if err != nil {
			return err
		}
		n, err := notice(ctx, tx, mail.ScheduleFailed, situation{article: a, head: rev, target: rev}, 0)
		if err != nil {
			return err
		}
		n.Reason = reason
		if err := s.tell(ctx, tx, n, 0, rev.AuthorID, sch.CreatedBy); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, Action: audit.ScheduleFailed, ArticleID: sch.ArticleID, RevisionID: sch.RevisionID,
			Detail: reason})
	})
}

// publishScheduled claims and publishes a due schedule, or cancels it if
// the rules no longer allow it, and reports whether it went live. Another
// process may have claimed it first.
func (s *Service) publishScheduled(ctx context.Context, tx *store.Store, sch article.Schedule, worker string, now time.Time) (bool, error) {
	sit, err := situate(ctx, tx, sch.ArticleID, sch.RevisionID)
	if err != nil {
		return false, err
	}
	if err := workflow.Publish(sit.article, sit.head, sit.target, sch.Change); err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			return false, err
		}
		ended, err2 := tx.EndSchedule(ctx, sch.ID, article.ScheduleCancelled, worker, now)
		if err2 != nil || !ended {
			return false, err2
		}
		a := sit.article
		a.State = workflow.AfterSchedule(a)
		if err := tx.SaveArticle(ctx, a); err != nil {
			return false, err
		}
		return false, tx.AddAudit(ctx, audit.Entry{At: now, Action: audit.ScheduleCancelled, ArticleID: sch.ArticleID, RevisionID: sch.RevisionID,
			Detail: apperr.MessageOf(err)})
	}
	claimed, err := tx.EndSchedule(ctx, sch.ID, article.SchedulePublished, worker, now)
	if err != nil || !claimed {
		return false, err
	}
	_, pub, err := publish(ctx, tx, workflow.System.ID, sit, sch.Change, now, "scheduled by "+sch.ScheduledBy)
	if err != nil {
		return false, err
	}
	if err := s.announcePublication(ctx, tx, sit.article, pub, now); err != nil {
		return false, err
	}
	n, err := notice(ctx, tx, mail.Published, sit, 0)
	if err != nil {
		return false, err
	}
	return true, s.tell(ctx, tx, n, 0, sit.target.AuthorID, sch.CreatedBy)
}
