package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/article"
)

type contributorRecord struct {
	ID          int64
	Slug        string
	Name        string
	Bio         string
	Affiliation string
	Website     string
	Links       string // one per line
	AccountID   sql.NullInt64
	Hidden      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (contributorRecord) TableName() string { return "contributors" }

func (r contributorRecord) domain() article.Contributor {
	return article.Contributor{ID: r.ID, Slug: r.Slug, Name: r.Name, Bio: r.Bio, Affiliation: r.Affiliation,
		Website: r.Website, Links: splitLines(r.Links), AccountID: r.AccountID.Int64, Hidden: r.Hidden}
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func newContributorRecord(c article.Contributor, now time.Time) contributorRecord {
	return contributorRecord{ID: c.ID, Slug: c.Slug, Name: c.Name, Bio: c.Bio, Affiliation: c.Affiliation, Website: c.Website,
		Links: strings.Join(c.Links, "\n"), AccountID: sql.NullInt64{Int64: c.AccountID, Valid: c.AccountID != 0}, Hidden: c.Hidden,
		CreatedAt: now, UpdatedAt: now}
}

// InsertContributor adds a contributor and returns it with its id.
func (s *Store) InsertContributor(ctx context.Context, c article.Contributor, now time.Time) (article.Contributor, error) {
	w, err := s.write(ctx)
	if err != nil {
		return c, err
	}
	rec := newContributorRecord(c, now.UTC())
	if err := w.Create(&rec).Error; err != nil {
		return c, fmt.Errorf("store: insert contributor: %w", err)
	}
	return rec.domain(), nil
}

// SaveContributor writes an existing contributor; ErrNotFound if there is
// none.
func (s *Store) SaveContributor(ctx context.Context, c article.Contributor, now time.Time) error {
	rec := newContributorRecord(c, now.UTC())
	return s.saveTaxon(ctx, &contributorRecord{ID: c.ID}, map[string]any{"slug": rec.Slug, "name": rec.Name, "bio": rec.Bio,
		"affiliation": rec.Affiliation, "website": rec.Website, "links": rec.Links, "account_id": rec.AccountID,
		"hidden": rec.Hidden, "updated_at": rec.UpdatedAt})
}

// DeleteContributor removes a contributor no revision credits; it reports
// whether one was removed.
func (s *Store) DeleteContributor(ctx context.Context, id int64) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec("DELETE FROM contributors WHERE id = ? AND NOT EXISTS (SELECT 1 FROM revision_credits WHERE contributor_id = ?)", id, id)
	if res.Error != nil {
		return false, fmt.Errorf("store: delete contributor %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	if err := s.exec(ctx, "DELETE FROM slug_redirects WHERE kind = 'contributor' AND target_id = ?", id); err != nil {
		return false, fmt.Errorf("store: delete contributor %d's redirects: %w", id, err)
	}
	return true, nil
}

// Contributor finds a contributor by id.
func (s *Store) Contributor(ctx context.Context, id int64) (article.Contributor, error) {
	var rec contributorRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return article.Contributor{}, found(err, "find contributor %d", id)
	}
	return rec.domain(), nil
}

// ContributorBySlug finds a contributor by slug, hidden or not.
func (s *Store) ContributorBySlug(ctx context.Context, slug string) (article.Contributor, error) {
	var rec contributorRecord
	if err := s.read(ctx).Where("slug = "+textParam, slug).Take(&rec).Error; err != nil {
		return article.Contributor{}, found(err, "find contributor %q", slug)
	}
	return rec.domain(), nil
}

// ContributorSlugTaken reports whether a contributor other than except
// uses slug.
func (s *Store) ContributorSlugTaken(ctx context.Context, slug string, except int64) (bool, error) {
	return s.slugTaken(ctx, "contributors", slug, except)
}

// Contributors lists one page of contributors by name, those whose name
// contains q when q is not empty (case-insensitively for ASCII letters),
// and how many match.
func (s *Store) Contributors(ctx context.Context, q string, limit, offset int) ([]article.ContributorEntry, int, error) {
	db := s.read(ctx).Table("contributors c")
	if q != "" {
		db = db.Where("lower(c.name) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(q))+"%")
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count contributors: %w", err)
	}
	var rows []struct {
		Contributor contributorRecord `gorm:"embedded"`
		Credits     int
	}
	err := db.Select("c.*, (SELECT COUNT(*) FROM revision_credits rc WHERE rc.contributor_id = c.id) AS credits").
		Order("lower(c.name), c.id").Limit(limit).Offset(offset).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: list contributors: %w", err)
	}
	out := make([]article.ContributorEntry, len(rows))
	for i, r := range rows {
		out[i] = article.ContributorEntry{Contributor: r.Contributor.domain(), Credits: r.Credits}
	}
	return out, int(total), nil
}

// Uncreditable returns which of ids name no contributor, or a hidden one,
// with the hidden ones' names (missing ones have none).
func (s *Store) Uncreditable(ctx context.Context, ids []int64) (map[int64]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []struct {
		ID     int64
		Name   string
		Hidden bool
	}
	if err := s.read(ctx).Table("contributors").Select("id, name, hidden").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: check contributors: %w", err)
	}
	out := map[int64]string{}
	for _, id := range ids {
		out[id] = ""
	}
	for _, r := range rows {
		if r.Hidden {
			out[r.ID] = r.Name
		} else {
			delete(out, r.ID)
		}
	}
	return out, nil
}

// LiveCrediting returns the live revisions that credit the contributor,
// with only what the search index takes from them besides the body (their
// title and dek), for indexing again.
func (s *Store) LiveCrediting(ctx context.Context, contributorID int64) ([]article.Revision, error) {
	var rows []struct {
		ArticleID, RevisionID int64
		Title, Dek            string
	}
	// The contributor's listing names exactly these articles, by index.
	err := s.read(ctx).Raw(`SELECT a.id AS article_id, r.id AS revision_id, r.title, r.dek
		FROM live_listings l JOIN articles a ON a.id = l.article_id JOIN revisions r ON r.id = a.live_revision_id
		WHERE l.kind = 'contributor' AND l.taxon_id = ?`, contributorID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: find articles crediting contributor %d: %w", contributorID, err)
	}
	out := make([]article.Revision, len(rows))
	for i, r := range rows {
		out[i] = article.Revision{ID: r.RevisionID, ArticleID: r.ArticleID, Title: r.Title, Dek: r.Dek}
	}
	return out, nil
}

// Slug kinds that keep redirects from their former slugs.
const (
	SlugCategory    = "category"
	SlugSubject     = "subject"
	SlugContributor = "contributor"
)

// Reslug records that the kind's item id moved from slug from to slug to:
// from now redirects to it, and to no longer redirects anywhere.
func (s *Store) Reslug(ctx context.Context, kind string, id int64, from, to string, now time.Time) error {
	err := s.exec(ctx, "DELETE FROM slug_redirects WHERE kind = ? AND slug IN (?, ?)", kind, from, to)
	if err == nil && from != "" && from != to {
		err = s.exec(ctx, "INSERT INTO slug_redirects (kind, slug, target_id, created_at) VALUES (?, ?, ?, ?)", kind, from, id, now.UTC())
	}
	if err != nil {
		return fmt.Errorf("store: redirect %s %q: %w", kind, from, err)
	}
	return nil
}

var slugTables = map[string]string{SlugCategory: "categories", SlugSubject: "subjects", SlugContributor: "contributors"}

// SlugOf returns the current slug of the kind's item id.
func (s *Store) SlugOf(ctx context.Context, kind string, id int64) (string, error) {
	var slug []string
	if err := s.read(ctx).Table(slugTables[kind]).Where("id = ?", id).Pluck("slug", &slug).Error; err != nil {
		return "", fmt.Errorf("store: find %s %d: %w", kind, id, err)
	}
	if len(slug) == 0 {
		return "", fmt.Errorf("store: find %s %d: %w", kind, id, ErrNotFound)
	}
	return slug[0], nil
}

// FormerSlug returns the current slug of the kind's item that once had
// slug; ErrNotFound if none did (or it is a hidden contributor).
func (s *Store) FormerSlug(ctx context.Context, kind, slug string) (string, error) {
	visible := "" // a hidden contributor's new address is no more public than the old
	if kind == SlugContributor {
		visible = " AND NOT t.hidden"
	}
	var now []string
	err := s.read(ctx).Raw(`SELECT t.slug FROM slug_redirects r JOIN `+slugTables[kind]+` t ON t.id = r.target_id
		WHERE r.kind = `+textParam+` AND r.slug = `+textParam+visible, kind, slug).Scan(&now).Error
	if err != nil {
		return "", fmt.Errorf("store: find former %s slug %q: %w", kind, slug, err)
	}
	if len(now) == 0 {
		return "", fmt.Errorf("store: former %s slug %q: %w", kind, slug, ErrNotFound)
	}
	return now[0], nil
}
