package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/assets"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/urls"
)

// router registers routes: the server or a group of its routes.
type router interface {
	Match(methods []string, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) []*echo.Route
}

// get registers a page: HEAD is answered wherever GET is, with the same
// headers and no body (net/http drops it), as uptime monitors and link
// checkers expect.
func get(r router, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	r.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
}

// routes is the whole surface of Quire in one place.
func (s *Server) routes() {
	e := s.echo

	// Operations
	get(e, "/healthz", s.showHealth)
	get(e, "/readyz", s.showReadiness)

	// Assets
	get(e, assets.Prefix+"*", echo.WrapHandler(assets.Handler()))
	get(e, "/favicon.ico", s.redirectFavicon)

	// Reader (served from the page cache when it is on)
	cached := s.cachedPages
	get(e, urls.HomePattern, s.showHome, cached)
	get(e, urls.ArticlePattern, s.showArticle, cached)
	get(e, urls.VersionsPattern, s.showVersions, cached)
	get(e, urls.VersionPattern, s.showVersion, cached)
	get(e, urls.VersionChangesPattern, s.showVersionChanges, cached)
	get(e, urls.CorrectionsPattern, s.showCorrections, cached)
	get(e, urls.CorrectionsFeedPattern, s.showCorrectionsFeed, cached)
	get(e, urls.CategoryPattern, s.showCategory, cached)
	get(e, urls.SubjectPattern, s.showSubject, cached)
	get(e, urls.SearchPattern, s.showSearch, cached)
	get(e, urls.FeedPattern, s.showFeed, cached)
	get(e, urls.CategoryFeedPattern, s.showCategoryFeed, cached)
	get(e, urls.SubjectFeedPattern, s.showSubjectFeed, cached)
	get(e, urls.ContributorPattern, s.showContributor, cached)
	get(e, urls.ContributorFeedPattern, s.showContributorFeed, cached)
	get(e, urls.SitemapPattern, s.showSitemap, cached)
	get(e, urls.RobotsPattern, s.showRobots, cached)

	// Images (renditions already cached are served before the router);
	// the address Markdown names is the desk's, for the live preview
	get(e, urls.RenditionPattern, s.showRendition)

	// Content API (public, read-only; served from the page cache too)
	get(e, api.Version+"/openapi.json", s.showOpenAPI, cached)
	get(e, api.Version+"/network", s.apiNetwork, cached)
	get(e, api.Version+"/categories", s.apiCategories, cached)
	get(e, api.Version+"/subjects", s.apiSubjects, cached)
	get(e, api.Version+"/articles", s.apiArticles, cached)
	get(e, api.Version+"/articles/:slug", s.apiArticle, cached)
	// With a token: the desk's view (read:drafts)
	drafts := s.bearer(account.ScopeReadDrafts)
	get(e, api.Version+"/desk/articles", s.apiDeskArticles, drafts)
	get(e, api.Version+"/desk/articles/:id", s.apiDeskArticle, drafts)
	// With a token: the webhooks (webhooks:manage)
	manage := s.bearer(account.ScopeManageWebhooks)
	get(e, api.Version+"/webhooks", s.apiWebhooks, manage)
	e.POST(api.Version+"/webhooks", s.apiAddWebhook, manage)
	e.DELETE(api.Version+"/webhooks/:id", s.apiRemoveWebhook, manage)
	e.Any(api.Version+"/*", s.apiNotFound)
	get(e, urls.APIDocs(), s.showAPIDocs, cached)

	// Login and first-run setup
	deskMW := s.deskMiddleware()
	get(e, urls.ImagePattern, s.showImage, deskMW...)
	get(e, urls.LoginPattern, s.showLogin, deskMW...)
	e.POST(urls.LoginPattern, s.login, deskMW...)
	e.POST(urls.LogoutPattern, s.logout, deskMW...)
	get(e, urls.SetupPattern, s.showSetup, deskMW...)
	e.POST(urls.SetupPattern, s.setup, deskMW...)
	get(e, urls.LoginCodePattern, s.showLoginCode, deskMW...)
	e.POST(urls.LoginCodePattern, s.loginCode, deskMW...)

	// Mailed links
	get(e, urls.ForgotPasswordPattern, s.showForgot, deskMW...)
	e.POST(urls.ForgotPasswordPattern, s.forgot, deskMW...)
	get(e, urls.ResetPasswordPattern, s.showReset, deskMW...)
	e.POST(urls.ResetPasswordPattern, s.reset, deskMW...)
	get(e, urls.InvitationPattern, s.showInvitation, deskMW...)
	e.POST(urls.InvitationPattern, s.acceptInvitation, deskMW...)

	// Desk: every logged-in role (and, where the network requires it,
	// two-factor login set up)
	d := e.Group(urls.DeskPattern, append(deskMW, s.requireLogin, s.requireTwoFactor)...)
	get(d, "", s.showDashboard)
	get(d, urls.AccountPattern, s.showAccount)
	get(d, urls.PasswordPattern, s.toAccount)
	d.POST(urls.AccountPasswordPattern, s.changePassword)
	d.POST(urls.NotificationsPattern, s.saveNotifications)
	get(d, urls.TwoFactorPattern, s.showTwoFactor)
	d.POST(urls.TwoFactorPattern, s.confirmTwoFactor)
	d.POST(urls.TwoFactorOffPattern, s.turnOffTwoFactor)
	d.POST(urls.RecoveryCodesPattern, s.newRecoveryCodes)

	// Desk: articles and their history
	get(d, urls.ArticlesPattern, s.showArticles)
	get(d, urls.NewArticlePattern, s.showNewArticle)
	d.POST(urls.ArticlesPattern, s.createArticle)
	get(d, urls.DeskArticlePattern, s.showDeskArticle)
	get(d, urls.EditArticlePattern, s.showEditArticle)
	d.POST(urls.EditArticlePattern, s.saveArticle)
	get(d, urls.PreviewPattern, s.showPreview)
	get(d, urls.HistoryPattern, s.showHistory)
	get(d, urls.RevisionPattern, s.showRevision)
	d.POST(urls.RestorePattern, s.restoreRevision)
	get(d, urls.ComparePattern, s.showCompare)

	// Desk: what the article form's script asks while an editor types
	for _, scratch := range []string{urls.NewScratchPattern, urls.ScratchPattern} {
		d.POST(scratch, s.keepScratch)
		d.POST(scratch+urls.RestoreScratchSuffix, s.restoreScratch)
		d.POST(scratch+urls.DiscardScratchSuffix, s.discardScratch)
	}
	d.POST(urls.PresencePattern, s.presence)
	d.POST(urls.LeavePattern, s.leave)
	d.POST(urls.LivePreviewPattern, s.livePreview)
	get(d, urls.AuditPattern, s.showAudit)

	// Desk: review and publishing (the workflow rules decide who may)
	get(d, urls.ReviewsPattern, s.showReviews)
	d.POST(urls.SubmitPattern, s.submitRevision)
	get(d, urls.ReviewPattern, s.showReview)
	d.POST(urls.ReviewPattern, s.reviewRevision)
	d.POST(urls.PublishPattern, s.publishRevision)
	d.POST(urls.SchedulePattern, s.scheduleRevision)
	d.POST(urls.CancelPattern, s.cancelSchedule)
	d.POST(urls.UnpublishPattern, s.unpublishArticle)

	// Desk: contributors (everyone sees them; the rules decide who manages)
	get(d, urls.ContributorsPattern, s.showContributors)
	get(d, urls.NewContributorPattern, s.showContributorForm)
	d.POST(urls.ContributorsPattern, s.saveContributor)
	get(d, urls.ContributorEditPattern, s.showContributorForm)
	d.POST(urls.ContributorEditPattern, s.saveContributor)
	d.POST(urls.ContributorDeletePattern, s.deleteContributor)

	// Desk: the media library (everyone sees it; the rules decide who
	// uploads, withdraws and deletes)
	get(d, urls.MediaPattern, s.showMedia)
	d.POST(urls.MediaPattern, s.uploadMedia)
	get(d, urls.MediaItemPattern, s.showMediaItem)
	d.POST(urls.MediaItemPattern, s.saveMediaItem)
	get(d, urls.MediaOriginalPattern, s.downloadOriginal)
	d.POST(urls.MediaWithdrawPattern, s.withdrawMedia)
	d.POST(urls.MediaDeletePattern, s.deleteMedia)

	// Desk: admins
	admin := requireRole(account.Admin)
	get(d, urls.UsersPattern, s.showUsers, admin)
	d.POST(urls.UsersPattern, s.invite, admin)
	d.POST(urls.InvitationResendPattern, s.resendInvitation, admin)
	d.POST(urls.InvitationRevokePattern, s.revokeInvitation, admin)
	d.POST(urls.UserRolePattern, s.changeRole, admin)
	d.POST(urls.UserActivePattern, s.setActive, admin)
	d.POST(urls.UserTwoFactorPattern, s.resetTwoFactor, admin)
	get(d, urls.TokensPattern, s.showTokens, admin)
	d.POST(urls.TokensPattern, s.createToken, admin)
	d.POST(urls.TokenRevokePattern, s.revokeToken, admin)
	get(d, urls.WebhooksPattern, s.showWebhooks, admin)
	d.POST(urls.WebhooksPattern, s.addWebhook, admin)
	get(d, urls.WebhookPattern, s.showWebhook, admin)
	d.POST(urls.WebhookTestPattern, s.sendTest, admin)
	d.POST(urls.WebhookRemovePattern, s.removeWebhook, admin)
	d.POST(urls.WebhookEnablePattern, s.enableWebhook, admin)
	d.POST(urls.RedeliverPattern, s.redeliver, admin)
	get(d, urls.OutboxPattern, s.showOutbox, admin)
	d.POST(urls.OutboxRetryPattern, s.retryMail, admin)
	get(d, urls.DeskAuditPattern, s.showGlobalAudit, admin)
	get(d, urls.AuditExportPattern, s.exportAudit, admin)
	get(d, urls.SettingsPattern, s.showSettings, admin)
	d.POST(urls.SettingsPattern, s.saveSettings, admin)
	get(d, urls.CategoriesPattern, s.showCategories, admin)
	d.POST(urls.CategoriesPattern, s.saveCategory, admin)
	get(d, urls.CategoryEditPattern, s.showCategories, admin)
	d.POST(urls.CategoryEditPattern, s.saveCategory, admin)
	get(d, urls.SubjectsPattern, s.showSubjects, admin)
	d.POST(urls.SubjectsPattern, s.saveSubject, admin)
	get(d, urls.SubjectEditPattern, s.showSubjects, admin)
	d.POST(urls.SubjectEditPattern, s.saveSubject, admin)
}
