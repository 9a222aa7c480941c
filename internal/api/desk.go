package api

import (
	"strconv"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/webhook"
)

// DeskRow is an article as the desk lists it, for a read:drafts token.
type DeskRow struct {
	ID         int64  `json:"id"`
	Slug       string `json:"slug"`
	Title      string `json:"title"`
	State      string `json:"state"`
	HeadNumber int    `json:"head_revision"`
	HeadStatus string `json:"head_status"`
	LiveNumber *int   `json:"live_revision"`
	ChangedAt  string `json:"changed_at"`
	APIURL     string `json:"api_url"`
}

// Revision is one saved revision, as the desk's history shows it; Body
// fields are set only for a revision asked for whole.
type Revision struct {
	Number         int        `json:"number"`
	Status         string     `json:"status"`
	CreatedAt      string     `json:"created_at"`
	Author         string     `json:"author"`
	ChangeNote     string     `json:"change_note"`
	Title          string     `json:"title"`
	Slug           string     `json:"slug"`
	Dek            *string    `json:"dek,omitempty"`
	BodyMarkdown   *string    `json:"body_markdown,omitempty"`
	BodyHTML       *string    `json:"body_html,omitempty"`
	EventDate      *string    `json:"event_date,omitempty"`
	Attribution    *string    `json:"attribution,omitempty"`
	Categories     []Category `json:"categories,omitempty"`
	Subjects       []Subject  `json:"subjects,omitempty"`
	ReadingMinutes *int       `json:"reading_minutes,omitempty"`
}

// DeskArticle is one article as the desk sees it: its state, its newest
// revision whole, and the headers of every revision, newest first.
type DeskArticle struct {
	ID         int64      `json:"id"`
	Slug       string     `json:"slug"`
	State      string     `json:"state"`
	LiveNumber *int       `json:"live_revision"`
	Head       Revision   `json:"head"`
	Revisions  []Revision `json:"revisions"`
}

// DeskRowOf is a desk row as the API shows it.
func (l Links) DeskRowOf(r article.DeskRow) DeskRow {
	out := DeskRow{ID: r.Article.ID, Slug: r.Article.Slug, Title: r.Title, State: string(r.State), HeadNumber: r.HeadNumber,
		HeadStatus: string(r.HeadStatus), ChangedAt: stamp(r.ChangedAt), APIURL: l.abs(Version + "/desk/articles/" + strconv.FormatInt(r.Article.ID, 10))}
	if r.LiveNumber != 0 {
		n := r.LiveNumber
		out.LiveNumber = &n
	}
	return out
}

// RevisionOf is a revision's header as the API shows it.
func RevisionOf(r article.Revision) Revision {
	return Revision{Number: r.Number, Status: string(r.Status), CreatedAt: stamp(r.CreatedAt), Author: r.AuthorName, ChangeNote: r.ChangeNote,
		Title: r.Title, Slug: r.Slug}
}

// DeskArticleOf is the desk's view of an article, with its newest
// revision whole and every revision's header.
func (l Links) DeskArticleOf(v article.DeskView, revs []article.Revision) DeskArticle {
	a := DeskArticle{ID: v.Article.ID, Slug: v.Article.Slug, State: string(article.StateOf(v.Article, v.Head.Status)), Revisions: []Revision{}}
	if v.Live.ID != 0 {
		n := v.Live.Number
		a.LiveNumber = &n
	}
	h := v.Head
	a.Head = RevisionOf(h)
	a.Head.Dek, a.Head.BodyMarkdown, a.Head.BodyHTML, a.Head.Attribution = &h.Dek, &h.BodyMarkdown, &h.BodyHTML, &h.Attribution
	a.Head.ReadingMinutes = &h.ReadingMinutes
	if !h.EventDate.IsZero() {
		d := h.EventDate.Format(article.DateLayout)
		a.Head.EventDate = &d
	}
	a.Head.Categories, a.Head.Subjects = []Category{}, []Subject{}
	for _, c := range h.Categories {
		a.Head.Categories = append(a.Head.Categories, l.CategoryOf(c))
	}
	for _, s := range h.Subjects {
		a.Head.Subjects = append(a.Head.Subjects, l.SubjectOf(s))
	}
	for _, r := range revs {
		a.Revisions = append(a.Revisions, RevisionOf(r))
	}
	return a
}

// Webhook is a registered webhook, for a webhooks:manage token; Secret is
// set only in the answer that creates it.
type Webhook struct {
	ID             int64    `json:"id"`
	URL            string   `json:"url"`
	Events         []string `json:"events"`
	Enabled        bool     `json:"enabled"`
	DisabledReason string   `json:"disabled_reason"`
	CreatedAt      string   `json:"created_at"`
	Secret         string   `json:"secret,omitempty"`
}

// NewWebhook is what a webhooks:manage token sends to add one.
type NewWebhook struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// WebhookOf is a webhook as the API shows it, without its secret.
func WebhookOf(w webhook.Webhook) Webhook {
	out := Webhook{ID: w.ID, URL: w.URL, Events: []string{}, Enabled: w.Enabled(), DisabledReason: w.DisabledReason, CreatedAt: stamp(w.CreatedAt)}
	for _, e := range w.Events {
		out.Events = append(out.Events, string(e))
	}
	return out
}
