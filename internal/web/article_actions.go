package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/internal/workflow"
	"github.com/quire-cms/quire/views/desk"
)

// publishAtLayouts are what a datetime-local control sends, with and
// without seconds.
var publishAtLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

// actorOf is the logged-in user as the workflow sees them.
func actorOf(c echo.Context) workflow.Actor {
	me, _ := currentUser(c)
	return workflow.Actor{ID: me.ID, Role: me.Role}
}

// workflowRequest reads the article in the path and the revision id the
// form names. The use case checks that the revision belongs to the article.
func workflowRequest(c echo.Context) (int64, int64, error) {
	id, err := deskArticleID(c)
	if err != nil {
		return 0, 0, err
	}
	rev, err := strconv.ParseInt(c.FormValue("revision"), 10, 64)
	if err != nil || rev <= 0 {
		return id, 0, apperr.Errorf(apperr.Invalid, "The form does not say which revision it is about; reload the page and try again.")
	}
	return id, rev, nil
}

// showDeskArticle is an article's overview in the desk.
func (s *Server) showDeskArticle(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	return s.renderOverview(c, http.StatusOK, id, desk.Form{CSRF: csrfToken(c)})
}

// publishChoices fills in the publish form's kinds of change and, on a
// fresh form, the change note of the revision about to go live, which is
// what readers are told unless the editor says otherwise.
func publishChoices(form *desk.Form, head article.Revision) {
	if form.Values == nil {
		form.Values = map[string]string{article.FieldChangeNote: head.ChangeNote}
	}
	kinds := make([]desk.Choice, len(article.ChangeKinds))
	for i, k := range article.ChangeKinds {
		kinds[i] = desk.Choice{Value: string(k), Label: k.Label(), Checked: form.Values[workflow.FieldKind] == string(k)}
	}
	form.Choices = map[string][]desk.Choice{workflow.FieldKind: kinds}
}

// renderOverview shows where an article stands and offers exactly the
// workflow steps the rules allow this user now.
func (s *Server) renderOverview(c echo.Context, status int, id int64, form desk.Form) error {
	v, err := s.pub.View(c.Request().Context(), id, article.DeskParts{Reviews: true})
	if err != nil {
		return err
	}
	a, head := v.Article, v.Head
	publishChoices(&form, head)
	state := article.StateOf(a, head.Status)
	steps := publishing.StepsFor(actorOf(c), v)
	p := desk.ArticleOverview{Links: links(a), Title: head.Title, State: state.Label(), StateKey: string(state),
		HeadNumber: head.Number, HeadStatus: head.Status.Label(), HeadAuthor: head.AuthorName, LiveNumber: v.Live.Number,
		Published: s.deskTimeOr(c, a.PublishedAt, "Not yet"), Updated: s.deskTimeOr(c, a.UpdatedAt, "Not yet"),
		Reviews: s.reviewNotes(c, v.Reviews),
		Actions: desk.Actions{Form: form, RevisionID: head.ID, Number: head.Number, FirstTime: a.PublishedAt.IsZero(),
			TimeZone: s.zone(c).String(), Why: steps.Why}}
	set := func(open bool, href string) string {
		if open {
			return href
		}
		return ""
	}
	act := &p.Actions
	act.Submit, act.Review = set(steps.Submit, urls.Submit(id)), set(steps.Review, urls.Review(id))
	act.Publish, act.Schedule = set(steps.Publish, urls.Publish(id)), set(steps.Schedule, urls.Schedule(id))
	act.Cancel, act.Unpublish = set(steps.CancelSchedule, urls.CancelSchedule(id)), set(steps.Unpublish, urls.Unpublish(id))
	if v.HasFailed {
		p.Failed = &desk.FailedNote{Number: v.Failed.RevisionNumber, At: s.deskTime(c, v.Failed.PublishAt), Reason: v.Failed.Failure}
	}
	if v.HasSchedule {
		p.Schedule = &desk.ScheduleNote{Number: v.Schedule.RevisionNumber, At: s.deskTime(c, v.Schedule.PublishAt), By: v.Schedule.ScheduledBy,
			Minor: v.Schedule.Change.Minor, Kind: v.Schedule.Change.Kind.Label(), Note: v.Schedule.Change.Note}
	}
	return renderPrivate(c, status, desk.Overview(s.shell(c, head.Title, ""), p))
}

func (s *Server) reviewNotes(c echo.Context, reviews []article.Review) []desk.ReviewNote {
	out := make([]desk.ReviewNote, len(reviews))
	for i, r := range reviews {
		out[i] = desk.ReviewNote{Number: r.RevisionNumber, Reviewer: r.ReviewerName, Approved: r.Approved, Comment: r.Comment, At: s.deskTime(c, r.At)}
	}
	return out
}

// afterAction answers a workflow POST: back to the overview with a note on
// success; on a refusal the overview again, read afresh (the refused action
// may have raced with another change), saying why, with what the user
// typed kept.
func (s *Server) afterAction(c echo.Context, id int64, err error, done string) error {
	if err == nil {
		s.flash(c, done)
		return c.Redirect(http.StatusSeeOther, urls.DeskArticle(id))
	}
	switch code := apperr.CodeOf(err); code {
	case apperr.Invalid, apperr.Conflict, apperr.Forbidden:
		return s.renderOverview(c, statusOf[code], id, formFrom(c, err, desk.PublishFields))
	}
	return err
}

// submitRevision puts the newest revision in the review queue.
func (s *Server) submitRevision(c echo.Context) error {
	id, rev, err := workflowRequest(c)
	if err == nil {
		err = s.pub.Submit(c.Request().Context(), actorOf(c), id, rev)
	}
	return s.afterAction(c, id, err, "Submitted for review. A reviewer will approve it or ask for changes.")
}

// publishRevision makes the approved revision live now.
func (s *Server) publishRevision(c echo.Context) error {
	id, rev, err := workflowRequest(c)
	var pub article.Article
	var ch article.Change
	if err == nil {
		ch, err = changeFrom(c)
	}
	if err == nil {
		pub, err = s.pub.Publish(c.Request().Context(), actorOf(c), id, rev, ch, s.now())
	}
	return s.afterAction(c, id, err, "Published. Readers see it now at "+urls.Article(pub.Slug)+".")
}

// changeFrom reads how the publication presents itself to readers.
func changeFrom(c echo.Context) (article.Change, error) {
	kind, ok := article.ParseChangeKind(c.FormValue(workflow.FieldKind))
	if !ok {
		return article.Change{}, apperr.Field(workflow.FieldKind, "Choose one of the kinds of change listed.")
	}
	// The form shows the note prefilled: one the editor cleared stays empty.
	_, typed := c.Request().Form[article.FieldChangeNote]
	return article.Change{Minor: c.FormValue(workflow.FieldMinor) == "1", Kind: kind, Note: c.FormValue(article.FieldChangeNote), Typed: typed}, nil
}

// scheduleRevision sets the approved revision to go live at Publish at,
// read in the network's time zone.
func (s *Server) scheduleRevision(c echo.Context) error {
	id, rev, err := workflowRequest(c)
	var at time.Time
	var ch article.Change
	if err == nil {
		at, err = s.publishAt(c)
	}
	if err == nil {
		ch, err = changeFrom(c)
	}
	if err == nil {
		err = s.pub.Schedule(c.Request().Context(), actorOf(c), id, rev, ch, at)
	}
	return s.afterAction(c, id, err, "Scheduled: it goes live at "+s.deskTime(c, at)+".")
}

func (s *Server) publishAt(c echo.Context) (time.Time, error) {
	raw := strings.TrimSpace(c.FormValue(workflow.FieldPublishAt))
	for _, layout := range publishAtLayouts {
		if at, err := time.ParseInLocation(layout, raw, s.zone(c)); err == nil {
			return at, nil
		}
	}
	msg := "Enter the date and time it should go live."
	if raw != "" {
		msg = "Enter a date and time such as 2026-12-01T09:00."
	}
	return time.Time{}, apperr.Field(workflow.FieldPublishAt, msg)
}

// cancelSchedule cancels the pending scheduled publication.
func (s *Server) cancelSchedule(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	cancelled, err := s.pub.CancelSchedule(c.Request().Context(), actorOf(c), id)
	if err == nil && !cancelled {
		err = apperr.Errorf(apperr.Conflict, "Nothing is scheduled for this article any more.")
	}
	return s.afterAction(c, id, err, "Schedule cancelled. Nothing goes live until someone publishes or schedules again.")
}

// unpublishArticle takes the live article down.
func (s *Server) unpublishArticle(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	err = s.pub.Unpublish(c.Request().Context(), actorOf(c), id, s.now())
	return s.afterAction(c, id, err, "Unpublished. Readers are told it was withdrawn; Publish brings it back.")
}
