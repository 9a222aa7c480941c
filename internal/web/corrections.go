package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

const correctionsPageSize = 50

// showCorrections is the network's corrections log, newest first.
func (s *Server) showCorrections(c echo.Context) error {
	pg, err := pageOf(c.QueryParam("page"), correctionsPageSize)
	if err != nil {
		return err
	}
	entries, total, err := s.read.Corrections(c.Request().Context(), pg.Size, pg.Offset())
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	page := reader.CorrectionsPage{Feed: urls.CorrectionsFeed(), Pager: reader.Pager{Page: pg.N, Pages: pg.Pages}}
	page.Pager.Prev, page.Pager.Next = pg.links(func(k int) string { return urls.Page(urls.Corrections(), k) })
	for _, e := range entries {
		entry := reader.CorrectionEntry{Date: rc.date(e.Change.At), Kind: e.Change.Kind.Label(), Note: e.Change.Note, Title: e.Title, Withdrawn: e.Withdrawn}
		if !e.Withdrawn {
			entry.Href, entry.Changes = urls.Article(e.Slug), urls.VersionChanges(e.Slug, e.Change.Version)
		}
		page.Entries = append(page.Entries, entry)
	}
	meta := layout.Meta{Title: "Corrections · " + rc.net.Name, OGType: "website",
		Description: "Every correction and clarification " + rc.net.Name + " has published, newest first.",
		Canonical:   s.absolute(urls.Page(urls.Corrections(), pg.N)),
		Feeds:       []layout.Link{{Href: urls.CorrectionsFeed(), Label: "Corrections · " + rc.net.Name}}}
	if pg.N > 1 {
		meta.Title += " · Page " + strconv.Itoa(pg.N)
	}
	return s.renderPublic(c, http.StatusOK, reader.Corrections(rc.site, meta, page))
}

// showCorrectionsFeed is the corrections log as Atom: one entry for each
// correction or clarification, never changed once out.
func (s *Server) showCorrectionsFeed(c echo.Context) error {
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	entries, _, err := s.read.Corrections(c.Request().Context(), feedSize, 0)
	if err != nil {
		return err
	}
	doc := s.atomDoc(rc, "Corrections · "+rc.net.Name, urls.Corrections(), urls.CorrectionsFeed())
	updated := rc.net.UpdatedAt
	for _, e := range entries {
		at := e.Change.At
		if at.After(updated) {
			updated = at
		}
		link := urls.Corrections()
		if !e.Withdrawn {
			link = urls.VersionChanges(e.Slug, e.Change.Version)
		}
		doc.Entries = append(doc.Entries, &atomEntry{
			Title:     e.Change.Kind.Label() + ": " + e.Title,
			ID:        s.tagURI(at, correctionID(e)),
			Updated:   at.UTC().Format(time.RFC3339),
			Published: at.UTC().Format(time.RFC3339),
			Links:     []feeds.AtomLink{{Href: s.absolute(link), Rel: "alternate", Type: "text/html"}},
			Content:   &feeds.AtomContent{Content: e.Change.Note, Type: "text"},
		})
	}
	doc.Updated = updated.UTC().Format(time.RFC3339)
	return s.sendFeed(c, doc)
}

func correctionID(e article.LoggedCorrection) string {
	return "article:" + strconv.FormatInt(e.ArticleID, 10) + ":version:" + strconv.Itoa(e.Change.Version)
}
