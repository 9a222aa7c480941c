package reading

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/store"
)

// Versions returns the live article at slug and every version it
// published, oldest first: its TimeMap. A withdrawn article's versions are
// Gone with it.
func (s *Service) Versions(ctx context.Context, slug string) (article.Published, []article.Publication, error) {
	var p article.Published
	var pubs []article.Publication
	err := s.st.Read(ctx, func(tx *store.Store) error {
		var err error
		if p, err = (&Service{st: tx}).Article(ctx, slug); err != nil {
			return err
		}
		if pubs, err = tx.Publications(ctx, p.Article.ID); err == nil && len(pubs) == 0 {
			// Live without a publication: only a database changed by hand.
			err = fmt.Errorf("reading: live article %d has no publication", p.Article.ID)
		}
		return err
	})
	return p, pubs, err
}

// Version returns version n of the article at slug as readers saw it, and,
// if previous is set, the revision of the version before it.
func (s *Service) Version(ctx context.Context, slug string, n int, previous bool) (article.Versioned, error) {
	var v article.Versioned
	err := s.st.Read(ctx, func(tx *store.Store) error {
		a, err := tx.ArticleBySlug(ctx, slug)
		if errors.Is(err, store.ErrNotFound) {
			return article.ErrNotAtAddress
		}
		if err != nil {
			return err
		}
		if err := a.ForReaders(); err != nil {
			return err
		}
		v, err = versionOf(ctx, tx, a, n, previous)
		return err
	})
	return v, err
}

// VersionByID is version n of an article as it was published, whatever
// became of the article since: a webhook's payload tells of that moment.
func (s *Service) VersionByID(ctx context.Context, articleID int64, n int) (article.Versioned, error) {
	var v article.Versioned
	err := s.st.Read(ctx, func(tx *store.Store) error {
		a, err := tx.Article(ctx, articleID)
		if err != nil {
			return err
		}
		v, err = versionOf(ctx, tx, a, n, false)
		return err
	})
	return v, err
}

// versionOf reads version n of a in tx, with the previous version's
// revision if asked.
func versionOf(ctx context.Context, tx *store.Store, a article.Article, n int, previous bool) (article.Versioned, error) {
	var v article.Versioned
	var err error
	if v.Versions, err = tx.Publications(ctx, a.ID); err != nil {
		return v, err
	}
	i := versionIndex(v.Versions, n)
	if i < 0 {
		return v, apperr.Errorf(apperr.NotFound, "This article has no version %d.", n)
	}
	v.Version = v.Versions[i]
	a.PublishedAt, a.UpdatedAt, v.Updates = article.AsOf(v.Versions[:i+1])
	v.Article = a
	if v.Revision, err = tx.Revision(ctx, v.Version.RevisionID); err != nil {
		return v, err
	}
	if previous && i > 0 {
		v.Previous, err = tx.Revision(ctx, v.Versions[i-1].RevisionID)
	}
	return v, err
}

func versionIndex(pubs []article.Publication, n int) int {
	for i, p := range pubs {
		if p.Version == n {
			return i
		}
	}
	return -1
}

// VersionAt is the version that was live at moment t: the last published
// at or before t, or the first when t is before any (RFC 7089's best
// match). Moments are compared to the second, as HTTP dates give them, so
// that a version's own Memento-Datetime leads back to it; of versions
// published within one second, the last. pubs are in the order published,
// and not empty.
func VersionAt(pubs []article.Publication, t time.Time) article.Publication {
	best := pubs[0]
	for _, p := range pubs {
		if p.PublishedAt.Truncate(time.Second).After(t) {
			break
		}
		best = p
	}
	return best
}

// Corrections returns one page of the network's corrections log, newest
// first, and how many entries it has.
func (s *Service) Corrections(ctx context.Context, limit, offset int) ([]article.LoggedCorrection, int, error) {
	return s.st.Corrections(ctx, limit, offset)
}
