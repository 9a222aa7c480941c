package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/cespare/xxhash/v2"
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/gz"
	"github.com/quire-cms/quire/internal/pagecache"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/urls"
)

// Cache policies. Reader pages may be stored, but must be revalidated at
// every view (a 304 to the ETag is cheap), so that a correction or a
// takedown reaches a reader's next page view; Quire can purge no shared
// cache, so none is told to keep a page longer. Anything that depends on
// a login must never be stored.
const (
	cachePublic  = "public, no-cache"
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
		key := cacheKey(c.Request())
		if key == "" {
			return next(c)
		}
		if p, ok := s.cachedPage(c.Request(), key); ok {
			c.Response().Header().Set("X-Quire-Cache", "hit")
			return answer(c, http.StatusOK, p)
		}
		c.Response().Header().Set("X-Quire-Cache", "miss")
		c.Set(cacheGenKey, s.pages.Generation())
		return next(c)
	}
}

// pageParams are the query parameters each kind of reader page reads; any
// other is ignored, and is no part of the address a page is cached under.
var pageParams = []struct {
	matches func(path string) bool
	params  []string
}{
	{func(p string) bool { return p == urls.Search() }, []string{"q", "page"}},
	{func(p string) bool {
		return p == urls.Home() || p == urls.Sitemap() || p == urls.Corrections() ||
			(strings.HasPrefix(p, "/categories/") || strings.HasPrefix(p, "/subjects/")) && !strings.HasSuffix(p, "/feed.xml")
	}, []string{"page"}},
}

// cacheKey is the address a reader page is cached under: its path with
// only the parameters the page reads, spelled one way, so that ?cb=1,
// ?cb=2… or ?page=002 are one page rather than thousands of copies. A
// request holding anything that is not text has no key: it is answered by
// the handlers, which refuse it.
//
// An article asked for as of a moment (Accept-Datetime) is a TimeGate's
// redirect, made afresh; a TimeMap asked for as application/link-format
// is kept apart from the HTML one.
func cacheKey(r *http.Request) string {
	path := r.URL.Path
	if !isText(path) || !isText(r.URL.RawQuery) {
		return ""
	}
	if r.Header.Get(acceptDatetime) != "" && isArticlePath(path) {
		return ""
	}
	if strings.HasSuffix(path, "/versions") && wantsLinkFormat(r) {
		path += "\x00" + linkFormat // no path holds a NUL: isText refuses it
	}
	if r.URL.RawQuery == "" {
		return path
	}
	var params []string
	for _, p := range pageParams {
		if p.matches(path) {
			params = p.params
		}
	}
	allowed, isAPI := apiParamsOf(path)
	if isAPI {
		// The API refuses what it does not take; only its handler may
		// answer such a request, never a cached page.
		query, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return ""
		}
		for name, values := range query {
			// A parameter given empty is the handler's to refuse, never
			// the cache's to answer as if it were not there.
			if !slices.Contains(allowed, name) || len(values) > 1 || values[0] == "" {
				return ""
			}
		}
		params = allowed
	}
	query := r.URL.Query()
	if !allText(query) {
		return ""
	}
	kept := url.Values{}
	for _, name := range params {
		v := query.Get(name)
		switch {
		case v == "":
			continue
		case name == "page":
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				// Page 1 is the page itself, but for the sitemap, whose
				// own address is the index of its pages once it has more
				// than one.
				if n == 1 && path != urls.Sitemap() {
					continue
				}
				v = strconv.Itoa(n)
			}
		case name == "q" && !isAPI:
			v = search.Parse(v).Text
		}
		kept.Set(name, v)
	}
	if len(kept) == 0 {
		return path
	}
	return path + "?" + kept.Encode()
}

// refreshGeneration reads the content generation from the database; if it
// moved, the page cache empties and the network's settings are read again.
func (s *Server) refreshGeneration(ctx context.Context) {
	gen, err := s.db.Generation(ctx)
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
	return renderPage(c, page, func(body []byte) error {
		return s.sendPublic(c, status, echo.MIMETextHTMLCharsetUTF8, body)
	})
}

// sendPublic sends a public response of any type, keeping it in the page
// cache when the request was a miss. Reader pages hold no secrets, so they
// may be compressed (desk pages, with their CSRF tokens, are not: BREACH).
// body is only read until sendPublic returns: the page cache keeps a copy.
func (s *Server) sendPublic(c echo.Context, status int, contentType string, body []byte) error {
	p := pagecache.Page{ContentType: contentType, LastModified: s.now().UTC().Truncate(time.Second), Plain: plainVariant(body),
		Headers: pageHeaders(c.Response().Header())}
	key := cacheKey(c.Request())
	kind := pagecache.Site
	if strings.Contains(key, "?") {
		kind = pagecache.Query
	}
	gen, caching := c.Get(cacheGenKey).(int64)
	caching = caching && status == http.StatusOK && key != "" && s.pages.Admit(key, kind, len(body))
	// A page kept for a client that does not take gzip is compressed when
	// one that does first asks for it (cachedPage): crawlers that do not
	// would otherwise pay for compressing every page they pass through.
	if gz.Accepts(c.Request()) {
		gz, err := gzipVariant(p.Plain, caching)
		if err != nil {
			return err
		}
		p.Gzip = gz
	}
	if caching {
		cached := p
		cached.Plain.Body = bytes.Clone(body)
		cached.Plain.Header = s.cachedHeader(p, p.Plain, "")
		if p.Gzip.Body != nil {
			cached.Gzip.Header = s.cachedHeader(p, p.Gzip, "gzip")
		}
		s.pages.Put(key, kind, gen, cached)
	}
	return answer(c, status, p)
}

// cachedPage returns the page cached under key, compressing it first if r
// takes gzip and the page was kept without its compressed variant.
func (s *Server) cachedPage(r *http.Request, key string) (pagecache.Page, bool) {
	p, ok := s.pages.Get(key)
	if !ok || p.Gzip.Body != nil || p.NoGzip || !gz.Accepts(r) {
		return p, ok
	}
	v, err := gzipVariant(p.Plain, true)
	if err != nil {
		return p, true // sent as it is
	}
	v.Header = s.cachedHeader(p, v, "gzip")
	s.pages.AddGzip(key, p, v)
	p.Gzip = v
	return p, true
}

// ownHeaders are the response headers a reader page may set for itself,
// kept with it in the page cache.
var ownHeaders = []string{"Link", "Memento-Datetime", echo.HeaderVary, echo.HeaderAccessControlAllowOrigin}

func pageHeaders(h http.Header) map[string]string {
	var out map[string]string
	for _, name := range ownHeaders {
		if v := h.Get(name); v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = v
		}
	}
	return out
}

// setPageHeaders sets a page's own headers, and Vary: every reader page
// varies by Accept-Encoding, and some by more.
func setPageHeaders(h http.Header, p pagecache.Page) {
	for name, v := range p.Headers {
		h.Set(name, v)
	}
	vary := echo.HeaderAcceptEncoding
	if own := p.Headers[echo.HeaderVary]; own != "" && own != vary {
		vary += ", " + own
	}
	h.Set(echo.HeaderVary, vary)
}

func plainVariant(body []byte) pagecache.Variant {
	// A strong validator needs a hash that changes with any byte, not a
	// cryptographic one: xxHash is an order of magnitude cheaper than
	// SHA-256 on a page, which every uncached request pays.
	sum := binary.BigEndian.AppendUint64(nil, xxhash.Sum64(body))
	return pagecache.Variant{Body: body, ETag: `"` + base64.RawURLEncoding.EncodeToString(sum) + `"`}
}

// gzipVariant compresses a body, at the best ratio when it is kept to be
// sent again; its ETag differs from the plain one's, as a different
// representation's must.
func gzipVariant(plain pagecache.Variant, kept bool) (pagecache.Variant, error) {
	body, err := gz.Compress(plain.Body, kept)
	if err != nil {
		return pagecache.Variant{}, err
	}
	return pagecache.Variant{Body: body, ETag: strings.TrimSuffix(plain.ETag, `"`) + `-gz"`}, nil
}

// variant picks the representation to send.
func variant(r *http.Request, p pagecache.Page) (pagecache.Variant, string) {
	if p.Gzip.Body != nil && gz.Accepts(r) {
		return p.Gzip, "gzip"
	}
	return p.Plain, ""
}

// serveCached answers from the page cache without echo: the same headers
// as answer and the security middleware, and 304 when the client has it.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, p pagecache.Page) {
	v, _ := variant(r, p)
	h := w.Header()
	for _, f := range s.hitHeader {
		h[f.Name] = f.Values
	}
	for _, f := range v.Header {
		h[f.Name] = f.Values
	}
	if notModified(r, v.ETag, p.LastModified) {
		delete(h, echo.HeaderContentType)
		delete(h, echo.HeaderContentLength)
		delete(h, echo.HeaderContentEncoding)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(v.Body)
}

// cachedHeader is a variant's own headers on a cache hit, made when the
// page is stored. The slices are shared by every hit and never modified.
func (s *Server) cachedHeader(p pagecache.Page, v pagecache.Variant, encoding string) []pagecache.Field {
	h := make(http.Header, 8)
	setPageHeaders(h, p)
	h.Set("ETag", v.ETag)
	h.Set(echo.HeaderLastModified, p.LastModified.Format(http.TimeFormat))
	h.Set(echo.HeaderContentType, p.ContentType)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(v.Body)))
	if encoding != "" {
		h.Set(echo.HeaderContentEncoding, encoding)
	}
	return fieldsOf(h)
}

func fieldsOf(h http.Header) []pagecache.Field {
	fields := make([]pagecache.Field, 0, len(h))
	for name, values := range h {
		fields = append(fields, pagecache.Field{Name: name, Values: values})
	}
	return fields
}

// hitHeaderOf is the headers every cache hit sends alike: the security
// headers, and those saying it is public and came from the cache.
func hitHeaderOf(security map[string]string) []pagecache.Field {
	h := make(http.Header, len(security)+2)
	for k, v := range security {
		h.Set(k, v)
	}
	h.Set(echo.HeaderCacheControl, cachePublic)
	h.Set("X-Quire-Cache", "hit")
	return fieldsOf(h)
}

// answer sends p with its validators, or 304 Not Modified to a client that
// already has it. If-None-Match wins over If-Modified-Since (RFC 9110).
func answer(c echo.Context, status int, p pagecache.Page) error {
	v, encoding := variant(c.Request(), p)
	h := c.Response().Header()
	setPageHeaders(h, p)
	h.Set(echo.HeaderCacheControl, cachePublic)
	h.Set("ETag", v.ETag)
	h.Set(echo.HeaderLastModified, p.LastModified.Format(http.TimeFormat))
	if status == http.StatusOK && notModified(c.Request(), v.ETag, p.LastModified) {
		return c.NoContent(http.StatusNotModified)
	}
	if encoding != "" {
		h.Set(echo.HeaderContentEncoding, encoding)
	}
	// Declared, the length spares the body chunked framing and the extra
	// writes to the socket that come with it.
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(v.Body)))
	return c.Blob(status, p.ContentType, v.Body)
}

func notModified(r *http.Request, etag string, lastModified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatches(inm, etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" {
		return false // ParseTime would make three errors to say so, on every cache hit
	}
	since, err := http.ParseTime(ims)
	return err == nil && !lastModified.After(since)
}

// renderPrivate renders a page that must not be cached anywhere.
func renderPrivate(c echo.Context, status int, page templ.Component) error {
	return renderPage(c, page, func(body []byte) error {
		c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
		return c.HTMLBlob(status, body)
	})
}

// renderPage renders the whole page before anything is sent, so that a failing
// component yields an error page rather than half a page, and sends it
// from the pooled buffer itself: send must not keep body.
func renderPage(c echo.Context, page templ.Component, send func(body []byte) error) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := page.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return send(buf.Bytes())
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
