package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/internal/workflow"
	"github.com/quire-cms/quire/views/desk"
)

// showReviews is the review queue: every newest revision waiting for review.
func (s *Server) showReviews(c echo.Context) error {
	u, _ := currentUser(c)
	rows, _, err := s.pub.Articles(c.Request().Context(), article.DeskFilter{HeadStatus: article.StatusInReview, Limit: 500})
	if err != nil {
		return err
	}
	p := desk.ReviewQueue{Items: s.workItems(c, rows, true), CanReview: u.Role.AtLeast(account.Reviewer)}
	return renderPrivate(c, http.StatusOK, desk.ReviewQueuePage(s.shell(c, "Review queue", urls.Reviews()), p))
}

// showReview shows what the newest revision would change for readers.
func (s *Server) showReview(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	return s.renderReview(c, http.StatusOK, id, desk.Form{CSRF: csrfToken(c)})
}

func (s *Server) renderReview(c echo.Context, status int, id int64, form desk.Form) error {
	v, err := s.pub.View(c.Request().Context(), id, article.DeskParts{HeadBody: true, LiveBody: true, Taxonomy: true, Reviews: true})
	if err != nil {
		return err
	}
	head := v.Head
	st, err := s.story(c, v.Article, head)
	if err != nil {
		return err
	}
	p := desk.ReviewPage{Links: links(v.Article), Title: head.Title, Number: head.Number, Author: head.AuthorName,
		At: s.deskTime(c, head.CreatedAt), ChangeNote: head.ChangeNote, Status: head.Status.Label(), LiveNumber: v.Live.Number,
		Changes: s.withThumbs(c.Request().Context(), compareRevisions(v.Live, head)), Story: st, Form: form, RevisionID: head.ID, Reviews: s.reviewNotes(c, v.Reviews)}
	if head.Number > 1 {
		p.ComparePrevious = urls.Compare(id, head.Number-1, head.Number)
	}
	if p.Why = publishing.ReviewWhy(actorOf(c), v); p.Why == "" {
		p.Action = urls.Review(id)
	}
	return renderPrivate(c, status, desk.Review(s.shell(c, "Review: "+head.Title, ""), p))
}

// reviewRevision records Approve or Request changes, with the comment.
func (s *Server) reviewRevision(c echo.Context) error {
	id, rev, err := workflowRequest(c)
	if apperr.CodeOf(err) == apperr.NotFound {
		return err
	}
	d := workflow.Decision("")
	switch c.FormValue("decision") {
	case "approve":
		d = workflow.Approve
	case "changes":
		d = workflow.RequestChanges
	}
	if err == nil {
		err = s.pub.Review(c.Request().Context(), actorOf(c), id, rev, d, strings.TrimSpace(c.FormValue(workflow.FieldComment)))
	}
	if err == nil {
		msg := "Approved. It can now be published or scheduled."
		if d == workflow.RequestChanges {
			msg = "Changes requested. The author sees your comment on the article's page."
		}
		s.flash(c, msg)
		return c.Redirect(http.StatusSeeOther, urls.DeskArticle(id))
	}
	switch code := apperr.CodeOf(err); code {
	case apperr.Invalid, apperr.Conflict, apperr.Forbidden:
		return s.renderReview(c, statusOf[code], id, formFrom(c, err, desk.ReviewFields))
	}
	return err
}
