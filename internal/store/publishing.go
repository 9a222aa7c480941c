package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/record"
)

// Rows of the review and publishing workflow: reviews, schedules, the
// audit log, and what readers' pages are made from (the search index, the
// live listings and the content generation).

// InsertReview records a reviewer's decision on a revision.
func (s *Store) InsertReview(ctx context.Context, r article.Review) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	decision := "changes_requested"
	if r.Approved {
		decision = "approved"
	}
	rec := reviewRecord{RevisionID: r.RevisionID, ReviewerID: nullable(r.ReviewerID), Decision: decision, Comment: r.Comment, CreatedAt: r.At.UTC()}
	if err := w.Create(&rec).Error; err != nil {
		return fmt.Errorf("store: insert review: %w", err)
	}
	return nil
}

// Reviews lists the review decisions on an article's revisions, newest first.
func (s *Store) Reviews(ctx context.Context, articleID int64) ([]article.Review, error) {
	var rows []struct {
		RevisionID int64
		Number     int
		ReviewerID *int64
		Name       *string
		Decision   string
		Comment    string
		CreatedAt  time.Time
	}
	err := s.read(ctx).Table("reviews v").
		Joins("JOIN revisions r ON r.id = v.revision_id").
		Joins("LEFT JOIN accounts u ON u.id = v.reviewer_id").
		Select("v.revision_id, r.number, v.reviewer_id, u.name, v.decision, v.comment, v.created_at").
		Where("r.article_id = "+intParam, articleID).Order("v.created_at DESC, v.id DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list reviews: %w", err)
	}
	out := make([]article.Review, len(rows))
	for i, r := range rows {
		out[i] = article.Review{RevisionID: r.RevisionID, RevisionNumber: r.Number, ReviewerName: nameOr(r.Name),
			Approved: r.Decision == "approved", Comment: r.Comment, At: r.CreatedAt}
		if r.ReviewerID != nil {
			out[i].ReviewerID = *r.ReviewerID
		}
	}
	return out, nil
}

// InsertSchedule stores a pending schedule.
func (s *Store) InsertSchedule(ctx context.Context, sch article.Schedule) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	rec := scheduleRecord{ArticleID: sch.ArticleID, RevisionID: sch.RevisionID, PublishAt: sch.PublishAt.UTC(), Minor: sch.Change.Minor,
		Kind: string(sch.Change.Kind), Note: sch.Change.Note, State: string(article.SchedulePending), CreatedBy: nullable(sch.CreatedBy), CreatedAt: sch.CreatedAt.UTC()}
	if err := w.Create(&rec).Error; err != nil {
		return fmt.Errorf("store: insert schedule: %w", err)
	}
	return nil
}

// PendingSchedule returns the article's pending schedule, if it has one.
func (s *Store) PendingSchedule(ctx context.Context, articleID int64) (article.Schedule, bool, error) {
	list, err := s.schedules(pending(s.read(ctx)).Where("s.article_id = "+intParam, articleID), "")
	if err != nil || len(list) == 0 {
		return article.Schedule{}, false, err
	}
	return list[0], true, nil
}

// PendingSchedules lists the limit soonest pending schedules.
func (s *Store) PendingSchedules(ctx context.Context, limit int) ([]article.Schedule, error) {
	return s.schedules(pending(s.read(ctx)).Limit(limit), "")
}

// DueSchedules lists at most limit pending schedules due at now, soonest
// first.
func (s *Store) DueSchedules(ctx context.Context, now time.Time, limit int) ([]article.Schedule, error) {
	return s.schedules(pending(s.read(ctx)).Where("s.publish_at <= ?", now.UTC()).Limit(limit), "")
}

func pending(q *gorm.DB) *gorm.DB {
	return q.Where("s.state = '" + string(article.SchedulePending) + "'")
}

// schedules lists the schedules q selects from schedules s, in order (by
// default soonest first).
func (s *Store) schedules(q *gorm.DB, order string) ([]article.Schedule, error) {
	if order == "" {
		order = "s.publish_at, s.id"
	}
	var rows []struct {
		Schedule scheduleRecord `gorm:"embedded;embeddedPrefix:s_"`
		Number   int
		Title    string
		Name     *string
	}
	err := q.Table("schedules s").Joins("JOIN revisions r ON r.id = s.revision_id").
		Joins("LEFT JOIN accounts u ON u.id = s.created_by").
		Select(prefixed("s", "s_", scheduleColumns) + ", r.number, r.title, u.name").
		Order(order).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list schedules: %w", err)
	}
	out := make([]article.Schedule, len(rows))
	for i, r := range rows {
		out[i] = r.Schedule.domain()
		out[i].RevisionNumber, out[i].Title, out[i].ScheduledBy = r.Number, r.Title, nameOr(r.Name)
	}
	return out, nil
}

// EndSchedule moves a pending schedule to state (published or cancelled)
// and reports whether it was still pending: with several processes, only
// one of them ends each schedule. A scheduler names itself as worker, which
// is kept with the time; a person's cancellation passes no worker.
func (s *Store) EndSchedule(ctx context.Context, id int64, state article.ScheduleState, worker string, at time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	values := map[string]any{"state": string(state)}
	if worker != "" {
		values["claimed_by"], values["claimed_at"] = worker, at.UTC()
	}
	res := w.Model(&scheduleRecord{}).Where("id = ? AND state = ?", id, string(article.SchedulePending)).Updates(values)
	if res.Error != nil {
		return false, fmt.Errorf("store: end schedule %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// FailSchedule marks a pending schedule failed, with the reason, and
// reports whether it was still pending.
func (s *Store) FailSchedule(ctx context.Context, id int64, reason, worker string, at time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Model(&scheduleRecord{}).Where("id = ? AND state = ?", id, string(article.SchedulePending)).
		Updates(map[string]any{"state": string(article.ScheduleFailed), "failure": reason, "claimed_by": worker, "claimed_at": at.UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("store: fail schedule %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// FailedSchedules lists the schedules that failed since, newest first, of
// articles whose newest revision is still the one that failed to go live.
func (s *Store) FailedSchedules(ctx context.Context, since time.Time, limit int) ([]article.Schedule, error) {
	return s.schedules(s.read(ctx).Joins("JOIN articles a ON a.id = s.article_id AND a.head_revision_id = s.revision_id").
		Where("s.state = '"+string(article.ScheduleFailed)+"' AND s.claimed_at >= ?", since.UTC()).Limit(limit), "s.claimed_at DESC, s.id DESC")
}

// AddAudit writes one audit entry, chained to the entry before it.
func (s *Store) AddAudit(ctx context.Context, e audit.Entry) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	var previous string
	if err := w.Raw("SELECT chain_hash FROM audit_events ORDER BY id DESC LIMIT 1").Scan(&previous).Error; err != nil {
		return fmt.Errorf("store: read the audit chain: %w", err)
	}
	rec := newAuditRecord(e)
	rec.ChainHash = record.Chain(previous, rec.event().Hash())
	if err := w.Create(&rec).Error; err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// ArticleAudit lists an article's audit events, newest first.
func (s *Store) ArticleAudit(ctx context.Context, articleID int64) ([]audit.Event, error) {
	return s.auditEvents(s.read(ctx).Where("e.article_id = "+intParam, articleID), newestFirst)
}

// AuditLog lists one page of every audit event, newest first, and how many
// there are in all.
func (s *Store) AuditLog(ctx context.Context, limit, offset int) ([]audit.Event, int, error) {
	var total int64
	if err := s.read(ctx).Model(&auditRecord{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count audit events: %w", err)
	}
	events, err := s.auditEvents(s.read(ctx).Limit(limit).Offset(offset), newestFirst)
	return events, int(total), err
}

// AuditAfter lists up to limit audit events written after the one with id
// after and at or after since, in the order they were written.
func (s *Store) AuditAfter(ctx context.Context, since time.Time, after int64, limit int) ([]audit.Event, error) {
	return s.auditEvents(s.read(ctx).Where("e.id > ? AND e.at >= ?", after, since.UTC()).Limit(limit), "e.id")
}

const newestFirst = "e.at DESC, e.id DESC"

func (s *Store) auditEvents(q *gorm.DB, order string) ([]audit.Event, error) {
	var rows []struct {
		ID         int64
		At         time.Time
		ActorID    *int64
		Actor      *string
		Action     string
		ArticleID  *int64
		RevisionID *int64
		Title      *string
		Number     *int
		Detail     string
		ChainHash  string
	}
	err := q.Table("audit_events e").
		Joins("LEFT JOIN accounts u ON u.id = e.actor_id").
		Joins("LEFT JOIN revisions r ON r.id = e.revision_id").
		Joins("LEFT JOIN articles a ON a.id = e.article_id").
		Joins("LEFT JOIN revisions h ON h.id = a.head_revision_id").
		Select("e.id, e.at, e.actor_id, u.name AS actor, e.action, e.article_id, e.revision_id, h.title, r.number, e.detail, e.chain_hash").
		Order(order).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: read audit log: %w", err)
	}
	out := make([]audit.Event, len(rows))
	for i, r := range rows {
		out[i] = audit.Event{ID: r.ID, At: r.At, Actor: nameOr(r.Actor), Action: audit.Action(r.Action), Detail: r.Detail, ChainHash: r.ChainHash}
		if r.ActorID != nil {
			out[i].ActorID = *r.ActorID
		}
		if r.ArticleID != nil {
			out[i].ArticleID = *r.ArticleID
		}
		if r.Title != nil {
			out[i].ArticleTitle = *r.Title
		}
		if r.Number != nil {
			out[i].RevisionNumber = *r.Number
		}
		if r.RevisionID != nil {
			out[i].RevisionID = *r.RevisionID
		}
	}
	return out, nil
}

// Index replaces the article's entry in the full-text index with the text
// of a revision. Control characters are blanked, so the marks search
// results use cannot be forged.
func (s *Store) Index(ctx context.Context, articleID int64, rev article.Revision) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	body, err := s.BodyText(ctx, rev.ID)
	if err != nil {
		return fmt.Errorf("store: read body to index: %w", err)
	}
	// Readers search for who wrote an article too: the credited names
	// weigh as the dek does.
	var names []string
	err = w.Table("revision_credits rc").Joins("JOIN contributors c ON c.id = rc.contributor_id").
		Where("rc.revision_id = ?", rev.ID).Order("rc.position").Pluck("c.name", &names).Error
	if err != nil {
		return fmt.Errorf("store: read credits to index: %w", err)
	}
	dek := strings.TrimSpace(rev.Dek + "\n" + strings.Join(names, "\n"))
	if err := s.dialect.index(w, articleID, indexable(rev.Title), indexable(dek), indexable(opening(body, maxIndexedRunes))); err != nil {
		return fmt.Errorf("store: index article %d: %w", articleID, err)
	}
	return nil
}

// Unindex takes an article out of the full-text index.
func (s *Store) Unindex(ctx context.Context, articleID int64) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	if err := s.dialect.unindex(w, articleID); err != nil {
		return fmt.Errorf("store: unindex article %d: %w", articleID, err)
	}
	return nil
}

// maxIndexedRunes is how much of a body the search index keeps: searching
// and the excerpts search shows then cost the same whatever the length of
// the articles, and any body fits PostgreSQL's tsvector. The body itself is
// kept whole.
const maxIndexedRunes = 65536

// opening is s cut to at most n runes.
func opening(s string, n int) string {
	if len(s) <= n {
		return s
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}

func indexable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return ' '
		}
		return r
	}, s)
}

// Relist puts a live article in the home listing and in the listings of its
// live revision's categories, subjects and credited contributors, replacing where it was listed
// before, and keeps the listings' counts.
func (s *Store) Relist(ctx context.Context, a article.Article, rev article.Revision) error {
	if err := s.Unlist(ctx, a.ID); err != nil {
		return err
	}
	event := "~" // after every date: undated moments end a timeline
	if !rev.EventDate.IsZero() {
		event = rev.EventDate.Format(article.DateLayout)
	}
	// The taxonomy rows copy the home row's values, so that every bound
	// value meets a typed column (PostgreSQL infers parameter types).
	err := s.exec(ctx, `INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date) VALUES ('all', 0, ?, ?, ?)`,
		a.ID, a.PublishedAt.UTC(), event)
	if err == nil {
		err = s.exec(ctx, `INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date)
		SELECT 'category', rc.category_id, l.article_id, l.published_at, l.event_date
		FROM live_listings l JOIN revision_categories rc ON rc.revision_id = ?
		WHERE l.kind = 'all' AND l.taxon_id = 0 AND l.article_id = ?
		UNION ALL
		SELECT 'subject', rs.subject_id, l.article_id, l.published_at, l.event_date
		FROM live_listings l JOIN revision_subjects rs ON rs.revision_id = ?
		WHERE l.kind = 'all' AND l.taxon_id = 0 AND l.article_id = ?
		UNION ALL
		SELECT DISTINCT 'contributor', rc.contributor_id, l.article_id, l.published_at, l.event_date
		FROM live_listings l JOIN revision_credits rc ON rc.revision_id = ?
		WHERE l.kind = 'all' AND l.taxon_id = 0 AND l.article_id = ?`,
			rev.ID, a.ID, rev.ID, a.ID, rev.ID, a.ID)
	}
	if err == nil {
		err = s.exec(ctx, `INSERT INTO listing_counts (kind, taxon_id, n)
		SELECT kind, taxon_id, 1 FROM live_listings WHERE article_id = ?
		ON CONFLICT (kind, taxon_id) DO UPDATE SET n = listing_counts.n + 1`, a.ID)
	}
	if err != nil {
		return fmt.Errorf("store: list article %d: %w", a.ID, err)
	}
	return nil
}

// Unlist takes an article out of every listing.
func (s *Store) Unlist(ctx context.Context, articleID int64) error {
	err := s.exec(ctx, `UPDATE listing_counts SET n = n - 1
		WHERE (kind, taxon_id) IN (SELECT kind, taxon_id FROM live_listings WHERE article_id = ?)`, articleID)
	if err == nil {
		err = s.exec(ctx, "DELETE FROM live_listings WHERE article_id = ?", articleID)
	}
	if err != nil {
		return fmt.Errorf("store: unlist article %d: %w", articleID, err)
	}
	return nil
}

// BumpGeneration moves the content generation, telling every process's
// page cache, and this one's directory of names once the transaction
// commits, that what readers see has changed.
func (s *Store) BumpGeneration(ctx context.Context) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	var gen []int64
	if err := w.Raw("UPDATE networks SET cache_generation = cache_generation + 1 RETURNING cache_generation").Scan(&gen).Error; err != nil {
		return fmt.Errorf("store: bump cache generation: %w", err)
	}
	*s.bumped = true
	for _, g := range gen {
		*s.generation = g
	}
	return nil
}
