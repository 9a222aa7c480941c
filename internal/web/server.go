// Package web is Quire's HTTP interface: routes, middleware and thin
// handlers that parse a request, call a use case (publishing, reading,
// access) and render its result as a view model for a templ page. Domain
// errors become HTTP statuses in one place (errors.go).
package web

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/hooks"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/pagecache"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/reading"
)

// Database is what the web layer needs of the database itself, beside
// the use cases: whether it answers, and the content generation that
// tells the page cache what readers see has changed.
type Database interface {
	Ping(ctx context.Context) error
	Generation(ctx context.Context) (int64, error)
	AfterWrite(fn func())
}

// Services are the use cases the handlers call.
type Services struct {
	DB         Database
	Publishing *publishing.Service
	Reading    *reading.Service
	Access     *access.Service
	Hooks      *hooks.Service
}

// Config is what the web layer needs to know about its deployment.
type Config struct {
	BaseURL       string // public address, without trailing slash
	SecureCookies bool   // send cookies over https only
	// PageCacheBytes bounds the in-memory cache of reader pages; zero
	// turns it off.
	PageCacheBytes int64
	// TrustedProxies are the networks whose X-Forwarded-For header names
	// the client; with none, the client is the peer that connects.
	TrustedProxies []*net.IPNet
	// MailSent says an SMTP server is configured; without one, mail waits
	// in the outbox.
	MailSent bool
	// MaxUploadBytes bounds an uploaded image (default 20 MB).
	MaxUploadBytes int64
	// Renditions is the on-disk cache of image renditions.
	Renditions *media.Cache
}

// Server is Quire's HTTP handler.
type Server struct {
	echo     *echo.Echo
	db       Database
	pub      *publishing.Service
	read     *reading.Service
	access   *access.Service
	hooks    *hooks.Service
	sessions *scs.SessionManager
	cfg      Config
	logger   *slog.Logger
	now      func() time.Time
	pages    *pagecache.Cache // nil when the page cache is off
	headers  map[string]string
	// hitHeader is what every page cache hit sends besides its own headers.
	hitHeader []pagecache.Field
	// gen is the content generation last read from the database; siteNow is
	// the network and its sections as read in that generation.
	gen      atomic.Int64
	siteMemo atomic.Pointer[siteMemo]
	// pace slows down the article form's helpers per account.
	pace pace
	// renditions are the images' renditions, on disk and in memory.
	renditions *media.Cache
	// renderSlots bound the renditions rendered at once for readers.
	renderSlots chan struct{}
	// imageHeaders are the headers every rendition is sent with.
	imageHeaders http.Header
	// imageAddresses makes the image addresses in a body's attributes
	// absolute, for feeds.
	imageAddresses *strings.Replacer
}

// New wires the middleware stack and every route. Sessions are kept in
// sessionStore.
func New(cfg Config, svc Services, sessionStore scs.Store, logger *slog.Logger) *Server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	s := &Server{echo: e, db: svc.DB, pub: svc.Publishing, read: svc.Reading, access: svc.Access, hooks: svc.Hooks,
		sessions: newSessions(cfg, sessionStore), cfg: cfg, logger: logger, now: time.Now, headers: securityHeaders(cfg)}
	if cfg.MaxUploadBytes <= 0 {
		s.cfg.MaxUploadBytes = 20 << 20
	}
	s.renditions = cfg.Renditions
	s.renderSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	s.imageHeaders = imageHeadersOf(s.headers)
	s.hitHeader = hitHeaderOf(s.headers)
	s.imageAddresses = strings.NewReplacer(`"/media/`, `"`+cfg.BaseURL+`/media/`, `, /media/`, `, `+cfg.BaseURL+`/media/`)
	if cfg.PageCacheBytes > 0 {
		s.pages = pagecache.New(cfg.PageCacheBytes)
	}
	s.refreshGeneration(context.Background())
	svc.DB.AfterWrite(func() { s.refreshGeneration(context.Background()) })
	e.HTTPErrorHandler = s.handleError
	s.middleware()
	s.routes()
	return s
}

// ServeHTTP makes Server an http.Handler. A reader page in the page cache
// is answered before the router and its middleware, which would only add
// work to a response that is already made; such hits are not logged.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if strings.HasPrefix(r.URL.Path, "/media/") {
			if s.serveCachedRendition(w, r) {
				return
			}
		} else if s.pages != nil {
			if key := cacheKey(r); key != "" {
				if p, ok := s.cachedPage(r, key); ok {
					s.serveCached(w, r, p)
					return
				}
			}
		}
	}
	s.echo.ServeHTTP(w, r)
}

// clientIP says who the client is, for throttling and logs: the peer that
// connects, or, when the peer is one of the trusted proxies, the address
// it puts in X-Forwarded-For. Nothing else a client sends is believed.
func clientIP(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// securityHeaders go on every response, from the middleware or the cache.
// Served over https, browsers are also told to use nothing else for two
// years (HSTS).
func securityHeaders(cfg Config) map[string]string {
	h := map[string]string{
		echo.HeaderXContentTypeOptions:   "nosniff",
		echo.HeaderXFrameOptions:         "DENY",
		echo.HeaderReferrerPolicy:        "strict-origin-when-cross-origin",
		echo.HeaderContentSecurityPolicy: contentSecurityPolicy,
		echo.HeaderXXSSProtection:        "0",
	}
	if strings.HasPrefix(cfg.BaseURL, "https://") {
		h[echo.HeaderStrictTransportSecurity] = "max-age=63072000"
	}
	return h
}

// middleware installs the one stack every request goes through.
func (s *Server) middleware() {
	s.echo.Use(
		requestID,
		middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true,
			LogRemoteIP: true, LogError: true, HandleError: true,
			LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
				level := slog.LevelInfo
				if v.Status >= 500 {
					level = slog.LevelError
				}
				s.logger.LogAttrs(c.Request().Context(), level, "request",
					slog.String("id", v.RequestID), slog.String("method", v.Method), slog.String("uri", withoutSecrets(v.URI)),
					slog.Int("status", v.Status), slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP))
				return nil
			},
		}),
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				s.logger.Error("panic", "id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err, "stack", string(stack))
				return err
			},
		}),
		func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				h := c.Response().Header()
				for k, v := range s.headers {
					h.Set(k, v)
				}
				return next(c)
			}
		},
		s.limitBody,
		checkInput,
	)
}

// requestIDs a client may send: short and plain, so that what is logged
// beside every line is never the client's prose.
var requestIDs = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID names every request: by the id a proxy sent, if it looks like
// one, otherwise by a new random one; the response says which.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDs.MatchString(id) {
			id = rand.Text()
		}
		c.Request().Header.Set(echo.HeaderXRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// contentSecurityPolicy allows no inline script and nothing from other
// origins: images come from the media library (another site's image in a
// body is a link to it).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secretQuery finds a mailed link's token, in an address or in the text
// of a mail.
var secretQuery = regexp.MustCompile(`([?&]token=)[A-Za-z0-9%]*`)

// withoutSecrets is a request's address fit to log: the token of an
// invitation or reset link is its holder's key, for no log to keep.
func withoutSecrets(uri string) string {
	return secretQuery.ReplaceAllString(uri, "${1}REDACTED")
}
