package web

import (
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/assets"
	"github.com/quire-cms/quire/internal/account"
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

	// Reader (served from the page cache when it is on)
	cached := s.cachedPages
	e.GET(urls.HomePattern, s.showHome, cached)
	e.GET(urls.ArticlePattern, s.showArticle, cached)
	e.GET(urls.CategoryPattern, s.showCategory, cached)
	e.GET(urls.SubjectPattern, s.showSubject, cached)
	e.GET(urls.SearchPattern, s.showSearch, cached)
	e.GET(urls.FeedPattern, s.showFeed, cached)
	e.GET(urls.CategoryFeedPattern, s.showCategoryFeed, cached)
	e.GET(urls.SubjectFeedPattern, s.showSubjectFeed, cached)
	e.GET(urls.SitemapPattern, s.showSitemap, cached)
	e.GET(urls.RobotsPattern, s.showRobots, cached)

	// Login and first-run setup
	deskMW := s.deskMiddleware()
	e.GET(urls.LoginPattern, s.showLogin, deskMW...)
	e.POST(urls.LoginPattern, s.login, deskMW...)
	e.POST(urls.LogoutPattern, s.logout, deskMW...)
	e.GET(urls.SetupPattern, s.showSetup, deskMW...)
	e.POST(urls.SetupPattern, s.setup, deskMW...)

	// Desk: every logged-in role
	d := e.Group(urls.DeskPattern, append(deskMW, s.requireLogin)...)
	d.GET("", s.showDashboard)
	d.GET(urls.PasswordPattern, s.showPassword)
	d.POST(urls.PasswordPattern, s.changePassword)

	// Desk: articles and their history
	d.GET(urls.ArticlesPattern, s.showArticles)
	d.GET(urls.NewArticlePattern, s.showNewArticle)
	d.POST(urls.ArticlesPattern, s.createArticle)
	d.GET(urls.DeskArticlePattern, s.showDeskArticle)
	d.GET(urls.EditArticlePattern, s.showEditArticle)
	d.POST(urls.EditArticlePattern, s.saveArticle)
	d.GET(urls.PreviewPattern, s.showPreview)
	d.GET(urls.HistoryPattern, s.showHistory)
	d.GET(urls.RevisionPattern, s.showRevision)
	d.POST(urls.RestorePattern, s.restoreRevision)
	d.GET(urls.ComparePattern, s.showCompare)
	d.GET(urls.AuditPattern, s.showAudit)

	// Desk: review and publishing (the workflow rules decide who may)
	d.GET(urls.ReviewsPattern, s.showReviews)
	d.POST(urls.SubmitPattern, s.submitRevision)
	d.GET(urls.ReviewPattern, s.showReview)
	d.POST(urls.ReviewPattern, s.reviewRevision)
	d.POST(urls.PublishPattern, s.publishRevision)
	d.POST(urls.SchedulePattern, s.scheduleRevision)
	d.POST(urls.CancelPattern, s.cancelSchedule)
	d.POST(urls.UnpublishPattern, s.unpublishArticle)

	// Desk: admins
	admin := requireRole(account.Admin)
	d.GET(urls.UsersPattern, s.showUsers, admin)
	d.POST(urls.UsersPattern, s.createUser, admin)
	d.POST(urls.UserRolePattern, s.changeRole, admin)
	d.POST(urls.UserActivePattern, s.setActive, admin)
	d.GET(urls.DeskAuditPattern, s.showGlobalAudit, admin)
	d.GET(urls.SettingsPattern, s.showSettings, admin)
	d.POST(urls.SettingsPattern, s.saveSettings, admin)
	d.GET(urls.CategoriesPattern, s.showCategories, admin)
	d.POST(urls.CategoriesPattern, s.saveCategory, admin)
	d.GET(urls.CategoryEditPattern, s.showCategories, admin)
	d.POST(urls.CategoryEditPattern, s.saveCategory, admin)
	d.GET(urls.SubjectsPattern, s.showSubjects, admin)
	d.POST(urls.SubjectsPattern, s.saveSubject, admin)
	d.GET(urls.SubjectEditPattern, s.showSubjects, admin)
	d.POST(urls.SubjectEditPattern, s.saveSubject, admin)
}
