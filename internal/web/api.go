package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/reading"
)

// The content API: published content as JSON, for partner sites, apps and
// newsletters. Every response goes through sendPublic, so it has an ETag,
// answers 304 and is kept in the page cache like a reader page; errors are
// problem details, never cached.

const (
	mimeJSON    = "application/json"
	mimeProblem = "application/problem+json"
	// apiPage is an article list's page size unless asked otherwise.
	apiPage    = 20
	apiMaxPage = 100
)

// apiParams are the query parameters each API address takes; any other is
// refused. The page cache keys API responses by exactly these.
var apiParams = map[string][]string{
	api.Version + "/articles": {reading.ParamCategory, reading.ParamSubject, reading.ParamContributor, reading.ParamUpdatedSince,
		reading.ParamQuery, reading.ParamOrder, reading.ParamCursor, reading.ParamLimit},
	api.Version + "/desk/articles": {"state", reading.ParamCursor, reading.ParamLimit},
}

// apiParamsOf returns the parameters the API address at path takes, and
// whether path is an API address.
func apiParamsOf(path string) ([]string, bool) {
	if !strings.HasPrefix(path, api.Version+"/") {
		return nil, false
	}
	return apiParams[path], true
}

// problem answers with an RFC 9457 problem detail.
func problem(c echo.Context, status int, detail, param string) error {
	p := api.Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Parameter: param}
	c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	body, err := encodeJSON(p)
	if err != nil {
		return err
	}
	return c.Blob(status, mimeProblem, body)
}

// encodeJSON writes v as JSON, leaving <, > and & as they are: the API is
// read by programs, and body_html reads better unescaped.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sendJSON sends v as a public API response.
func (s *Server) sendJSON(c echo.Context, v any) error {
	body, err := encodeJSON(v)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return s.sendPublic(c, http.StatusOK, mimeJSON, body)
}

// checkParams refuses a parameter the address does not take, or one given
// twice: a misspelt filter silently ignored would return everything.
func checkParams(c echo.Context) error {
	allowed, _ := apiParamsOf(c.Request().URL.Path)
	for name, values := range c.QueryParams() {
		switch {
		case !slices.Contains(allowed, name):
			takes := "no parameters"
			if len(allowed) > 0 {
				takes = "only " + strings.Join(allowed, ", ")
			}
			return problem(c, http.StatusBadRequest, "Unknown parameter “"+clip(name, 40)+"”: this address takes "+takes+".", clip(name, 40))
		case len(values) > 1:
			return problem(c, http.StatusBadRequest, "Give “"+name+"” once.", name)
		}
	}
	return nil
}

// apiFailed answers an error from a use case: a refused parameter is a
// 400 naming it, a missing or withdrawn article 404 or 410.
func apiFailed(c echo.Context, err error) error {
	if param, msg, ok := firstField(err); ok {
		return problem(c, http.StatusBadRequest, msg, param)
	}
	switch apperr.CodeOf(err) {
	case apperr.Forbidden:
		return problem(c, http.StatusForbidden, apperr.MessageOf(err), "")
	case apperr.NotFound:
		return problem(c, http.StatusNotFound, apperr.MessageOf(err), "")
	case apperr.Gone:
		return problem(c, http.StatusGone, apperr.MessageOf(err), "")
	case apperr.Invalid:
		return problem(c, http.StatusBadRequest, apperr.MessageOf(err), "")
	}
	return err
}

// firstField is the first, by name, of an error's refused fields: one
// parameter to name, the same one every time.
func firstField(err error) (string, string, bool) {
	fields := apperr.FieldsOf(err)
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		return name, fields[name], true
	}
	return "", "", false
}

func (s *Server) links() api.Links { return api.Links{Base: s.cfg.BaseURL} }

// apiNetwork is who publishes.
func (s *Server) apiNetwork(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	n, err := s.read.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	return s.sendJSON(c, s.links().NetworkOf(n))
}

// apiCategories lists every category.
func (s *Server) apiCategories(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	all, err := s.read.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	out := api.List[api.Category]{Data: []api.Category{}}
	for _, cat := range all {
		out.Data = append(out.Data, s.links().CategoryOf(cat))
	}
	return s.sendJSON(c, out)
}

// apiSubjects lists every subject hub.
func (s *Server) apiSubjects(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	t, err := s.read.Sections(c.Request().Context())
	if err != nil {
		return err
	}
	out := api.List[api.Subject]{Data: []api.Subject{}}
	for _, sub := range t.Subjects {
		out.Data = append(out.Data, s.links().SubjectOf(sub))
	}
	return s.sendJSON(c, out)
}

// apiArticles lists live articles.
func (s *Server) apiArticles(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	q, err := articlesQuery(c)
	if err != nil {
		return apiFailed(c, err)
	}
	page, err := s.read.Articles(c.Request().Context(), q)
	if err != nil {
		return apiFailed(c, err)
	}
	out := api.List[api.ArticleSummary]{Data: make([]api.ArticleSummary, 0, len(page.Items))}
	for _, p := range page.Items {
		out.Data = append(out.Data, s.links().SummaryOf(p))
	}
	if page.More {
		next := api.Cursor{Order: q.Order, After: page.Next}
		if q.Words != "" {
			next = api.Cursor{Offset: page.Offset}
		}
		query := c.QueryParams()
		query.Set(reading.ParamCursor, next.String())
		link := s.cfg.BaseURL + c.Request().URL.Path + "?" + query.Encode()
		out.Next = &link
	}
	return s.sendJSON(c, out)
}

// articlesQuery reads the article list's parameters, refusing a bad value
// with its parameter named.
func articlesQuery(c echo.Context) (reading.ArticlesQuery, error) {
	q := reading.ArticlesQuery{
		Category: c.QueryParam(reading.ParamCategory), Subject: c.QueryParam(reading.ParamSubject),
		Contributor: c.QueryParam(reading.ParamContributor), Words: c.QueryParam(reading.ParamQuery),
		Order: article.FeedNewest, Limit: apiPage,
	}
	if c.QueryParams().Has(reading.ParamQuery) && strings.TrimSpace(q.Words) == "" {
		return q, apperr.Field(reading.ParamQuery, "Give one or more words to search for, or leave “q” out.")
	}
	for param, v := range map[string]string{reading.ParamCategory: q.Category, reading.ParamSubject: q.Subject,
		reading.ParamContributor: q.Contributor, reading.ParamQuery: q.Words} {
		if len(v) > 200 {
			return q, apperr.Field(param, "Keep “"+param+"” under 200 characters.")
		}
	}
	if v := c.QueryParam(reading.ParamLimit); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiMaxPage {
			return q, apperr.Field(reading.ParamLimit, "Give “limit” as a whole number from 1 to "+strconv.Itoa(apiMaxPage)+".")
		}
		q.Limit = n
	}
	switch v := c.QueryParam(reading.ParamOrder); v {
	case "", string(article.FeedNewest):
	case string(article.FeedEvent):
		q.Order = article.FeedEvent
	default:
		return q, apperr.Field(reading.ParamOrder, "Give “order” as newest or event.")
	}
	if v := c.QueryParam(reading.ParamUpdatedSince); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return q, apperr.Field(reading.ParamUpdatedSince, "Give “updated_since” as an RFC 3339 moment, such as 2026-03-02T08:00:00Z.")
		}
		q.UpdatedSince = t
	}
	if q.Words != "" {
		for _, other := range []string{reading.ParamCategory, reading.ParamSubject, reading.ParamContributor, reading.ParamOrder, reading.ParamUpdatedSince} {
			if c.QueryParam(other) != "" {
				return q, apperr.Field(other, "A search (“q”) ranks the whole archive by relevance: it takes no “"+other+"”.")
			}
		}
	}
	if v := c.QueryParam(reading.ParamCursor); v != "" {
		cur, err := api.ParseCursor(v)
		searching := q.Words != ""
		if err != nil || (cur.Order == "") != searching || (!searching && cur.Order != q.Order) {
			return q, apperr.Field(reading.ParamCursor, "This cursor is not one this list gave out: follow the list's next link, with its other parameters unchanged.")
		}
		q.After, q.Offset = cur.After, cur.Offset
	}
	return q, nil
}

// apiArticle is one live article, whole.
func (s *Server) apiArticle(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	ctx := c.Request().Context()
	slug := c.Param("slug")
	p, err := s.read.WholeArticle(ctx, slug)
	if errors.Is(err, article.ErrNotAtAddress) {
		if now, moved, rerr := s.read.Redirect(ctx, slug); rerr != nil {
			return rerr
		} else if moved {
			return c.Redirect(http.StatusMovedPermanently, s.links().ArticleURL(now))
		}
		return problem(c, http.StatusNotFound, "No article was ever published at “"+clip(slug, 80)+"”.", "")
	}
	if err != nil {
		return apiFailed(c, err)
	}
	// Images withdrawn since the revision was saved leave the API's body
	// too, as they leave the page.
	if p.Revision.BodyHTML, err = s.readerBody(ctx, p.Revision.BodyHTML); err != nil {
		return apiFailed(c, err)
	}
	return s.sendJSON(c, s.links().ArticleOf(p))
}

// apiNotFound answers an address under the API that is none of its own.
func (s *Server) apiNotFound(c echo.Context) error {
	return problem(c, http.StatusNotFound, "There is no such address in this API; see "+s.cfg.BaseURL+api.Version+"/openapi.json.", "")
}

// showOpenAPI serves the API's OpenAPI description.
func (s *Server) showOpenAPI(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return s.sendPublic(c, http.StatusOK, mimeJSON, api.OpenAPI)
}
