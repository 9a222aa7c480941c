package web

import (
	"errors"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/quire-cms/quire/internal/urls"
)

// maxFormMemory is how much of a multipart form is kept in memory; the
// body limit bounds the rest.
const maxFormMemory = 2 << 20

// Answers for input no page can use. They say what was wrong, and nothing
// was changed.
var (
	errNotText = echo.NewHTTPError(http.StatusBadRequest,
		"What was sent contains characters that are not text (such as a NUL byte or broken UTF-8), so nothing was saved. Remove them and try again.")
	errFormTooLarge = echo.NewHTTPError(http.StatusRequestEntityTooLarge,
		"The form is over the size limit or has too many fields, so nothing was saved. Shorten it and try again.")
	errBadForm = echo.NewHTTPError(http.StatusBadRequest, "The form could not be read, so nothing was saved. Reload the page and try again.")
)

// checkInput refuses, before any handler or the CSRF check reads it, a
// request whose path, query or form holds what no page accepts: NUL bytes
// or invalid UTF-8 (which one database stores and the other refuses), or a
// form over the limits. Forms are parsed here, so that a form too large to
// read is answered 413, not mistaken for a missing CSRF token.
func checkInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !isText(r.URL.Path) {
			return echo.ErrNotFound
		}
		if !allText(r.URL.Query()) {
			return errNotText
		}
		if r.Method == http.MethodPost {
			if err := parseForm(r); err != nil {
				return err
			}
			if !allText(r.PostForm) {
				return errNotText
			}
		}
		return next(c)
	}
}

// formLimit bounds a request's body; a form with a file may add the
// upload limit.
const formLimit = 2 << 20

// limitBody bounds what a request may send, answering 413 before reading
// a body that says it is over the limit.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		limit, upload := int64(formLimit), isMultipart(r) && takesUploads(r)
		if upload {
			limit += s.cfg.MaxUploadBytes
		}
		var err error
		if r.ContentLength > limit {
			err = errFormTooLarge
		} else {
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			err = next(c)
		}
		if upload && errors.Is(err, errFormTooLarge) {
			return s.uploadTooLarge()
		}
		return err
	}
}

// takesUploads reports whether the request goes where files are
// uploaded; every other form keeps the small limit, before any login.
func takesUploads(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == urls.DeskMedia()
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return mt == echo.MIMEMultipartForm
}

func parseForm(r *http.Request) error {
	var err error
	if isMultipart(r) {
		err = r.ParseMultipartForm(maxFormMemory)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	var he *echo.HTTPError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge), errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge,
		strings.Contains(err.Error(), "too many"), strings.Contains(err.Error(), "too large"), strings.Contains(err.Error(), "exceeded"):
		return errFormTooLarge
	}
	return errBadForm
}

// isText reports whether s is valid UTF-8 without NUL bytes.
func isText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func allText(values map[string][]string) bool {
	for k, vs := range values {
		if !isText(k) {
			return false
		}
		for _, v := range vs {
			if !isText(v) {
				return false
			}
		}
	}
	return true
}

// clip cuts a query parameter to at most n bytes at a character boundary:
// a search box's text is bounded, and a cut through a character would be
// invalid UTF-8, which PostgreSQL refuses.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
