package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// Public versions and Memento (RFC 7089): the article is the Original
// Resource and its own TimeGate, /versions is its TimeMap, and every
// version is a Memento at /versions/{n}.

const (
	acceptDatetime = "Accept-Datetime"
	linkFormat     = "application/link-format"
)

// isArticlePath reports whether path is an article's own page, the one
// that answers Accept-Datetime.
func isArticlePath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/articles/")
	return ok && rest != "" && !strings.Contains(rest, "/")
}

// wantsLinkFormat reports whether a TimeMap request asks for the
// machine-readable list rather than the page.
func wantsLinkFormat(r *http.Request) bool {
	return strings.Contains(r.Header.Get(echo.HeaderAccept), linkFormat)
}

// timeGate redirects a request for the article as of Accept-Datetime to
// the version that was live then.
func (s *Server) timeGate(c echo.Context, slug string) error {
	raw := c.Request().Header.Get(acceptDatetime)
	at, err := http.ParseTime(raw)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest,
			"Accept-Datetime must be an HTTP date such as “Tue, 20 Aug 1940 17:30:00 GMT” (RFC 7089).")
	}
	p, pubs, err := s.read.Versions(c.Request().Context(), slug)
	if err != nil {
		return s.orMoved(c, slug, "", err)
	}
	v := reading.VersionAt(pubs, at)
	h := c.Response().Header()
	h.Set(echo.HeaderVary, acceptDatetime)
	h.Set("Link", s.mementoLinks(p.Article.Slug, pubs, &v))
	h.Set(echo.HeaderCacheControl, cachePublic)
	return c.Redirect(http.StatusFound, s.absolute(urls.Version(p.Article.Slug, v.Version)))
}

// orMoved answers a reader's request for an address no article is at: a
// permanent redirect when an article used to be there (suffix is the rest
// of the path, such as /versions/2), otherwise err.
func (s *Server) orMoved(c echo.Context, slug, suffix string, err error) error {
	return s.movedOr(c, err, func(ctx context.Context) (string, bool, error) { return s.read.Redirect(ctx, slug) },
		func(current string) string { return urls.Article(current) + suffix })
}

// movedOr answers a request err says found nothing (any other err is
// returned as it is): with a permanent redirect to where it went, when
// find knows a current slug, otherwise with err.
func (s *Server) movedOr(c echo.Context, err error, find func(context.Context) (string, bool, error), to func(current string) string) error {
	if apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	current, moved, rerr := find(c.Request().Context())
	if rerr != nil {
		return rerr
	}
	if !moved {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, cachePublic)
	return c.Redirect(http.StatusMovedPermanently, to(current))
}

// mementoLinks is the Link header of the article's Memento resources:
// the original (its own TimeGate), the TimeMap, and the first and last
// versions, with the shown one and its neighbours when there is one.
func (s *Server) mementoLinks(slug string, pubs []article.Publication, shown *article.Publication) string {
	links := []string{
		fmt.Sprintf(`<%s>; rel="original timegate"`, s.absolute(urls.Article(slug))),
		fmt.Sprintf(`<%s>; rel="timemap"; type="%s"`, s.absolute(urls.Versions(slug)), linkFormat),
	}
	for i, p := range pubs {
		var rels []string
		if i == 0 {
			rels = append(rels, "first")
		}
		if i == len(pubs)-1 {
			rels = append(rels, "last")
		}
		if shown != nil {
			switch p.Version {
			case shown.Version - 1:
				rels = append(rels, "prev")
			case shown.Version + 1:
				rels = append(rels, "next")
			case shown.Version:
				if len(rels) == 0 {
					rels = append(rels, "")
				}
			}
		}
		if len(rels) == 0 {
			continue
		}
		links = append(links, s.mementoLink(slug, p, strings.TrimSpace(strings.Join(rels, " ")+" memento")))
	}
	return strings.Join(links, ", ")
}

func (s *Server) mementoLink(slug string, p article.Publication, rel string) string {
	return fmt.Sprintf(`<%s>; rel="%s"; datetime="%s"`, s.absolute(urls.Version(slug, p.Version)), rel, httpDate(p.PublishedAt))
}

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// versionNumber reads the version in the path.
func versionNumber(c echo.Context) (string, int, error) {
	slug := c.Param("slug")
	n, err := strconv.Atoi(c.Param("n"))
	if !article.ValidSlug(slug) || err != nil || n < 1 || strconv.Itoa(n) != c.Param("n") {
		return "", 0, echo.ErrNotFound
	}
	return slug, n, nil
}

// showVersion is one published version as readers saw it: a Memento.
func (s *Server) showVersion(c echo.Context) error {
	slug, n, err := versionNumber(c)
	if err != nil {
		return err
	}
	v, err := s.read.Version(c.Request().Context(), slug, n, false)
	if err != nil {
		return s.orMoved(c, slug, strings.TrimPrefix(c.Request().URL.Path, urls.Article(slug)), err)
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	slug = v.Article.Slug
	page := reader.VersionPage{Story: rc.articlePage(v.Published), Number: n, Published: rc.date(v.Version.PublishedAt),
		Current: urls.Article(slug), Versions: urls.Versions(slug), Fingerprint: v.Version.ContentHash}
	if _, err := s.illustrated(c.Request().Context(), &page.Story, v.Revision); err != nil {
		return err
	}
	if n > 1 {
		page.Changes, page.Prev = urls.VersionChanges(slug, n), urls.Version(slug, n-1)
	}
	if n < len(v.Versions) {
		page.Next = urls.Version(slug, n+1)
	}
	h := c.Response().Header()
	h.Set("Memento-Datetime", httpDate(v.Version.PublishedAt))
	h.Set("Link", s.mementoLinks(slug, v.Versions, &v.Version))
	meta := layout.Meta{
		Title:       v.Revision.Title + " (version " + strconv.Itoa(n) + ") · " + rc.net.Name,
		Description: description(v.Revision.Dek, v.Revision.BodyText),
		Canonical:   s.absolute(urls.Article(slug)),
		NoIndex:     true,
		OGType:      "article",
	}
	return s.renderPublic(c, http.StatusOK, reader.Version(rc.site, meta, page))
}

// showVersionChanges is what a version changed from the one before it.
func (s *Server) showVersionChanges(c echo.Context) error {
	slug, n, err := versionNumber(c)
	if err != nil {
		return err
	}
	v, err := s.read.Version(c.Request().Context(), slug, n, true)
	if err != nil {
		return s.orMoved(c, slug, strings.TrimPrefix(c.Request().URL.Path, urls.Article(slug)), err)
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	slug = v.Article.Slug
	page := reader.ChangesPage{Title: v.Revision.Title, Number: n, Date: rc.date(v.Version.PublishedAt), Note: v.Version.Note,
		Minor: v.Version.Minor, Version: urls.Version(slug, n), Current: urls.Article(slug)}
	if n > 1 {
		page.Kind = v.Version.Kind.Label()
		page.Previous = urls.Version(slug, n-1)
		page.Fields = s.withThumbs(c.Request().Context(), comparePublished(v.Previous, v.Revision))
	}
	meta := layout.Meta{
		Title:     "What changed in version " + strconv.Itoa(n) + " of " + v.Revision.Title + " · " + rc.net.Name,
		Canonical: s.absolute(urls.VersionChanges(slug, n)),
		NoIndex:   true,
		OGType:    "website",
	}
	return s.renderPublic(c, http.StatusOK, reader.VersionChanges(rc.site, meta, page))
}

// showVersions is the article's TimeMap: an HTML list for people, or
// application/link-format for Memento clients.
func (s *Server) showVersions(c echo.Context) error {
	slug := c.Param("slug")
	if !article.ValidSlug(slug) {
		return echo.ErrNotFound
	}
	p, pubs, err := s.read.Versions(c.Request().Context(), slug)
	if err != nil {
		return s.orMoved(c, slug, "/versions", err)
	}
	slug = p.Article.Slug
	c.Response().Header().Set(echo.HeaderVary, echo.HeaderAccept)
	if wantsLinkFormat(c.Request()) {
		return s.sendPublic(c, http.StatusOK, linkFormat, []byte(s.timeMap(slug, pubs)))
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	page := reader.VersionsPage{Title: p.Revision.Title, Current: urls.Article(slug), LinkMap: urls.Versions(slug)}
	for i, v := range pubs {
		e := reader.VersionEntry{Number: v.Version, Date: rc.date(v.PublishedAt), Href: urls.Version(slug, v.Version)}
		if i > 0 {
			e.Kind, e.Minor, e.Note, e.Changes = v.Kind.Label(), v.Minor, v.Note, urls.VersionChanges(slug, v.Version)
		}
		page.Versions = append(page.Versions, e)
	}
	meta := layout.Meta{
		Title:     "Versions of " + p.Revision.Title + " · " + rc.net.Name,
		Canonical: s.absolute(urls.Versions(slug)),
		NoIndex:   true,
		OGType:    "website",
	}
	return s.renderPublic(c, http.StatusOK, reader.Versions(rc.site, meta, page))
}

// timeMap is the TimeMap in application/link-format (RFC 7089 section
// 5.1.1, RFC 6690): the original, itself, and every memento.
func (s *Server) timeMap(slug string, pubs []article.Publication) string {
	first, last := pubs[0], pubs[len(pubs)-1]
	lines := []string{
		fmt.Sprintf(`<%s>; rel="original timegate"`, s.absolute(urls.Article(slug))),
		fmt.Sprintf(`<%s>; rel="self"; type="%s"; from="%s"; until="%s"`, s.absolute(urls.Versions(slug)), linkFormat,
			httpDate(first.PublishedAt), httpDate(last.PublishedAt)),
	}
	for i, p := range pubs {
		rel := "memento"
		switch {
		case len(pubs) == 1:
			rel = "first last memento"
		case i == 0:
			rel = "first memento"
		case i == len(pubs)-1:
			rel = "last memento"
		}
		lines = append(lines, s.mementoLink(slug, p, rel))
	}
	return strings.Join(lines, ",\n") + "\n"
}
