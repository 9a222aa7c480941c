package web

import (
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/assets"
	"github.com/quire-cms/quire/internal/urls"
)

// routes is the whole surface of Quire in one place.
func (s *Server) routes() {
	e := s.echo

	// Operations
	e.GET("/healthz", s.showHealth)
	e.GET("/readyz", s.showReadiness)

	// Assets
	e.GET(assets.Prefix+"*", echo.WrapHandler(assets.Handler()))
	e.GET("/favicon.ico", s.redirectFavicon)

	// Reader
	e.GET(urls.HomePattern, s.showHome)
	e.GET(urls.ArticlePattern, s.showArticle)
	e.GET(urls.CategoryPattern, s.showCategory)
	e.GET(urls.SubjectPattern, s.showSubject)
}
