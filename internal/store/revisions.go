package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
)

// Audit actions for authoring.
const (
	ActionSaved    = "revision.saved"
	ActionRestored = "revision.restored"
)

// ConflictError says a save was based on a revision that is no longer the
// head: someone saved in between. Nothing was written.
type ConflictError struct {
	Head article.Revision // the newest revision, which the save would have overwritten
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("Revision %d was saved while you were editing; nothing was overwritten.", e.Head.Number)
}

// Unwrap gives the error its application code.
func (e *ConflictError) Unwrap() error {
	return &apperr.Error{Code: apperr.Conflict, Message: e.Error()}
}

// SaveRevision adds rev as the next revision of articleID, based on the
// revision numbered base. If base is not the head any more the save is
// refused with a *ConflictError and nothing is written.
func (s *Store) SaveRevision(ctx context.Context, actorID, articleID int64, base int, rev article.Revision) (article.Revision, error) {
	return s.addRevision(ctx, actorID, articleID, base, rev, ActionSaved, rev.ChangeNote)
}

// Restore saves a copy of revision number n as a new draft on top of the
// head numbered base; history is never rewritten.
func (s *Store) Restore(ctx context.Context, actorID, articleID int64, base, n int) (article.Revision, error) {
	old, err := s.RevisionByNumber(ctx, articleID, n)
	if err != nil {
		return article.Revision{}, err
	}
	old.ChangeNote = fmt.Sprintf("Restored revision %d", n)
	return s.addRevision(ctx, actorID, articleID, base, old, ActionRestored, old.ChangeNote)
}

func (s *Store) addRevision(ctx context.Context, actorID, articleID int64, base int, rev article.Revision, action, detail string) (article.Revision, error) {
	now := time.Now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		var a articleRecord
		if err := tx.Take(&a, articleID).Error; err != nil {
			return notFound(err, "There is no such article.")
		}
		var head revisionRecord
		if err := tx.Take(&head, a.HeadRevisionID.Int64).Error; err != nil {
			return err
		}
		if head.Number != base {
			current, err := s.loadRevision(tx, head)
			if err != nil {
				return err
			}
			return &ConflictError{Head: current}
		}
		if err := articleSlugFree(tx, rev.Slug, articleID); err != nil {
			return err
		}
		rev.ArticleID, rev.Number, rev.ParentID, rev.AuthorID, rev.CreatedAt = articleID, head.Number+1, head.ID, actorID, now
		rev.Status = article.StatusDraft
		stored, err := insertRevision(tx, rev)
		if err != nil {
			return err
		}
		rev = stored
		updates := map[string]any{"head_revision_id": rev.ID, "updated_at": now}
		if !a.FirstPublishedAt.Valid {
			// Before first publication the slug is not public yet, so the
			// article simply takes the newest one.
			updates["slug"] = rev.Slug
		}
		if err := tx.Model(&a).Updates(updates).Error; err != nil {
			return err
		}
		// A schedule belongs to the approved revision it names; once a newer
		// revision exists that one is superseded and must not go live later.
		if _, err := cancelSchedule(tx, actorID, a, now, fmt.Sprintf("revision %d was saved after it", rev.Number)); err != nil {
			return err
		}
		return audit(tx, now, actorID, action, articleID, rev.ID, detail)
	})
	if err != nil {
		return article.Revision{}, fmt.Errorf("store: save revision: %w", err)
	}
	return rev, nil
}

func (s *Store) loadRevision(tx *gorm.DB, rec revisionRecord) (article.Revision, error) {
	rev := rec.domain()
	var body bodyRecord
	if err := tx.Take(&body, rec.ID).Error; err != nil {
		return article.Revision{}, err
	}
	body.fill(&rev)
	if err := s.within(tx).attachTaxonomy(tx.Statement.Context, []*article.Revision{&rev}); err != nil {
		return article.Revision{}, err
	}
	return rev, nil
}

// RevisionByNumber returns revision number n of an article, with author
// name, categories and subjects.
func (s *Store) RevisionByNumber(ctx context.Context, articleID int64, n int) (article.Revision, error) {
	var rr revisionRecord
	if err := s.read(ctx).Where("article_id = ? AND number = ?", articleID, n).Take(&rr).Error; err != nil {
		return article.Revision{}, fmt.Errorf("store: find revision: %w", notFound(err, "This article has no such revision."))
	}
	rev := rr.domain()
	var body bodyRecord
	if err := s.read(ctx).Take(&body, rr.ID).Error; err != nil {
		return article.Revision{}, fmt.Errorf("store: find revision body: %w", err)
	}
	body.fill(&rev)
	if err := s.attachTaxonomy(ctx, []*article.Revision{&rev}); err != nil {
		return article.Revision{}, err
	}
	rev.AuthorName = s.authorName(ctx, rev.AuthorID)
	return rev, nil
}

func (s *Store) authorName(ctx context.Context, id int64) string {
	if id == 0 {
		return "Quire"
	}
	var name string
	s.read(ctx).Model(&accountRecord{}).Select("name").Where("id = ?", id).Scan(&name)
	return name
}

// DeskArticle is an article as the desk lists it.
type DeskArticle struct {
	Article      article.Article
	Title        string
	HeadNumber   int
	HeadStatus   article.Status
	State        article.DeskState
	ChangedAt    time.Time
	ChangedBy    string
	LiveNumber   int
	HeadAuthorID int64
}

// DeskFilter selects articles for the desk list.
type DeskFilter struct {
	State    article.DeskState // empty for all
	AuthorID int64             // only articles whose head this account wrote ("mine")
	// NotAuthorID leaves out articles whose head this account wrote.
	NotAuthorID int64
	// HeadStatus selects by the newest revision's workflow status, whether
	// or not an older revision is live.
	HeadStatus article.Status
	Query      string // words in the head revision's title
	Limit      int
	Offset     int
}

// deskStateSQL derives the desk state of an article (a) from its public
// state and its head revision (h), as article.StateOf does.
const deskStateSQL = `CASE
	WHEN a.state = 'unpublished' THEN 'unpublished'
	WHEN a.state = 'scheduled' THEN 'scheduled'
	WHEN a.state = 'live' AND a.head_revision_id = a.live_revision_id THEN 'live'
	WHEN a.state = 'live' THEN 'live_pending'
	ELSE h.status END`

// DeskArticles lists articles for the desk, most recently changed first.
func (s *Store) DeskArticles(ctx context.Context, f DeskFilter) ([]DeskArticle, int, error) {
	q := s.read(ctx).Table("articles AS a").
		Joins("JOIN revisions h ON h.id = a.head_revision_id").
		Joins("LEFT JOIN revisions l ON l.id = a.live_revision_id").
		Joins("LEFT JOIN accounts u ON u.id = h.author_id")
	if f.State != "" {
		q = q.Where("("+deskStateSQL+") = ?", string(f.State))
	}
	if f.AuthorID != 0 {
		q = q.Where("h.author_id = ?", f.AuthorID)
	}
	if f.NotAuthorID != 0 {
		q = q.Where("h.author_id IS DISTINCT FROM ?", f.NotAuthorID)
	}
	if f.HeadStatus != "" {
		q = q.Where("h.status = ?", string(f.HeadStatus))
	}
	for _, word := range strings.Fields(f.Query) {
		q = q.Where("lower(h.title) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(word))+"%")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count desk articles: %w", err)
	}
	var rows []struct {
		ID           int64
		Slug         string
		Title        string
		HeadNumber   int
		HeadStatus   string
		HeadAuthorID int64
		DeskState    string
		ChangedAt    time.Time
		ChangedBy    *string
		LiveNumber   *int
	}
	err := q.Select(`a.id, a.slug, h.title, h.number AS head_number, h.status AS head_status,
		COALESCE(h.author_id, 0) AS head_author_id, (` + deskStateSQL + `) AS desk_state,
		h.created_at AS changed_at, u.name AS changed_by, l.number AS live_number`).
		Order("h.created_at DESC, a.id DESC").Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: list desk articles: %w", err)
	}
	out := make([]DeskArticle, len(rows))
	for i, r := range rows {
		out[i] = DeskArticle{
			Article: article.Article{ID: r.ID, Slug: r.Slug}, Title: r.Title, HeadNumber: r.HeadNumber,
			HeadStatus: article.Status(r.HeadStatus), State: article.DeskState(r.DeskState), ChangedAt: r.ChangedAt,
			ChangedBy: "Quire", HeadAuthorID: r.HeadAuthorID,
		}
		if r.ChangedBy != nil {
			out[i].ChangedBy = *r.ChangedBy
		}
		if r.LiveNumber != nil {
			out[i].LiveNumber = *r.LiveNumber
		}
	}
	return out, int(total), nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ArticleByID returns an article for the desk, whatever its state.
func (s *Store) ArticleByID(ctx context.Context, id int64) (article.Article, error) {
	var rec articleRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return article.Article{}, fmt.Errorf("store: find article: %w", notFound(err, "There is no such article."))
	}
	return rec.domain(), nil
}

// Revisions lists every revision of an article, newest first, without bodies.
func (s *Store) Revisions(ctx context.Context, articleID int64) ([]article.Revision, error) {
	var rows []struct {
		ID         int64
		Number     int
		AuthorID   *int64
		CreatedAt  time.Time
		Title      string
		ChangeNote string
		Status     string
		AuthorName *string
	}
	err := s.read(ctx).Table("revisions r").Joins("LEFT JOIN accounts u ON u.id = r.author_id").
		Select("r.id, r.number, r.author_id, r.created_at, r.title, r.change_note, r.status, u.name AS author_name").
		Where("r.article_id = ?", articleID).Order("r.number DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list revisions: %w", err)
	}
	out := make([]article.Revision, len(rows))
	for i, r := range rows {
		out[i] = article.Revision{ID: r.ID, ArticleID: articleID, Number: r.Number, CreatedAt: r.CreatedAt,
			Title: r.Title, ChangeNote: r.ChangeNote, Status: article.Status(r.Status), AuthorName: "Quire"}
		if r.AuthorID != nil {
			out[i].AuthorID = *r.AuthorID
		}
		if r.AuthorName != nil {
			out[i].AuthorName = *r.AuthorName
		}
	}
	return out, nil
}

// AuditEvent is one line of the audit log.
type AuditEvent struct {
	At             time.Time
	Actor          string
	Action         string
	ArticleID      int64
	ArticleTitle   string // the title of the article's newest revision
	RevisionNumber int
	Detail         string
}

// ArticleAudit lists an article's audit events, newest first.
func (s *Store) ArticleAudit(ctx context.Context, articleID int64) ([]AuditEvent, error) {
	return s.auditEvents(ctx, s.read(ctx).Where("e.article_id = ?", articleID))
}

// AuditLog lists one page of every audit event, newest first, and how many
// there are in all.
func (s *Store) AuditLog(ctx context.Context, limit, offset int) ([]AuditEvent, int, error) {
	var total int64
	if err := s.read(ctx).Model(&auditRecord{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count audit events: %w", err)
	}
	events, err := s.auditEvents(ctx, s.read(ctx).Limit(limit).Offset(offset))
	return events, int(total), err
}

func (s *Store) auditEvents(ctx context.Context, q *gorm.DB) ([]AuditEvent, error) {
	var rows []struct {
		At        time.Time
		Actor     *string
		Action    string
		ArticleID *int64
		Title     *string
		Number    *int
		Detail    string
	}
	err := q.Table("audit_events e").
		Joins("LEFT JOIN accounts u ON u.id = e.actor_id").
		Joins("LEFT JOIN revisions r ON r.id = e.revision_id").
		Joins("LEFT JOIN articles a ON a.id = e.article_id").
		Joins("LEFT JOIN revisions h ON h.id = a.head_revision_id").
		Select("e.at, u.name AS actor, e.action, e.article_id, h.title, r.number, e.detail").
		Order("e.at DESC, e.id DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: read audit log: %w", err)
	}
	out := make([]AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = AuditEvent{At: r.At, Actor: "Quire", Action: r.Action, Detail: r.Detail}
		if r.Actor != nil {
			out[i].Actor = *r.Actor
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
	}
	return out, nil
}
