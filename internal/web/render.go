package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/pagecache"
)

// Cache policies. Reader pages may be reused briefly by browsers and proxies
// and served stale while they revalidate; anything that depends on a login
// must never be stored.
const (
	cachePublic  = "public, max-age=60, stale-while-revalidate=600"
	cachePrivate = "private, no-store"
)

// cacheGenKey holds, for a request the page cache missed, the content
// generation read before anything else was.
const cacheGenKey = "quire.cache-generation"

// cachedPages answers reader requests from the page cache, and marks the
// ones it misses so that their response is kept.
func (s *Server) cachedPages(next echo.HandlerFunc) echo.HandlerFunc {
	if s.pages == nil {
		return next
	}
	return func(c echo.Context) error {
		key := c.Request().URL.RequestURI()
		if p, ok := s.pages.Get(key); ok {
			c.Response().Header().Set("X-Quire-Cache", "hit")
			return answer(c, http.StatusOK, p)
		}
		c.Response().Header().Set("X-Quire-Cache", "miss")
		c.Set(cacheGenKey, s.pages.Generation())
		return next(c)
	}
}

// refreshGeneration reads the content generation from the database; if it
// moved, the page cache empties and the network's settings are read again.
func (s *Server) refreshGeneration(ctx context.Context) {
	gen, err := s.store.Generation(ctx)
	if err != nil {
		s.logger.WarnContext(ctx, "read content generation", "err", err)
		return
	}
	s.gen.Store(gen)
	if s.pages != nil {
		s.pages.SetGeneration(gen)
	}
}

// WatchGeneration polls the content generation every interval until ctx
// ends, so that changes made by other processes sharing the database reach
// this one's page cache. Changes made here are seen at once.
func (s *Server) WatchGeneration(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.refreshGeneration(ctx)
		}
	}
}

// renderPublic renders a reader page with an ETag and answers a matching
// conditional request with 304 Not Modified.
func (s *Server) renderPublic(c echo.Context, status int, page templ.Component) error {
	body, err := renderBytes(c, page)
	if err != nil {
		return err
	}
	return s.sendPublic(c, status, echo.MIMETextHTMLCharsetUTF8, body)
}

// sendPublic sends a public response of any type, keeping it in the page
// cache when the request was a miss.
func (s *Server) sendPublic(c echo.Context, status int, contentType string, body []byte) error {
	sum := sha256.Sum256(body)
	p := pagecache.Page{ContentType: contentType, Body: body, ETag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
		LastModified: s.now().UTC().Truncate(time.Second)}
	if gen, ok := c.Get(cacheGenKey).(int64); ok && status == http.StatusOK {
		cached := p
		cached.Header = cachedHeader(p)
		s.pages.Put(c.Request().URL.RequestURI(), gen, cached)
	}
	return answer(c, status, p)
}

// serveCached answers from the page cache without echo: the same headers
// as answer and the security middleware, and 304 when the client has it.
func serveCached(w http.ResponseWriter, r *http.Request, p pagecache.Page) {
	h := w.Header()
	for k, v := range p.Header {
		h[k] = v
	}
	if notModified(r, p) {
		delete(h, echo.HeaderContentType)
		delete(h, echo.HeaderContentLength)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(p.Body)
}

// cachedHeader is every header a cache hit sends, made when the page is
// stored. The slices are shared by every hit and never modified.
func cachedHeader(p pagecache.Page) map[string][]string {
	h := make(http.Header, len(securityHeaders)+6)
	for k, v := range securityHeaders {
		h.Set(k, v)
	}
	h.Set(echo.HeaderCacheControl, cachePublic)
	h.Set("ETag", p.ETag)
	h.Set(echo.HeaderLastModified, p.LastModified.Format(http.TimeFormat))
	h.Set("X-Quire-Cache", "hit")
	h.Set(echo.HeaderContentType, p.ContentType)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(p.Body)))
	return h
}

// answer sends p with its validators, or 304 Not Modified to a client that
// already has it. If-None-Match wins over If-Modified-Since (RFC 9110).
func answer(c echo.Context, status int, p pagecache.Page) error {
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, cachePublic)
	h.Set("ETag", p.ETag)
	h.Set(echo.HeaderLastModified, p.LastModified.Format(http.TimeFormat))
	if status == http.StatusOK && notModified(c.Request(), p) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(status, p.ContentType, p.Body)
}

func notModified(r *http.Request, p pagecache.Page) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatches(inm, p.ETag)
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !p.LastModified.After(since)
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
