package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
)

// ActionCreated is the audit action for a new article.
const ActionCreated = "article.created"

// CreateArticle creates an article whose first revision is rev, written by
// actorID (zero for the system), and returns both as stored.
func (s *Store) CreateArticle(ctx context.Context, actorID int64, rev article.Revision) (article.Article, article.Revision, error) {
	now := time.Now().UTC()
	a := articleRecord{Slug: rev.Slug, State: string(article.Never), CreatedBy: nullable(actorID), CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := articleSlugFree(tx, rev.Slug, 0); err != nil {
			return err
		}
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		rev.ArticleID, rev.Number, rev.ParentID, rev.AuthorID, rev.CreatedAt = a.ID, 1, 0, actorID, now
		if rev.Status == "" {
			rev.Status = article.StatusDraft
		}
		stored, err := insertRevision(tx, rev)
		if err != nil {
			return err
		}
		rev = stored
		a.HeadRevisionID = nullable(rev.ID)
		if err := tx.Model(&a).Update("head_revision_id", rev.ID).Error; err != nil {
			return err
		}
		return audit(tx, now, actorID, ActionCreated, a.ID, rev.ID, rev.ChangeNote)
	})
	if err != nil {
		return article.Article{}, article.Revision{}, fmt.Errorf("store: create article: %w", err)
	}
	return a.domain(), rev, nil
}

// Publications lists an article's publications, oldest first.
func (s *Store) Publications(ctx context.Context, articleID int64) ([]article.Publication, error) {
	var recs []publicationRecord
	if err := s.read(ctx).Where("article_id = ?", articleID).Order("published_at, id").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list publications: %w", err)
	}
	out := make([]article.Publication, len(recs))
	for i, r := range recs {
		out[i] = article.Publication{ID: r.ID, ArticleID: r.ArticleID, RevisionID: r.RevisionID,
			PublishedBy: r.PublishedBy.Int64, PublishedAt: r.PublishedAt, Minor: r.Minor}
	}
	return out, nil
}

func insertRevision(tx *gorm.DB, rev article.Revision) (article.Revision, error) {
	rec := newRevisionRecord(rev)
	if err := tx.Create(&rec).Error; err != nil {
		return article.Revision{}, err
	}
	body := bodyRecord{RevisionID: rec.ID, BodyMarkdown: rev.BodyMarkdown, BodyHTML: rev.BodyHTML, BodyText: rev.BodyText}
	if err := tx.Create(&body).Error; err != nil {
		return article.Revision{}, err
	}
	if err := linkTaxonomy(tx, rec.ID, "revision_categories", "category_id", "categories", ids(rev.Categories, func(c article.Category) int64 { return c.ID }), article.FieldCategories); err != nil {
		return article.Revision{}, err
	}
	if err := linkTaxonomy(tx, rec.ID, "revision_subjects", "subject_id", "subjects", ids(rev.Subjects, func(s article.Subject) int64 { return s.ID }), article.FieldSubjects); err != nil {
		return article.Revision{}, err
	}
	rev.ID = rec.ID
	return rev, nil
}

// linkTaxonomy links a revision to categories or subjects, in the order
// given, refusing ids that do not exist (a form can be tampered with).
func linkTaxonomy(tx *gorm.DB, revisionID int64, table, column, target string, ids []int64, field string) error {
	seen := make(map[int64]bool, len(ids))
	for pos, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		var n int64
		if err := tx.Table(target).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return &apperr.Error{Code: apperr.Invalid, Message: "Please correct the marked fields.",
				Fields: map[string]string{field: fmt.Sprintf("Choose from the list; %d is not one of them.", id)}}
		}
		err := tx.Exec("INSERT INTO "+table+" (revision_id, "+column+", position) VALUES (?, ?, ?)", revisionID, id, pos).Error
		if err != nil {
			return err
		}
	}
	return nil
}

func ids[T any](items []T, id func(T) int64) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

// articleSlugFree checks that no other article uses or used slug.
func articleSlugFree(tx *gorm.DB, slug string, self int64) error {
	var n int64
	err := tx.Raw(`SELECT (SELECT COUNT(*) FROM articles WHERE slug = ? AND id <> ?)
		+ (SELECT COUNT(*) FROM article_redirects WHERE slug = ? AND article_id <> ?)`, slug, self, slug, self).Scan(&n).Error
	if err != nil {
		return err
	}
	if n > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Please correct the marked fields.",
			Fields: map[string]string{article.FieldSlug: "Another article already uses this slug; choose another."}}
	}
	return nil
}

// moveSlug gives a published article a new slug and keeps the old one as a
// redirect, so links already shared keep working.
func moveSlug(tx *gorm.DB, rec articleRecord, slug string, at time.Time) error {
	if err := articleSlugFree(tx, slug, rec.ID); err != nil {
		return err
	}
	if err := tx.Exec("DELETE FROM article_redirects WHERE slug = ?", slug).Error; err != nil {
		return err
	}
	if rec.FirstPublishedAt.Valid {
		return tx.Exec("INSERT INTO article_redirects (slug, article_id, created_at) VALUES (?, ?, ?)", rec.Slug, rec.ID, at.UTC()).Error
	}
	return nil
}

// index replaces the article's entry in the full-text index with the text
// of revision rev. Control characters are blanked, so the marks search
// results use cannot be forged.
func (s *Store) index(tx *gorm.DB, articleID int64, rev revisionRecord) error {
	var body string
	if err := tx.Model(&bodyRecord{}).Select("body_text").Where("revision_id = ?", rev.ID).Scan(&body).Error; err != nil {
		return err
	}
	return s.db.index(tx, articleID, indexable(rev.Title), indexable(rev.Dek), indexable(body))
}

// relist puts a live article in the home listing and in the listings of
// its live revision's categories and subjects, replacing where it was
// listed before, and keeps the listings' counts.
func relist(tx *gorm.DB, a article.Article, rev revisionRecord) error {
	if err := unlist(tx, a.ID); err != nil {
		return err
	}
	event := rev.EventDate.String
	if !rev.EventDate.Valid {
		event = "~" // after every date: undated moments end a timeline
	}
	// The taxonomy rows copy the home row's values, so that every bound
	// value meets a typed column (PostgreSQL infers parameter types).
	err := tx.Exec(`INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date) VALUES ('all', 0, ?, ?, ?)`,
		a.ID, a.PublishedAt.UTC(), event).Error
	if err != nil {
		return err
	}
	err = tx.Exec(`INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date)
		SELECT 'category', rc.category_id, l.article_id, l.published_at, l.event_date
		FROM live_listings l JOIN revision_categories rc ON rc.revision_id = ?
		WHERE l.kind = 'all' AND l.taxon_id = 0 AND l.article_id = ?
		UNION ALL
		SELECT 'subject', rs.subject_id, l.article_id, l.published_at, l.event_date
		FROM live_listings l JOIN revision_subjects rs ON rs.revision_id = ?
		WHERE l.kind = 'all' AND l.taxon_id = 0 AND l.article_id = ?`,
		rev.ID, a.ID, rev.ID, a.ID).Error
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO listing_counts (kind, taxon_id, n)
		SELECT kind, taxon_id, 1 FROM live_listings WHERE article_id = ?
		ON CONFLICT (kind, taxon_id) DO UPDATE SET n = listing_counts.n + 1`, a.ID).Error
}

// unlist takes an article out of every listing.
func unlist(tx *gorm.DB, articleID int64) error {
	err := tx.Exec(`UPDATE listing_counts SET n = n - 1
		WHERE (kind, taxon_id) IN (SELECT kind, taxon_id FROM live_listings WHERE article_id = ?)`, articleID).Error
	if err != nil {
		return err
	}
	return tx.Exec("DELETE FROM live_listings WHERE article_id = ?", articleID).Error
}

func indexable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return ' '
		}
		return r
	}, s)
}

func audit(tx *gorm.DB, at time.Time, actorID int64, action string, articleID, revisionID int64, detail string) error {
	rec := auditRecord{At: at.UTC(), ActorID: nullable(actorID), Action: action,
		ArticleID: nullable(articleID), RevisionID: nullable(revisionID), Detail: detail}
	if err := tx.Create(&rec).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func notFound(err error, msg string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.Errorf(apperr.NotFound, "%s", msg)
	}
	return err
}
