package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/reader"
)

// The article form's helpers for its script: keeping unsaved text,
// presence, and the live preview. Each answers JSON, and each is limited
// per account so that a runaway tab cannot load the database.

// formArticleID is the article of an editing route: zero under
// /desk/articles/new.
func formArticleID(c echo.Context) (int64, error) {
	if c.Param("id") == "" {
		return 0, nil
	}
	return deskArticleID(c)
}

// keepScratch keeps the posted form as the editor's scratch copy.
func (s *Server) keepScratch(c echo.Context) error {
	id, err := formArticleID(c)
	if err != nil {
		return err
	}
	if err := s.pace.allow(c, "scratch", id, 2*time.Second); err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(form.Get("base"))
	if err != nil || base < 0 || id != 0 && base < 1 {
		return apperr.Errorf(apperr.Invalid, "The form does not say which revision it was opened on; reload the edit page.")
	}
	at, err := s.pub.KeepScratch(c.Request().Context(), actorOf(c), id, base, articleFormOnly(form).Encode())
	if apperr.CodeOf(err) == apperr.Conflict {
		return c.JSON(http.StatusConflict, map[string]string{"error": apperr.MessageOf(err)})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"kept": s.clock(c, at), "at": at.Format(time.RFC3339)})
}

// clock is a moment as the desk's status lines say it: "10:02".
func (s *Server) clock(c echo.Context, t time.Time) string { return t.In(s.zone(c)).Format("15:04") }

// restoreScratch fills the article form from the editor's scratch copy,
// unsaved.
func (s *Server) restoreScratch(c echo.Context) error {
	id, err := formArticleID(c)
	if err != nil {
		return err
	}
	// Each restore is audited: a reload of the restored page, or a
	// double click, must not fill the log.
	if err := s.pace.allow(c, "restore", id, 2*time.Second); err != nil {
		return err
	}
	sc, err := s.pub.RestoreScratch(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	values, err := url.ParseQuery(sc.Form)
	if err != nil {
		return err
	}
	values.Set("base", strconv.Itoa(sc.Base))
	return s.unsavedForm(c, http.StatusOK, id, values,
		"Restored the unsaved changes kept at "+s.deskTime(c, sc.SavedAt)+". Nothing is saved yet: check them, then press Save draft.")
}

// discardScratch deletes the editor's scratch copy and reopens the form.
func (s *Server) discardScratch(c echo.Context) error {
	id, err := formArticleID(c)
	if err != nil {
		return err
	}
	if err := s.pace.allow(c, "discard", id, 2*time.Second); err != nil {
		return err
	}
	if err := s.pub.DiscardScratch(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	s.flash(c, "Discarded the unsaved changes.")
	if id == 0 {
		return c.Redirect(http.StatusSeeOther, urls.NewArticle())
	}
	return c.Redirect(http.StatusSeeOther, urls.EditArticle(id))
}

// presence records that the form is open and answers who else has it
// open and which revision is the newest.
func (s *Server) presence(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	if err := s.pace.allow(c, "presence", id, 5*time.Second); err != nil {
		return err
	}
	p, err := s.pub.StillEditing(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	base, _ := strconv.Atoi(c.FormValue("base"))
	type other struct {
		Name  string `json:"name"`
		Since string `json:"since"`
	}
	others := make([]other, len(p.Others))
	for i, o := range p.Others {
		others[i] = other{Name: o.Name, Since: s.clock(c, o.Since)}
	}
	return c.JSON(http.StatusOK, map[string]any{
		"others": others,
		"head": map[string]any{"number": p.Head.Number, "author": p.Head.AuthorName, "at": s.clock(c, p.Head.CreatedAt),
			"compare": urls.Compare(id, base, p.Head.Number)},
	})
}

// leave records that the form was closed.
func (s *Server) leave(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	if err := s.pub.LeftEditing(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// livePreview renders the posted form as readers would read it, with the
// word count and reading time a save would compute.
func (s *Server) livePreview(c echo.Context) error {
	if err := s.pace.allow(c, "preview", 0, 500*time.Millisecond); err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	d, _ := draftFrom(form) // a preview shows what it can of a form with mistakes
	rev, err := s.pub.Preview(c.Request().Context(), d)
	if apperr.CodeOf(err) == apperr.Invalid {
		return c.JSON(http.StatusUnprocessableEntity, map[string]string{"error": apperr.FieldsOf(err)[article.FieldBody]})
	}
	if err != nil {
		return err
	}
	st, err := s.story(c, article.Article{}, rev)
	if err != nil {
		return err
	}
	var html bytes.Buffer
	if err := reader.Story(st).Render(c.Request().Context(), &html); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"html": html.String(), "words": rev.WordCount, "minutes": rev.ReadingMinutes})
}

// pace limits how often one account may call each of the form's helpers
// for one article: a tab that loops, or a script, slows itself down and
// nobody else, and two tabs on two articles do not slow each other. It
// holds one moment per account, helper and article touched, and forgets
// moments older than a minute once it holds many.
type pace struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (p *pace) allow(c echo.Context, what string, articleID int64, every time.Duration) error {
	me, _ := currentUser(c)
	key := what + ":" + strconv.FormatInt(me.ID, 10) + ":" + strconv.FormatInt(articleID, 10)
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		p.last = map[string]time.Time{}
	}
	if len(p.last) > 10_000 {
		for k, at := range p.last {
			if now.Sub(at) > time.Minute {
				delete(p.last, k)
			}
		}
	}
	if wait := p.last[key].Add(every).Sub(now); wait > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return apperr.Errorf(apperr.TooMany, "Too many requests from this page; it will try again shortly.")
	}
	p.last[key] = now
	return nil
}
