package web

import (
	"cmp"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// showNewArticle renders an empty article form, attributed to the network.
func (s *Server) showNewArticle(c echo.Context) error {
	m, err := s.site(c)
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{article.FieldAttribution: m.net.Attribution}}
	kept, err := s.pub.ScratchSince(c.Request().Context(), actorOf(c), 0)
	if err != nil {
		return err
	}
	return s.renderArticleForm(c, http.StatusOK, 0, 0, form, picked{}, formNotes{kept: kept})
}

// showEditArticle renders the form filled from the newest revision.
func (s *Server) showEditArticle(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	v, t, err := s.pub.Editing(c.Request().Context(), id)
	if err != nil {
		return err
	}
	kept, err := s.pub.ScratchSince(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: revisionValues(v.Head)}
	return s.articleForm(c, http.StatusOK, v, t, form, pickedIn(v.Head), formNotes{kept: kept})
}

// picked is what the form has chosen: categories and subjects in their
// order, and the credits' rows as typed.
type picked struct {
	cats, subs []int64
	credits    []article.CreditInput
}

func pickedIn(r article.Revision) picked {
	p := picked{cats: r.CategoryIDs(), subs: r.SubjectIDs()}
	for _, c := range r.Credits {
		p.credits = append(p.credits, article.CreditInput{ContributorID: strconv.FormatInt(c.Contributor.ID, 10), Role: string(c.Role)})
	}
	return p
}

func pickedFrom(d article.Draft) picked {
	return picked{cats: d.CategoryIDs, subs: d.SubjectIDs, credits: d.Credits}
}

// renderArticleForm reads what the New article (articleID 0) or Edit form
// offers and renders it.
func (s *Server) renderArticleForm(c echo.Context, status int, articleID int64, base int, form desk.Form, chosen picked, notes formNotes) error {
	v, t, err := s.pub.Editing(c.Request().Context(), articleID)
	if err != nil {
		return err
	}
	v.Head.Number = base
	return s.articleForm(c, status, v, t, form, chosen, notes)
}

// spareCredits is how many empty credit rows the form offers: adding a
// credit needs no script, only a row to fill in.
const spareCredits = 3

// formNotes are what an article form says above its fields when it comes
// back: a conflict, or why what it holds is not saved yet.
type formNotes struct {
	conflict *desk.Conflict
	unsaved  string
	kept     time.Time // when the editor's scratch copy was kept; zero for none
}

// articleForm renders the form for v (a new article when v has no id),
// with the choices in chosen made, in their order.
func (s *Server) articleForm(c echo.Context, status int, v article.DeskView, t article.Taxonomy, form desk.Form, chosen picked, notes formNotes) error {
	id := v.Article.ID
	p := desk.ArticleForm{Form: form, Base: v.Head.Number, Conflict: notes.conflict, Unsaved: notes.unsaved,
		Heading: "New article", Action: urls.DeskArticles(), Cancel: urls.DeskArticles(),
		MaxUploadMB: int(s.cfg.MaxUploadBytes >> 20),
		Script: desk.FormScript{Scratch: urls.Scratch(id), Preview: urls.LivePreview(), AddressPrefix: urls.Article(""),
			Unkept: notes.unsaved != "" || notes.conflict != nil || status >= http.StatusBadRequest}}
	if !notes.kept.IsZero() {
		p.Kept, p.RestoreKept, p.DiscardKept = s.deskTime(c, notes.kept), urls.Scratch(id)+urls.RestoreScratchSuffix, urls.Scratch(id)+urls.DiscardScratchSuffix
	}
	current := urls.NewArticle()
	if id != 0 {
		p.Heading, p.Action, p.Cancel = "Edit: "+form.Value(article.FieldTitle), urls.EditArticle(id), urls.DeskArticle(id)
		p.Script.Presence, p.Script.Leave = urls.Presence(id), urls.Leave(id)
		if !v.Article.PublishedAt.IsZero() {
			p.Script.PublishedSlug = v.Article.Slug
		}
		current = urls.EditArticle(id)
		if v.HasSchedule {
			p.Scheduled = "Revision " + strconv.Itoa(v.Schedule.RevisionNumber) + " is scheduled to go live at " + s.deskTime(c, v.Schedule.PublishAt) +
				". Saving a new revision cancels that schedule: the new revision needs its own approval."
		}
	}
	p.Form.Choices = map[string][]desk.Choice{
		article.FieldCategories: checked(t.Categories, chosen.cats, func(c article.Category) (int64, string) { return c.ID, c.Name }),
		article.FieldSubjects:   checked(t.Subjects, chosen.subs, func(s article.Subject) (int64, string) { return s.ID, s.Name }),
	}
	p.Form.Credits = creditRows(t.Contributors, chosen.credits)
	leads, err := s.pub.LeadChoices(c.Request().Context(), form.Value(article.FieldLeadImage))
	if err != nil {
		return err
	}
	p.Form.Choices[article.FieldLeadImage] = leadChoices(leads, form.Value(article.FieldLeadImage))
	return renderPrivate(c, status, desk.EditArticle(s.shell(c, p.Heading, current), p))
}

// creditRows are the form's credit rows: those chosen, then spare empty
// ones. A hidden contributor is offered only to the rows that credit them
// already, marked so, and the rules refuse the save until they go.
func creditRows(people []article.Contributor, chosen []article.CreditInput) []desk.CreditRow {
	rows := make([]desk.CreditRow, 0, len(chosen)+spareCredits)
	for i := range len(chosen) + spareCredits {
		row := desk.CreditRow{N: i + 1, Role: string(article.WrittenBy)}
		if i < len(chosen) {
			row.Role = chosen[i].Role
		}
		row.People = []desk.Choice{{Value: "", Label: "None"}}
		for _, p := range people {
			id := strconv.FormatInt(p.ID, 10)
			on := i < len(chosen) && chosen[i].ContributorID == id
			if p.Hidden && !on {
				continue
			}
			label := p.Name
			if p.Hidden {
				label += " (hidden)"
			}
			row.People = append(row.People, desk.Choice{Value: id, Label: label, Checked: on})
		}
		for _, r := range article.Roles {
			row.Roles = append(row.Roles, desk.Choice{Value: string(r), Label: r.Label(), Checked: string(r) == row.Role})
		}
		rows = append(rows, row)
	}
	return rows
}

// checked turns items into checkboxes, those in order checked and first, in
// that order: a form posts checked boxes in page order, so saving keeps the
// order readers see.
func checked[T any](items []T, order []int64, idLabel func(T) (int64, string)) []desk.Choice {
	out := make([]desk.Choice, len(items))
	rank := make([]int, len(items))
	for i, it := range items {
		id, label := idLabel(it)
		out[i] = desk.Choice{Value: strconv.FormatInt(id, 10), Label: label}
		rank[i] = len(order)
		if k := slices.Index(order, id); k >= 0 {
			out[i].Checked, rank[i] = true, k
		}
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return rank[a] - rank[b] })
	sorted := make([]desk.Choice, len(items))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	return sorted
}

func revisionValues(r article.Revision) map[string]string {
	v := map[string]string{
		article.FieldTitle: r.Title, article.FieldSlug: r.Slug, article.FieldDek: r.Dek, article.FieldBody: r.BodyMarkdown,
		article.FieldReferenceTitle: r.Reference.Title, article.FieldReferenceURL: r.Reference.URL, article.FieldAttribution: r.Attribution,
	}
	if !r.EventDate.IsZero() {
		v[article.FieldEventDate] = r.EventDate.Format(article.DateLayout)
	}
	if r.ReadingMinutesOverride > 0 {
		v[article.FieldReadingMinutes] = strconv.Itoa(r.ReadingMinutesOverride)
	}
	if r.Lead.MediaID != 0 {
		v[article.FieldLeadImage] = strconv.FormatInt(r.Lead.MediaID, 10)
		v[article.FieldLeadAlt], v[article.FieldLeadCaption], v[article.FieldLeadCredit] = r.Lead.Alt, r.Lead.Caption, r.Lead.Credit
	}
	return v
}

// draftFrom reads the article form's values. Unparsable category or
// subject ids are reported against their field.
func draftFrom(form url.Values) (article.Draft, error) {
	d := article.Draft{
		Title: form.Get(article.FieldTitle), Slug: form.Get(article.FieldSlug), Dek: form.Get(article.FieldDek),
		Body: form.Get(article.FieldBody), EventDate: form.Get(article.FieldEventDate),
		ReferenceTitle: form.Get(article.FieldReferenceTitle), ReferenceURL: form.Get(article.FieldReferenceURL),
		Attribution: form.Get(article.FieldAttribution), ReadingMinutes: form.Get(article.FieldReadingMinutes),
		ChangeNote: form.Get(article.FieldChangeNote),
		LeadImage:  form.Get(article.FieldLeadImage), LeadAlt: form.Get(article.FieldLeadAlt),
		LeadCaption: form.Get(article.FieldLeadCaption), LeadCredit: form.Get(article.FieldLeadCredit),
	}
	v := apperr.Validation{}
	var err error
	if d.CategoryIDs, err = formIDs(form, article.FieldCategories); err != nil {
		v.Add(article.FieldCategories, "Choose categories from the list.")
	}
	if d.SubjectIDs, err = formIDs(form, article.FieldSubjects); err != nil {
		v.Add(article.FieldSubjects, "Choose subjects from the list.")
	}
	if d.Credits, err = creditsFrom(form); err != nil {
		v.Add(article.FieldCredits, apperr.MessageOf(err))
	}
	return d, v.Err()
}

// Form names of the credits' rows, posted once per row in row order.
const (
	creditContributor = "credit_contributor"
	creditRole        = "credit_role"
	creditOrder       = "credit_order"
)

// creditsFrom reads the credit rows, in the order their Order numbers
// give (rows keep their place among equal or unreadable numbers), and
// drops the empty ones, so that a reordered and pruned list comes back
// numbered from 1.
func creditsFrom(form url.Values) ([]article.CreditInput, error) {
	who, roles, orders := form[creditContributor], form[creditRole], form[creditOrder]
	switch {
	case len(roles) != len(who) || len(orders) != len(who):
		return nil, apperr.Errorf(apperr.Invalid, "The credits came back incomplete; reload the edit page.")
	case len(who) > article.MaxCredits+spareCredits:
		// No form has more rows; one that does would be sent back whole.
		return nil, apperr.Errorf(apperr.Invalid, "Credit at most %d people.", article.MaxCredits)
	}
	type row struct {
		in    article.CreditInput
		order float64
	}
	rows := make([]row, 0, len(who))
	for i := range who {
		order, err := strconv.ParseFloat(strings.TrimSpace(orders[i]), 64)
		if err != nil || math.IsNaN(order) {
			order = float64(i + 1)
		}
		if strings.TrimSpace(who[i]) != "" {
			rows = append(rows, row{in: article.CreditInput{ContributorID: who[i], Role: roles[i]}, order: order})
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(a.order, b.order) })
	out := make([]article.CreditInput, len(rows))
	for i, r := range rows {
		out[i] = r.in
	}
	return out, nil
}

func formIDs(form url.Values, name string) ([]int64, error) {
	var out []int64
	for _, raw := range form[name] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return nil, errors.New("bad id")
		}
		out = append(out, id)
	}
	return out, nil
}

// prepare reads and prepares the submitted article form, uploading its
// new lead image first if it has one.
func (s *Server) prepare(c echo.Context) (publishing.Prepared, article.Draft, error) {
	form, err := c.FormParams()
	if err != nil {
		return publishing.Prepared{}, article.Draft{}, err
	}
	if err := s.uploadLead(c, form); err != nil {
		d, _ := draftFrom(form)
		return publishing.Prepared{}, d, err
	}
	d, err := draftFrom(form)
	if err != nil {
		return publishing.Prepared{}, d, err
	}
	p, err := s.pub.Prepare(c.Request().Context(), d)
	return p, d, err
}

// createArticle saves the first revision of a new article.
func (s *Server) createArticle(c echo.Context) error {
	p, d, err := s.prepare(c)
	if err == nil {
		var a article.Article
		a, _, err = s.pub.Create(c.Request().Context(), actorOf(c), p)
		if err == nil {
			s.flash(c, "Saved revision 1 as a draft.")
			return c.Redirect(http.StatusSeeOther, urls.DeskArticle(a.ID))
		}
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderArticleForm(c, refusedStatus(c), 0, 0, formFrom(c, err, desk.ArticleFields), pickedFrom(d), formNotes{})
	}
	return err
}

// refusedStatus is the status of a refused article form: 413 when its
// file was over the upload limit, else 422.
func refusedStatus(c echo.Context) int {
	if uploadWasTooLarge(c) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusUnprocessableEntity
}

// uploadLead adds the article form's uploaded lead image to the library
// and makes it the form's lead image, with the alt text, caption and
// credit typed for it. A refused file is reported at its control, and the
// form comes back with everything typed.
func (s *Server) uploadLead(c echo.Context, form url.Values) error {
	name, data, err := s.uploaded(c, article.FieldLeadFile)
	if err != nil || data == nil {
		return err
	}
	it, _, err := s.pub.UploadMedia(c.Request().Context(), actorOf(c), publishing.Upload{Data: data, FileName: name,
		Details: media.Details{Alt: form.Get(article.FieldLeadAlt), Caption: form.Get(article.FieldLeadCaption),
			Credit: form.Get(article.FieldLeadCredit), FocusX: media.Centre, FocusY: media.Centre}})
	switch apperr.CodeOf(err) {
	case "":
		form.Set(article.FieldLeadImage, strconv.FormatInt(it.ID, 10))
		return nil
	case apperr.Invalid, apperr.Conflict, apperr.Forbidden:
		msg, fields := apperr.MessageOf(err), apperr.FieldsOf(err)
		for _, f := range []string{media.FieldCredit, media.FieldCaption, media.FieldAlt, media.FieldFile} {
			if m := fields[f]; m != "" {
				msg = m // the file's refusal first, then the words'
			}
		}
		return apperr.Field(article.FieldLeadFile, msg+" Nothing was saved; everything else you typed is below.")
	}
	return err
}

// saveArticle saves a new revision on top of the one the form was opened
// on. If someone saved in between, the editor gets the conflict page with
// their own text intact and can save on top of the newest revision.
func (s *Server) saveArticle(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.FormValue("base"))
	if err != nil || base < 1 {
		return apperr.Errorf(apperr.Invalid, "The form does not say which revision it was opened on; reload the edit page.")
	}
	ctx := c.Request().Context()
	p, d, err := s.prepare(c)
	if err == nil {
		var saved publishing.Saved
		if saved, err = s.pub.Save(ctx, actorOf(c), id, base, p); err == nil {
			msg := "Saved revision " + strconv.Itoa(saved.Revision.Number) + " as a draft."
			if saved.ScheduleCancelled {
				msg += " The pending schedule was cancelled; submit this revision for review to publish it."
			}
			s.flash(c, msg)
			return c.Redirect(http.StatusSeeOther, urls.DeskArticle(id))
		}
	}
	form := formFrom(c, err, desk.ArticleFields)
	var conflict *publishing.ConflictError
	if errors.As(err, &conflict) {
		_, mine, err := s.pub.Revisions(ctx, id, base)
		if err != nil {
			return err
		}
		head := conflict.Head
		cf := &desk.Conflict{HeadNumber: head.Number, HeadAuthor: head.AuthorName, HeadAt: s.deskTime(c, head.CreatedAt),
			Changes: s.withThumbs(c.Request().Context(), compareRevisions(mine[0], head))}
		form.Message = ""
		return s.renderArticleForm(c, http.StatusConflict, id, head.Number, form, pickedFrom(d), formNotes{conflict: cf})
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderArticleForm(c, refusedStatus(c), id, base, form, pickedFrom(d), formNotes{})
	}
	return err
}

// leadChoices are the Lead image select's options: none, then the
// library's images, the chosen one selected.
func leadChoices(items []media.Item, chosen string) []desk.Choice {
	out := []desk.Choice{{Value: "", Label: "None", Checked: chosen == ""}}
	for _, it := range items {
		v := strconv.FormatInt(it.ID, 10)
		label := "Image " + v + ": " + cmp.Or(it.Alt, it.FileName, "no alt text yet")
		if it.Withdrawn() {
			label += " (withdrawn)"
		}
		out = append(out, desk.Choice{Value: v, Label: clip(label, 120), Checked: v == chosen})
	}
	return out
}
