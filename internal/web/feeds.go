package web

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/urls"
)

const (
	feedSize        = 20
	sitemapPageSize = 50_000 // the most URLs one sitemap may list
	contentAtom     = "application/atom+xml; charset=utf-8"
	contentXML      = "application/xml; charset=utf-8"
)

// atomFeed is an Atom document. gorilla/feeds' own feed type carries one
// link, and a feed should link to both its page and itself.
type atomFeed struct {
	XMLName  xml.Name `xml:"feed"`
	Xmlns    string   `xml:"xmlns,attr"`
	Title    string   `xml:"title"`
	Subtitle string   `xml:"subtitle,omitempty"`
	ID       string   `xml:"id"`
	Updated  string   `xml:"updated"`
	Links    []feeds.AtomLink
	Author   *feeds.AtomAuthor
	Entries  []*atomEntry
}

// atomEntry is an Atom entry. gorilla/feeds' own carries one author and
// one contributor, and an article may credit several of each.
type atomEntry struct {
	XMLName      xml.Name `xml:"entry"`
	Title        string   `xml:"title"`
	ID           string   `xml:"id"`
	Updated      string   `xml:"updated"`
	Published    string   `xml:"published,omitempty"`
	Authors      []feeds.AtomAuthor
	Contributors []feeds.AtomContributor
	Links        []feeds.AtomLink
	Summary      *feeds.AtomSummary
	Content      *feeds.AtomContent
}

// FeedXml makes atomFeed a gorilla/feeds XmlFeed.
func (f *atomFeed) FeedXml() any { return f }

// showFeed is the site-wide Atom feed.
func (s *Server) showFeed(c echo.Context) error {
	return s.renderFeed(c, "", urls.Home(), urls.Feed(), article.ListFilter{})
}

// showCategoryFeed is a category's Atom feed.
func (s *Server) showCategoryFeed(c echo.Context) error {
	cat, err := s.read.Category(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return s.orSlugMoved(c, reading.CategoryPage, urls.CategoryFeed, err)
	}
	return s.renderFeed(c, cat.Name, urls.Category(cat.Slug), urls.CategoryFeed(cat.Slug), article.ListFilter{CategoryID: cat.ID})
}

// showSubjectFeed is a subject's Atom feed, newest first.
func (s *Server) showSubjectFeed(c echo.Context) error {
	sub, err := s.read.Subject(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return s.orSlugMoved(c, reading.SubjectPage, urls.SubjectFeed, err)
	}
	return s.renderFeed(c, sub.HubTitle, urls.Subject(sub.Slug), urls.SubjectFeed(sub.Slug), article.ListFilter{SubjectID: sub.ID, Newest: true})
}

// showContributorFeed is the Atom feed of the articles crediting a
// contributor.
func (s *Server) showContributorFeed(c echo.Context) error {
	ct, err := s.read.Contributor(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return s.orSlugMoved(c, reading.ContributorPage, urls.ContributorFeed, err)
	}
	return s.renderFeed(c, ct.Name, urls.Contributor(ct.Slug), urls.ContributorFeed(ct.Slug), article.ListFilter{ContributorID: ct.ID})
}

// renderFeed writes the latest live articles of a listing as Atom, with
// their full sanitized bodies. Entry ids never change once an article is
// out, so feed readers do not show an update as a new article.
func (s *Server) renderFeed(c echo.Context, section, page, self string, f article.ListFilter) error {
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	f.Body, f.Limit = true, feedSize
	items, _, err := s.read.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	title := rc.net.Name
	if section != "" {
		title = section + " · " + rc.net.Name
	}
	doc := s.atomDoc(rc, title, page, self)
	updated := rc.net.UpdatedAt
	s.rememberLeads(c.Request().Context(), items)
	for _, p := range items {
		if p.Article.UpdatedAt.After(updated) {
			updated = p.Article.UpdatedAt
		}
		body, err := s.feedBody(c.Request().Context(), p.Revision)
		if err != nil {
			return err
		}
		entry := &atomEntry{
			Title:     p.Revision.Title,
			ID:        s.entryID(p.Article),
			Updated:   p.Article.UpdatedAt.UTC().Format(time.RFC3339),
			Published: p.Article.PublishedAt.UTC().Format(time.RFC3339),
			Links:     []feeds.AtomLink{{Href: s.absolute(urls.Article(p.Article.Slug)), Rel: "alternate", Type: "text/html"}},
			Summary:   &feeds.AtomSummary{Content: description(p.Revision.Dek, p.Revision.BodyText), Type: "text"},
			Content:   &feeds.AtomContent{Content: body, Type: "html"},
		}
		if enclosure := s.feedImage(c.Request().Context(), p.Revision); enclosure != nil {
			entry.Links = append(entry.Links, *enclosure)
		}
		for _, cr := range p.Revision.Credits {
			person := feeds.AtomPerson{Name: cr.Contributor.Name}
			if !cr.Contributor.Hidden {
				person.Uri = s.absolute(urls.Contributor(cr.Contributor.Slug))
			}
			if cr.Role == article.WrittenBy {
				entry.Authors = append(entry.Authors, feeds.AtomAuthor{AtomPerson: person})
			} else {
				entry.Contributors = append(entry.Contributors, feeds.AtomContributor{AtomPerson: person})
			}
		}
		doc.Entries = append(doc.Entries, entry)
	}
	doc.Updated = updated.UTC().Format(time.RFC3339)
	return s.sendFeed(c, doc)
}

// atomDoc is an empty Atom feed of the network's, linking to its page and
// itself.
func (s *Server) atomDoc(rc readerContext, title, page, self string) *atomFeed {
	return &atomFeed{
		Xmlns: "http://www.w3.org/2005/Atom", Title: title, Subtitle: rc.net.Tagline, ID: s.absolute(self),
		Links: []feeds.AtomLink{
			{Href: s.absolute(page), Rel: "alternate", Type: "text/html"},
			{Href: s.absolute(self), Rel: "self", Type: "application/atom+xml"},
		},
		Author: &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: rc.net.Name, Uri: s.absolute(urls.Home())}},
	}
}

func (s *Server) sendFeed(c echo.Context, doc *atomFeed) error {
	body, err := feeds.ToXML(doc)
	if err != nil {
		return err
	}
	return s.sendPublic(c, http.StatusOK, contentAtom, []byte(body))
}

// entryID is an article's permanent Atom id: a tag URI (RFC 4151) made of
// the site's host, the day it was first published and its id, none of which
// an update or a new slug changes.
func (s *Server) entryID(a article.Article) string {
	return s.tagURI(a.PublishedAt, "article:"+strconv.FormatInt(a.ID, 10))
}

// tagURI is a permanent id (RFC 4151) minted on day for what.
func (s *Server) tagURI(day time.Time, what string) string {
	host := "localhost"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "tag:" + host + "," + day.UTC().Format("2006-01-02") + ":" + what
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	Xmlns   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	Xmlns    string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// showSitemap lists the home page, every category and subject page and
// every live article with its Updated date. Past 50,000 articles it becomes
// an index of numbered sitemaps (?page=N), as the protocol requires.
func (s *Server) showSitemap(c echo.Context) error {
	ctx := c.Request().Context()
	// Without ?page the sitemap is page 1, or the index when it has more.
	indexed := c.QueryParam("page") == ""
	pg, err := pageOf(c.QueryParam("page"), sitemapPageSize)
	if err != nil {
		return err
	}
	locs, total, err := s.read.Locations(ctx, pg.Size, pg.Offset())
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	var doc any
	switch {
	case indexed && pg.Pages > 1:
		index := sitemapIndex{Xmlns: sitemapNS}
		for k := 1; k <= pg.Pages; k++ {
			index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: s.absolute(urls.Sitemap() + "?page=" + strconv.Itoa(k))})
		}
		doc = index
	default:
		set := urlSet{Xmlns: sitemapNS}
		if pg.N == 1 {
			if set.URLs, err = s.sectionURLs(c); err != nil {
				return err
			}
		}
		for _, l := range locs {
			set.URLs = append(set.URLs, sitemapURL{Loc: s.absolute(urls.Article(l.Slug)), LastMod: l.UpdatedAt.UTC().Format(time.RFC3339)})
		}
		doc = set
	}
	body, err := xml.Marshal(doc)
	if err != nil {
		return err
	}
	return s.sendPublic(c, http.StatusOK, contentXML, append([]byte(xml.Header), body...))
}

// sectionURLs are the home page and the category, subject and (visible)
// contributor pages.
func (s *Server) sectionURLs(c echo.Context) ([]sitemapURL, error) {
	t, err := s.read.Sections(c.Request().Context())
	if err != nil {
		return nil, err
	}
	out := []sitemapURL{{Loc: s.absolute(urls.Home())}}
	for _, cat := range t.Categories {
		out = append(out, sitemapURL{Loc: s.absolute(urls.Category(cat.Slug))})
	}
	for _, sub := range t.Subjects {
		out = append(out, sitemapURL{Loc: s.absolute(urls.Subject(sub.Slug))})
	}
	for _, ct := range t.Contributors {
		if !ct.Hidden {
			out = append(out, sitemapURL{Loc: s.absolute(urls.Contributor(ct.Slug))})
		}
	}
	return out, nil
}

// showRobots lets crawlers read the site but not the desk, and points them
// to the sitemap.
func (s *Server) showRobots(c echo.Context) error {
	body := strings.Join([]string{
		"User-agent: *",
		"Disallow: " + urls.Desk(),
		"Disallow: " + urls.Login(),
		"Disallow: " + urls.Setup(),
		"Disallow: " + urls.Search(),
		"",
		"Sitemap: " + s.absolute(urls.Sitemap()),
		"",
	}, "\n")
	return s.sendPublic(c, http.StatusOK, "text/plain; charset=utf-8", []byte(body))
}
