package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/reading"
)

// tokenKey is where the bearer middleware leaves the request's token.
const tokenKey = "api-token"

// bearer lets through requests whose Authorization header carries a
// token of scope; a token anywhere else (a query parameter, a cookie) is
// never read, so it cannot leak through logs and Referer headers.
func (s *Server) bearer(scope account.Scope) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
			raw, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
			if !ok {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="quire"`)
				return problem(c, http.StatusUnauthorized, "This address needs an API token with the "+string(scope)+" scope, sent as Authorization: Bearer quire_…", "")
			}
			t, err := s.access.TokenFor(c.Request().Context(), strings.TrimSpace(raw), scope)
			switch apperr.CodeOf(err) {
			case "":
				c.Set(tokenKey, t)
				return next(c)
			case apperr.Unauthorized:
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="quire", error="invalid_token"`)
				return problem(c, http.StatusUnauthorized, apperr.MessageOf(err), "")
			case apperr.Forbidden:
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="quire", error="insufficient_scope"`)
				return problem(c, http.StatusForbidden, apperr.MessageOf(err), "")
			}
			return err
		}
	}
}

// sendPrivate sends v as JSON that no cache may keep.
func sendPrivate(c echo.Context, status int, v any) error {
	body, err := encodeJSON(v)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
	return c.Blob(status, mimeJSON, body)
}

// apiDeskArticles lists every article as the desk does, drafts included,
// newest change first.
func (s *Server) apiDeskArticles(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	limit, offset := apiPage, 0
	if v := c.QueryParam(reading.ParamLimit); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiMaxPage {
			return problem(c, http.StatusBadRequest, "Give “limit” as a whole number from 1 to "+strconv.Itoa(apiMaxPage)+".", reading.ParamLimit)
		}
		limit = n
	}
	if v := c.QueryParam(reading.ParamCursor); v != "" {
		cur, err := api.ParseCursor(v)
		if err != nil || cur.Order != "" {
			return problem(c, http.StatusBadRequest, "This cursor is not one this list gave out: follow the list's next link.", reading.ParamCursor)
		}
		offset = cur.Offset
	}
	state := article.DeskState(c.QueryParam("state"))
	if state != "" && !slices.Contains(article.DeskStates, state) {
		return problem(c, http.StatusBadRequest, "Give “state” as one of the desk's states, such as draft, in_review or live.", "state")
	}
	rows, total, err := s.pub.Articles(c.Request().Context(), article.DeskFilter{State: state, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := api.List[api.DeskRow]{Data: make([]api.DeskRow, 0, len(rows))}
	for _, r := range rows {
		out.Data = append(out.Data, s.links().DeskRowOf(r))
	}
	if offset+len(rows) < total {
		query := c.QueryParams()
		query.Set(reading.ParamCursor, api.Cursor{Offset: offset + len(rows)}.String())
		next := s.cfg.BaseURL + c.Request().URL.Path + "?" + query.Encode()
		out.Next = &next
	}
	return sendPrivate(c, http.StatusOK, out)
}

// apiDeskArticle is one article as the desk sees it.
func (s *Server) apiDeskArticle(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return problem(c, http.StatusNotFound, "There is no such article.", "")
	}
	ctx := c.Request().Context()
	v, err := s.pub.View(ctx, id, article.DeskParts{HeadBody: true, Taxonomy: true})
	if apperr.CodeOf(err) == apperr.NotFound {
		return problem(c, http.StatusNotFound, "There is no such article.", "")
	}
	if err != nil {
		return err
	}
	_, revs, err := s.pub.History(ctx, id)
	if err != nil {
		return err
	}
	return sendPrivate(c, http.StatusOK, s.links().DeskArticleOf(v, revs))
}
