// Package urls is the one place that knows Quire's public addresses, so
// that handlers and views never spell a path by hand.
package urls

import (
	"net/url"
	"strconv"
)

// Route patterns, as registered with the router.
const (
	HomePattern     = "/"
	ArticlePattern  = "/articles/:slug"
	CategoryPattern = "/categories/:slug"
	SubjectPattern  = "/subjects/:slug"
	SearchPattern   = "/search"

	ContributorPattern     = "/contributors/:slug"
	ContributorFeedPattern = "/contributors/:slug/feed.xml"

	FeedPattern         = "/feed.xml"
	CategoryFeedPattern = "/categories/:slug/feed.xml"
	SubjectFeedPattern  = "/subjects/:slug/feed.xml"
	SitemapPattern      = "/sitemap.xml"
	RobotsPattern       = "/robots.txt"

	VersionsPattern        = "/articles/:slug/versions"
	VersionPattern         = "/articles/:slug/versions/:n"
	VersionChangesPattern  = "/articles/:slug/versions/:n/changes"
	CorrectionsPattern     = "/corrections"
	CorrectionsFeedPattern = "/corrections/feed.xml"
)

// Versions is the article's TimeMap: every version it published.
func Versions(slug string) string { return Article(slug) + "/versions" }

// Version is version n of the article, as readers saw it.
func Version(slug string, n int) string { return Versions(slug) + "/" + strconv.Itoa(n) }

// VersionChanges is what version n changed from the version before it.
func VersionChanges(slug string, n int) string { return Version(slug, n) + "/changes" }

// Corrections is the network's corrections log.
func Corrections() string { return CorrectionsPattern }

// CorrectionsFeed is the Atom feed of the corrections log.
func CorrectionsFeed() string { return CorrectionsFeedPattern }

// Feed is the site-wide Atom feed.
func Feed() string { return FeedPattern }

// CategoryFeed is the Atom feed of a category.
func CategoryFeed(slug string) string { return Category(slug) + "/feed.xml" }

// SubjectFeed is the Atom feed of a subject.
func SubjectFeed(slug string) string { return Subject(slug) + "/feed.xml" }

// Sitemap lists every live article for search engines.
func Sitemap() string { return SitemapPattern }

// Robots tells crawlers where the sitemap is and what to leave alone.
func Robots() string { return RobotsPattern }

// Home is the front page.
func Home() string { return "/" }

// Article is the reader's page of the article with slug.
func Article(slug string) string { return "/articles/" + url.PathEscape(slug) }

// Category is the page listing a category's articles.
func Category(slug string) string { return "/categories/" + url.PathEscape(slug) }

// Subject is a subject's hub: the timeline of its life moments.
func Subject(slug string) string { return "/subjects/" + url.PathEscape(slug) }

// Contributor is a contributor's page: who they are and what they did.
func Contributor(slug string) string { return "/contributors/" + url.PathEscape(slug) }

// ContributorFeed is the Atom feed of a contributor's articles.
func ContributorFeed(slug string) string { return Contributor(slug) + "/feed.xml" }

// Search is the search page; SearchFor is the results for q.
func Search() string { return SearchPattern }

// SearchFor is the first page of results for q.
func SearchFor(q string) string { return SearchPattern + "?q=" + url.QueryEscape(q) }

// Page returns path showing page n of a listing; page 1 is path itself.
func Page(path string, n int) string {
	if n <= 1 {
		return path
	}
	return path + "?page=" + strconv.Itoa(n)
}

// Desk addresses.
const (
	LoginPattern      = "/login"
	LogoutPattern     = "/logout"
	SetupPattern      = "/setup"
	DeskPattern       = "/desk"
	UsersPattern      = "/users"
	UserRolePattern   = "/users/:id/role"
	UserActivePattern = "/users/:id/active"
	PasswordPattern   = "/password"
)

// Login is the login page.
func Login() string { return LoginPattern }

// Logout ends the session (POST).
func Logout() string { return LogoutPattern }

// Setup is the first-run page that creates the first admin.
func Setup() string { return SetupPattern }

// Desk is the dashboard.
func Desk() string { return DeskPattern }

// Users is the admin's account list.
func Users() string { return DeskPattern + UsersPattern }

// UserRole changes an account's role (POST).
func UserRole(id int64) string { return Users() + "/" + strconv.FormatInt(id, 10) + "/role" }

// UserActive deactivates or reactivates an account (POST).
func UserActive(id int64) string { return Users() + "/" + strconv.FormatInt(id, 10) + "/active" }

// Password is where the logged-in user once changed their password; it
// leads to the Account page now.
func Password() string { return DeskPattern + PasswordPattern }

// Addresses of mailed links, two-factor login and the Account page.
const (
	InvitationPattern       = "/invitation"
	ForgotPasswordPattern   = "/forgot-password"
	ResetPasswordPattern    = "/reset-password"
	LoginCodePattern        = "/login/code"
	AccountPattern          = "/account"
	AccountPasswordPattern  = "/account/password"
	NotificationsPattern    = "/account/notifications"
	TwoFactorPattern        = "/account/two-factor"
	TwoFactorOffPattern     = "/account/two-factor/off"
	RecoveryCodesPattern    = "/account/two-factor/recovery-codes"
	InvitationsPattern      = "/users/invitations"
	InvitationResendPattern = "/users/invitations/:id/resend"
	InvitationRevokePattern = "/users/invitations/:id/revoke"
	UserTwoFactorPattern    = "/users/:id/two-factor"
	TokensPattern           = "/tokens"
	TokenRevokePattern      = "/tokens/:id/revoke"
	WebhooksPattern         = "/webhooks"
	WebhookPattern          = "/webhooks/:id"
	WebhookTestPattern      = "/webhooks/:id/test"
	WebhookRemovePattern    = "/webhooks/:id/remove"
	WebhookEnablePattern    = "/webhooks/:id/enable"
	RedeliverPattern        = "/webhooks/:id/deliveries/:delivery/redeliver"
	OutboxPattern           = "/outbox"
	OutboxRetryPattern      = "/outbox/:id/retry"
)

// Invitation is the page an invitee opens from their mail.
func Invitation(token string) string { return InvitationPattern + "?token=" + url.QueryEscape(token) }

// ForgotPassword is where someone asks for a password reset link.
func ForgotPassword() string { return ForgotPasswordPattern }

// ResetPassword is the page a reset link opens; token empty for the form's
// own address.
func ResetPassword(token string) string {
	if token == "" {
		return ResetPasswordPattern
	}
	return ResetPasswordPattern + "?token=" + url.QueryEscape(token)
}

// LoginCode is the second step of logging in: the authenticator code.
func LoginCode() string { return LoginCodePattern }

// Account is the logged-in person's own page: password, notifications,
// two-factor login.
func Account() string { return DeskPattern + AccountPattern }

// AccountPassword changes one's own password (POST).
func AccountPassword() string { return DeskPattern + AccountPasswordPattern }

// Notifications saves one's notification choices (POST).
func Notifications() string { return DeskPattern + NotificationsPattern }

// TwoFactor is where one turns on two-factor login.
func TwoFactor() string { return DeskPattern + TwoFactorPattern }

// TwoFactorOff turns one's two-factor login off (POST).
func TwoFactorOff() string { return DeskPattern + TwoFactorOffPattern }

// RecoveryCodes makes a new set of recovery codes (POST).
func RecoveryCodes() string { return DeskPattern + RecoveryCodesPattern }

// Invitations is where the addresses of waiting invitations start.
func Invitations() string { return DeskPattern + InvitationsPattern }

// InvitationResend sends an invitation again with a new link (POST).
func InvitationResend(id int64) string {
	return Invitations() + "/" + strconv.FormatInt(id, 10) + "/resend"
}

// InvitationRevoke withdraws an invitation (POST).
func InvitationRevoke(id int64) string {
	return Invitations() + "/" + strconv.FormatInt(id, 10) + "/revoke"
}

// UserTwoFactor resets an account's two-factor login (POST).
func UserTwoFactor(id int64) string { return Users() + "/" + strconv.FormatInt(id, 10) + "/two-factor" }

// APIDocs is the content API's page for people.
func APIDocs() string { return "/api" }

// Tokens is the admin's list of API tokens.
func Tokens() string { return DeskPattern + TokensPattern }

// TokenRevoke revokes an API token (POST).
func TokenRevoke(id int64) string { return Tokens() + "/" + strconv.FormatInt(id, 10) + "/revoke" }

// Webhooks is the admin's list of webhooks.
func Webhooks() string { return DeskPattern + WebhooksPattern }

// Webhook is one webhook's page: its delivery log.
func Webhook(id int64) string { return Webhooks() + "/" + strconv.FormatInt(id, 10) }

// WebhookTest sends a webhook a ping (POST).
func WebhookTest(id int64) string { return Webhook(id) + "/test" }

// WebhookRemove removes a webhook (POST).
func WebhookRemove(id int64) string { return Webhook(id) + "/remove" }

// WebhookEnable enables a disabled webhook again (POST).
func WebhookEnable(id int64) string { return Webhook(id) + "/enable" }

// Redeliver sends a delivery again (POST).
func Redeliver(webhookID, deliveryID int64) string {
	return Webhook(webhookID) + "/deliveries/" + strconv.FormatInt(deliveryID, 10) + "/redeliver"
}

// Outbox is the admin's view of the mail Quire sends.
func Outbox() string { return DeskPattern + OutboxPattern }

// OutboxRetry sends a failed mail again (POST).
func OutboxRetry(id int64) string { return Outbox() + "/" + strconv.FormatInt(id, 10) + "/retry" }

// Desk article addresses, relative to the desk group.
const (
	ArticlesPattern    = "/articles"
	NewArticlePattern  = "/articles/new"
	DeskArticlePattern = "/articles/:id"
	EditArticlePattern = "/articles/:id/edit"
	PreviewPattern     = "/articles/:id/preview"
	HistoryPattern     = "/articles/:id/history"
	RevisionPattern    = "/articles/:id/revisions/:n"
	RestorePattern     = "/articles/:id/revisions/:n/restore"
	ComparePattern     = "/articles/:id/compare"
	AuditPattern       = "/articles/:id/audit"
	SubmitPattern      = "/articles/:id/submit"
	ReviewPattern      = "/articles/:id/review"
	PublishPattern     = "/articles/:id/publish"
	SchedulePattern    = "/articles/:id/schedule"
	CancelPattern      = "/articles/:id/schedule/cancel"
	UnpublishPattern   = "/articles/:id/unpublish"
	ReviewsPattern     = "/reviews"
	DeskAuditPattern   = "/audit"
	AuditExportPattern = "/audit/export"
	SettingsPattern    = "/settings"
)

// The article form's helpers, relative to the desk group; "new" stands
// for an article not yet saved.
const (
	ScratchPattern       = "/articles/:id/scratch"
	NewScratchPattern    = "/articles/new/scratch"
	RestoreScratchSuffix = "/restore"
	DiscardScratchSuffix = "/discard"
	PresencePattern      = "/articles/:id/presence"
	LeavePattern         = "/articles/:id/presence/leave"
	LivePreviewPattern   = "/articles/preview"
)

// Settings is the admins' form for the network's settings.
func Settings() string { return DeskPattern + SettingsPattern }

// Scratch is where the article form keeps an editor's unsaved text:
// articleID zero for a new article.
func Scratch(articleID int64) string {
	if articleID == 0 {
		return DeskPattern + NewScratchPattern
	}
	return DeskArticle(articleID) + "/scratch"
}

// Presence is where an open article form says it is still open.
func Presence(articleID int64) string { return DeskArticle(articleID) + "/presence" }

// Leave is where a closing article form says it was closed.
func Leave(articleID int64) string { return Presence(articleID) + "/leave" }

// LivePreview renders the article form as readers would read it.
func LivePreview() string { return DeskPattern + LivePreviewPattern }

// DeskArticles is the desk's list of articles.
func DeskArticles() string { return DeskPattern + ArticlesPattern }

// NewArticle is the form for a new article.
func NewArticle() string { return DeskPattern + NewArticlePattern }

// DeskArticle is an article's page in the desk.
func DeskArticle(id int64) string { return DeskArticles() + "/" + strconv.FormatInt(id, 10) }

// EditArticle is the form that saves a new revision.
func EditArticle(id int64) string { return DeskArticle(id) + "/edit" }

// Preview shows the newest revision as readers would see it.
func Preview(id int64) string { return DeskArticle(id) + "/preview" }

// History lists an article's revisions.
func History(id int64) string { return DeskArticle(id) + "/history" }

// Revision shows revision number n.
func Revision(id int64, n int) string { return DeskArticle(id) + "/revisions/" + strconv.Itoa(n) }

// Restore copies revision n into a new draft (POST).
func Restore(id int64, n int) string { return Revision(id, n) + "/restore" }

// Compare shows the difference between revisions from and to.
func Compare(id int64, from, to int) string {
	return DeskArticle(id) + "/compare?from=" + strconv.Itoa(from) + "&to=" + strconv.Itoa(to)
}

// CompareForm is where the history's compare form sends its choice.
func CompareForm(id int64) string { return DeskArticle(id) + "/compare" }

// Audit is an article's audit log.
func Audit(id int64) string { return DeskArticle(id) + "/audit" }

// Submit puts the newest revision in the review queue (POST).
func Submit(id int64) string { return DeskArticle(id) + "/submit" }

// Review is where a reviewer approves the newest revision or requests changes.
func Review(id int64) string { return DeskArticle(id) + "/review" }

// Publish makes an approved revision live (POST).
func Publish(id int64) string { return DeskArticle(id) + "/publish" }

// Schedule sets an approved revision to go live later (POST).
func Schedule(id int64) string { return DeskArticle(id) + "/schedule" }

// CancelSchedule cancels a pending scheduled publication (POST).
func CancelSchedule(id int64) string { return Schedule(id) + "/cancel" }

// Unpublish takes a live article down (POST).
func Unpublish(id int64) string { return DeskArticle(id) + "/unpublish" }

// Reviews is the review queue.
func Reviews() string { return DeskPattern + ReviewsPattern }

// DeskAudit is the admins' audit log of every article.
func DeskAudit() string { return DeskPattern + DeskAuditPattern }

// AuditExport downloads the whole audit log in format (jsonl or csv).
func AuditExport(format string) string {
	return DeskPattern + AuditExportPattern + "?format=" + url.QueryEscape(format)
}

// Taxonomy admin addresses, relative to the desk group.
const (
	CategoriesPattern   = "/categories"
	CategoryEditPattern = "/categories/:id"
	SubjectsPattern     = "/subjects"
	SubjectEditPattern  = "/subjects/:id"
)

// DeskCategories is the admin's list of categories.
func DeskCategories() string { return DeskPattern + CategoriesPattern }

// DeskCategory edits one category.
func DeskCategory(id int64) string { return DeskCategories() + "/" + strconv.FormatInt(id, 10) }

// DeskSubjects is the admin's list of subjects.
func DeskSubjects() string { return DeskPattern + SubjectsPattern }

// DeskSubject edits one subject.
func DeskSubject(id int64) string { return DeskSubjects() + "/" + strconv.FormatInt(id, 10) }

// Contributor admin addresses, relative to the desk group.
const (
	ContributorsPattern      = "/contributors"
	NewContributorPattern    = "/contributors/new"
	ContributorEditPattern   = "/contributors/:id"
	ContributorDeletePattern = "/contributors/:id/delete"
)

// DeskContributors is the desk's list of contributors.
func DeskContributors() string { return DeskPattern + ContributorsPattern }

// NewContributor is the form to add a contributor.
func NewContributor() string { return DeskPattern + NewContributorPattern }

// DeskContributor edits one contributor.
func DeskContributor(id int64) string { return DeskContributors() + "/" + strconv.FormatInt(id, 10) }

// DeleteContributor deletes a contributor no revision credits.
func DeleteContributor(id int64) string { return DeskContributor(id) + "/delete" }

// Media library addresses, relative to the desk group.
const (
	MediaPattern         = "/media"
	MediaItemPattern     = "/media/:id"
	MediaOriginalPattern = "/media/:id/original"
	MediaWithdrawPattern = "/media/:id/withdraw"
	MediaDeletePattern   = "/media/:id/delete"
)

// DeskMedia is the media library.
func DeskMedia() string { return DeskPattern + MediaPattern }

// DeskMediaItem is one image of the library: its details and uses.
func DeskMediaItem(id int64) string { return DeskMedia() + "/" + strconv.FormatInt(id, 10) }

// MediaOriginal downloads an image as it was uploaded, metadata and all.
func MediaOriginal(id int64) string { return DeskMediaItem(id) + "/original" }

// WithdrawMedia takes an image down.
func WithdrawMedia(id int64) string { return DeskMediaItem(id) + "/withdraw" }

// DeleteMedia deletes an image no revision showed.
func DeleteMedia(id int64) string { return DeskMediaItem(id) + "/delete" }

// Image addresses: /media/{id} is what Markdown names (the desk's, for
// previews), and a rendition's address carries the image's random tag,
// made when it was uploaded, so that it never changes meaning and may be
// cached for a year.
const (
	ImagePattern     = "/media/:id"
	RenditionPattern = "/media/:id/:tag/:variant"
)

// Image is the address an editor writes in Markdown.
func Image(id int64) string { return "/media/" + strconv.FormatInt(id, 10) }

// Rendition is one rendition of the image id, whose tag is tag.
func Rendition(id int64, tag, variant string) string { return Image(id) + "/" + tag + "/" + variant }
