package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// queueSize bounds each dashboard queue; the article list has the rest.
const queueSize = 20

// showDashboard is the desk's home: what waits for the logged-in person.
func (s *Server) showDashboard(c echo.Context) error {
	u, _ := currentUser(c)
	q, scheduled, failed, err := s.pub.Dashboard(c.Request().Context(), u, queueSize)
	if err != nil {
		return err
	}
	d := desk.Dashboard{Name: u.Name, Role: u.Role.Label(), IsAdmin: u.Role.AtLeast(account.Admin), CanReview: u.Role.AtLeast(account.Reviewer),
		ToReview: s.workItems(c, q.ToReview, true), Returned: s.workItems(c, q.Returned, false),
		Approved: s.workItems(c, q.Approved, false), Drafts: s.workItems(c, q.Drafts, false)}
	for _, sch := range scheduled {
		d.Scheduled = append(d.Scheduled, desk.WorkItem{Href: urls.DeskArticle(sch.ArticleID), Title: sch.Title, Number: sch.RevisionNumber,
			Author: sch.ScheduledBy, At: "scheduled", Note: "goes live at " + s.deskTime(c, sch.PublishAt)})
	}
	for _, sch := range failed {
		d.Failed = append(d.Failed, desk.WorkItem{Href: urls.DeskArticle(sch.ArticleID), Title: sch.Title, Number: sch.RevisionNumber,
			Author: sch.ScheduledBy, At: "scheduled", Note: "failed at " + s.deskTime(c, sch.EndedAt) + ": " + sch.Failure})
	}
	return renderPrivate(c, http.StatusOK, desk.DashboardPage(s.shell(c, "Dashboard", urls.Desk()), d))
}

// workItems turns desk rows into a queue's lines, linking to the review
// page (review) or the article's overview.
func (s *Server) workItems(c echo.Context, rows []article.DeskRow, review bool) []desk.WorkItem {
	me, _ := currentUser(c)
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
	return out
}
