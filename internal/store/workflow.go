package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/workflow"
)

// Audit actions of the review and publishing workflow.
const (
	ActionSubmitted         = "revision.submitted"
	ActionApproved          = "revision.approved"
	ActionChangesRequested  = "revision.changes_requested"
	ActionPublished         = "article.published"
	ActionScheduled         = "article.scheduled"
	ActionScheduleCancelled = "article.schedule_cancelled"
	ActionUnpublished       = "article.unpublished"
)

const (
	schedulePending   = "pending"
	schedulePublished = "published"
	scheduleCancelled = "cancelled"
)

// situation is what the workflow rules look at, read inside the
// transaction that acts on it.
type situation struct {
	article      articleRecord
	head, target revisionRecord
}

func (s situation) domain() (article.Article, article.Revision, article.Revision) {
	return s.article.domain(), s.head.domain(), s.target.domain()
}

// situate loads an article, its newest revision and revisionID, refusing a
// revision of another article (a tampered form).
func situate(tx *gorm.DB, articleID, revisionID int64) (situation, error) {
	var sit situation
	if err := tx.Take(&sit.article, articleID).Error; err != nil {
		return sit, notFound(err, "There is no such article.")
	}
	if err := tx.Take(&sit.head, sit.article.HeadRevisionID.Int64).Error; err != nil {
		return sit, err
	}
	if err := tx.Where("id = ? AND article_id = ?", revisionID, articleID).Take(&sit.target).Error; err != nil {
		return sit, notFound(err, "That revision does not belong to this article.")
	}
	return sit, nil
}

// Submit puts revisionID, the newest revision, in the review queue.
func (s *Store) Submit(ctx context.Context, actorID, articleID, revisionID int64) error {
	now := time.Now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		sit, err := situate(tx, articleID, revisionID)
		if err != nil {
			return err
		}
		if err := workflow.Submit(sit.head.domain(), sit.target.domain()); err != nil {
			return err
		}
		if err := setStatus(tx, sit.target, article.StatusInReview); err != nil {
			return err
		}
		return audit(tx, now, actorID, ActionSubmitted, articleID, revisionID, sit.target.ChangeNote)
	})
	if err != nil {
		return fmt.Errorf("store: submit for review: %w", err)
	}
	return nil
}

// Review records actor's decision and comment on revisionID.
func (s *Store) Review(ctx context.Context, actor workflow.Actor, articleID, revisionID int64, d workflow.Decision, comment string) error {
	now := time.Now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		sit, err := situate(tx, articleID, revisionID)
		if err != nil {
			return err
		}
		if err := workflow.Review(actor, sit.head.domain(), sit.target.domain(), d, comment); err != nil {
			return err
		}
		rec := reviewRecord{RevisionID: revisionID, ReviewerID: actor.ID, Decision: string(d), Comment: comment, CreatedAt: now}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		if err := setStatus(tx, sit.target, d.Status()); err != nil {
			return err
		}
		action := ActionApproved
		if d == workflow.RequestChanges {
			action = ActionChangesRequested
		}
		return audit(tx, now, actor.ID, action, articleID, revisionID, comment)
	})
	if err != nil {
		return fmt.Errorf("store: review: %w", err)
	}
	return nil
}

// Reviews lists the review decisions on an article's revisions, newest first.
func (s *Store) Reviews(ctx context.Context, articleID int64) ([]article.Review, error) {
	var rows []struct {
		RevisionID int64
		Number     int
		ReviewerID int64
		Name       string
		Decision   string
		Comment    string
		CreatedAt  time.Time
	}
	err := s.read(ctx).Table("reviews v").
		Joins("JOIN revisions r ON r.id = v.revision_id").
		Joins("JOIN accounts u ON u.id = v.reviewer_id").
		Select("v.revision_id, r.number, v.reviewer_id, u.name, v.decision, v.comment, v.created_at").
		Where("r.article_id = ?", articleID).Order("v.created_at DESC, v.id DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list reviews: %w", err)
	}
	out := make([]article.Review, len(rows))
	for i, r := range rows {
		out[i] = article.Review{RevisionID: r.RevisionID, RevisionNumber: r.Number, ReviewerID: r.ReviewerID, ReviewerName: r.Name,
			Approved: r.Decision == string(workflow.Approve), Comment: r.Comment, At: r.CreatedAt}
	}
	return out, nil
}

// Publish makes revisionID live at time at, if the workflow allows it, and
// records the publication, the public dates, the search index entry and the
// audit event in one transaction. A pending schedule is cancelled: the
// editor's explicit publish wins over an earlier plan.
func (s *Store) Publish(ctx context.Context, actorID, articleID, revisionID int64, minor bool, at time.Time) (article.Article, error) {
	var a article.Article
	err := s.write(ctx, func(tx *gorm.DB) error {
		sit, err := situate(tx, articleID, revisionID)
		if err != nil {
			return err
		}
		art, head, target := sit.domain()
		if err := workflow.Publish(art, head, target, minor); err != nil {
			return err
		}
		if _, err := cancelSchedule(tx, actorID, sit.article, at, "published by hand instead"); err != nil {
			return err
		}
		a, err = s.publish(tx, actorID, sit, minor, at, "")
		return err
	})
	if err != nil {
		return article.Article{}, fmt.Errorf("store: publish: %w", err)
	}
	return a, nil
}

// publish does the work of Publish once the rules have agreed.
func (s *Store) publish(tx *gorm.DB, actorID int64, sit situation, minor bool, at time.Time, note string) (article.Article, error) {
	rec, rr := sit.article, sit.target
	at = at.UTC()
	if rec.Slug != rr.Slug {
		if err := moveSlug(tx, rec, rr.Slug, at); err != nil {
			return article.Article{}, err
		}
	}
	pub := publicationRecord{ArticleID: rec.ID, RevisionID: rr.ID, PublishedBy: nullable(actorID), PublishedAt: at, Minor: minor}
	if err := tx.Create(&pub).Error; err != nil {
		return article.Article{}, err
	}
	a := rec.domain()
	a.Slug = rr.Slug
	a.Record(article.Publication{RevisionID: rr.ID, PublishedAt: at, Minor: minor})
	err := tx.Model(&rec).Updates(map[string]any{
		"slug": a.Slug, "state": string(a.State), "live_revision_id": rr.ID,
		"first_published_at": a.PublishedAt, "last_updated_at": a.UpdatedAt, "updated_at": at,
	}).Error
	if err != nil {
		return article.Article{}, err
	}
	if err := setStatus(tx, rr, article.StatusPublished); err != nil {
		return article.Article{}, err
	}
	if err := s.index(tx, rec.ID, rr); err != nil {
		return article.Article{}, err
	}
	if err := relist(tx, a, rr); err != nil {
		return article.Article{}, err
	}
	if err := bumpGeneration(tx); err != nil {
		return article.Article{}, err
	}
	detail := "update"
	switch {
	case rec.FirstPublishedAt.Time.IsZero():
		detail = "first publication"
	case article.State(rec.State) != article.Live:
		detail = "brought back"
	case minor:
		detail = "minor correction"
	}
	if note != "" {
		detail += "; " + note
	}
	return a, audit(tx, at, actorID, ActionPublished, rec.ID, rr.ID, detail)
}

// Schedule sets revisionID to go live at at. It replaces any pending
// schedule of the article. An article that is not live yet shows as
// Scheduled until then; a live one keeps serving its live revision.
func (s *Store) Schedule(ctx context.Context, actorID, articleID, revisionID int64, minor bool, at time.Time) error {
	now := time.Now().UTC()
	at = at.UTC().Truncate(time.Second)
	err := s.write(ctx, func(tx *gorm.DB) error {
		sit, err := situate(tx, articleID, revisionID)
		if err != nil {
			return err
		}
		art, head, target := sit.domain()
		if err := workflow.Schedule(art, head, target, minor, at, now); err != nil {
			return err
		}
		if _, err := cancelSchedule(tx, actorID, sit.article, now, "replaced by a new schedule"); err != nil {
			return err
		}
		rec := scheduleRecord{ArticleID: articleID, RevisionID: revisionID, PublishAt: at, Minor: minor,
			State: schedulePending, CreatedBy: nullable(actorID), CreatedAt: now}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		if art.State != article.Live {
			if err := tx.Model(&sit.article).Update("state", string(article.Scheduled)).Error; err != nil {
				return err
			}
		}
		return audit(tx, now, actorID, ActionScheduled, articleID, revisionID, "to go live at "+at.Format(time.RFC3339))
	})
	if err != nil {
		return fmt.Errorf("store: schedule: %w", err)
	}
	return nil
}

// CancelSchedule cancels the article's pending schedule, if any, and says
// whether there was one.
func (s *Store) CancelSchedule(ctx context.Context, actorID, articleID int64) (bool, error) {
	var cancelled bool
	err := s.write(ctx, func(tx *gorm.DB) error {
		var rec articleRecord
		if err := tx.Take(&rec, articleID).Error; err != nil {
			return notFound(err, "There is no such article.")
		}
		var err error
		cancelled, err = cancelSchedule(tx, actorID, rec, time.Now(), "cancelled by hand")
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: cancel schedule: %w", err)
	}
	return cancelled, nil
}

// cancelSchedule cancels a's pending schedule, if any, giving why in the
// audit log, and returns a scheduled article to the state it had before.
func cancelSchedule(tx *gorm.DB, actorID int64, a articleRecord, at time.Time, why string) (bool, error) {
	var sch scheduleRecord
	err := tx.Where("article_id = ? AND state = ?", a.ID, schedulePending).Take(&sch).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := tx.Model(&sch).Update("state", scheduleCancelled).Error; err != nil {
		return false, err
	}
	if article.State(a.State) == article.Scheduled {
		back := article.Never
		if a.FirstPublishedAt.Valid {
			back = article.Unpublished
		}
		if err := tx.Model(&a).Update("state", string(back)).Error; err != nil {
			return false, err
		}
	}
	return true, audit(tx, at, actorID, ActionScheduleCancelled, a.ID, sch.RevisionID, why)
}

// PendingSchedule returns the article's pending schedule, if it has one.
func (s *Store) PendingSchedule(ctx context.Context, articleID int64) (article.Schedule, bool, error) {
	list, err := s.schedules(ctx, s.read(ctx).Where("s.article_id = ?", articleID))
	if err != nil || len(list) == 0 {
		return article.Schedule{}, false, err
	}
	return list[0], true, nil
}

// PendingSchedules lists every pending schedule, soonest first.
func (s *Store) PendingSchedules(ctx context.Context) ([]article.Schedule, error) {
	return s.schedules(ctx, s.read(ctx))
}

func (s *Store) schedules(ctx context.Context, q *gorm.DB) ([]article.Schedule, error) {
	var rows []struct {
		ID         int64
		ArticleID  int64
		RevisionID int64
		Number     int
		Title      string
		PublishAt  time.Time
		Minor      bool
		Name       *string
	}
	err := q.Table("schedules s").Joins("JOIN revisions r ON r.id = s.revision_id").
		Joins("LEFT JOIN accounts u ON u.id = s.created_by").
		Select("s.id, s.article_id, s.revision_id, r.number, r.title, s.publish_at, s.minor, u.name").
		Where("s.state = ?", schedulePending).Order("s.publish_at, s.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list schedules: %w", err)
	}
	out := make([]article.Schedule, len(rows))
	for i, r := range rows {
		out[i] = article.Schedule{ID: r.ID, ArticleID: r.ArticleID, RevisionID: r.RevisionID, RevisionNumber: r.Number, Title: r.Title,
			PublishAt: r.PublishAt, Minor: r.Minor, ScheduledBy: "Quire"}
		if r.Name != nil {
			out[i].ScheduledBy = *r.Name
		}
	}
	return out, nil
}

// PublishDue publishes every schedule due at now and returns how many went
// live. worker names the calling process in the claim. Each schedule is
// claimed and published in one transaction, and only a pending schedule can
// be claimed, so with any number of processes on one database each goes
// live exactly once; a crash before commit leaves it pending for the next run.
func (s *Store) PublishDue(ctx context.Context, worker string, now time.Time) (int, error) {
	now = now.UTC()
	var due int64
	if err := s.read(ctx).Model(&scheduleRecord{}).Where("state = ? AND publish_at <= ?", schedulePending, now).Count(&due).Error; err != nil {
		return 0, fmt.Errorf("store: find due schedules: %w", err)
	}
	published := 0
	for due > 0 {
		var claimed bool
		err := s.write(ctx, func(tx *gorm.DB) error {
			var sch scheduleRecord
			err := tx.Where("state = ? AND publish_at <= ?", schedulePending, now).Order("publish_at, id").Take(&sch).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			res := tx.Model(&scheduleRecord{}).Where("id = ? AND state = ?", sch.ID, schedulePending).
				Updates(map[string]any{"state": schedulePublished, "claimed_by": worker, "claimed_at": now})
			if res.Error != nil || res.RowsAffected != 1 {
				return res.Error // another process claimed it first
			}
			claimed = true
			return s.publishScheduled(tx, sch, now)
		})
		if err != nil {
			return published, fmt.Errorf("store: publish due schedules: %w", err)
		}
		if !claimed {
			break
		}
		published++
		due--
	}
	return published, nil
}

// publishScheduled publishes a claimed schedule, or cancels it if the rules
// no longer allow it, so that a bad schedule cannot block the ones after it.
func (s *Store) publishScheduled(tx *gorm.DB, sch scheduleRecord, now time.Time) error {
	sit, err := situate(tx, sch.ArticleID, sch.RevisionID)
	if err != nil {
		return err
	}
	art, head, target := sit.domain()
	if err := workflow.Publish(art, head, target, sch.Minor); err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			return err
		}
		if err := tx.Model(&sch).Update("state", scheduleCancelled).Error; err != nil {
			return err
		}
		return audit(tx, now, 0, ActionScheduleCancelled, sch.ArticleID, sch.RevisionID, apperr.MessageOf(err))
	}
	var by string
	tx.Model(&accountRecord{}).Select("name").Where("id = ?", sch.CreatedBy.Int64).Scan(&by)
	note := "scheduled"
	if by != "" {
		note = "scheduled by " + by
	}
	_, err = s.publish(tx, 0, sit, sch.Minor, now, note)
	return err
}

// Unpublish takes a live article down: readers get 410 Gone, it leaves
// listings and search, a pending schedule is cancelled, and its history stays.
func (s *Store) Unpublish(ctx context.Context, actorID, articleID int64, at time.Time) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var rec articleRecord
		if err := tx.Take(&rec, articleID).Error; err != nil {
			return notFound(err, "There is no such article.")
		}
		if err := workflow.Unpublish(rec.domain()); err != nil {
			return err
		}
		if _, err := cancelSchedule(tx, actorID, rec, at, "the article was unpublished"); err != nil {
			return err
		}
		if err := tx.Model(&rec).Updates(map[string]any{"state": string(article.Unpublished), "updated_at": at.UTC()}).Error; err != nil {
			return err
		}
		if err := s.db.unindex(tx, articleID); err != nil {
			return err
		}
		if err := unlist(tx, articleID); err != nil {
			return err
		}
		if err := bumpGeneration(tx); err != nil {
			return err
		}
		return audit(tx, at, actorID, ActionUnpublished, articleID, rec.LiveRevisionID.Int64, "")
	})
	if err != nil {
		return fmt.Errorf("store: unpublish: %w", err)
	}
	return nil
}

func setStatus(tx *gorm.DB, rev revisionRecord, st article.Status) error {
	return tx.Model(&rev).Update("status", string(st)).Error
}
