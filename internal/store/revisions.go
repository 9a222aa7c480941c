package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"gorm.io/gorm"
)

// InsertRevision stores a new revision with its body, its categories and
// subjects and its credits in the order given, and returns it with its id. Revisions are
// never changed afterwards, except for their workflow status.
func (s *Store) InsertRevision(ctx context.Context, rev article.Revision) (article.Revision, error) {
	w, err := s.write(ctx)
	if err != nil {
		return rev, err
	}
	categories, subjects := distinct(rev.CategoryIDs()), distinct(rev.SubjectIDs())
	rec := newRevisionRecord(rev)
	rec.Links = formatLinks(categories, subjects, rev.Credits)
	if err := w.Create(&rec).Error; err != nil {
		return rev, fmt.Errorf("store: insert revision: %w", err)
	}
	body := newTextRecord(rec.ID, rev)
	if err := w.Create(&body).Error; err != nil {
		return rev, fmt.Errorf("store: insert revision body: %w", err)
	}
	links := []struct {
		table, column string
		ids           []int64
	}{
		{"revision_categories", "category_id", categories},
		{"revision_subjects", "subject_id", subjects},
	}
	for _, l := range links {
		for pos, id := range l.ids {
			err := w.Exec("INSERT INTO "+l.table+" (revision_id, "+l.column+", position) VALUES (?, ?, ?)", rec.ID, id, pos).Error
			if err != nil {
				return rev, fmt.Errorf("store: link revision to %s: %w", l.table, err)
			}
		}
	}
	for pos, c := range rev.Credits {
		err := w.Exec("INSERT INTO revision_credits (revision_id, position, contributor_id, role) VALUES (?, ?, ?, ?)",
			rec.ID, pos, c.Contributor.ID, string(c.Role)).Error
		if err != nil {
			return rev, fmt.Errorf("store: credit revision: %w", err)
		}
	}
	for pos, u := range rev.Images {
		err := w.Exec("INSERT INTO revision_media (revision_id, position, media_id, lead, alt, decorative) VALUES (?, ?, ?, ?, ?, ?)",
			rec.ID, pos, u.MediaID, u.Lead, u.Alt, u.Decorative).Error
		if err != nil {
			return rev, fmt.Errorf("store: record revision's images: %w", err)
		}
	}
	rev.ID = rec.ID
	return rev, nil
}

// RevisionImages returns the images a revision shows, the lead first, as
// they were saved.
func (s *Store) RevisionImages(ctx context.Context, revisionID int64) ([]article.ImageUse, error) {
	var out []article.ImageUse
	err := s.read(ctx).Raw(`SELECT media_id, lead, alt, decorative FROM revision_media WHERE revision_id = `+intParam+` ORDER BY position`,
		revisionID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: read revision %d's images: %w", revisionID, err)
	}
	return out, nil
}

// distinct is ids without repeats, in their first order.
func distinct(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// UnknownTaxa returns which of the category and subject ids do not exist,
// so that a tampered form can be refused before anything is written.
func (s *Store) UnknownTaxa(ctx context.Context, categoryIDs, subjectIDs []int64) (categories, subjects []int64, err error) {
	if len(categoryIDs)+len(subjectIDs) == 0 {
		return nil, nil, nil
	}
	var known []struct {
		Kind string
		ID   int64
	}
	err = s.read(ctx).Raw(`SELECT 'c' AS kind, id FROM categories WHERE id IN ?
		UNION ALL SELECT 's', id FROM subjects WHERE id IN ?`, slices.Concat(categoryIDs, []int64{0}), slices.Concat(subjectIDs, []int64{0})).Scan(&known).Error
	if err != nil {
		return nil, nil, fmt.Errorf("store: check categories and subjects: %w", err)
	}
	have := map[string]map[int64]bool{"c": {}, "s": {}}
	for _, k := range known {
		have[k.Kind][k.ID] = true
	}
	for _, id := range categoryIDs {
		if !have["c"][id] {
			categories = append(categories, id)
		}
	}
	for _, id := range subjectIDs {
		if !have["s"][id] {
			subjects = append(subjects, id)
		}
	}
	return categories, subjects, nil
}

// SetRevisionStatus moves a revision along the workflow.
func (s *Store) SetRevisionStatus(ctx context.Context, id int64, st article.Status) error {
	if err := s.exec(ctx, "UPDATE revisions SET status = ? WHERE id = ?", string(st), id); err != nil {
		return fmt.Errorf("store: set revision %d status: %w", id, err)
	}
	return nil
}

// RevisionHeader returns a revision without its body, categories and
// subjects: what the workflow rules look at.
func (s *Store) RevisionHeader(ctx context.Context, id int64) (article.Revision, error) {
	var rec revisionRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return article.Revision{}, found(err, "find revision %d", id)
	}
	return rec.domain(), nil
}

// Revision returns a revision whole: body, categories, subjects and the
// name of its author.
func (s *Store) Revision(ctx context.Context, id int64) (article.Revision, error) {
	return s.revision(ctx, "r.id = "+intParam, id)
}

// RevisionByNumber returns revision number n of an article, whole.
func (s *Store) RevisionByNumber(ctx context.Context, articleID int64, n int) (article.Revision, error) {
	return s.revision(ctx, "r.article_id = "+intParam+" AND r.number = "+intParam, articleID, n)
}

func (s *Store) revision(ctx context.Context, where string, args ...any) (article.Revision, error) {
	revs, err := s.revisionsWhere(ctx, where+" LIMIT 1", args...)
	if err == nil && len(revs) == 0 {
		err = found(gorm.ErrRecordNotFound, "find revision")
	}
	if err != nil {
		return article.Revision{}, err
	}
	return revs[0], nil
}

// RevisionsByID returns the revisions with the given ids, whole, in no
// particular order: one query however many (names come from the directory).
func (s *Store) RevisionsByID(ctx context.Context, ids []int64) ([]article.Revision, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.revisionsWhere(ctx, "r.id IN ?", ids)
}

func (s *Store) revisionsWhere(ctx context.Context, where string, args ...any) ([]article.Revision, error) {
	var rows []struct {
		Revision revisionRecord `gorm:"embedded;embeddedPrefix:r_"`
		Body     textRecord     `gorm:"embedded;embeddedPrefix:b_"`
		Author   *string
	}
	err := s.read(ctx).Raw(`SELECT `+prefixed("r", "r_", revisionColumns)+`, `+prefixed("b", "b_", textColumns)+`, u.name AS author
		FROM revisions r JOIN revision_texts b ON b.revision_id = r.id LEFT JOIN accounts u ON u.id = r.author_id
		WHERE `+where, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: find revisions: %w", err)
	}
	revs := make([]article.Revision, len(rows))
	ptrs := make([]*article.Revision, len(rows))
	links := make([]string, len(rows))
	for i, row := range rows {
		links[i] = row.Revision.Links
		revs[i] = row.Revision.domain()
		if err := row.Body.fill(&revs[i]); err != nil {
			return nil, err
		}
		revs[i].AuthorName = nameOr(row.Author)
		ptrs[i] = &revs[i]
	}
	if err := s.attachTaxonomy(ctx, ptrs, links); err != nil {
		return nil, err
	}
	return revs, nil
}

// nameOr is an account's name, or Quire's own for a change no person made.
func nameOr(name *string) string {
	if name == nil {
		return account.SystemName
	}
	return *name
}

// Revisions lists every revision of an article, newest first, without
// bodies, with their authors' names.
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
		Where("r.article_id = "+intParam, articleID).Order("r.number DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list revisions: %w", err)
	}
	out := make([]article.Revision, len(rows))
	for i, r := range rows {
		out[i] = article.Revision{ID: r.ID, ArticleID: articleID, Number: r.Number, CreatedAt: r.CreatedAt,
			Title: r.Title, ChangeNote: r.ChangeNote, Status: article.Status(r.Status), AuthorName: nameOr(r.AuthorName)}
		if r.AuthorID != nil {
			out[i].AuthorID = *r.AuthorID
		}
	}
	return out, nil
}
