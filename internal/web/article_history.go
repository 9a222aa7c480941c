package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/diff"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
	"github.com/quire-cms/quire/views/reader"
)

// showHistory lists every revision.
func (s *Server) showHistory(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	v, revs, err := s.pub.History(c.Request().Context(), id)
	if err != nil {
		return err
	}
	a := v.Article
	p := desk.History{Links: links(a), Title: v.Head.Title, CompareTo: urls.CompareForm(a.ID), To: v.Head.Number, From: v.Head.Number}
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
		return 0, apperr.Errorf(apperr.NotFound, "This article has no such revision.")
	}
	return n, nil
}

// showRevision renders one revision as readers would see it.
func (s *Server) showRevision(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	n, err := revisionNumber(c.Param("n"))
	if err != nil {
		return err
	}
	v, revs, err := s.pub.Revisions(c.Request().Context(), id, n)
	if err != nil {
		return err
	}
	r := revs[0]
	st, err := s.story(c, v.Article, r)
	if err != nil {
		return err
	}
	p := desk.RevisionPage{Links: links(v.Article), Number: r.Number, Author: r.AuthorName, At: s.deskTime(c, r.CreatedAt), ChangeNote: r.ChangeNote,
		Status: r.Status.Label(), IsHead: r.ID == v.Head.ID, RestoreAction: urls.Restore(id, r.Number), Base: v.Head.Number,
		CSRF: csrfToken(c), Story: st}
	return renderPrivate(c, http.StatusOK, desk.Revision(s.shell(c, "Revision "+strconv.Itoa(n), ""), p))
}

// restoreRevision copies an old revision into a new draft.
func (s *Server) restoreRevision(c echo.Context) error {
	id, err := deskArticleID(c)
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
	saved, err := s.pub.Restore(c.Request().Context(), actorOf(c), id, base, n)
	var conflict *publishing.ConflictError
	if errors.As(err, &conflict) {
		return apperr.Errorf(apperr.Conflict, "Revision %d was saved while you were looking; nothing was restored. Look at the history again and restore if you still want to.", conflict.Head.Number)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Restored revision "+strconv.Itoa(n)+" as new draft revision "+strconv.Itoa(saved.Revision.Number)+".")
	return c.Redirect(http.StatusSeeOther, urls.History(id))
}

// showCompare diffs two revisions field by field.
func (s *Server) showCompare(c echo.Context) error {
	id, err := deskArticleID(c)
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
	v, revs, err := s.pub.Revisions(c.Request().Context(), id, from, to)
	if err != nil {
		return err
	}
	p := desk.Comparison{Links: links(v.Article), Title: revs[1].Title, From: from, To: to, Fields: s.withThumbs(c.Request().Context(), compareRevisions(revs[0], revs[1]))}
	return renderPrivate(c, http.StatusOK, desk.Compare(s.shell(c, "Compare revisions", ""), p))
}

// showPreview renders the newest revision with the reader's components.
func (s *Server) showPreview(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	v, err := s.pub.View(c.Request().Context(), id, article.DeskParts{HeadBody: true, Taxonomy: true})
	if err != nil {
		return err
	}
	st, err := s.story(c, v.Article, v.Head)
	if err != nil {
		return err
	}
	return renderPrivate(c, http.StatusOK, desk.Preview(s.shell(c, "Preview: "+v.Head.Title, ""), links(v.Article), v.Head.Number, st))
}

// story turns a revision into what readers would see, for previews.
func (s *Server) story(c echo.Context, a article.Article, r article.Revision) (reader.ArticlePage, error) {
	rc, err := s.loadReader(c, "")
	if err != nil {
		return reader.ArticlePage{}, err
	}
	p := rc.articlePage(article.Published{Article: a, Revision: r})
	if _, err := s.illustrated(c.Request().Context(), &p, r); err != nil {
		return reader.ArticlePage{}, err
	}
	if a.PublishedAt.IsZero() {
		p.Published = reader.Date{Text: "not yet published"}
		p.Updated = reader.Date{Text: "not yet published"}
	}
	return p, nil
}

// compareRevisions diffs every field a reader sees, word by word, the body
// as written in Markdown: for the desk.
func compareRevisions(a, b article.Revision) []reader.FieldDiff {
	return compareFields(a, b, a.BodyMarkdown, b.BodyMarkdown)
}

// comparePublished diffs what readers were shown, the body as the text
// they read: the Markdown may hold what never reached them, such as an
// HTML comment.
func comparePublished(a, b article.Revision) []reader.FieldDiff {
	return compareFields(a, b, a.BodyText, b.BodyText)
}

func compareFields(a, b article.Revision, bodyA, bodyB string) []reader.FieldDiff {
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
	// Each field is named as the form names it.
	fields := []struct{ name, a, b string }{
		{article.FieldTitle, a.Title, b.Title},
		{article.FieldSlug, a.Slug, b.Slug},
		{article.FieldDek, a.Dek, b.Dek},
		{article.FieldBody, bodyA, bodyB},
		{article.FieldCategories, names(a, true), names(b, true)},
		{article.FieldSubjects, names(a, false), names(b, false)},
		{article.FieldEventDate, date(a), date(b)},
		{article.FieldReferenceTitle, a.Reference.Title, b.Reference.Title},
		{article.FieldReferenceURL, a.Reference.URL, b.Reference.URL},
		{article.FieldAttribution, a.Attribution, b.Attribution},
		{article.FieldLeadImage, leadName(a.Lead), leadName(b.Lead)},
		{article.FieldLeadAlt, a.Lead.Alt, b.Lead.Alt},
		{article.FieldLeadCaption, a.Lead.Caption, b.Lead.Caption},
		{article.FieldLeadCredit, a.Lead.Credit, b.Lead.Credit},
		{leadSourceURL, a.Lead.SourceURL, b.Lead.SourceURL},
		{leadLicence, a.Lead.Licence, b.Lead.Licence},
		{article.FieldCredits, article.CreditsText(a.Credits), article.CreditsText(b.Credits)},
		{article.FieldReadingMinutes, strconv.Itoa(a.ReadingMinutes) + " min", strconv.Itoa(b.ReadingMinutes) + " min"},
	}
	out := make([]reader.FieldDiff, len(fields))
	for i, f := range fields {
		spans := diff.Words(f.a, f.b)
		out[i] = reader.FieldDiff{Label: fieldLabel(f.name), Changed: diff.Changed(spans)}
		if f.name == article.FieldLeadImage {
			out[i].Label = "Lead image changed"
			out[i].Images = [2]int64{a.Lead.MediaID, b.Lead.MediaID}
		} else if strings.HasPrefix(f.name, "lead_") {
			out[i].Label = "Lead image: " + out[i].Label
		}
		for _, sp := range spans {
			kind := "eq"
			switch sp.Kind {
			case diff.Insert:
				kind = "ins"
			case diff.Delete:
				kind = "del"
			}
			out[i].Spans = append(out[i].Spans, reader.Span{Kind: kind, Text: sp.Text})
		}
	}
	return out
}

// leadName is a lead image as a comparison names it.
func leadName(l article.Lead) string {
	if l.MediaID == 0 {
		return "None"
	}
	return "Image " + strconv.FormatInt(l.MediaID, 10)
}

// The lead image's source and licence, which a revision keeps from the
// library and the form does not show.
const (
	leadSourceURL = "lead_source_url"
	leadLicence   = "lead_licence"
)

// fieldLabel names a compared field as the form does.
func fieldLabel(name string) string {
	switch name {
	case leadSourceURL:
		return "Source URL"
	case leadLicence:
		return "Licence"
	}
	return desk.ArticleFields.Get(name).Label
}
