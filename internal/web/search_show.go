package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/store"
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
	n, err := pageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	hits, total, err := s.store.Search(c.Request().Context(), q, pageSize, (n-1)*pageSize)
	if err != nil {
		return err
	}
	p.More = total > store.SearchWindow
	total = min(total, store.SearchWindow)
	pages := max(1, (total+pageSize-1)/pageSize)
	if n > pages {
		return apperr.Errorf(apperr.NotFound, "There are only %d page(s) of results.", pages)
	}
	p.Total = total
	p.Pager = reader.Pager{Page: n, Pages: pages}
	page := func(k int) string { return urls.SearchFor(q.Text) + "&page=" + strconv.Itoa(k) }
	if n > 1 {
		p.Pager.Prev = page(n - 1)
		meta.Title += " · Page " + strconv.Itoa(n)
	}
	if n < pages {
		p.Pager.Next = page(n + 1)
	}
	items := make([]article.Published, len(hits))
	for i, h := range hits {
		items[i] = h.Published
	}
	for i, sum := range rc.summaries(items) {
		p.Results = append(p.Results, reader.Result{Summary: sum, MarkedTitle: segments(hits[i].Title), Snippet: segments(hits[i].Snippet)})
	}
	return s.renderPublic(c, http.StatusOK, reader.Search(rc.site, meta, p))
}

// segments splits text with search marks into plain and marked runs.
func segments(text string) []reader.Segment {
	var out []reader.Segment
	for text != "" {
		start := strings.Index(text, store.MarkStart)
		if start < 0 {
			return append(out, reader.Segment{Text: text})
		}
		if start > 0 {
			out = append(out, reader.Segment{Text: text[:start]})
		}
		text = text[start+len(store.MarkStart):]
		end := strings.Index(text, store.MarkEnd)
		if end < 0 {
			end = len(text)
		}
		out = append(out, reader.Segment{Text: text[:end], Mark: true})
		text = strings.TrimPrefix(text[end:], store.MarkEnd)
	}
	return out
}
