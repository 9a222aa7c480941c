package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/internal/webhook"
	"github.com/quire-cms/quire/views/desk"
)

// showWebhooks lists the webhooks for an admin.
func (s *Server) showWebhooks(c echo.Context) error {
	return s.renderWebhooks(c, http.StatusOK, desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}, nil, "", "")
}

func (s *Server) renderWebhooks(c echo.Context, status int, add desk.Form, chosen []string, added, secret string) error {
	all, err := s.hooks.List(c.Request().Context())
	if err != nil {
		return err
	}
	var events []desk.Choice
	for _, e := range webhook.Events {
		events = append(events, desk.Choice{Value: string(e), Label: string(e), Checked: slices.Contains(chosen, string(e))})
	}
	add.Choices = map[string][]desk.Choice{webhook.FieldEvents: events}
	p := desk.WebhooksPage{CSRF: csrfToken(c), Add: add, Secret: secret, Added: added}
	for _, w := range all {
		row := desk.WebhookRow{URL: w.URL, Events: eventList(w.Events), Page: urls.Webhook(w.ID), Status: "Active", Disabled: !w.Enabled()}
		if !w.Enabled() {
			row.Status = "Disabled"
		}
		p.Webhooks = append(p.Webhooks, row)
	}
	return renderPrivate(c, status, desk.Webhooks(s.shell(c, "Webhooks", urls.Webhooks()), p))
}

func eventList(events []webhook.Event) string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e)
	}
	return strings.Join(out, ", ")
}

// addWebhook registers a webhook and shows its secret once.
func (s *Server) addWebhook(c echo.Context) error {
	me, _ := currentUser(c)
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	events := form[webhook.FieldEvents]
	w, err := s.hooks.Add(c.Request().Context(), me, c.FormValue(webhook.FieldURL), events)
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderWebhooks(c, http.StatusUnprocessableEntity, formFrom(c, err, desk.WebhookFields), events, "", "")
	}
	if err != nil {
		return err
	}
	return s.renderWebhooks(c, http.StatusOK, desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}, nil, w.URL, w.Secret)
}

// deliveriesPage is how many deliveries a webhook's page shows at a time.
const deliveriesPage = 50

// showWebhook is one webhook and its delivery log.
func (s *Server) showWebhook(c echo.Context) error {
	id, err := idParam(c, "There is no such webhook.")
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	w, ds, more, err := s.hooks.Get(c.Request().Context(), id, max(before, 0), deliveriesPage)
	if err != nil {
		return err
	}
	p := desk.WebhookPage{CSRF: csrfToken(c), URL: w.URL, Events: eventList(w.Events), Disabled: !w.Enabled(), DisabledReason: w.DisabledReason,
		Failures: w.Failures, TestURL: urls.WebhookTest(id), RemoveURL: urls.WebhookRemove(id), EnableURL: urls.WebhookEnable(id)}
	for _, d := range ds {
		row := desk.DeliveryRow{Event: string(d.Event), Created: s.deskTime(c, d.CreatedAt), Attempts: d.Attempts, LastError: d.LastError,
			RedeliverURL: urls.Redeliver(id, d.ID)}
		if d.ResponseCode != 0 {
			row.Code = strconv.Itoa(d.ResponseCode)
		}
		if d.Attempts > 0 {
			row.Took = d.Took.String()
		}
		switch d.Status {
		case webhook.Delivered:
			row.Status, row.StatusClass = "Delivered", "ok"
		case webhook.Failed:
			row.Status, row.StatusClass = "Failed", "warn"
		default:
			row.Status, row.StatusClass = "Waiting", "muted"
			if d.Attempts > 0 {
				row.NextTry = s.deskTime(c, d.DueAt)
			}
		}
		p.Deliveries = append(p.Deliveries, row)
	}
	if more && len(ds) > 0 {
		p.OlderURL = urls.Webhook(id) + "?before=" + strconv.FormatInt(ds[len(ds)-1].ID, 10)
	}
	return renderPrivate(c, http.StatusOK, desk.Webhook(s.shell(c, "Webhook", urls.Webhooks()), p))
}

// webhookAction runs one of the webhook page's buttons.
// After it the admin sees the webhook's page, or the list if toList.
func (s *Server) webhookAction(done string, toList bool, act func(c echo.Context, id int64) (webhook.Webhook, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, "There is no such webhook.")
		if err != nil {
			return err
		}
		w, err := act(c, id)
		if apperr.CodeOf(err) == apperr.Invalid {
			return s.flashBack(c, err, urls.Webhook(id))
		}
		if err != nil {
			return err
		}
		s.flash(c, done)
		if toList {
			return c.Redirect(http.StatusSeeOther, urls.Webhooks())
		}
		return c.Redirect(http.StatusSeeOther, urls.Webhook(w.ID))
	}
}

// sendTest delivers a ping to a webhook.
func (s *Server) sendTest(c echo.Context) error {
	return s.webhookAction("A test is on its way; its delivery shows below within seconds.", false, func(c echo.Context, id int64) (webhook.Webhook, error) {
		me, _ := currentUser(c)
		return s.hooks.SendTest(c.Request().Context(), me, id)
	})(c)
}

// removeWebhook removes a webhook.
func (s *Server) removeWebhook(c echo.Context) error {
	return s.webhookAction("Removed the webhook: nothing more is sent to it.", true, func(c echo.Context, id int64) (webhook.Webhook, error) {
		me, _ := currentUser(c)
		return s.hooks.Remove(c.Request().Context(), me, id)
	})(c)
}

// enableWebhook turns a disabled webhook back on.
func (s *Server) enableWebhook(c echo.Context) error {
	return s.webhookAction("The webhook is enabled again.", false, func(c echo.Context, id int64) (webhook.Webhook, error) {
		me, _ := currentUser(c)
		return s.hooks.Enable(c.Request().Context(), me, id)
	})(c)
}

// redeliver sends a delivery again.
func (s *Server) redeliver(c echo.Context) error {
	return s.webhookAction("Sending it again; the new delivery shows below.", false, func(c echo.Context, id int64) (webhook.Webhook, error) {
		me, _ := currentUser(c)
		delivery, err := strconv.ParseInt(c.Param("delivery"), 10, 64)
		if err != nil || delivery <= 0 {
			return webhook.Webhook{}, apperr.Errorf(apperr.NotFound, "This webhook has no such delivery.")
		}
		return s.hooks.Redeliver(c.Request().Context(), me, id, delivery)
	})(c)
}
