package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/article"
)

// ArticleAt returns the article at slug and, if it is live, its live
// revision and public update log; whether readers may see it is the
// domain's call (article.ForReaders). This is the page readers load most:
// one query for the article and its live revision, one for taxonomy, and
// one for the update log only if Updated ever moved.
func (s *Store) ArticleAt(ctx context.Context, slug string) (article.Published, error) {
	var row struct {
		Article  articleRecord  `gorm:"embedded;embeddedPrefix:a_"`
		Revision revisionRecord `gorm:"embedded;embeddedPrefix:r_"`
		Body     nullBody       `gorm:"embedded;embeddedPrefix:b_"`
	}
	// Readers get the HTML; the plain text is only the opening the page's
	// description is cut from, and the Markdown is the desk's business.
	err := s.read(ctx).Raw(`SELECT `+prefixed("a", "a_", articleColumns)+`, `+prefixed("r", "r_", revisionColumns)+`,
			b.body_html AS b_body_html, substr(b.body_text, 1, 400) AS b_body_text
		FROM articles a LEFT JOIN revisions r ON r.id = a.live_revision_id AND a.state = '`+string(article.Live)+`'
		LEFT JOIN revision_bodies b ON b.revision_id = r.id
		WHERE a.slug = `+textParam, slug).Take(&row).Error
	if err != nil {
		return article.Published{}, found(err, "find article at %q", slug)
	}
	p := article.Published{Article: row.Article.domain()}
	if row.Revision.ID == 0 {
		return p, nil
	}
	p.Revision = row.Revision.domain()
	row.Body.fill(&p.Revision)
	if err := s.attachTaxonomy(ctx, []*article.Revision{&p.Revision}); err != nil {
		return article.Published{}, err
	}
	if p.Updates, err = s.updates(ctx, row.Article); err != nil {
		return article.Published{}, err
	}
	return p, nil
}

// updates lists the non-minor publications after the first, oldest first,
// as readers are told of them.
func (s *Store) updates(ctx context.Context, rec articleRecord) ([]article.Update, error) {
	if !rec.LastUpdatedAt.Time.After(rec.FirstPublishedAt.Time) {
		return nil, nil // Updated has never moved: there is nothing to list
	}
	var recs []publicationRecord
	err := s.read(ctx).Where("article_id = "+intParam+" AND NOT minor AND published_at > ?", rec.ID, rec.FirstPublishedAt.Time).
		Order("version").Find(&recs).Error
	if err != nil {
		return nil, fmt.Errorf("store: list updates: %w", err)
	}
	out := make([]article.Update, len(recs))
	for i, r := range recs {
		out[i] = r.domain().Update()
	}
	return out, nil
}

// ArticleBySlug returns the article now at slug, whatever its state.
func (s *Store) ArticleBySlug(ctx context.Context, slug string) (article.Article, error) {
	var rec articleRecord
	if err := s.read(ctx).Where("slug = "+textParam, slug).Take(&rec).Error; err != nil {
		return article.Article{}, found(err, "find article at %q", slug)
	}
	return rec.domain(), nil
}

// Corrections lists one page of the network's corrections and
// clarifications, newest first, and how many there are in all.
func (s *Store) Corrections(ctx context.Context, limit, offset int) ([]article.LoggedCorrection, int, error) {
	kinds := []string{string(article.ChangeCorrection), string(article.ChangeClarification)}
	corrections := func() *gorm.DB {
		return s.read(ctx).Table("publications p").Where("p.kind IN ? AND NOT p.minor", kinds)
	}
	var total int64
	if err := corrections().Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count corrections: %w", err)
	}
	var rows []struct {
		Publication publicationRecord `gorm:"embedded;embeddedPrefix:p_"`
		Slug        string
		State       string
		Title       string
	}
	err := corrections().Joins("JOIN articles a ON a.id = p.article_id").Joins("JOIN revisions r ON r.id = p.revision_id").
		Select(prefixed("p", "p_", publicationColumns) + ", a.slug, a.state, r.title").
		Order("p.published_at DESC, p.id DESC").Limit(limit).Offset(offset).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: list corrections: %w", err)
	}
	out := make([]article.LoggedCorrection, len(rows))
	for i, r := range rows {
		out[i] = article.LoggedCorrection{ArticleID: r.Publication.ArticleID, Slug: r.Slug, Title: r.Title,
			Withdrawn: r.State != string(article.Live), Change: r.Publication.domain().Update()}
	}
	return out, int(total), nil
}

var (
	articleColumns = []string{"id", "slug", "state", "head_revision_id", "live_revision_id", "first_published_at",
		"last_updated_at", "created_by", "created_at", "updated_at"}
	revisionColumns = []string{"id", "article_id", "number", "parent_id", "author_id", "created_at", "slug", "title", "dek",
		"event_date", "reference_title", "reference_url", "attribution",
		"word_count", "reading_minutes", "reading_minutes_override", "change_note", "status"}
	publicationColumns = []string{"id", "article_id", "revision_id", "published_by", "published_at", "minor", "kind", "note",
		"version", "content_hash", "chain_hash"}
)

// prefixed selects columns of table as prefix+column.
func prefixed(table, prefix string, columns []string) string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = table + "." + c + " AS " + prefix + c
	}
	return strings.Join(out, ", ")
}

// summaryRow is a live article without its body, for listings.
type summaryRow struct {
	ArticleID        int64
	Slug             string
	FirstPublishedAt sql.NullTime
	LastUpdatedAt    sql.NullTime
	RevisionID       int64
	Title            string
	Dek              string
	EventDate        sql.NullString
	ReadingMinutes   int
	Attribution      string
	BodyHTML         string `gorm:"column:body_html"`
	BodyText         string
	Excerpt          string
}

// ListLive returns one page of live articles and how many match in all:
// newest first, or by event date for a subject's timeline. The page is
// chosen from live_listings' indexes and the total read from
// listing_counts before any revision is read, so a page costs the same at
// 100,000 articles as at 100.
func (s *Store) ListLive(ctx context.Context, f article.ListFilter) ([]article.Published, int, error) {
	kind, id := "all", int64(0)
	switch {
	case f.CategoryID != 0:
		kind, id = "category", f.CategoryID
	case f.SubjectID != 0:
		kind, id = "subject", f.SubjectID
	case f.ContributorID != 0:
		kind, id = "contributor", f.ContributorID
	}
	db := s.read(ctx)
	var total int64
	err := db.Table("listing_counts").Select("COALESCE(MAX(n), 0)").Where("kind = ? AND taxon_id = ?", kind, id).Scan(&total).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: count live articles: %w", err)
	}
	order := "published_at DESC, article_id DESC"
	if kind == "subject" && !f.Newest {
		order = "event_date, published_at, article_id"
	}
	var ids []int64
	err = db.Table("live_listings").Select("article_id").Where("kind = ? AND taxon_id = ?", kind, id).
		Order(order).Limit(f.Limit).Offset(f.Offset).Scan(&ids).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: list live articles: %w", err)
	}
	items, err := s.summaries(ctx, ids, f.Body)
	return items, int(total), err
}

// summaries loads live articles by id, in the order given, with their
// categories and subjects, and with their bodies if asked.
func (s *Store) summaries(ctx context.Context, ids []int64, withBody bool) ([]article.Published, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	columns := summaryColumns
	if withBody {
		columns += ", b.body_html, b.body_text"
	}
	var rows []summaryRow
	err := s.read(ctx).Raw(`SELECT `+columns+` FROM articles a
		JOIN revisions r ON r.id = a.live_revision_id JOIN revision_bodies b ON b.revision_id = r.id
		WHERE a.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: load live articles: %w", err)
	}
	byID := make(map[int64]summaryRow, len(rows))
	for _, r := range rows {
		byID[r.ArticleID] = r
	}
	out := make([]article.Published, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r.domain())
		}
	}
	return out, s.attachTaxonomyTo(ctx, out)
}

// summaryColumns select a summaryRow from articles a, revisions r and
// revision_bodies b.
// The body's opening stands in for a missing dek.
const summaryColumns = `a.id AS article_id, a.slug, a.first_published_at, a.last_updated_at,
	r.id AS revision_id, r.title, r.dek, r.event_date, r.reading_minutes, r.attribution,
	substr(b.body_text, 1, 400) AS excerpt`

func (row summaryRow) domain() article.Published {
	p := article.Published{
		Article: article.Article{ID: row.ArticleID, Slug: row.Slug, State: article.Live, LiveRevisionID: row.RevisionID,
			PublishedAt: row.FirstPublishedAt.Time, UpdatedAt: row.LastUpdatedAt.Time},
		Revision: article.Revision{ID: row.RevisionID, ArticleID: row.ArticleID, Slug: row.Slug, Title: row.Title,
			Dek: row.Dek, ReadingMinutes: row.ReadingMinutes, Attribution: row.Attribution,
			BodyHTML: row.BodyHTML, BodyText: row.BodyText},
	}
	if p.Revision.BodyText == "" {
		p.Revision.BodyText = row.Excerpt
	}
	if d, ok := article.ParseDate(row.EventDate.String); ok {
		p.Revision.EventDate = d
	}
	return p
}

func (s *Store) attachTaxonomyTo(ctx context.Context, items []article.Published) error {
	revs := make([]*article.Revision, len(items))
	for i := range items {
		revs[i] = &items[i].Revision
	}
	return s.attachTaxonomy(ctx, revs)
}

// attachTaxonomy loads the categories, subjects and credits of several
// revisions in one query, whatever their number.
func (s *Store) attachTaxonomy(ctx context.Context, revs []*article.Revision) error {
	if len(revs) == 0 {
		return nil
	}
	byID := make(map[int64]*article.Revision, len(revs))
	revIDs := make([]int64, len(revs))
	for i, r := range revs {
		byID[r.ID], revIDs[i] = r, r.ID
	}
	var rows []struct {
		Kind        string
		RevisionID  int64
		ID          int64
		Slug        string
		Name        string
		HubTitle    string // a subject's, or a credit's role
		Description string // a category's or subject's, or a contributor's links
		Website     string
		Hidden      bool
	}
	err := s.read(ctx).Raw(`
		SELECT 'c' AS kind, rc.revision_id, c.id, c.slug, c.name, '' AS hub_title, c.description, '' AS website, FALSE AS hidden, rc.position
		FROM revision_categories rc JOIN categories c ON c.id = rc.category_id WHERE rc.revision_id IN ?
		UNION ALL
		SELECT 's', rs.revision_id, s.id, s.slug, s.name, s.hub_title, s.description, '', FALSE, rs.position
		FROM revision_subjects rs JOIN subjects s ON s.id = rs.subject_id WHERE rs.revision_id IN ?
		UNION ALL
		SELECT 'p', cr.revision_id, p.id, p.slug, p.name, cr.role, p.links, p.website, p.hidden, cr.position
		FROM revision_credits cr JOIN contributors p ON p.id = cr.contributor_id WHERE cr.revision_id IN ?
		ORDER BY 1, 2, 10`, revIDs, revIDs, revIDs).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("store: load categories, subjects and credits: %w", err)
	}
	for _, r := range rows {
		rev := byID[r.RevisionID]
		switch r.Kind {
		case "c":
			rev.Categories = append(rev.Categories, article.Category{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description})
		case "s":
			rev.Subjects = append(rev.Subjects, article.Subject{ID: r.ID, Slug: r.Slug, Name: r.Name, HubTitle: r.HubTitle, Description: r.Description})
		default:
			rev.Credits = append(rev.Credits, article.Credit{Role: article.Role(r.HubTitle), Contributor: article.Contributor{
				ID: r.ID, Slug: r.Slug, Name: r.Name, Website: r.Website, Links: splitLines(r.Description), Hidden: r.Hidden}})
		}
	}
	return nil
}

// LiveLocations returns one page of every live article's location, oldest
// first, and how many live articles there are.
func (s *Store) LiveLocations(ctx context.Context, limit, offset int) ([]article.Location, int, error) {
	q := s.read(ctx).Table("articles").Where("state = ?", string(article.Live))
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count live articles: %w", err)
	}
	var rows []struct {
		Slug          string
		LastUpdatedAt time.Time
	}
	if err := q.Select("slug, last_updated_at").Order("id").Limit(limit).Offset(offset).Scan(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("store: list live locations: %w", err)
	}
	out := make([]article.Location, len(rows))
	for i, r := range rows {
		out[i] = article.Location{Slug: r.Slug, UpdatedAt: r.LastUpdatedAt}
	}
	return out, int(total), nil
}

// BodyText returns the whole plain text of a revision's body (reader
// pages load only its opening).
func (s *Store) BodyText(ctx context.Context, revisionID int64) (string, error) {
	var text []string
	if err := s.read(ctx).Raw("SELECT body_text FROM revision_bodies WHERE revision_id = ?", revisionID).Scan(&text).Error; err != nil {
		return "", fmt.Errorf("store: read body text: %w", err)
	}
	if len(text) == 0 {
		return "", ErrNotFound
	}
	return text[0], nil
}
