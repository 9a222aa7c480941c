// Package web is Quire's HTTP interface: routes, middleware and thin
// handlers that turn requests into domain calls and domain results into views.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/network"
	"github.com/quire-cms/quire/internal/pagecache"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/workflow"
)

// Store is what the web layer needs from storage.
type Store interface {
	Ping(ctx context.Context) error
	Generation(ctx context.Context) (int64, error)
	AfterWrite(fn func())
	Network(ctx context.Context) (network.Network, error)
	SaveNetwork(ctx context.Context, actorID int64, n network.Network) error
	Categories(ctx context.Context) ([]article.Category, error)
	CategoryBySlug(ctx context.Context, slug string) (article.Category, error)
	SubjectBySlug(ctx context.Context, slug string) (article.Subject, error)
	LiveArticle(ctx context.Context, slug string) (article.Published, error)
	RedirectFor(ctx context.Context, slug string) (string, bool, error)
	ListLive(ctx context.Context, f store.ListFilter) ([]article.Published, int, error)
	LiveLocations(ctx context.Context, limit, offset int) ([]store.Location, int, error)
	Search(ctx context.Context, q search.Query, limit, offset int) ([]store.SearchHit, int, error)

	Subjects(ctx context.Context) ([]article.Subject, error)
	CreateCategory(ctx context.Context, c article.Category) (article.Category, error)
	UpdateCategory(ctx context.Context, c article.Category) error
	CreateSubject(ctx context.Context, sub article.Subject) (article.Subject, error)
	UpdateSubject(ctx context.Context, sub article.Subject) error
	ArticleByID(ctx context.Context, id int64) (article.Article, error)
	DeskArticles(ctx context.Context, f store.DeskFilter) ([]store.DeskArticle, int, error)
	CreateArticle(ctx context.Context, actorID int64, rev article.Revision) (article.Article, article.Revision, error)
	SaveRevision(ctx context.Context, actorID, articleID int64, base int, rev article.Revision) (article.Revision, error)
	Restore(ctx context.Context, actorID, articleID int64, base, n int) (article.Revision, error)
	RevisionByNumber(ctx context.Context, articleID int64, n int) (article.Revision, error)
	Revisions(ctx context.Context, articleID int64) ([]article.Revision, error)
	ArticleAudit(ctx context.Context, articleID int64) ([]store.AuditEvent, error)
	AuditLog(ctx context.Context, limit, offset int) ([]store.AuditEvent, int, error)

	Submit(ctx context.Context, actorID, articleID, revisionID int64) error
	Review(ctx context.Context, actor workflow.Actor, articleID, revisionID int64, d workflow.Decision, comment string) error
	Reviews(ctx context.Context, articleID int64) ([]article.Review, error)
	Publish(ctx context.Context, actorID, articleID, revisionID int64, minor bool, at time.Time) (article.Article, error)
	Schedule(ctx context.Context, actorID, articleID, revisionID int64, minor bool, at time.Time) error
	CancelSchedule(ctx context.Context, actorID, articleID int64) (bool, error)
	PendingSchedule(ctx context.Context, articleID int64) (article.Schedule, bool, error)
	PendingSchedules(ctx context.Context) ([]article.Schedule, error)
	Unpublish(ctx context.Context, actorID, articleID int64, at time.Time) error
}

// Config is what the web layer needs to know about its deployment.
type Config struct {
	BaseURL       string // public address, without trailing slash
	SecureCookies bool   // send cookies over https only
	// PageCacheBytes bounds the in-memory cache of reader pages; zero
	// turns it off.
	PageCacheBytes int64
}

// Server is Quire's HTTP handler.
type Server struct {
	echo     *echo.Echo
	store    Store
	accounts *account.Service
	sessions *scs.SessionManager
	markup   *markup.Renderer
	cfg      Config
	logger   *slog.Logger
	now      func() time.Time
	pages    *pagecache.Cache // nil when the page cache is off
	// gen is the content generation last read from the database; siteNow is
	// the network and its sections as read in that generation.
	gen     atomic.Int64
	siteNow atomic.Pointer[siteMemo]
}

// New wires the middleware stack and every route. Sessions are kept in
// sessionStore.
func New(cfg Config, st Store, accounts *account.Service, sessionStore scs.Store, logger *slog.Logger) *Server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, store: st, accounts: accounts, sessions: newSessions(cfg, sessionStore), markup: markup.New(), cfg: cfg, logger: logger, now: time.Now}
	if cfg.PageCacheBytes > 0 {
		s.pages = pagecache.New(cfg.PageCacheBytes)
	}
	s.refreshGeneration(context.Background())
	st.AfterWrite(func() { s.refreshGeneration(context.Background()) })
	e.HTTPErrorHandler = s.handleError
	s.middleware()
	s.routes()
	return s
}

// ServeHTTP makes Server an http.Handler. A reader page in the page cache
// is answered before the router and its middleware, which would only add
// work to a response that is already made; such hits are not logged.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.pages != nil && r.Method == http.MethodGet {
		if p, ok := s.pages.Get(r.URL.RequestURI()); ok {
			serveCached(w, r, p)
			return
		}
	}
	s.echo.ServeHTTP(w, r)
}

// securityHeaders go on every response, from the middleware or the cache.
var securityHeaders = map[string]string{
	echo.HeaderXContentTypeOptions:   "nosniff",
	echo.HeaderXFrameOptions:         "DENY",
	echo.HeaderReferrerPolicy:        "strict-origin-when-cross-origin",
	echo.HeaderContentSecurityPolicy: contentSecurityPolicy,
	echo.HeaderXXSSProtection:        "0",
}

// middleware installs the one stack every request goes through.
func (s *Server) middleware() {
	s.echo.Use(
		middleware.RequestID(),
		middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true,
			LogRemoteIP: true, LogError: true, HandleError: true,
			LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
				level := slog.LevelInfo
				if v.Status >= 500 {
					level = slog.LevelError
				}
				s.logger.LogAttrs(c.Request().Context(), level, "request",
					slog.String("id", v.RequestID), slog.String("method", v.Method), slog.String("uri", v.URI),
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
		middleware.SecureWithConfig(middleware.SecureConfig{
			XSSProtection:         securityHeaders[echo.HeaderXXSSProtection],
			ContentTypeNosniff:    securityHeaders[echo.HeaderXContentTypeOptions],
			XFrameOptions:         securityHeaders[echo.HeaderXFrameOptions],
			ReferrerPolicy:        securityHeaders[echo.HeaderReferrerPolicy],
			ContentSecurityPolicy: securityHeaders[echo.HeaderContentSecurityPolicy],
		}),
		middleware.BodyLimit("2M"),
	)
}

// contentSecurityPolicy allows no inline script and nothing from other
// origins except images an editor linked in an article body.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
