package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// showSearch searches live articles. Whatever is typed gives results or a
// clear "no results"; only a page number past the end is not found.
func (s *Server) showSearch(c echo.Context) error {
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	raw := c.QueryParam("q")
	q := search.Parse(raw)
	p := reader.SearchPage{Query: q.Text, Searched: !q.Empty()}
	if len([]rune(strings.TrimSpace(raw))) > search.MaxQueryRunes {
		p.Note = "Only the first " + strconv.Itoa(search.MaxQueryRunes) + " characters were searched."
	} else if raw != "" && q.Empty() {
		p.Note = "Type one or more words to search for."
	}
	meta := layout.Meta{Title: "Search · " + rc.net.Name, Description: "Search the articles of " + rc.net.Name + ".",
		NoIndex: true, OGType: "website"}
	if p.Searched {
		meta.Title = "Search results for “" + q.Text + "” · " + rc.net.Name
	}
	pg, err := pageOf(c.QueryParam("page"), pageSize)
	if err != nil {
		return err
	}
	hits, total, err := s.read.Search(c.Request().Context(), q, pg.Size, pg.Offset())
	if err != nil {
		return err
	}
	p.More = total > reading.SearchWindow
	total = min(total, reading.SearchWindow)
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	p.Total = total
	p.Pager = reader.Pager{Page: pg.N, Pages: pg.Pages}
	p.Pager.Prev, p.Pager.Next = pg.links(func(k int) string { return urls.SearchFor(q.Text) + "&page=" + strconv.Itoa(k) })
	if pg.N > 1 {
		meta.Title += " · Page " + strconv.Itoa(pg.N)
	}
	items := make([]article.Published, len(hits))
	for i, h := range hits {
		items[i] = h.Published
	}
	for i, sum := range s.summaries(c.Request().Context(), rc, items) {
		p.Results = append(p.Results, reader.Result{Summary: sum, MarkedTitle: segments(hits[i].Title), Snippet: segments(hits[i].Snippet)})
	}
	return s.renderPublic(c, http.StatusOK, reader.Search(rc.site, meta, p))
}

// segments turns a search result's runs into the view's.
func segments(runs []search.Segment) []reader.Segment {
	out := make([]reader.Segment, len(runs))
	for i, r := range runs {
		out[i] = reader.Segment{Text: r.Text, Mark: r.Mark}
	}
	return out
}
