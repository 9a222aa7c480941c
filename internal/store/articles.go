package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/record"
)

// InsertArticle stores a new article and returns it with its id. Its head
// revision is set once the first revision exists (SaveArticle).
func (s *Store) InsertArticle(ctx context.Context, a article.Article) (article.Article, error) {
	w, err := s.write(ctx)
	if err != nil {
		return a, err
	}
	rec := newArticleRecord(a)
	if err := w.Create(&rec).Error; err != nil {
		return a, fmt.Errorf("store: insert article: %w", err)
	}
	return rec.domain(), nil
}

// SaveArticle writes every column of an article: slug, public state, head
// and live revisions, public dates and when it changed.
func (s *Store) SaveArticle(ctx context.Context, a article.Article) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	rec := newArticleRecord(a)
	err = w.Model(&articleRecord{ID: a.ID}).Select("slug", "state", "head_revision_id", "live_revision_id",
		"first_published_at", "last_updated_at", "updated_at").Updates(&rec).Error
	if err != nil {
		return fmt.Errorf("store: save article %d: %w", a.ID, err)
	}
	return nil
}

// Article returns an article, whatever its state.
func (s *Store) Article(ctx context.Context, id int64) (article.Article, error) {
	var rec articleRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return article.Article{}, found(err, "find article %d", id)
	}
	return rec.domain(), nil
}

// ArticleSlugTaken reports whether an article other than except uses slug,
// used it before (its old links redirect), or has it in its newest
// revision (it will take it when that revision goes live).
func (s *Store) ArticleSlugTaken(ctx context.Context, slug string, except int64) (bool, error) {
	var n int64
	err := s.read(ctx).Raw(`SELECT (SELECT COUNT(*) FROM articles WHERE slug = @slug AND id <> @id)
		+ (SELECT COUNT(*) FROM article_redirects WHERE slug = @slug AND article_id <> @id)
		+ (SELECT COUNT(*) FROM revisions h JOIN articles a ON a.id = h.article_id
			WHERE h.slug = CAST(@slug AS TEXT) AND a.head_revision_id = h.id AND h.article_id <> @id)`,
		sql.Named("slug", slug), sql.Named("id", except)).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: check article slug: %w", err)
	}
	return n > 0, nil
}

// MoveSlug records that an article's old slug now redirects to the article,
// and frees the new slug of any redirect of the article's own.
func (s *Store) MoveSlug(ctx context.Context, articleID int64, from, to string, at time.Time) error {
	if err := s.exec(ctx, "DELETE FROM article_redirects WHERE slug = ?", to); err != nil {
		return fmt.Errorf("store: drop redirect: %w", err)
	}
	err := s.exec(ctx, "INSERT INTO article_redirects (slug, article_id, created_at) VALUES (?, ?, ?)", from, articleID, at.UTC())
	if err != nil {
		return fmt.Errorf("store: add redirect: %w", err)
	}
	return nil
}

// RedirectFor returns the current slug of the article that used to be at
// slug, if any.
func (s *Store) RedirectFor(ctx context.Context, slug string) (string, bool, error) {
	var current string
	err := s.read(ctx).Table("article_redirects r").Joins("JOIN articles a ON a.id = r.article_id").
		Select("a.slug").Where("r.slug = "+textParam, slug).Limit(1).Scan(&current).Error
	if err != nil {
		return "", false, fmt.Errorf("store: find redirect: %w", err)
	}
	return current, current != "", nil
}

// Publications lists an article's publications, its versions, in order.
func (s *Store) Publications(ctx context.Context, articleID int64) ([]article.Publication, error) {
	var recs []publicationRecord
	if err := s.read(ctx).Where("article_id = ?", articleID).Order("version, id").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list publications: %w", err)
	}
	out := make([]article.Publication, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// NextVersion is the version number an article's next publication takes.
func (s *Store) NextVersion(ctx context.Context, articleID int64) (int, error) {
	var n int
	if err := s.read(ctx).Raw("SELECT COALESCE(MAX(version), 0) + 1 FROM publications WHERE article_id = ?", articleID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("store: next version: %w", err)
	}
	return n, nil
}

// InsertPublication records that a revision went live, as version
// p.Version, chaining its content hash to the network's last publication.
// Its time is kept as the record keeps it (record.Moment).
func (s *Store) InsertPublication(ctx context.Context, p article.Publication) (article.Publication, error) {
	w, err := s.write(ctx)
	if err != nil {
		return p, err
	}
	var previous string
	if err := w.Raw("SELECT chain_hash FROM publications ORDER BY id DESC LIMIT 1").Scan(&previous).Error; err != nil {
		return p, fmt.Errorf("store: read the publication chain: %w", err)
	}
	kind := p.Kind
	if kind == "" {
		kind = article.ChangeUpdate
	}
	rec := publicationRecord{ArticleID: p.ArticleID, RevisionID: p.RevisionID, PublishedBy: nullable(p.PublishedBy),
		PublishedAt: record.Moment(p.PublishedAt), Minor: p.Minor, Kind: string(kind), Note: p.Note, Version: p.Version,
		ContentHash: p.ContentHash, ChainHash: record.Chain(previous, p.ContentHash)}
	if err := w.Create(&rec).Error; err != nil {
		return p, fmt.Errorf("store: insert publication: %w", err)
	}
	return rec.domain(), nil
}
