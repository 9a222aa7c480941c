// Package hooks runs the webhooks: registering them (admins), writing a
// delivery for each webhook an event concerns in the transaction of the
// event itself (so nothing is published without its webhooks being told,
// and nothing told that was not published), and a worker in every
// instance that claims each delivery under a lease and sends it, signed,
// retrying for about a day.
package hooks

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/webhook"
)

// Envelope is every delivery's body: the event, when it happened, an id
// shared by the deliveries of one event, and the event's data.
type Envelope struct {
	ID        string `json:"id"`
	Event     string `json:"event"`
	CreatedAt string `json:"created_at"`
	Data      any    `json:"data"`
}

// Announce writes, in tx, a delivery of event to every enabled webhook
// that subscribed to it; data is made only if one did.
func Announce(ctx context.Context, tx *store.Store, event webhook.Event, now time.Time, data func() (any, error)) error {
	all, err := tx.Webhooks(ctx)
	if err != nil {
		return err
	}
	var to []webhook.Webhook
	for _, w := range all {
		if w.Enabled() && w.Wants(event) {
			to = append(to, w)
		}
	}
	if len(to) == 0 {
		return nil
	}
	d, err := data()
	if err != nil {
		return err
	}
	return deliver(ctx, tx, to, event, now, d)
}

// AnnounceVersion writes, in tx, a delivery of a publication event to
// every enabled webhook that subscribed to it. The delivery names the
// version published; the worker makes the payload from it (versions never
// change), so a publication costs a small row per webhook.
func AnnounceVersion(ctx context.Context, tx *store.Store, event webhook.Event, articleID int64, version int, now time.Time) error {
	all, err := tx.Webhooks(ctx)
	if err != nil {
		return err
	}
	id := rand.Text()
	for _, w := range all {
		if !w.Enabled() || !w.Wants(event) {
			continue
		}
		_, err := tx.InsertDelivery(ctx, webhook.Delivery{WebhookID: w.ID, Event: event, EnvelopeID: id, ArticleID: articleID, Version: version,
			CreatedAt: now, DueAt: now})
		if err != nil {
			return err
		}
	}
	return nil
}

// Builder makes the data of a publication event from the version it
// published.
type Builder func(ctx context.Context, articleID int64, version int) (any, error)

// payload is a delivery's body: as stored, or, for a publication, made
// from the version it names at each attempt (a version never changes;
// only the article's slug may have since). Nothing built is stored, so a
// thousand deliveries of one publication keep no thousand copies.
func payload(ctx context.Context, d webhook.Delivery, build Builder) (string, error) {
	if d.Payload != "" {
		return d.Payload, nil
	}
	if build == nil || d.ArticleID == 0 {
		return "", errors.New("the delivery names no version to send")
	}
	data, err := build(ctx, d.ArticleID, d.Version)
	if err != nil {
		return "", fmt.Errorf("make the payload: %w", err)
	}
	body, err := json.Marshal(Envelope{ID: d.EnvelopeID, Event: string(d.Event), CreatedAt: d.CreatedAt.UTC().Format(time.RFC3339), Data: data})
	return string(body), err
}

// deliver writes one delivery of event with data to each webhook.
func deliver(ctx context.Context, tx *store.Store, to []webhook.Webhook, event webhook.Event, now time.Time, data any) error {
	body, err := json.Marshal(Envelope{ID: rand.Text(), Event: string(event), CreatedAt: now.UTC().Format(time.RFC3339), Data: data})
	if err != nil {
		return fmt.Errorf("hooks: make the %s payload: %w", event, err)
	}
	for _, w := range to {
		if _, err := tx.InsertDelivery(ctx, webhook.Delivery{WebhookID: w.ID, Event: event, Payload: string(body), CreatedAt: now, DueAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// Service runs the admins' webhook use cases.
type Service struct {
	st  *store.Store
	now func() time.Time
}

// New returns the service on st.
func New(st *store.Store) *Service { return &Service{st: st, now: time.Now} }

// Add registers a webhook as actor, an admin, and returns it with its
// secret, which is shown this once.
func (s *Service) Add(ctx context.Context, actor account.Account, url string, events []string) (webhook.Webhook, error) {
	return s.add(ctx, actor, 0, url, events)
}

// AddForToken registers a webhook through the API, as the admin who made
// the token: for the events about what readers can see only, since the
// review events name drafts, which a webhooks:manage token may not read.
func (s *Service) AddForToken(ctx context.Context, actor account.Account, tokenID int64, url string, events []string) (webhook.Webhook, error) {
	for _, e := range events {
		if ev := webhook.Event(e); slices.Contains(webhook.Events, ev) && !ev.Public() {
			return webhook.Webhook{}, apperr.Field(webhook.FieldEvents, "A token registers webhooks for the article events only; "+e+" names drafts, so it is chosen at the desk.")
		}
	}
	return s.add(ctx, actor, tokenID, url, events)
}

func (s *Service) add(ctx context.Context, actor account.Account, tokenID int64, url string, events []string) (webhook.Webhook, error) {
	w, err := webhook.New(url, events)
	if err != nil {
		return w, err
	}
	now := s.now().UTC()
	w.Secret, w.CreatedBy, w.CreatedAt, w.TokenID = "whsec_"+rand.Text()+rand.Text(), actor.ID, now, tokenID
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := access.AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		all, err := tx.Webhooks(ctx)
		if err != nil {
			return err
		}
		if len(all) >= webhook.MaxWebhooks {
			return apperr.Errorf(apperr.Invalid, "Quire sends to at most %d webhooks; remove one first.", webhook.MaxWebhooks)
		}
		for _, other := range all {
			if other.URL == w.URL {
				return apperr.Field(webhook.FieldURL, "A webhook already sends to this address; choose its events on its page, or remove it first.")
			}
		}
		if w, err = tx.InsertWebhook(ctx, w); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.WebhookAdded, Detail: w.URL})
	})
	if err != nil {
		return webhook.Webhook{}, fmt.Errorf("hooks: add webhook: %w", err)
	}
	return w, nil
}

// List returns every webhook.
func (s *Service) List(ctx context.Context) ([]webhook.Webhook, error) { return s.st.Webhooks(ctx) }

// ListForToken returns the webhooks an API token registered.
func (s *Service) ListForToken(ctx context.Context, tokenID int64) ([]webhook.Webhook, error) {
	all, err := s.st.Webhooks(ctx)
	var out []webhook.Webhook
	for _, w := range all {
		if w.TokenID == tokenID {
			out = append(out, w)
		}
	}
	return out, err
}

// RemoveForToken removes a webhook an API token registered; any other is
// not there for it.
func (s *Service) RemoveForToken(ctx context.Context, actor account.Account, tokenID, id int64) (webhook.Webhook, error) {
	return s.change(ctx, actor, id, audit.WebhookRemoved, func(tx *store.Store, w webhook.Webhook) error {
		if w.TokenID != tokenID {
			return apperr.Errorf(apperr.NotFound, noSuchWebhook)
		}
		_, err := tx.RemoveWebhook(ctx, w.ID, s.now())
		return err
	})
}

const noSuchWebhook = "There is no such webhook."

// Get returns a webhook and a page of its deliveries, newest first.
func (s *Service) Get(ctx context.Context, id, before int64, limit int) (webhook.Webhook, []webhook.Delivery, bool, error) {
	w, err := s.st.Webhook(ctx, id)
	if err != nil {
		return w, nil, false, apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchWebhook)
	}
	ds, more, err := s.st.Deliveries(ctx, id, before, limit)
	return w, ds, more, err
}

// change runs fn on webhook id in one transaction, as actor, an admin,
// and audits it.
func (s *Service) change(ctx context.Context, actor account.Account, id int64, action audit.Action, fn func(tx *store.Store, w webhook.Webhook) error) (webhook.Webhook, error) {
	now := s.now().UTC()
	var w webhook.Webhook
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := access.AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		if w, err = tx.Webhook(ctx, id); err != nil {
			return apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchWebhook)
		}
		if err := fn(tx, w); err != nil {
			return err
		}
		if action == "" {
			return nil
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: action, Detail: w.URL})
	})
	if err != nil {
		return webhook.Webhook{}, fmt.Errorf("hooks: %w", err)
	}
	return w, nil
}

// Remove removes a webhook; what it had not been sent is dropped.
func (s *Service) Remove(ctx context.Context, actor account.Account, id int64) (webhook.Webhook, error) {
	return s.change(ctx, actor, id, audit.WebhookRemoved, func(tx *store.Store, w webhook.Webhook) error {
		_, err := tx.RemoveWebhook(ctx, w.ID, s.now())
		return err
	})
}

// Enable turns a disabled webhook back on, its failures forgotten.
func (s *Service) Enable(ctx context.Context, actor account.Account, id int64) (webhook.Webhook, error) {
	return s.change(ctx, actor, id, audit.WebhookEnabled, func(tx *store.Store, w webhook.Webhook) error {
		if w.Enabled() {
			return apperr.Errorf(apperr.Invalid, "This webhook is already enabled.")
		}
		return tx.SetWebhookHealth(ctx, w.ID, 0, time.Time{}, "")
	})
}

// SendTest delivers a ping to one webhook, enabled or not.
func (s *Service) SendTest(ctx context.Context, actor account.Account, id int64) (webhook.Webhook, error) {
	return s.change(ctx, actor, id, "", func(tx *store.Store, w webhook.Webhook) error {
		return deliver(ctx, tx, []webhook.Webhook{w}, webhook.Ping, s.now().UTC(), map[string]string{"message": "A test from Quire: this webhook is reachable."})
	})
}

// Redeliver sends a delivery's payload again, as a new delivery.
func (s *Service) Redeliver(ctx context.Context, actor account.Account, webhookID, deliveryID int64) (webhook.Webhook, error) {
	return s.change(ctx, actor, webhookID, "", func(tx *store.Store, w webhook.Webhook) error {
		d, err := tx.Delivery(ctx, deliveryID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && d.WebhookID != w.ID) {
			return apperr.Errorf(apperr.NotFound, "This webhook has no such delivery.")
		}
		if err != nil {
			return err
		}
		// The event's moment stays its own: the envelope says when it
		// happened, not when it was sent again.
		_, err = tx.InsertDelivery(ctx, webhook.Delivery{WebhookID: w.ID, Event: d.Event, Payload: d.Payload, EnvelopeID: d.EnvelopeID,
			ArticleID: d.ArticleID, Version: d.Version, CreatedAt: d.CreatedAt, DueAt: s.now().UTC()})
		return err
	})
}

func auditDisabled(at time.Time, url, reason string) audit.Entry {
	return audit.Entry{At: at, Action: audit.WebhookDisabled, Detail: url + ": " + reason}
}

// Publications is the Builder of the running site: a publication event's
// data is the article as the content API shows it, as the version
// published it, and whether it was a minor correction.
func Publications(read *reading.Service, links api.Links) Builder {
	return func(ctx context.Context, articleID int64, version int) (any, error) {
		v, err := read.VersionByID(ctx, articleID, version)
		if err != nil {
			return nil, err
		}
		return map[string]any{"article": links.ArticleOf(v.Published), "version": version, "minor": v.Version.Minor}, nil
	}
}
