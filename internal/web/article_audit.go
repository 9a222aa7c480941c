package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// showAudit is an article's audit log.
func (s *Server) showAudit(c echo.Context) error {
	id, err := deskArticleID(c)
	if err != nil {
		return err
	}
	v, events, err := s.pub.Audit(c.Request().Context(), id)
	if err != nil {
		return err
	}
	p := desk.AuditLog{Links: links(v.Article), Title: v.Head.Title, Rows: s.auditRows(c, events)}
	return renderPrivate(c, http.StatusOK, desk.Audit(s.shell(c, "Audit log", ""), p))
}

const auditPageSize = 50

// showGlobalAudit is every audit event, for admins.
func (s *Server) showGlobalAudit(c echo.Context) error {
	pg, err := pageOf(c.QueryParam("page"), auditPageSize)
	if err != nil {
		return err
	}
	events, total, err := s.pub.AuditLog(c.Request().Context(), pg.Size, pg.Offset())
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	p := desk.GlobalAudit{Rows: s.auditRows(c, events), Page: pg.N, Pages: pg.Pages,
		CSV: urls.AuditExport(audit.CSV), JSONLines: urls.AuditExport(audit.JSONLines)}
	p.Prev, p.Next = pg.links(func(k int) string { return urls.DeskAudit() + "?page=" + strconv.Itoa(k) })
	return renderPrivate(c, http.StatusOK, desk.GlobalAuditPage(s.shell(c, "Audit log", urls.DeskAudit()), p))
}

func (s *Server) auditRows(c echo.Context, events []audit.Event) []desk.AuditRow {
	out := make([]desk.AuditRow, len(events))
	for i, e := range events {
		out[i] = desk.AuditRow{At: s.deskTime(c, e.At), Actor: e.Actor, Action: e.Action.Label(), Revision: e.RevisionNumber,
			Detail: e.Detail, ArticleTitle: e.ArticleTitle}
		if e.ArticleID != 0 {
			out[i].ArticleHref = urls.Audit(e.ArticleID)
		}
	}
	return out
}

// exportAudit downloads the whole audit log, or the days from since on,
// for archiving outside Quire, as quire audit export writes it.
func (s *Server) exportAudit(c echo.Context) error {
	format := c.QueryParam("format")
	types := map[string]string{audit.CSV: "text/csv; charset=utf-8", audit.JSONLines: "application/jsonl; charset=utf-8"}
	if types[format] == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose the format csv or jsonl.")
	}
	var since time.Time
	if raw := c.QueryParam("since"); raw != "" {
		var err error
		if since, err = time.Parse(time.DateOnly, raw); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "Give since as a date such as 2026-01-31.")
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, types[format])
	h.Set(echo.HeaderContentDisposition, `attachment; filename="quire-audit-`+s.now().UTC().Format(time.DateOnly)+"."+format+`"`)
	h.Set(echo.HeaderCacheControl, "private, no-store")
	c.Response().WriteHeader(http.StatusOK)
	x, err := audit.NewExporter(c.Response(), format)
	if err == nil {
		err = s.pub.ExportAudit(c.Request().Context(), since, x.Write)
	}
	if err == nil {
		err = x.Flush()
	}
	if err != nil {
		// The status is sent; a cut-short file is all the client can be told.
		s.logger.Error("audit export cut short", "err", err)
	}
	return nil
}
