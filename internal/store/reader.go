package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/article"
)

// ArticleAt returns the article at slug and, if it is live, its live
// revision and public update log; whether readers may see it is the
// domain's call (article.ForReaders). This is the page readers load most:
// one query for the article, its live revision with its links to
// categories, subjects and contributors (named from the directory) and its
// body, and one for its publications and their approvals.
func (s *Store) ArticleAt(ctx context.Context, slug string) (article.Published, error) {
	var (
		a        articleRecord
		r        nullRevision
		bodyHTML []byte
		excerpt  sql.NullString
		found    bool
	)
	// Readers get the HTML; the plain text is only the opening the page's
	// description is cut from, and the Markdown is the desk's business.
	err := s.each(ctx, articleAtQuery, []any{slug}, func(rows *sql.Rows) error {
		found = true
		return rows.Scan(append(append(a.fields(), r.fields()...), &bodyHTML, &excerpt)...)
	})
	if err != nil {
		return article.Published{}, fmt.Errorf("store: find article at %q: %w", slug, err)
	}
	if !found {
		return article.Published{}, fmt.Errorf("store: find article at %q: %w", slug, ErrNotFound)
	}
	p := article.Published{Article: a.domain()}
	if !r.ID.Valid {
		return p, nil
	}
	p.Revision = r.domain()
	if err := (textRecord{HTML: bodyHTML, Excerpt: excerpt.String}).fill(&p.Revision); err != nil {
		return article.Published{}, err
	}
	if err := s.attachTaxonomy(ctx, []*article.Revision{&p.Revision}, []string{r.Links.String}); err != nil {
		return article.Published{}, err
	}
	if err := s.history(ctx, a, &p); err != nil {
		return article.Published{}, err
	}
	return p, nil
}

var articleAtQuery = `SELECT ` + qualified("a", articleColumns) + `, ` + qualified("r", revisionColumns) + `,
		b.html, b.excerpt
	FROM articles a LEFT JOIN revisions r ON r.id = a.live_revision_id AND a.state = '` + string(article.Live) + `'
	LEFT JOIN revision_texts b ON b.revision_id = r.id
	WHERE a.slug = ` + textParam

// history reads an article's publications, newest first, for its update
// log (the non-minor publications after the first, oldest first, as
// readers are told of them) and its provenance (the approvals of the
// publications down to the latest non-minor one), in one query: only
// those latest publications join their revisions' reviews, and older minor
// ones are passed over in the index range without being returned.
func (s *Store) history(ctx context.Context, rec articleRecord, p *article.Published) error {
	var (
		u          article.Update
		minor      bool
		number     sql.NullInt64
		reviewerID sql.NullInt64
		reviewer   sql.NullString
		approvedAt sql.NullTime
		seen       = -1 // the version of the last row: one per approval
		approving  = true
	)
	moved := rec.LastUpdatedAt.Time.After(rec.FirstPublishedAt.Time)
	const latest = `COALESCE((SELECT MAX(version) FROM publications WHERE article_id = ` + intParam + ` AND NOT minor), 0)`
	err := s.each(ctx, `SELECT p.version, p.minor, p.published_at, p.kind, p.note, r.number, v.reviewer_id, u.name, v.created_at
		FROM publications p
		LEFT JOIN revisions r ON r.id = p.revision_id AND p.version >= `+latest+`
		LEFT JOIN reviews v ON v.revision_id = r.id AND v.decision = 'approved'
		LEFT JOIN accounts u ON u.id = v.reviewer_id
		WHERE p.article_id = `+intParam+` AND (NOT p.minor OR p.version >= `+latest+`)
		ORDER BY p.version DESC, v.created_at DESC`, []any{rec.ID, rec.ID, rec.ID}, func(rows *sql.Rows) error {
		if err := rows.Scan(&u.Version, &minor, &u.At, &u.Kind, &u.Note, &number, &reviewerID, &reviewer, &approvedAt); err != nil {
			return err
		}
		if approving && len(p.Approvals) < maxApprovals {
			p.Approvals = append(p.Approvals, article.Approval{RevisionNumber: int(number.Int64), ReviewerID: reviewerID.Int64,
				Reviewer: reviewer.String, At: approvedAt.Time, Minor: minor})
			approving = minor
		}
		if u.Version != seen && moved && !minor && u.At.After(rec.FirstPublishedAt.Time) {
			p.Updates = append(p.Updates, u)
		}
		seen = u.Version
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: read the publications of article %d: %w", rec.ID, err)
	}
	slices.Reverse(p.Updates)
	return nil
}

// maxApprovals bounds the approvals read for one provenance: a run of
// minor publications longer than this names no earlier reviewer.
const maxApprovals = 32

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
		"word_count", "reading_minutes", "reading_minutes_override", "change_note", "status", "links",
		"lead_media_id", "lead_alt", "lead_caption", "lead_credit", "lead_source_url", "lead_licence"}
	publicationColumns = []string{"id", "article_id", "revision_id", "published_by", "published_at", "minor", "kind", "note",
		"version", "content_hash", "chain_hash"}
)

// qualified lists columns of table.
func qualified(table string, columns []string) string {
	return table + "." + strings.Join(columns, ", "+table+".")
}

// prefixed selects columns of table as prefix+column.
func prefixed(table, prefix string, columns []string) string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = table + "." + c + " AS " + prefix + c
	}
	return strings.Join(out, ", ")
}

// summaryRow is a live article, with its body only if asked, for
// listings.
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
	Links            string
	Excerpt          string
	LeadMediaID      sql.NullInt64
	LeadAlt          string
	LeadCaption      string
	LeadCredit       string
	LeadSourceURL    string
	LeadLicence      string
	BodyHTML         []byte
	BodyText         []byte
}

// fields are where a row of summaryColumns scans to, and the body's
// columns after them.
func (row *summaryRow) fields(withBody bool) []any {
	f := []any{&row.ArticleID, &row.Slug, &row.FirstPublishedAt, &row.LastUpdatedAt, &row.RevisionID, &row.Title, &row.Dek,
		&row.EventDate, &row.ReadingMinutes, &row.Attribution, &row.Links, &row.Excerpt, &row.LeadMediaID}
	if withBody {
		f = append(f, &row.BodyHTML, &row.BodyText, &row.LeadAlt, &row.LeadCaption, &row.LeadCredit, &row.LeadSourceURL, &row.LeadLicence)
	}
	return f
}

// summaryColumns select a summaryRow from articles a, revisions r and
// revision_texts b. The body's opening stands in for a missing dek.
func summaryColumns(withBody bool) string {
	c := `a.id, a.slug, a.first_published_at, a.last_updated_at,
		r.id, r.title, r.dek, r.event_date, r.reading_minutes, r.attribution, r.links, b.excerpt, r.lead_media_id`
	if withBody {
		c += ", b.html, b.plain, r.lead_alt, r.lead_caption, r.lead_credit, r.lead_source_url, r.lead_licence"
	}
	return c
}

// ListLive returns one page of live articles and how many match in all:
// newest first, or by event date for a subject's timeline. The page is
// read in the order of one of live_listings' indexes and the total from
// listing_counts, in one query, so a page costs the same at 100,000
// articles as at 100.
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
	order := "l.published_at DESC, l.article_id DESC"
	if kind == "subject" && !f.Newest {
		order = "l.event_date, l.published_at, l.article_id"
	}
	const count = `(SELECT COALESCE(MAX(n), 0) FROM listing_counts WHERE kind = CAST(? AS TEXT) AND taxon_id = ` + intParam + `)`
	var (
		// A page is rarely short, and growing a slice of these large
		// structs row by row was a third of what a listing allocated.
		out   = make([]article.Published, 0, max(0, min(f.Limit, maxPrealloc)))
		links = make([]string, 0, cap(out))
		total int64
		row   summaryRow
	)
	err := s.each(ctx, `SELECT `+count+`, `+summaryColumns(f.Body)+` FROM live_listings l
		JOIN articles a ON a.id = l.article_id JOIN revisions r ON r.id = a.live_revision_id
		JOIN revision_texts b ON b.revision_id = r.id
		WHERE l.kind = CAST(? AS TEXT) AND l.taxon_id = `+intParam+` ORDER BY `+order+` LIMIT `+intParam+` OFFSET `+intParam,
		[]any{kind, id, kind, id, f.Limit, f.Offset}, func(rows *sql.Rows) error {
			if err := rows.Scan(append([]any{&total}, row.fields(f.Body)...)...); err != nil {
				return err
			}
			p, err := row.domain()
			out, links = append(out, p), append(links, row.Links)
			return err
		})
	if err != nil {
		return nil, 0, fmt.Errorf("store: list live articles: %w", err)
	}
	if len(out) == 0 {
		// A page past the end still says how many there are.
		err := s.each(ctx, `SELECT `+count, []any{kind, id}, func(rows *sql.Rows) error { return rows.Scan(&total) })
		if err != nil {
			return nil, 0, fmt.Errorf("store: count live articles: %w", err)
		}
	}
	return out, int(total), s.attachTaxonomyTo(ctx, out, links)
}

// maxPrealloc bounds the room made ahead for a page of results, whatever
// limit a caller passes.
const maxPrealloc = 100

// summaries loads live articles by id, in the order given, with their
// categories and subjects.
func (s *Store) summaries(ctx context.Context, ids []int64) ([]article.Published, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	byID := make(map[int64]article.Published, len(ids))
	linksOf := make(map[int64]string, len(ids))
	var row summaryRow
	err := s.each(ctx, `SELECT `+summaryColumns(false)+` FROM articles a
		JOIN revisions r ON r.id = a.live_revision_id JOIN revision_texts b ON b.revision_id = r.id
		WHERE a.id IN `+inList(len(ids)), args, func(rows *sql.Rows) error {
		if err := rows.Scan(row.fields(false)...); err != nil {
			return err
		}
		p, err := row.domain()
		byID[row.ArticleID], linksOf[row.ArticleID] = p, row.Links
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: load live articles: %w", err)
	}
	out := make([]article.Published, 0, len(ids))
	var links []string
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out, links = append(out, p), append(links, linksOf[id])
		}
	}
	return out, s.attachTaxonomyTo(ctx, out, links)
}

func (row summaryRow) domain() (article.Published, error) {
	p := article.Published{
		Article: article.Article{ID: row.ArticleID, Slug: row.Slug, State: article.Live, LiveRevisionID: row.RevisionID,
			PublishedAt: row.FirstPublishedAt.Time, UpdatedAt: row.LastUpdatedAt.Time},
		Revision: article.Revision{ID: row.RevisionID, ArticleID: row.ArticleID, Slug: row.Slug, Title: row.Title,
			Dek: row.Dek, ReadingMinutes: row.ReadingMinutes, Attribution: row.Attribution, Lead: article.Lead{MediaID: row.LeadMediaID.Int64, Alt: row.LeadAlt, Caption: row.LeadCaption, Credit: row.LeadCredit,
				SourceURL: row.LeadSourceURL, Licence: row.LeadLicence}},
	}
	if d, ok := article.ParseDate(row.EventDate.String); ok {
		p.Revision.EventDate = d
	}
	return p, textRecord{HTML: row.BodyHTML, Plain: row.BodyText, Excerpt: row.Excerpt}.fill(&p.Revision)
}

func (s *Store) attachTaxonomyTo(ctx context.Context, items []article.Published, links []string) error {
	revs := make([]*article.Revision, len(items))
	for i := range items {
		revs[i] = &items[i].Revision
	}
	return s.attachTaxonomy(ctx, revs, links)
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
	var plain [][]byte
	if err := s.read(ctx).Raw("SELECT plain FROM revision_texts WHERE revision_id = ?", revisionID).Scan(&plain).Error; err != nil {
		return "", fmt.Errorf("store: read body text: %w", err)
	}
	if len(plain) == 0 {
		return "", ErrNotFound
	}
	return unpack(plain[0])
}
