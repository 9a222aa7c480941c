package web

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// Cache policies. Reader pages may be reused briefly by browsers and proxies
// and served stale while they revalidate; anything that depends on a login
// must never be stored.
const (
	cachePublic  = "public, max-age=60, stale-while-revalidate=600"
	cachePrivate = "private, no-store"
)

// renderPublic renders a reader page with an ETag and answers a matching
// conditional request with 304 Not Modified.
func renderPublic(c echo.Context, status int, page templ.Component) error {
	body, err := renderBytes(c, page)
	if err != nil {
		return err
	}
	return sendPublic(c, status, echo.MIMETextHTMLCharsetUTF8, body)
}

// sendPublic sends a public response of any type with an ETag and answers
// a matching conditional request with 304 Not Modified.
func sendPublic(c echo.Context, status int, contentType string, body []byte) error {
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, cachePublic)
	h.Set("ETag", etag)
	if status == http.StatusOK && etagMatches(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(status, contentType, body)
}

// renderPrivate renders a page that must not be cached anywhere.
func renderPrivate(c echo.Context, status int, page templ.Component) error {
	body, err := renderBytes(c, page)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
	return c.HTMLBlob(status, body)
}

// renderBytes renders the whole page before anything is sent, so that a
// failing component yields an error page rather than half a page.
func renderBytes(c echo.Context, page templ.Component) ([]byte, error) {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := page.Render(c.Request().Context(), buf); err != nil {
		return nil, err
	}
	return []byte(buf.String()), nil
}

func etagMatches(header, etag string) bool {
	for _, candidate := range strings.Split(header, ",") {
		candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if candidate == etag || candidate == "*" {
			return true
		}
	}
	return false
}
