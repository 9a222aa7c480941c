package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// showAPIDocs is the content API's page for people.
func (s *Server) showAPIDocs(c echo.Context) error {
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	base := s.cfg.BaseURL + api.Version
	p := reader.APIPage{
		OpenAPIURL: api.Version + "/openapi.json",
		Endpoints: []reader.APIEntry{
			{Path: "/api/v1/articles", What: "Live articles, newest first, by event date, or by relevance to search words; filtered and paged."},
			{Path: "/api/v1/articles/{slug}", What: "One article, whole: title, dek, body as HTML and plain text, categories, subjects, credits, event date, reading time, attribution, primary reference, Published and Updated dates, update log."},
			{Path: "/api/v1/categories", What: "Every category, with the address of its articles."},
			{Path: "/api/v1/subjects", What: "Every subject hub, with the address of its timeline."},
			{Path: "/api/v1/network", What: "The network that publishes: name, attribution, time zone."},
			{Path: "/api/v1/openapi.json", What: "This API's OpenAPI 3.1 description."},
		},
		Params: []reader.APIEntry{
			{Name: "category, subject, contributor", What: "Only articles in this category, about this subject, or crediting this contributor (a slug). One at a time."},
			{Name: "order", What: "newest (the default): newest first publication first. event: by the date the moment happened, earliest first, undated last — a subject's timeline."},
			{Name: "updated_since", What: "Only articles with a publication at or after this RFC 3339 moment, minor corrections included: for keeping a copy in step."},
			{Name: "q", What: "Search words: the whole archive by relevance. Takes no other filter."},
			{Name: "limit", What: "Articles per page, 1 to 100 (20 unless asked)."},
			{Name: "cursor", What: "Where the last page ended: take it from next."},
		},
		Examples: []reader.APIExample{
			{Title: "The newest five articles", Request: "curl '" + base + "/articles?limit=5'",
				Response: `{"data": [{"id": 1, "slug": "…", "title": "…", "published_at": "2026-08-20T09:30:00Z", …}],
 "next": "` + base + `/articles?cursor=…&limit=5"}`},
			{Title: "A subject's timeline", Request: "curl '" + base + "/articles?subject=joseph-stalin&order=event'"},
			{Title: "What changed since yesterday", Request: "curl '" + base + "/articles?updated_since=2026-11-28T00:00:00Z'"},
			{Title: "One article, if it changed since you last read it", Request: "curl -H 'If-None-Match: \"…\"' '" + base + "/articles/{slug}'",
				Response: "304 Not Modified, or 200 with the article and its new ETag"},
			{Title: "A mistake", Request: "curl '" + base + "/articles?limit=500'",
				Response: `{"type": "about:blank", "title": "Bad Request", "status": 400,
 "detail": "Give “limit” as a whole number from 1 to 100.", "parameter": "limit"}`},
		},
	}
	meta := layout.Meta{Title: "Content API · " + rc.net.Name, Description: "Everything " + rc.net.Name + " publishes, as JSON: addresses, parameters and examples.",
		Canonical: s.cfg.BaseURL + urls.APIDocs(), OGType: "website"}
	return s.renderPublic(c, http.StatusOK, reader.APIDocs(rc.site, meta, p))
}
