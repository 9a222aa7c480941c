package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
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
		limit, upload := int64(formLimit), isMultipart(r) && takesUploads(r) && s.hasSession(r)
		if upload {
			limit += s.cfg.MaxUploadBytes
		}
		switch {
		case r.ContentLength > limit && upload:
			// The file comes last: the fields above it are read and
			// given back with the refusal.
			salvage(c, r, limit)
			return next(c)
		case r.ContentLength > limit:
			return errFormTooLarge
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

// takesUploads reports whether the request goes where files are
// uploaded (the library, and the article form's lead image); every other
// form keeps the small limit, before any login.
func takesUploads(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == urls.DeskMedia() || isArticleForm(r))
}

// isArticleForm reports whether the request saves the article form: a new
// article or an edit.
func isArticleForm(r *http.Request) bool {
	p := r.URL.Path
	if p == urls.DeskArticles() {
		return true
	}
	id, ok := strings.CutSuffix(strings.TrimPrefix(p, urls.DeskArticles()+"/"), "/edit")
	return ok && id != "" && strings.Trim(id, "0123456789") == ""
}

// salvage reads an upload form too large to take: its fields up to the
// first file (which comes last), within the form's limits, which
// checkInput then leaves as they are and the handler gives back with the
// refusal. Up to drainLimit more of the body is read and dropped, so that
// a browser still sending a file a little over the limit gets the answer
// rather than a reset connection.
func salvage(c echo.Context, r *http.Request, limit int64) {
	values := url.Values{}
	_, params, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	body := io.LimitReader(r.Body, limit+drainLimit)
	mr := multipart.NewReader(body, params["boundary"])
	budget := int64(formLimit)
	for range maxSalvagedParts {
		part, err := mr.NextPart()
		if err != nil || part.FileName() != "" {
			break
		}
		v, err := io.ReadAll(io.LimitReader(part, budget+1))
		if budget -= int64(len(v) + len(part.FormName())); err != nil || budget < 0 {
			values = url.Values{} // more text than any form holds: nothing to give back
			break
		}
		values.Add(part.FormName(), string(v))
	}
	_, _ = io.Copy(io.Discard, body)
	r.PostForm, r.Form = values, values
	r.MultipartForm = &multipart.Form{Value: values}
	c.Set(tooLargeKey, true)
}

// Bounds of salvage: the fields a form may have, and how much of a body
// over the limit is read only to be dropped.
const (
	maxSalvagedParts = 1000
	drainLimit       = 16 << 20
)

// hasSession reports whether the request carries the session of someone
// logged in: only they may send a body the size of an upload.
func (s *Server) hasSession(r *http.Request) bool {
	cookie, err := r.Cookie(s.sessions.Cookie.Name)
	if err != nil {
		return false
	}
	ctx, err := s.sessions.Load(r.Context(), cookie.Value)
	return err == nil && s.sessions.Exists(ctx, sessionAccount)
}

// tooLargeKey marks a request whose file was over the upload limit.
const tooLargeKey = "quire.upload_too_large"

// uploadWasTooLarge reports whether the request's file was over the limit.
func uploadWasTooLarge(c echo.Context) bool { return c.Get(tooLargeKey) != nil }

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
