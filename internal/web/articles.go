package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/diff"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
	"github.com/quire-cms/quire/views/reader"
)

// articleFields are the form fields of an article, kept when a form comes back.
var articleFields = []string{"title", "slug", "dek", "body", "event_date", "reference_title", "reference_url", "attribution", "reading_minutes", "change_note"}

const deskPageSize = 25

// showArticles is the desk's article list: filter by state and "mine",
// find by title, paginated.
func (s *Server) showArticles(c echo.Context) error {
	me, _ := currentUser(c)
	n, err := pageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	f := store.DeskFilter{Query: c.QueryParam("q"), Limit: deskPageSize, Offset: (n - 1) * deskPageSize}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	if st := c.QueryParam("state"); st != "" {
		if !validDeskState(st) {
			return apperr.Errorf(apperr.NotFound, "There is no article state %q.", st)
		}
		f.State = article.DeskState(st)
	}
	mine := c.QueryParam("mine") == "1"
	if mine {
		f.AuthorID = me.ID
	}
	rows, total, err := s.store.DeskArticles(c.Request().Context(), f)
	if err != nil {
		return err
	}
	pages := max(1, (total+deskPageSize-1)/deskPageSize)
	if n > pages {
		return apperr.Errorf(apperr.NotFound, "The list has only %d page(s).", pages)
	}
	p := desk.ArticleList{State: string(f.State), Mine: mine, Query: f.Query, Total: total, Page: n, Pages: pages,
		NewHref: urls.NewArticle(), ListHref: urls.DeskArticles()}
	for _, st := range article.DeskStates {
		p.States = append(p.States, desk.Option{Value: string(st), Label: st.Label()})
	}
	for _, r := range rows {
		p.Rows = append(p.Rows, desk.ArticleRow{Href: urls.DeskArticle(r.Article.ID), Title: r.Title, State: r.State.Label(),
			StateKey: string(r.State), ChangedAt: s.deskTime(c, r.ChangedAt), ChangedBy: r.ChangedBy, HeadNumber: r.HeadNumber})
	}
	query := c.QueryParams()
	pageURL := func(k int) string {
		query.Set("page", strconv.Itoa(k))
		return urls.DeskArticles() + "?" + query.Encode()
	}
	if n > 1 {
		p.Prev = pageURL(n - 1)
	}
	if n < pages {
		p.Next = pageURL(n + 1)
	}
	return renderPrivate(c, http.StatusOK, desk.Articles(s.shell(c, "Articles", urls.DeskArticles()), p))
}

func validDeskState(st string) bool {
	for _, s := range article.DeskStates {
		if string(s) == st {
			return true
		}
	}
	return false
}

// showNewArticle renders an empty article form.
func (s *Server) showNewArticle(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := s.store.Network(ctx)
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{"attribution": n.Attribution}}
	return s.renderArticleForm(c, http.StatusOK, 0, 0, form, nil, nil, nil)
}

// renderArticleForm renders the New article (articleID 0) or Edit form.
func (s *Server) renderArticleForm(c echo.Context, status int, articleID int64, base int, form desk.Form, cats, subs []int64, conflict *desk.Conflict) error {
	ctx := c.Request().Context()
	allCats, err := s.store.Categories(ctx)
	if err != nil {
		return err
	}
	allSubs, err := s.store.Subjects(ctx)
	if err != nil {
		return err
	}
	p := desk.ArticleForm{Form: form, Base: base, Conflict: conflict,
		Heading: "New article", Action: urls.DeskArticles(), Cancel: urls.DeskArticles()}
	if articleID != 0 {
		p.Heading, p.Action, p.Cancel = "Edit: "+form.Value("title"), urls.EditArticle(articleID), urls.DeskArticle(articleID)
		sched, ok, err := s.store.PendingSchedule(ctx, articleID)
		if err != nil {
			return err
		}
		if ok {
			p.Scheduled = "Revision " + strconv.Itoa(sched.RevisionNumber) + " is scheduled to go live at " + s.deskTime(c, sched.PublishAt) +
				". Saving a new revision cancels that schedule: the new revision needs its own approval."
		}
	}
	for _, cat := range allCats {
		p.Categories = append(p.Categories, desk.Choice{ID: cat.ID, Label: cat.Name, Checked: slices.Contains(cats, cat.ID)})
	}
	for _, sub := range allSubs {
		p.Subjects = append(p.Subjects, desk.Choice{ID: sub.ID, Label: sub.Name, Checked: slices.Contains(subs, sub.ID)})
	}
	// Checked boxes come first, in the revision's order: a form posts them
	// in page order, so saving keeps the order readers see.
	p.Categories, p.Subjects = chosenFirst(p.Categories, cats), chosenFirst(p.Subjects, subs)
	title := p.Heading
	current := urls.NewArticle()
	if articleID != 0 {
		current = urls.EditArticle(articleID)
	}
	return renderPrivate(c, status, desk.EditArticle(s.shell(c, title, current), p))
}

func chosenFirst(choices []desk.Choice, order []int64) []desk.Choice {
	rank := func(id int64) int {
		if i := slices.Index(order, id); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(choices, func(a, b desk.Choice) int { return rank(a.ID) - rank(b.ID) })
	return choices
}

// draftFromForm reads the article form. Unparsable category or subject ids
// are reported against their field.
func draftFromForm(c echo.Context) (article.Draft, error) {
	d := article.Draft{
		Title: c.FormValue("title"), Slug: c.FormValue("slug"), Dek: c.FormValue("dek"), Body: c.FormValue("body"),
		EventDate: c.FormValue("event_date"), ReferenceTitle: c.FormValue("reference_title"),
		ReferenceURL: c.FormValue("reference_url"), Attribution: c.FormValue("attribution"),
		ReadingMinutes: c.FormValue("reading_minutes"), ChangeNote: c.FormValue("change_note"),
	}
	v := apperr.Validation{}
	var err error
	if d.CategoryIDs, err = formIDs(c, "categories"); err != nil {
		v.Add(article.FieldCategories, "Choose categories from the list.")
	}
	if d.SubjectIDs, err = formIDs(c, "subjects"); err != nil {
		v.Add(article.FieldSubjects, "Choose subjects from the list.")
	}
	return d, v.Err()
}

func formIDs(c echo.Context, name string) ([]int64, error) {
	params, err := c.FormParams()
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, raw := range params[name] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return nil, errors.New("bad id")
		}
		out = append(out, id)
	}
	return out, nil
}

// prepare validates and renders a submitted draft.
func (s *Server) prepare(c echo.Context) (article.Revision, article.Draft, error) {
	d, err := draftFromForm(c)
	if err != nil {
		return article.Revision{}, d, err
	}
	n, err := s.store.Network(c.Request().Context())
	if err != nil {
		return article.Revision{}, d, err
	}
	rev, err := article.Prepare(d, s.markup, n.WordsPerMinute)
	return rev, d, err
}

// createArticle saves the first revision of a new article.
func (s *Server) createArticle(c echo.Context) error {
	me, _ := currentUser(c)
	rev, d, err := s.prepare(c)
	if err == nil {
		var a article.Article
		a, _, err = s.store.CreateArticle(c.Request().Context(), me.ID, rev)
		if err == nil {
			s.flash(c, "Saved revision 1 as a draft.")
			return c.Redirect(http.StatusSeeOther, urls.DeskArticle(a.ID))
		}
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderArticleForm(c, http.StatusUnprocessableEntity, 0, 0, formFrom(c, err, articleFields...), d.CategoryIDs, d.SubjectIDs, nil)
	}
	return err
}

// deskArticle loads the article named in the path.
func (s *Server) deskArticle(c echo.Context) (article.Article, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return article.Article{}, apperr.Errorf(apperr.NotFound, "There is no such article.")
	}
	return s.store.ArticleByID(c.Request().Context(), id)
}

func (s *Server) head(c echo.Context, a article.Article) (article.Revision, error) {
	revs, err := s.store.Revisions(c.Request().Context(), a.ID)
	if err != nil {
		return article.Revision{}, err
	}
	if len(revs) == 0 {
		return article.Revision{}, apperr.Errorf(apperr.NotFound, "This article has no revisions.")
	}
	return s.store.RevisionByNumber(c.Request().Context(), a.ID, revs[0].Number)
}

func links(a article.Article) desk.ArticleLinks {
	l := desk.ArticleLinks{Overview: urls.DeskArticle(a.ID), Edit: urls.EditArticle(a.ID), History: urls.History(a.ID),
		Preview: urls.Preview(a.ID), Audit: urls.Audit(a.ID)}
	if a.State == article.Live {
		l.Public = urls.Article(a.Slug)
	}
	return l
}

// showEditArticle renders the form filled from the newest revision.
func (s *Server) showEditArticle(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	head, err := s.head(c, a)
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: revisionValues(head)}
	return s.renderArticleForm(c, http.StatusOK, a.ID, head.Number, form, categoryIDs(head), subjectIDs(head), nil)
}

func revisionValues(r article.Revision) map[string]string {
	v := map[string]string{
		"title": r.Title, "slug": r.Slug, "dek": r.Dek, "body": r.BodyMarkdown,
		"reference_title": r.Reference.Title, "reference_url": r.Reference.URL, "attribution": r.Attribution,
	}
	if !r.EventDate.IsZero() {
		v["event_date"] = r.EventDate.Format(article.DateLayout)
	}
	if r.ReadingMinutesOverride > 0 {
		v["reading_minutes"] = strconv.Itoa(r.ReadingMinutesOverride)
	}
	return v
}

func categoryIDs(r article.Revision) []int64 {
	out := make([]int64, len(r.Categories))
	for i, c := range r.Categories {
		out[i] = c.ID
	}
	return out
}

func subjectIDs(r article.Revision) []int64 {
	out := make([]int64, len(r.Subjects))
	for i, s := range r.Subjects {
		out[i] = s.ID
	}
	return out
}

// saveArticle saves a new revision on top of the one the form was opened
// on. If someone saved in between, the editor gets the conflict page with
// their own text intact and can save on top of the newest revision.
func (s *Server) saveArticle(c echo.Context) error {
	me, _ := currentUser(c)
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.FormValue("base"))
	if err != nil || base < 1 {
		return apperr.Errorf(apperr.Invalid, "The form does not say which revision it was opened on; reload the edit page.")
	}
	rev, d, err := s.prepare(c)
	if err == nil {
		var scheduled bool
		if _, scheduled, err = s.store.PendingSchedule(c.Request().Context(), a.ID); err != nil {
			return err
		}
		var saved article.Revision
		saved, err = s.store.SaveRevision(c.Request().Context(), me.ID, a.ID, base, rev)
		if err == nil {
			msg := "Saved revision " + strconv.Itoa(saved.Number) + " as a draft."
			if scheduled {
				msg += " The pending schedule was cancelled; submit this revision for review to publish it."
			}
			s.flash(c, msg)
			return c.Redirect(http.StatusSeeOther, urls.DeskArticle(a.ID))
		}
	}
	form := formFrom(c, err, articleFields...)
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		mine, err := s.store.RevisionByNumber(c.Request().Context(), a.ID, base)
		if err != nil {
			return err
		}
		cf := &desk.Conflict{HeadNumber: conflict.Head.Number, HeadAuthor: s.authorOf(c, conflict.Head), HeadAt: s.deskTime(c, conflict.Head.CreatedAt),
			Changes: compareRevisions(mine, conflict.Head)}
		form.Message = ""
		return s.renderArticleForm(c, http.StatusConflict, a.ID, conflict.Head.Number, form, d.CategoryIDs, d.SubjectIDs, cf)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderArticleForm(c, http.StatusUnprocessableEntity, a.ID, base, form, d.CategoryIDs, d.SubjectIDs, nil)
	}
	return err
}

func (s *Server) authorOf(c echo.Context, r article.Revision) string {
	full, err := s.store.RevisionByNumber(c.Request().Context(), r.ArticleID, r.Number)
	if err != nil {
		return "someone"
	}
	return full.AuthorName
}

// compareRevisions diffs every field a reader sees, word by word.
func compareRevisions(a, b article.Revision) []desk.FieldDiff {
	date := func(r article.Revision) string {
		if r.EventDate.IsZero() {
			return ""
		}
		return r.EventDate.Format(article.DateLayout)
	}
	names := func(r article.Revision, cats bool) string {
		var out []string
		if cats {
			for _, c := range r.Categories {
				out = append(out, c.Name)
			}
		} else {
			for _, s := range r.Subjects {
				out = append(out, s.Name)
			}
		}
		return strings.Join(out, ", ")
	}
	fields := []struct{ label, a, b string }{
		{"Title", a.Title, b.Title},
		{"Slug", a.Slug, b.Slug},
		{"Dek", a.Dek, b.Dek},
		{"Body", a.BodyMarkdown, b.BodyMarkdown},
		{"Categories", names(a, true), names(b, true)},
		{"Subjects", names(a, false), names(b, false)},
		{"Event date", date(a), date(b)},
		{"Primary reference title", a.Reference.Title, b.Reference.Title},
		{"Primary reference URL", a.Reference.URL, b.Reference.URL},
		{"Attribution", a.Attribution, b.Attribution},
		{"Reading time", strconv.Itoa(a.ReadingMinutes) + " min", strconv.Itoa(b.ReadingMinutes) + " min"},
	}
	out := make([]desk.FieldDiff, len(fields))
	for i, f := range fields {
		spans := diff.Words(f.a, f.b)
		out[i] = desk.FieldDiff{Label: f.label, Changed: diff.Changed(spans)}
		for _, sp := range spans {
			kind := "eq"
			switch sp.Kind {
			case diff.Insert:
				kind = "ins"
			case diff.Delete:
				kind = "del"
			}
			out[i].Spans = append(out[i].Spans, desk.Span{Kind: kind, Text: sp.Text})
		}
	}
	return out
}

// story turns a revision into what readers would see, for previews.
func (s *Server) story(c echo.Context, a article.Article, r article.Revision) (reader.ArticlePage, error) {
	rc, err := s.loadReader(c, "")
	if err != nil {
		return reader.ArticlePage{}, err
	}
	p := rc.articlePage(article.Published{Article: a, Revision: r})
	if a.PublishedAt.IsZero() {
		p.Published = reader.Date{Text: "not yet published"}
		p.Updated = reader.Date{Text: "not yet published"}
	}
	return p, nil
}

// showPreview renders the newest revision with the reader's components.
func (s *Server) showPreview(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	head, err := s.head(c, a)
	if err != nil {
		return err
	}
	st, err := s.story(c, a, head)
	if err != nil {
		return err
	}
	return renderPrivate(c, http.StatusOK, desk.Preview(s.shell(c, "Preview: "+head.Title, ""), links(a), head.Number, st))
}

// showHistory lists every revision.
func (s *Server) showHistory(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(c.Request().Context(), a.ID)
	if err != nil {
		return err
	}
	p := desk.History{Links: links(a), Title: revs[0].Title, CompareTo: urls.CompareForm(a.ID), To: revs[0].Number, From: revs[0].Number}
	if len(revs) > 1 {
		p.From = revs[1].Number
	}
	for _, r := range revs {
		p.Rows = append(p.Rows, desk.RevisionRow{Number: r.Number, Href: urls.Revision(a.ID, r.Number), Author: r.AuthorName,
			At: s.deskTime(c, r.CreatedAt), ChangeNote: r.ChangeNote, Status: r.Status.Label(),
			IsHead: r.ID == a.HeadRevisionID, IsLive: r.ID == a.LiveRevisionID && a.State == article.Live})
	}
	return renderPrivate(c, http.StatusOK, desk.HistoryPage(s.shell(c, "History", ""), p))
}

func revisionNumber(raw string) (int, error) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, apperr.Errorf(apperr.NotFound, "This article has no revision %q.", raw)
	}
	return n, nil
}

// showRevision renders one revision as readers would see it.
func (s *Server) showRevision(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	n, err := revisionNumber(c.Param("n"))
	if err != nil {
		return err
	}
	r, err := s.store.RevisionByNumber(c.Request().Context(), a.ID, n)
	if err != nil {
		return err
	}
	head, err := s.head(c, a)
	if err != nil {
		return err
	}
	st, err := s.story(c, a, r)
	if err != nil {
		return err
	}
	p := desk.RevisionPage{Links: links(a), Number: r.Number, Author: r.AuthorName, At: s.deskTime(c, r.CreatedAt), ChangeNote: r.ChangeNote,
		Status: r.Status.Label(), IsHead: r.Number == head.Number, RestoreAction: urls.Restore(a.ID, r.Number), Base: head.Number,
		CSRF: csrfToken(c), Story: st}
	return renderPrivate(c, http.StatusOK, desk.Revision(s.shell(c, "Revision "+strconv.Itoa(n), ""), p))
}

// restoreRevision copies an old revision into a new draft.
func (s *Server) restoreRevision(c echo.Context) error {
	me, _ := currentUser(c)
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	n, err := revisionNumber(c.Param("n"))
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.FormValue("base"))
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "The form does not say which revision is the newest; reload the page.")
	}
	saved, err := s.store.Restore(c.Request().Context(), me.ID, a.ID, base, n)
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		return apperr.Errorf(apperr.Conflict, "Revision %d was saved while you were looking; nothing was restored. Look at the history again and restore if you still want to.", conflict.Head.Number)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Restored revision "+strconv.Itoa(n)+" as new draft revision "+strconv.Itoa(saved.Number)+".")
	return c.Redirect(http.StatusSeeOther, urls.History(a.ID))
}

// showCompare diffs two revisions field by field.
func (s *Server) showCompare(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	from, err := revisionNumber(c.QueryParam("from"))
	if err != nil {
		return err
	}
	to, err := revisionNumber(c.QueryParam("to"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ra, err := s.store.RevisionByNumber(ctx, a.ID, from)
	if err != nil {
		return err
	}
	rb, err := s.store.RevisionByNumber(ctx, a.ID, to)
	if err != nil {
		return err
	}
	fields := compareRevisions(ra, rb)
	p := desk.Comparison{Links: links(a), Title: rb.Title, From: from, To: to, Fields: fields}
	return renderPrivate(c, http.StatusOK, desk.Compare(s.shell(c, "Compare revisions", ""), p))
}

// showAudit is an article's audit log.
func (s *Server) showAudit(c echo.Context) error {
	a, err := s.deskArticle(c)
	if err != nil {
		return err
	}
	events, err := s.store.ArticleAudit(c.Request().Context(), a.ID)
	if err != nil {
		return err
	}
	head, err := s.head(c, a)
	if err != nil {
		return err
	}
	p := desk.AuditLog{Links: links(a), Title: head.Title, Rows: s.auditRows(c, events)}
	return renderPrivate(c, http.StatusOK, desk.Audit(s.shell(c, "Audit log", ""), p))
}

func (s *Server) auditRows(c echo.Context, events []store.AuditEvent) []desk.AuditRow {
	out := make([]desk.AuditRow, len(events))
	for i, e := range events {
		out[i] = desk.AuditRow{At: s.deskTime(c, e.At), Actor: e.Actor, Action: auditLabel(e.Action), Revision: e.RevisionNumber,
			Detail: e.Detail, ArticleTitle: e.ArticleTitle}
		if e.ArticleID != 0 {
			out[i].ArticleHref = urls.Audit(e.ArticleID)
		}
	}
	return out
}

var auditLabels = map[string]string{
	store.ActionCreated:           "Created the article",
	store.ActionSaved:             "Saved a revision",
	store.ActionRestored:          "Restored a revision",
	store.ActionSubmitted:         "Submitted for review",
	store.ActionApproved:          "Approved",
	store.ActionChangesRequested:  "Requested changes",
	store.ActionPublished:         "Published",
	store.ActionScheduled:         "Scheduled",
	store.ActionScheduleCancelled: "Cancelled the schedule",
	store.ActionUnpublished:       "Unpublished",
	store.ActionSettingsSaved:     "Saved the network settings",
}

func auditLabel(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	return action
}
