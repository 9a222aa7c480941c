package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/assets"
)

// showHealth answers while the process is up.
func (s *Server) showHealth(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
	return c.String(http.StatusOK, "ok\n")
}

// showReadiness answers 200 only while the database answers too.
func (s *Server) showReadiness(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.logger.Warn("not ready", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// redirectFavicon sends browsers that ask for /favicon.ico to the icon.
func (s *Server) redirectFavicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, assets.URL("img/favicon.svg"))
}
