package web

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// statusOf maps application error codes to HTTP statuses, in one place.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:      http.StatusUnprocessableEntity,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Gone:         http.StatusGone,
	apperr.Conflict:     http.StatusConflict,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.TooMany:      http.StatusTooManyRequests,
	apperr.Internal:     http.StatusInternalServerError,
}

// headings are the titles of error pages, by status.
var headings = map[int]string{
	http.StatusBadRequest:            "That request did not make sense",
	http.StatusNotFound:              "Page not found",
	http.StatusMethodNotAllowed:      "That is not allowed here",
	http.StatusGone:                  "This article has been withdrawn",
	http.StatusRequestEntityTooLarge: "That was too large",
	http.StatusUnprocessableEntity:   "Please check what you entered",
	http.StatusForbidden:             "You may not do that",
	http.StatusTooManyRequests:       "Too many attempts",
	http.StatusInternalServerError:   "Something went wrong",
}

// handleError is the one place where an error becomes a response: it logs
// server faults and renders an error page that never leaks internals.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if clientGone(err, c) {
		return
	}
	status, message := s.classify(err)
	var throttled *access.ThrottledError
	if errors.As(err, &throttled) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds()+0.5)))
	}
	if status >= 500 {
		s.logger.ErrorContext(c.Request().Context(), "request failed",
			"id", c.Response().Header().Get(echo.HeaderXRequestID), "path", c.Request().URL.Path, "err", err)
	}
	if _, isAPI := apiParamsOf(c.Request().URL.Path); isAPI {
		if err := problem(c, status, message, ""); err != nil {
			s.logger.Error("send a problem", "err", err)
		}
		return
	}
	heading := headings[status]
	if heading == "" {
		heading = http.StatusText(status)
	}
	site := s.masthead(c)
	page := reader.Notice(site, layout.Meta{Title: heading + " · " + site.Name, NoIndex: true, OGType: "website"},
		reader.NoticePage{Heading: heading, Message: message, Home: site.HomeURL})
	// For HEAD, net/http sends the headers and drops the body.
	if err := renderPrivate(c, status, page); err != nil {
		s.logger.Error("render error page", "err", err)
		_ = c.String(status, heading+". "+message)
	}
}

// clientGone reports whether err comes of the client going away (the
// request's context cancelled, not timed out): then there is nobody to
// answer and nothing wrong. database/sql rolls back a
// transaction when its request's context ends, so a read in one fails
// with ErrTxDone rather than with the context's error.
func clientGone(err error, c echo.Context) bool {
	return errors.Is(c.Request().Context().Err(), context.Canceled) && (errors.Is(err, context.Canceled) || errors.Is(err, sql.ErrTxDone))
}

func (s *Server) classify(err error) (int, string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		// Quire's own words first; echo's bare status texts are replaced.
		if msg, ok := he.Message.(string); ok && he.Code < 500 && msg != http.StatusText(he.Code) {
			return he.Code, msg
		}
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "There is no page at this address. It may have moved, or the link may be mistyped."
		case http.StatusRequestEntityTooLarge:
			return he.Code, "What you sent is over the size limit. Nothing was saved; shorten it and try again."
		case http.StatusMethodNotAllowed:
			return he.Code, "This address does not accept that kind of request."
		}
		return he.Code, http.StatusText(he.Code)
	}
	return statusOf[apperr.CodeOf(err)], apperr.MessageOf(err)
}
