// Package api is Quire's content API as data: the JSON shapes of
// published articles, categories, subjects and the network, made from the
// domain's read models, and the cursors that page through lists. Its
// contract is the OpenAPI document beside it (openapi.json). It knows
// nothing of HTTP routing or the database.
package api

import (
	_ "embed"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/urls"
)

// OpenAPI is the API's OpenAPI 3.1 description, served as it is.
//
//go:embed openapi.json
var OpenAPI []byte

// Version is the path every address of this API starts with.
const Version = "/api/v1"

// Links makes absolute addresses of the site at base.
type Links struct{ Base string }

func (l Links) abs(path string) string { return l.Base + path }

// Network is who publishes.
type Network struct {
	Name        string `json:"name"`
	ShortName   string `json:"short_name"`
	Attribution string `json:"attribution"`
	Tagline     string `json:"tagline"`
	TimeZone    string `json:"time_zone"`
	URL         string `json:"url"`
	ArticlesURL string `json:"articles_url"`
}

// Category is a section of the site.
type Category struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	URL         string `json:"url"`
	ArticlesURL string `json:"articles_url"`
}

// Subject is a subject hub, whose timeline lists its articles by event
// date.
type Subject struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	HubTitle    string `json:"hub_title"`
	Description string `json:"description"`
	URL         string `json:"url"`
	TimelineURL string `json:"timeline_url"`
}

// Contributor is someone credited on an article.
type Contributor struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	// URL is the contributor's page; null for a hidden contributor, who
	// has none.
	URL *string `json:"url"`
}

// Credit is who did what on an article.
type Credit struct {
	Role        string      `json:"role"`
	Contributor Contributor `json:"contributor"`
}

// Reference is an article's primary source.
type Reference struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Update is one entry of an article's public update log.
type Update struct {
	Kind        string `json:"kind"`
	Note        string `json:"note"`
	PublishedAt string `json:"published_at"`
	Version     int    `json:"version"`
	VersionURL  string `json:"version_url"`
}

// ArticleSummary is an article as lists show it.
type ArticleSummary struct {
	ID             int64      `json:"id"`
	Slug           string     `json:"slug"`
	URL            string     `json:"url"`
	APIURL         string     `json:"api_url"`
	Title          string     `json:"title"`
	Dek            string     `json:"dek"`
	Categories     []Category `json:"categories"`
	Subjects       []Subject  `json:"subjects"`
	EventDate      *string    `json:"event_date"`
	ReadingMinutes int        `json:"reading_minutes"`
	Attribution    string     `json:"attribution"`
	PublishedAt    string     `json:"published_at"`
	UpdatedAt      string     `json:"updated_at"`
}

// Article is everything a reader sees of one article.
type Article struct {
	ArticleSummary
	Credits          []Credit   `json:"credits"`
	BodyHTML         string     `json:"body_html"`
	BodyText         string     `json:"body_text"`
	PrimaryReference *Reference `json:"primary_reference"`
	Updates          []Update   `json:"updates"`
	VersionsURL      string     `json:"versions_url"`
}

// List is one page of a list, with the address of the next page (null on
// the last).
type List[T any] struct {
	Data []T     `json:"data"`
	Next *string `json:"next"`
}

// Problem is an RFC 9457 problem detail.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Parameter names the query parameter at fault, when one is.
	Parameter string `json:"parameter,omitempty"`
}

// stamp is a moment as the API writes it: RFC 3339 in UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// NetworkOf is the network's settings as the API shows them.
func (l Links) NetworkOf(n publisher.Settings) Network {
	return Network{Name: n.Name, ShortName: n.ShortName, Attribution: n.Attribution, Tagline: n.Tagline, TimeZone: n.TimeZone,
		URL: l.abs(urls.Home()), ArticlesURL: l.abs(Version + "/articles")}
}

// CategoryOf is a category as the API shows it.
func (l Links) CategoryOf(c article.Category) Category {
	return Category{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, URL: l.abs(urls.Category(c.Slug)),
		ArticlesURL: l.abs(Version + "/articles?category=" + c.Slug)}
}

// SubjectOf is a subject as the API shows it.
func (l Links) SubjectOf(s article.Subject) Subject {
	return Subject{ID: s.ID, Slug: s.Slug, Name: s.Name, HubTitle: s.HubTitle, Description: s.Description, URL: l.abs(urls.Subject(s.Slug)),
		TimelineURL: l.abs(Version + "/articles?subject=" + s.Slug + "&order=event")}
}

// ArticleURL is the API address of the article at slug.
func (l Links) ArticleURL(slug string) string { return l.abs(Version + "/articles/" + slug) }

// SummaryOf is a live article as lists show it.
func (l Links) SummaryOf(p article.Published) ArticleSummary {
	rev := p.Revision
	s := ArticleSummary{
		ID: p.Article.ID, Slug: p.Article.Slug, URL: l.abs(urls.Article(p.Article.Slug)), APIURL: l.ArticleURL(p.Article.Slug),
		Title: rev.Title, Dek: rev.Dek, Categories: []Category{}, Subjects: []Subject{}, ReadingMinutes: rev.ReadingMinutes,
		Attribution: rev.Attribution, PublishedAt: stamp(p.Article.PublishedAt), UpdatedAt: stamp(p.Article.UpdatedAt),
	}
	for _, c := range rev.Categories {
		s.Categories = append(s.Categories, l.CategoryOf(c))
	}
	for _, sub := range rev.Subjects {
		s.Subjects = append(s.Subjects, l.SubjectOf(sub))
	}
	if !rev.EventDate.IsZero() {
		d := rev.EventDate.Format(article.DateLayout)
		s.EventDate = &d
	}
	return s
}

// ArticleOf is a live article as the API shows it whole.
func (l Links) ArticleOf(p article.Published) Article {
	rev := p.Revision
	a := Article{ArticleSummary: l.SummaryOf(p), Credits: []Credit{}, BodyHTML: rev.BodyHTML, BodyText: rev.BodyText,
		Updates: []Update{}, VersionsURL: l.abs(urls.Versions(p.Article.Slug))}
	for _, c := range rev.Credits {
		who := Contributor{ID: c.Contributor.ID, Slug: c.Contributor.Slug, Name: c.Contributor.Name}
		if !c.Contributor.Hidden {
			u := l.abs(urls.Contributor(c.Contributor.Slug))
			who.URL = &u
		}
		a.Credits = append(a.Credits, Credit{Role: string(c.Role), Contributor: who})
	}
	if rev.Reference != (article.Reference{}) {
		a.PrimaryReference = &Reference{Title: rev.Reference.Title, URL: rev.Reference.URL}
	}
	for _, u := range p.Updates {
		a.Updates = append(a.Updates, Update{Kind: string(u.Kind), Note: u.Note, PublishedAt: stamp(u.At), Version: u.Version,
			VersionURL: l.abs(urls.Version(p.Article.Slug, u.Version))})
	}
	return a
}
