package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/internal/workflow"
	"github.com/quire-cms/quire/views/desk"
)

// publishAtLayouts are what a datetime-local control sends, with and
// without seconds.
var publishAtLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

func actorOf(c echo.Context) workflow.Actor {
	me, _ := currentUser(c)
	return workflow.Actor{ID: me.ID, Role: me.Role}
}

// workflowRequest reads the article in the path and the revision id the
// form names. The store checks that the revision belongs to the article.
func (s *Server) workflowRequest(c echo.Context) (article.Article, int64, error) {
	a, err := s.deskArticle(c)
	if err != nil {
		return a, 0, err
	}
	id, err := strconv.ParseInt(c.FormValue("revision"), 10, 64)
	if err != nil || id <= 0 {
		return a, 0, apperr.Errorf(apperr.Invalid, "The form does not say which revision it is about; reload the page and try again.")
	}
	return a, id, nil
}

// showDeskArticle is an article's overview in the desk.
func (s *Server) showDeskArticle(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	return s.renderOverview(c, http.StatusOK, a, desk.Form{CSRF: csrfToken(c)})
}

// renderOverview shows where an article stands and offers exactly the
// workflow actions the rules allow this user now.
func (s *Server) renderOverview(c echo.Context, status int, a article.Article, form desk.Form) error {
	ctx := c.Request().Context()
	head, err := s.head(c, a)
	if err != nil {
		return err
	}
	live, hasLive, err := s.liveRevision(c, a)
	if err != nil {
		return err
	}
	sched, scheduled, err := s.store.PendingSchedule(ctx, a.ID)
	if err != nil {
		return err
	}
	reviews, err := s.store.Reviews(ctx, a.ID)
	if err != nil {
		return err
	}
	state := article.StateOf(a, head.Status)
	p := desk.ArticleOverview{Links: links(a), Title: head.Title, State: state.Label(), StateKey: string(state),
		HeadNumber: head.Number, HeadStatus: head.Status.Label(), HeadAuthor: head.AuthorName,
		Published: s.deskTimeOr(c, a.PublishedAt, "Not yet"), Updated: s.deskTimeOr(c, a.UpdatedAt, "Not yet"),
		Reviews: s.reviewNotes(c, reviews), Actions: s.actions(c, a, head, scheduled, form)}
	if hasLive {
		p.LiveNumber = live.Number
	}
	if scheduled {
		p.Schedule = &desk.ScheduleNote{Number: sched.RevisionNumber, At: s.deskTime(c, sched.PublishAt), By: sched.ScheduledBy, Minor: sched.Minor}
	}
	return renderPrivate(c, status, desk.Overview(s.shell(c, head.Title, ""), p))
}

// actions asks the workflow rules which steps are open, so the page never
// offers what the server would refuse.
func (s *Server) actions(c echo.Context, a article.Article, head article.Revision, scheduled bool, form desk.Form) desk.Actions {
	act := desk.Actions{Form: form, RevisionID: head.ID, Number: head.Number, FirstTime: a.PublishedAt.IsZero(),
		TimeZone: s.zone(c).String()}
	actor := actorOf(c)
	if workflow.Submit(head, head) == nil {
		act.Submit = urls.Submit(a.ID)
	}
	if err := workflow.Review(actor, head, head, workflow.Approve, ""); err == nil {
		act.Review = urls.Review(a.ID)
	} else if head.Status == article.StatusInReview {
		act.Why = apperr.MessageOf(err) + " It is waiting in the review queue."
	}
	if workflow.Publish(a, head, head, false) == nil {
		act.Publish, act.Schedule = urls.Publish(a.ID), urls.Schedule(a.ID)
	}
	if scheduled {
		act.Cancel = urls.CancelSchedule(a.ID)
	}
	if workflow.Unpublish(a) == nil {
		act.Unpublish = urls.Unpublish(a.ID)
	}
	switch {
	case act.Why != "":
	case head.Status == article.StatusChangesRequested:
		act.Why = "Changes were requested on revision " + strconv.Itoa(head.Number) + ": see the review below, then Edit and submit the new revision."
	case a.State == article.Live && head.ID == a.LiveRevisionID:
		act.Why = "Revision " + strconv.Itoa(head.Number) + " is live. Edit to start a new revision: readers keep seeing this one until the new one is approved and published."
	case act.Publish != "" && a.State == article.Unpublished:
		act.Why = "This article is unpublished. Publish brings it back; its Published date stays as it was."
	case act.Publish != "":
		act.Why = "Revision " + strconv.Itoa(head.Number) + " is approved: publish it now or schedule it."
	}
	return act
}

// liveRevision returns the revision readers see now, if any.
func (s *Server) liveRevision(c echo.Context, a article.Article) (article.Revision, bool, error) {
	if a.State != article.Live || a.LiveRevisionID == 0 {
		return article.Revision{}, false, nil
	}
	revs, err := s.store.Revisions(c.Request().Context(), a.ID)
	if err != nil {
		return article.Revision{}, false, err
	}
	for _, r := range revs {
		if r.ID == a.LiveRevisionID {
			live, err := s.store.RevisionByNumber(c.Request().Context(), a.ID, r.Number)
			return live, err == nil, err
		}
	}
	return article.Revision{}, false, nil
}

func (s *Server) reviewNotes(c echo.Context, reviews []article.Review) []desk.ReviewNote {
	out := make([]desk.ReviewNote, len(reviews))
	for i, r := range reviews {
		out[i] = desk.ReviewNote{Number: r.RevisionNumber, Reviewer: r.ReviewerName, Approved: r.Approved, Comment: r.Comment, At: s.deskTime(c, r.At)}
	}
	return out
}

// afterAction answers a workflow POST: back to the overview with a note on
// success; on a refusal the overview again, saying why, with what the user
// typed kept.
func (s *Server) afterAction(c echo.Context, a article.Article, err error, done string) error {
	if err == nil {
		s.flash(c, done)
		return c.Redirect(http.StatusSeeOther, urls.DeskArticle(a.ID))
	}
	switch code := apperr.CodeOf(err); code {
	case apperr.Invalid, apperr.Conflict, apperr.Forbidden:
		// Reload: the refused action may have raced with another change.
		fresh, ferr := s.store.ArticleByID(c.Request().Context(), a.ID)
		if ferr != nil {
			return ferr
		}
		return s.renderOverview(c, statusOf[code], fresh, formFrom(c, err, "publish_at", "minor"))
	}
	return err
}

// submitRevision puts the newest revision in the review queue.
func (s *Server) submitRevision(c echo.Context) error {
	a, rev, err := s.workflowRequest(c)
	if err == nil {
		err = s.store.Submit(c.Request().Context(), actorOf(c).ID, a.ID, rev)
	}
	return s.afterAction(c, a, err, "Submitted for review. A reviewer will approve it or ask for changes.")
}

// publishRevision makes the approved revision live now.
func (s *Server) publishRevision(c echo.Context) error {
	a, rev, err := s.workflowRequest(c)
	if err == nil {
		var pub article.Article
		if pub, err = s.store.Publish(c.Request().Context(), actorOf(c).ID, a.ID, rev, c.FormValue("minor") == "1", time.Now()); err == nil {
			a.Slug = pub.Slug // a new slug goes live with the revision
		}
	}
	return s.afterAction(c, a, err, "Published. Readers see it now at "+urls.Article(a.Slug)+".")
}

// scheduleRevision sets the approved revision to go live at Publish at,
// read in the network's time zone.
func (s *Server) scheduleRevision(c echo.Context) error {
	a, rev, err := s.workflowRequest(c)
	var at time.Time
	if err == nil {
		at, err = s.publishAt(c)
	}
	if err == nil {
		err = s.store.Schedule(c.Request().Context(), actorOf(c).ID, a.ID, rev, c.FormValue("minor") == "1", at)
	}
	return s.afterAction(c, a, err, "Scheduled: it goes live at "+s.deskTime(c, at)+".")
}

func (s *Server) publishAt(c echo.Context) (time.Time, error) {
	raw := strings.TrimSpace(c.FormValue("publish_at"))
	for _, layout := range publishAtLayouts {
		if at, err := time.ParseInLocation(layout, raw, s.zone(c)); err == nil {
			return at, nil
		}
	}
	msg := "Enter the date and time it should go live."
	if raw != "" {
		msg = "Enter a date and time such as 2026-12-01T09:00."
	}
	return time.Time{}, &apperr.Error{Code: apperr.Invalid, Message: "Please correct the marked fields.",
		Fields: map[string]string{workflow.FieldPublishAt: msg}}
}

// cancelSchedule cancels the pending scheduled publication.
func (s *Server) cancelSchedule(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	cancelled, err := s.store.CancelSchedule(c.Request().Context(), actorOf(c).ID, a.ID)
	if err == nil && !cancelled {
		err = apperr.Errorf(apperr.Conflict, "Nothing is scheduled for this article any more.")
	}
	return s.afterAction(c, a, err, "Schedule cancelled. Nothing goes live until someone publishes or schedules again.")
}

// unpublishArticle takes the live article down.
func (s *Server) unpublishArticle(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	err = s.store.Unpublish(c.Request().Context(), actorOf(c).ID, a.ID, time.Now())
	return s.afterAction(c, a, err, "Unpublished. Readers are told it was withdrawn; Publish brings it back.")
}

// showReview shows what the newest revision would change for readers.
func (s *Server) showReview(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	return s.renderReview(c, http.StatusOK, a, desk.Form{CSRF: csrfToken(c)})
}

func (s *Server) renderReview(c echo.Context, status int, a article.Article, form desk.Form) error {
	ctx := c.Request().Context()
	head, err := s.head(c, a)
	if err != nil {
		return err
	}
	live, _, err := s.liveRevision(c, a)
	if err != nil {
		return err
	}
	st, err := s.story(c, a, head)
	if err != nil {
		return err
	}
	reviews, err := s.store.Reviews(ctx, a.ID)
	if err != nil {
		return err
	}
	p := desk.ReviewPage{Links: links(a), Title: head.Title, Number: head.Number, Author: head.AuthorName,
		At: s.deskTime(c, head.CreatedAt), ChangeNote: head.ChangeNote, Status: head.Status.Label(), LiveNumber: live.Number,
		Changes: compareRevisions(live, head), Story: st, Form: form, RevisionID: head.ID, Reviews: s.reviewNotes(c, reviews)}
	if head.Number > 1 {
		p.ComparePrevious = urls.Compare(a.ID, head.Number-1, head.Number)
	}
	if err := workflow.Review(actorOf(c), head, head, workflow.Approve, ""); err != nil {
		p.Why = apperr.MessageOf(err)
	} else {
		p.Action = urls.Review(a.ID)
	}
	return renderPrivate(c, status, desk.Review(s.shell(c, "Review: "+head.Title, ""), p))
}

// reviewRevision records Approve or Request changes, with the comment.
func (s *Server) reviewRevision(c echo.Context) error {
	a, rev, err := s.workflowRequest(c)
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
		err = s.store.Review(c.Request().Context(), actorOf(c), a.ID, rev, d, strings.TrimSpace(c.FormValue("comment")))
	}
	if err == nil {
		msg := "Approved. It can now be published or scheduled."
		if d == workflow.RequestChanges {
			msg = "Changes requested. The author sees your comment on the article's page."
		}
		s.flash(c, msg)
		return c.Redirect(http.StatusSeeOther, urls.DeskArticle(a.ID))
	}
	switch code := apperr.CodeOf(err); code {
	case apperr.Invalid, apperr.Conflict, apperr.Forbidden:
		return s.renderReview(c, statusOf[code], a, formFrom(c, err, "comment"))
	}
	return err
}
