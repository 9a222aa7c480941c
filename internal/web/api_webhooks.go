package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/apperr"
)

// tokenOwner is the admin who made the request's token: webhooks are
// managed in their name, and only while they are an admin.
func (s *Server) tokenOwner(c echo.Context) (account.Account, error) {
	t, _ := c.Get(tokenKey).(account.Token)
	a, err := s.access.Get(c.Request().Context(), t.CreatedBy)
	if apperr.CodeOf(err) == apperr.NotFound {
		return account.Account{}, apperr.Errorf(apperr.Forbidden, "The admin who made this token no longer has an account.")
	}
	return a, err
}

// apiWebhooks lists the webhooks.
func (s *Server) apiWebhooks(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	t, _ := c.Get(tokenKey).(account.Token)
	all, err := s.hooks.ListForToken(c.Request().Context(), t.ID)
	if err != nil {
		return err
	}
	out := api.List[api.Webhook]{Data: []api.Webhook{}}
	for _, w := range all {
		out.Data = append(out.Data, api.WebhookOf(w))
	}
	return sendPrivate(c, http.StatusOK, out)
}

// apiAddWebhook registers a webhook from a JSON body and answers with its
// secret, this once.
func (s *Server) apiAddWebhook(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	var in api.NewWebhook
	dec := json.NewDecoder(io.LimitReader(c.Request().Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return problem(c, http.StatusBadRequest, "Send a JSON object with “url” and “events”, and nothing else: "+clip(err.Error(), 200), "")
	}
	owner, err := s.tokenOwner(c)
	if err != nil {
		return apiFailed(c, err)
	}
	t, _ := c.Get(tokenKey).(account.Token)
	w, err := s.hooks.AddForToken(c.Request().Context(), owner, t.ID, in.URL, in.Events)
	if field, msg, ok := firstField(err); ok {
		return problem(c, http.StatusUnprocessableEntity, msg, field)
	}
	switch apperr.CodeOf(err) {
	case apperr.Forbidden:
		return problem(c, http.StatusForbidden, apperr.MessageOf(err), "")
	case apperr.Invalid:
		return problem(c, http.StatusUnprocessableEntity, apperr.MessageOf(err), "")
	}
	if err != nil {
		return err
	}
	out := api.WebhookOf(w)
	out.Secret = w.Secret
	c.Response().Header().Set(echo.HeaderLocation, s.cfg.BaseURL+api.Version+"/webhooks/"+strconv.FormatInt(w.ID, 10))
	return sendPrivate(c, http.StatusCreated, out)
}

// apiRemoveWebhook removes a webhook.
func (s *Server) apiRemoveWebhook(c echo.Context) error {
	if err := checkParams(c); err != nil || c.Response().Committed {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return problem(c, http.StatusNotFound, "There is no such webhook.", "")
	}
	owner, err := s.tokenOwner(c)
	if err != nil {
		return apiFailed(c, err)
	}
	t, _ := c.Get(tokenKey).(account.Token)
	if _, err := s.hooks.RemoveForToken(c.Request().Context(), owner, t.ID, id); err != nil {
		if apperr.CodeOf(err) == apperr.Forbidden {
			return problem(c, http.StatusForbidden, apperr.MessageOf(err), "")
		}
		return apiFailed(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}
