package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// queueSize bounds each dashboard queue; the article list has the rest.
const queueSize = 20

// showDashboard is the desk's home: what waits for the logged-in person.
func (s *Server) showDashboard(c echo.Context) error {
	u, _ := currentUser(c)
	d := desk.Dashboard{Name: u.Name, Role: u.Role.Label(), IsAdmin: u.Role.AtLeast(account.Admin), CanReview: u.Role.AtLeast(account.Reviewer)}
	type queue struct {
		into   *[]desk.WorkItem
		filter store.DeskFilter
		review bool // link to the review page rather than the overview
	}
	queues := []queue{
		{&d.Returned, store.DeskFilter{HeadStatus: article.StatusChangesRequested, AuthorID: u.ID}, false},
		{&d.Approved, store.DeskFilter{HeadStatus: article.StatusApproved}, false},
		{&d.Drafts, store.DeskFilter{HeadStatus: article.StatusDraft, AuthorID: u.ID}, false},
	}
	if d.CanReview {
		queues = append(queues, queue{&d.ToReview, store.DeskFilter{HeadStatus: article.StatusInReview, NotAuthorID: u.ID}, true})
	}
	for _, q := range queues {
		items, err := s.workItems(c, q.filter, q.review)
		if err != nil {
			return err
		}
		*q.into = items
	}
	scheduled, err := s.store.PendingSchedules(c.Request().Context())
	if err != nil {
		return err
	}
	for _, sch := range scheduled {
		d.Scheduled = append(d.Scheduled, desk.WorkItem{Href: urls.DeskArticle(sch.ArticleID), Title: sch.Title, Number: sch.RevisionNumber,
			Author: sch.ScheduledBy, At: "scheduled", Note: "goes live at " + s.deskTime(c, sch.PublishAt)})
	}
	return renderPrivate(c, http.StatusOK, desk.DashboardPage(s.shell(c, "Dashboard", urls.Desk()), d))
}

// workItems lists articles for a queue, newest change first.
func (s *Server) workItems(c echo.Context, f store.DeskFilter, review bool) ([]desk.WorkItem, error) {
	me, _ := currentUser(c)
	if f.Limit == 0 {
		f.Limit = queueSize
	}
	rows, _, err := s.store.DeskArticles(c.Request().Context(), f)
	if err != nil {
		return nil, err
	}
	out := make([]desk.WorkItem, len(rows))
	for i, r := range rows {
		href := urls.DeskArticle(r.Article.ID)
		if review {
			href = urls.Review(r.Article.ID)
		}
		out[i] = desk.WorkItem{Href: href, Title: r.Title, Number: r.HeadNumber, Author: r.ChangedBy,
			At: s.deskTime(c, r.ChangedAt), Yours: r.HeadAuthorID == me.ID}
		if r.LiveNumber > 0 {
			out[i].Note = "an update to a live article"
		}
	}
	return out, nil
}

// showReviews is the review queue: every newest revision waiting for review.
func (s *Server) showReviews(c echo.Context) error {
	u, _ := currentUser(c)
	items, err := s.workItems(c, store.DeskFilter{HeadStatus: article.StatusInReview, Limit: 500}, true)
	if err != nil {
		return err
	}
	p := desk.ReviewQueue{Items: items, CanReview: u.Role.AtLeast(account.Reviewer)}
	return renderPrivate(c, http.StatusOK, desk.ReviewQueuePage(s.shell(c, "Review queue", urls.Reviews()), p))
}

const auditPageSize = 50

// showGlobalAudit is every audit event, for admins.
func (s *Server) showGlobalAudit(c echo.Context) error {
	n, err := pageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	events, total, err := s.store.AuditLog(c.Request().Context(), auditPageSize, (n-1)*auditPageSize)
	if err != nil {
		return err
	}
	pages := max(1, (total+auditPageSize-1)/auditPageSize)
	if n > pages {
		return apperr.Errorf(apperr.NotFound, "The audit log has only %d page(s).", pages)
	}
	p := desk.GlobalAudit{Rows: s.auditRows(c, events), Page: n, Pages: pages}
	if n > 1 {
		p.Prev = urls.DeskAudit() + "?page=" + strconv.Itoa(n-1)
	}
	if n < pages {
		p.Next = urls.DeskAudit() + "?page=" + strconv.Itoa(n+1)
	}
	return renderPrivate(c, http.StatusOK, desk.GlobalAuditPage(s.shell(c, "Audit log", urls.DeskAudit()), p))
}
