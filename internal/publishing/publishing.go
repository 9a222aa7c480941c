// Package publishing runs Quire's editorial use cases: writing and saving
// revisions, review, publishing, scheduling and unpublishing, the
// network's settings, categories and subjects, and the desk's read model.
//
// Each use case is one transaction: it reads what the rules in
// internal/workflow look at, asks them, and makes the change and its audit
// entry with the store's row-level steps. This is where a use case's words
// for people (refusals, audit details) are written; the store writes none.
package publishing

import (
	"context"
	"time"

	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/mailer"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/store"
)

// Service runs the editorial use cases on one database.
type Service struct {
	st     *store.Store
	markup *markup.Renderer
	post   *mailer.Post
	// announcing says webhooks are told of changes; links are where their
	// payloads point.
	announcing bool
	links      api.Links
	// images checks uploads and renders renditions, within its memory
	// budget.
	images *media.Processor
	now    func() time.Time
}

// New returns the service on st, rendering Markdown with r. Its
// notifications link to http://localhost:8080 until Mailing says where the
// site is.
func New(st *store.Store, r *markup.Renderer) *Service {
	return &Service{st: st, markup: r, post: mailer.NewPost("http://localhost:8080"), announcing: true,
		links:  api.Links{Base: "http://localhost:8080"},
		images: media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget), now: time.Now}
}

// Mailing makes the service write its notifications with post.
func (s *Service) Mailing(post *mailer.Post) *Service {
	s.post = post
	return s
}

// Silent returns a copy of the service that notifies nobody and tells no
// webhook, for loading generated content that no person did.
func (s *Service) Silent() *Service {
	c := *s
	c.post, c.announcing = nil, false
	return &c
}

// Atomically runs several use cases as one transaction, for the demo
// loader and the generator: all of them happen, or none does.
func (s *Service) Atomically(ctx context.Context, fn func(s *Service) error) error {
	return s.st.Atomically(ctx, func(tx *store.Store) error {
		c := *s
		c.st = tx
		return fn(&c)
	})
}

// IsEmpty reports whether the database holds no content at all.
func (s *Service) IsEmpty(ctx context.Context) (bool, error) { return s.st.Empty(ctx) }

// Settings returns the network's settings, or publisher.Default before an
// admin saves any.
func (s *Service) Settings(ctx context.Context) (publisher.Settings, error) {
	return s.st.NetworkOr(ctx, publisher.Default)
}

// The words for what a desk request looked for and did not find.
const (
	noSuchArticle  = "There is no such article."
	noSuchRevision = "This article has no such revision."
)

func notFound(err error, msg string) error {
	return apperr.As(err, store.ErrNotFound, apperr.NotFound, msg)
}

// situation is what the workflow rules look at, read inside the
// transaction that acts on it.
type situation struct {
	article      article.Article
	head, target article.Revision
}

// situate loads an article, its newest revision and revisionID, refusing a
// revision of another article (a tampered form).
func situate(ctx context.Context, tx *store.Store, articleID, revisionID int64) (situation, error) {
	var sit situation
	var err error
	if sit.article, err = tx.Article(ctx, articleID); err != nil {
		return sit, notFound(err, noSuchArticle)
	}
	if sit.head, err = tx.RevisionHeader(ctx, sit.article.HeadRevisionID); err != nil {
		return sit, err
	}
	sit.target = sit.head
	if revisionID != sit.head.ID {
		sit.target, err = tx.RevisionHeader(ctx, revisionID)
		if err == nil && sit.target.ArticleID != articleID {
			err = store.ErrNotFound
		}
		if err != nil {
			return sit, notFound(err, "That revision does not belong to this article.")
		}
	}
	return sit, nil
}
