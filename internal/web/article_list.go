package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

const deskPageSize = 25

// showArticles is the desk's article list: filter by state and "mine",
// find by title, paginated.
func (s *Server) showArticles(c echo.Context) error {
	me, _ := currentUser(c)
	pg, err := pageOf(c.QueryParam("page"), deskPageSize)
	if err != nil {
		return err
	}
	f := article.DeskFilter{Query: clip(c.QueryParam("q"), 200), Limit: pg.Size, Offset: pg.Offset()}
	if st := c.QueryParam("state"); st != "" {
		if !validDeskState(st) {
			return apperr.Errorf(apperr.NotFound, "There is no such article state.")
		}
		f.State = article.DeskState(st)
	}
	mine := c.QueryParam("mine") == "1"
	if mine {
		f.AuthorID = me.ID
	}
	rows, total, err := s.pub.Articles(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	p := desk.ArticleList{State: string(f.State), Mine: mine, Query: f.Query, Total: total, Page: pg.N, Pages: pg.Pages,
		NewHref: urls.NewArticle(), ListHref: urls.DeskArticles()}
	for _, st := range article.DeskStates {
		p.States = append(p.States, desk.Option{Value: string(st), Label: st.Label()})
	}
	for _, r := range rows {
		p.Rows = append(p.Rows, desk.ArticleRow{Href: urls.DeskArticle(r.Article.ID), Title: r.Title, State: r.State.Label(),
			StateKey: string(r.State), ChangedAt: s.deskTime(c, r.ChangedAt), ChangedBy: r.ChangedBy, HeadNumber: r.HeadNumber})
	}
	query := c.QueryParams()
	p.Prev, p.Next = pg.links(func(k int) string {
		query.Set("page", strconv.Itoa(k))
		return urls.DeskArticles() + "?" + query.Encode()
	})
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

// deskArticleID reads the article id in the path.
func deskArticleID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.NotFound, "There is no such article.")
	}
	return id, nil
}

func links(a article.Article) desk.ArticleLinks {
	l := desk.ArticleLinks{Overview: urls.DeskArticle(a.ID), Edit: urls.EditArticle(a.ID), History: urls.History(a.ID),
		Preview: urls.Preview(a.ID), Audit: urls.Audit(a.ID)}
	if a.State == article.Live {
		l.Public = urls.Article(a.Slug)
	}
	return l
}
