package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// readerContext is what every reader page needs about the network.
type readerContext struct {
	net  publisher.Settings
	loc  *time.Location
	site layout.Site
}

// siteMemo is what every reader page shows about the network, as read in
// one content generation; any change to it moves the generation.
type siteMemo struct {
	gen  int64
	net  publisher.Settings
	cats []article.Category
}

// siteNow returns the network and its sections as read in the current
// content generation: they are read once per generation, not once per page.
func (s *Server) site(c echo.Context) (*siteMemo, error) {
	gen := s.gen.Load() // before reading, so a change meanwhile is not missed
	m := s.siteMemo.Load()
	if m == nil || m.gen != gen {
		ctx := c.Request().Context()
		n, err := s.read.Settings(ctx)
		if err != nil {
			return nil, err
		}
		cats, err := s.read.Categories(ctx)
		if err != nil {
			return nil, err
		}
		m = &siteMemo{gen: gen, net: n, cats: cats}
		s.siteMemo.Store(m)
	}
	return m, nil
}

// loadReader returns the network and its sections; current is the path of
// the section being shown, if any.
func (s *Server) loadReader(c echo.Context, current string) (readerContext, error) {
	m, err := s.site(c)
	if err != nil {
		return readerContext{}, err
	}
	n := m.net
	site := layout.Site{
		Name: n.Name, ShortName: n.ShortName, Tagline: n.Tagline, HomeURL: urls.Home(), SearchURL: urls.Search(), FeedURL: urls.Feed(),
		CorrectionsURL: urls.Corrections(), Year: s.now().In(n.Location()).Year(),
	}
	for _, cat := range m.cats {
		href := urls.Category(cat.Slug)
		site.Sections = append(site.Sections, layout.Link{Href: href, Label: cat.Name, Current: href == current})
	}
	return readerContext{net: n, loc: n.Location(), site: site}, nil
}

// masthead is the site's header for error pages, which must render even
// when the database does not answer.
func (s *Server) masthead(c echo.Context) layout.Site {
	rc, err := s.loadReader(c, "")
	if err != nil {
		n := publisher.Default
		return layout.Site{Name: n.Name, ShortName: n.ShortName, HomeURL: urls.Home(), SearchURL: urls.Search(), FeedURL: urls.Feed(),
			CorrectionsURL: urls.Corrections(), Year: s.now().Year()}
	}
	return rc.site
}

func (s *Server) absolute(path string) string { return s.cfg.BaseURL + path }

func (rc readerContext) date(t time.Time) reader.Date {
	if t.IsZero() {
		return reader.Date{}
	}
	return reader.Date{ISO: t.UTC().Format(time.RFC3339), Text: t.In(rc.loc).Format("January 2, 2006")}
}

func eventDate(t time.Time) reader.Date {
	if t.IsZero() {
		return reader.Date{}
	}
	return reader.Date{ISO: t.Format(article.DateLayout), Text: t.Format("2 January 2006")}
}

func categoryLinks(cats []article.Category) []layout.Link {
	out := make([]layout.Link, len(cats))
	for i, c := range cats {
		out[i] = layout.Link{Href: urls.Category(c.Slug), Label: c.Name}
	}
	return out
}

func (rc readerContext) articlePage(p article.Published) reader.ArticlePage {
	rev := p.Revision
	page := reader.ArticlePage{
		Title: rev.Title, Dek: rev.Dek, BodyHTML: rev.BodyHTML,
		Categories:     categoryLinks(rev.Categories),
		Attribution:    rev.Attribution,
		Published:      rc.date(p.Article.PublishedAt),
		Updated:        rc.date(p.Article.UpdatedAt),
		ReadingMinutes: rev.ReadingMinutes,
		Reference:      reader.Reference{Title: rev.Reference.Title, URL: rev.Reference.URL},
	}
	page.Byline = bylines(rev.Credits)
	for _, sub := range rev.Subjects {
		page.Explore = append(page.Explore, layout.Link{Href: urls.Subject(sub.Slug), Label: "Explore the " + sub.HubTitle})
	}
	for _, u := range p.Updates {
		entry := reader.Update{Date: rc.date(u.At), Kind: u.Kind.Label(), Note: u.Note, Changes: urls.VersionChanges(p.Article.Slug, u.Version)}
		if u.Kind.Corrects() {
			page.Corrections = append(page.Corrections, entry)
		} else {
			page.Updates = append(page.Updates, entry)
		}
	}
	if !p.Article.PublishedAt.IsZero() {
		page.Versions = urls.Versions(p.Article.Slug)
	}
	return page
}

// bylines are the credits as readers read them: "By A and B", then
// "Research: C" and the other roles, each name linking to the person's page.
func bylines(credits []article.Credit) []reader.Byline {
	var out []reader.Byline
	for _, g := range article.Byline(credits) {
		b := reader.Byline{Label: g.Role.Label() + ":"}
		if g.Role == article.WrittenBy {
			b.Label = "By"
		}
		for _, person := range g.People {
			l := layout.Link{Label: person.Name}
			if !person.Hidden {
				l.Href = urls.Contributor(person.Slug)
			}
			b.People = append(b.People, l)
		}
		out = append(out, b)
	}
	return out
}

// review is the provenance line of an article.
func (rc readerContext) review(p article.Provenance) *reader.Review {
	r := &reader.Review{Reviewer: p.Reviewed.Reviewer, Revision: p.Reviewed.RevisionNumber, On: rc.day(p.Reviewed.At)}
	if p.Minor != nil {
		r.MinorBy, r.MinorOn = p.Minor.Reviewer, rc.day(p.Minor.At)
	}
	return r
}

// day is a moment as a date in the network's time zone ("3 March 2026").
func (rc readerContext) day(t time.Time) reader.Date {
	return reader.Date{ISO: t.UTC().Format(time.RFC3339), Text: t.In(rc.loc).Format("2 January 2006")}
}

func (rc readerContext) summaries(items []article.Published) []reader.Summary {
	out := make([]reader.Summary, len(items))
	for i, p := range items {
		out[i] = reader.Summary{
			Href: urls.Article(p.Article.Slug), Title: p.Revision.Title, Dek: description(p.Revision.Dek, p.Revision.BodyText),
			Categories: categoryLinks(p.Revision.Categories),
			Published:  rc.date(p.Article.PublishedAt), Updated: rc.date(p.Article.UpdatedAt),
			ReadingMinutes: p.Revision.ReadingMinutes, Event: eventDate(p.Revision.EventDate),
		}
		if !p.Revision.EventDate.IsZero() {
			out[i].EventYear = strconv.Itoa(p.Revision.EventDate.Year())
		}
	}
	return out
}

// description is a page's summary for search results and link previews:
// the dek, or the opening of the body cut at a word.
func description(dek, body string) string {
	if dek != "" {
		return dek
	}
	// The byte offset of the rune after the limit, found without turning
	// the whole opening into runes.
	const limit = 160
	end, n := -1, 0
	for i := range body {
		if n == limit {
			end = i
			break
		}
		n++
	}
	if end < 0 {
		return body
	}
	cut := body[:end]
	if i := strings.LastIndexByte(cut, ' '); i > 80 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// ldThing is a schema.org node named in another: the network, a person,
// a subject, a cited work.
type ldThing struct {
	Type          string   `json:"@type"`
	Name          string   `json:"name"`
	AlternateName string   `json:"alternateName,omitempty"`
	URL           string   `json:"url,omitempty"`
	SameAs        []string `json:"sameAs,omitempty"`
}

type ldCorrection struct {
	Type          string `json:"@type"`
	DatePublished string `json:"datePublished"`
	Text          string `json:"text"`
	URL           string `json:"url"`
}

// ldNewsArticle is built on every uncached article page: a struct, not a
// map, so that encoding it neither allocates a map nor sorts its keys.
type ldNewsArticle struct {
	Context          string         `json:"@context"`
	Type             string         `json:"@type"`
	Headline         string         `json:"headline"`
	Description      string         `json:"description"`
	DatePublished    string         `json:"datePublished"`
	DateModified     string         `json:"dateModified"`
	Author           any            `json:"author"` // the network, or the writers
	Contributor      []ldThing      `json:"contributor,omitempty"`
	Publisher        ldThing        `json:"publisher"`
	MainEntityOfPage string         `json:"mainEntityOfPage"`
	URL              string         `json:"url"`
	WordCount        int            `json:"wordCount"`
	TimeRequired     string         `json:"timeRequired"`
	InLanguage       string         `json:"inLanguage"`
	Correction       []ldCorrection `json:"correction,omitempty"`
	Citation         *ldThing       `json:"citation,omitempty"`
	ArticleSection   []string       `json:"articleSection,omitempty"`
	About            []ldThing      `json:"about,omitempty"`
	Image            []ldImage      `json:"image,omitempty"`
}

// ldImage is a schema.org ImageObject: one cut of a lead image.
type ldImage struct {
	Type            string `json:"@type"`
	URL             string `json:"url"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
	Caption         string `json:"caption,omitempty"`
	CreditText      string `json:"creditText,omitempty"`
	License         string `json:"license,omitempty"`
	CopyrightNotice string `json:"copyrightNotice,omitempty"`
}

// newsArticleJSONLD describes an article for search engines as a schema.org
// NewsArticle published by the network, with its lead image (when lead
// has an id) cut in the three proportions search engines ask for.
func (s *Server) newsArticleJSONLD(rc readerContext, p article.Published, canonical string, lead media.Item) ldNewsArticle {
	org := ldThing{Type: "Organization", Name: rc.net.Name, AlternateName: rc.net.ShortName, URL: s.absolute(urls.Home())}
	doc := ldNewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		Headline:         p.Revision.Title,
		Description:      description(p.Revision.Dek, p.Revision.BodyText),
		DatePublished:    p.Article.PublishedAt.UTC().Format(time.RFC3339),
		DateModified:     p.Article.UpdatedAt.UTC().Format(time.RFC3339),
		Author:           org,
		Publisher:        org,
		MainEntityOfPage: canonical,
		URL:              canonical,
		WordCount:        p.Revision.WordCount,
		TimeRequired:     "PT" + strconv.Itoa(p.Revision.ReadingMinutes) + "M",
		InLanguage:       "en",
	}
	// Writers are the authors; with no writer credited the network is, as
	// it always was. Everyone else credited is a contributor.
	var authors []ldThing
	for _, cr := range p.Revision.Credits {
		// A hidden contributor is named, as the byline names them, and
		// described no further.
		person := ldThing{Type: "Person", Name: cr.Contributor.Name}
		if !cr.Contributor.Hidden {
			person.URL = s.absolute(urls.Contributor(cr.Contributor.Slug))
			person.SameAs = cr.Contributor.SameAs()
		}
		if cr.Role == article.WrittenBy {
			authors = append(authors, person)
		} else {
			doc.Contributor = append(doc.Contributor, person)
		}
	}
	if len(authors) > 0 {
		doc.Author = authors
	}
	for _, u := range p.Updates {
		if u.Kind.Corrects() {
			doc.Correction = append(doc.Correction, ldCorrection{Type: "CorrectionComment", DatePublished: u.At.UTC().Format(time.RFC3339),
				Text: u.Kind.Label() + ": " + u.Note, URL: s.absolute(urls.VersionChanges(p.Article.Slug, u.Version))})
		}
	}
	if p.Revision.Reference.URL != "" {
		doc.Citation = &ldThing{Type: "CreativeWork", Name: p.Revision.Reference.Title, URL: p.Revision.Reference.URL}
	}
	for _, c := range p.Revision.Categories {
		doc.ArticleSection = append(doc.ArticleSection, c.Name)
	}
	for _, sub := range p.Revision.Subjects {
		doc.About = append(doc.About, ldThing{Type: "Thing", Name: sub.Name, URL: s.absolute(urls.Subject(sub.Slug))})
	}
	if lead.ID != 0 {
		l := p.Revision.Lead
		for _, crop := range []media.Crop{media.Square, media.Standard, media.Wide} {
			v := crop.Cut(lead, media.OutJPEG)
			w, h := v.Size(lead.Width, lead.Height)
			img := ldImage{Type: "ImageObject", URL: s.absolute(lead.URL(v)), Width: w, Height: h, Caption: l.Caption, CreditText: l.Credit}
			// A licence given as an address is one; anything else is the
			// notice as the editor wrote it.
			if article.ValidReferenceURL(l.Licence) {
				img.License = l.Licence
			} else {
				img.CopyrightNotice = l.Licence
			}
			doc.Image = append(doc.Image, img)
		}
	}
	return doc
}

// profileJSONLD describes a contributor's page as a schema.org ProfilePage
// about a Person.
func (s *Server) profileJSONLD(ct article.Contributor) any {
	person := map[string]any{"@type": "Person", "name": ct.Name, "url": s.absolute(urls.Contributor(ct.Slug))}
	if ct.Bio != "" {
		person["description"] = ct.Bio
	}
	if ct.Affiliation != "" {
		person["affiliation"] = map[string]any{"@type": "Organization", "name": ct.Affiliation}
	}
	if same := ct.SameAs(); len(same) > 0 {
		person["sameAs"] = same
	}
	return map[string]any{"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person}
}

// breadcrumbs describes the way from the home page to a page as a
// schema.org BreadcrumbList.
func (s *Server) breadcrumbs(rc readerContext, trail ...layout.Link) any {
	type item struct {
		Type     string `json:"@type"`
		Position int    `json:"position"`
		Name     string `json:"name"`
		Item     string `json:"item"`
	}
	items := []item{{"ListItem", 1, rc.net.Name, s.absolute(urls.Home())}}
	for i, l := range trail {
		items = append(items, item{"ListItem", i + 2, l.Label, s.absolute(l.Href)})
	}
	return struct {
		Context string `json:"@context"`
		Type    string `json:"@type"`
		Items   []item `json:"itemListElement"`
	}{"https://schema.org", "BreadcrumbList", items}
}
