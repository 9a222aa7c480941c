package publishing

import (
	"context"
	"time"

	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/hooks"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/internal/webhook"
)

// announce tells the webhooks, in tx, of what happened to a, with the
// data the event's receivers get; a silent service tells none.
func (s *Service) announce(ctx context.Context, tx *store.Store, event webhook.Event, at time.Time, data func() (any, error)) error {
	if !s.announcing {
		return nil
	}
	return hooks.Announce(ctx, tx, event, at, data)
}

// announcePublication tells the webhooks of a publication, by the
// version it made: the article as the content API shows that version is
// made when the delivery is sent, outside this transaction.
func (s *Service) announcePublication(ctx context.Context, tx *store.Store, before article.Article, pub article.Publication, at time.Time) error {
	if !s.announcing {
		return nil
	}
	event := webhook.ArticleUpdated
	switch {
	case before.State != article.Live:
		event = webhook.ArticlePublished
	case pub.Kind.Corrects() && !pub.Minor:
		event = webhook.ArticleCorrected
	}
	return hooks.AnnounceVersion(ctx, tx, event, pub.ArticleID, pub.Version, at)
}

// ref is an article or revision named in an event that has no public
// article to show: its ids, slug and addresses.
type ref struct {
	ArticleID int64  `json:"article_id"`
	Slug      string `json:"slug"`
	Title     string `json:"title"`
	Revision  int    `json:"revision,omitempty"`
	URL       string `json:"url,omitempty"`
	DeskURL   string `json:"desk_url"`
}

func (s *Service) refOf(a article.Article, rev article.Revision, withRevision bool) ref {
	r := ref{ArticleID: a.ID, Slug: a.Slug, Title: rev.Title, DeskURL: s.links.Base + urls.DeskArticle(a.ID)}
	if withRevision {
		r.Revision = rev.Number
	}
	if !a.PublishedAt.IsZero() {
		r.URL = s.links.Base + urls.Article(a.Slug)
	}
	return r
}

// Linking makes the service's webhook payloads link to the site at links.
func (s *Service) Linking(links api.Links) *Service {
	s.links = links
	return s
}
