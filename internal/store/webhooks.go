package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/webhook"
)

type webhookRecord struct {
	ID             int64
	URL            string `gorm:"column:url"`
	Events         string
	Secret         string
	CreatedBy      sql.NullInt64
	CreatedAt      time.Time
	Failures       int
	DisabledAt     sql.NullTime
	DisabledReason string
	DeletedAt      sql.NullTime
	TokenID        int64
}

func (webhookRecord) TableName() string { return "webhooks" }

func (r webhookRecord) domain() webhook.Webhook {
	w := webhook.Webhook{ID: r.ID, URL: r.URL, Secret: r.Secret, CreatedBy: r.CreatedBy.Int64, CreatedAt: r.CreatedAt,
		Failures: r.Failures, DisabledAt: r.DisabledAt.Time, DisabledReason: r.DisabledReason, TokenID: r.TokenID}
	for _, e := range strings.Fields(r.Events) {
		w.Events = append(w.Events, webhook.Event(e))
	}
	return w
}

// InsertWebhook registers a webhook.
func (s *Store) InsertWebhook(ctx context.Context, w webhook.Webhook) (webhook.Webhook, error) {
	tx, err := s.write(ctx)
	if err != nil {
		return w, err
	}
	events := make([]string, len(w.Events))
	for i, e := range w.Events {
		events[i] = string(e)
	}
	rec := webhookRecord{URL: w.URL, Events: strings.Join(events, " "), Secret: w.Secret, CreatedBy: sql.NullInt64{Int64: w.CreatedBy, Valid: w.CreatedBy != 0},
		CreatedAt: w.CreatedAt.UTC(), TokenID: w.TokenID}
	if err := tx.Create(&rec).Error; err != nil {
		return w, fmt.Errorf("store: register webhook: %w", err)
	}
	return rec.domain(), nil
}

// Webhook returns a webhook that was not removed.
func (s *Store) Webhook(ctx context.Context, id int64) (webhook.Webhook, error) {
	var rec webhookRecord
	if err := s.read(ctx).Where("deleted_at IS NULL").Take(&rec, id).Error; err != nil {
		return webhook.Webhook{}, found(err, "find webhook %d", id)
	}
	return rec.domain(), nil
}

// Webhooks lists the webhooks not removed, oldest first.
func (s *Store) Webhooks(ctx context.Context) ([]webhook.Webhook, error) {
	var recs []webhookRecord
	if err := s.read(ctx).Where("deleted_at IS NULL").Order("id").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list webhooks: %w", err)
	}
	out := make([]webhook.Webhook, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// RemoveWebhook removes a webhook (its deliveries stay, for the record)
// and reports whether it was there.
func (s *Store) RemoveWebhook(ctx context.Context, id int64, at time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec("UPDATE webhooks SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", at.UTC(), id)
	if res.Error != nil {
		return false, fmt.Errorf("store: remove webhook %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	// What it had not been sent yet never will be.
	err = w.Exec("UPDATE webhook_deliveries SET status = ?, last_error = 'the webhook was removed' WHERE webhook_id = ? AND status = ?",
		webhook.Failed, id, webhook.Pending).Error
	return true, err
}

// SetWebhookHealth records a webhook's run of failures and whether it is
// disabled, and why.
func (s *Store) SetWebhookHealth(ctx context.Context, id int64, failures int, disabledAt time.Time, reason string) error {
	err := s.exec(ctx, "UPDATE webhooks SET failures = ?, disabled_at = ?, disabled_reason = ? WHERE id = ?", failures, nullTime(disabledAt), reason, id)
	if err != nil {
		return fmt.Errorf("store: record webhook %d's health: %w", id, err)
	}
	return nil
}

type deliveryRecord struct {
	ID           int64
	WebhookID    int64
	Event        string
	Payload      string
	Status       string
	CreatedAt    time.Time
	DueAt        time.Time
	Attempts     int
	ClaimedBy    string
	LeaseUntil   sql.NullTime
	DeliveredAt  sql.NullTime
	ResponseCode int
	LastError    string
	TookMs       int64
	ArticleID    int64
	Version      int
	EnvelopeID   string
}

func (deliveryRecord) TableName() string { return "webhook_deliveries" }

func (r deliveryRecord) domain() webhook.Delivery {
	return webhook.Delivery{ID: r.ID, WebhookID: r.WebhookID, Event: webhook.Event(r.Event), Payload: r.Payload, Status: webhook.Status(r.Status),
		CreatedAt: r.CreatedAt, DueAt: r.DueAt, Attempts: r.Attempts, DeliveredAt: r.DeliveredAt.Time, ResponseCode: r.ResponseCode,
		LastError: r.LastError, Took: time.Duration(r.TookMs) * time.Millisecond, ArticleID: r.ArticleID, Version: r.Version, EnvelopeID: r.EnvelopeID}
}

func deliveryDomain(recs []deliveryRecord) []webhook.Delivery {
	out := make([]webhook.Delivery, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out
}

// InsertDelivery puts a delivery in the webhooks' outbox.
func (s *Store) InsertDelivery(ctx context.Context, d webhook.Delivery) (int64, error) {
	w, err := s.write(ctx)
	if err != nil {
		return 0, err
	}
	rec := deliveryRecord{WebhookID: d.WebhookID, Event: string(d.Event), Payload: d.Payload, Status: string(webhook.Pending),
		CreatedAt: d.CreatedAt.UTC(), DueAt: d.DueAt.UTC(), ArticleID: d.ArticleID, Version: d.Version, EnvelopeID: d.EnvelopeID}
	if err := w.Create(&rec).Error; err != nil {
		return 0, fmt.Errorf("store: put a delivery in the outbox: %w", err)
	}
	return rec.ID, nil
}

// DeliveriesDue reports whether any pending delivery of an enabled webhook
// is due at now and not leased.
func (s *Store) DeliveriesDue(ctx context.Context, now time.Time) (bool, error) {
	var ids []int64
	now = now.UTC()
	err := s.read(ctx).Table("webhook_deliveries d").Joins("JOIN webhooks h ON h.id = d.webhook_id").
		Where("d.status = ? AND d.due_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?) AND (h.disabled_at IS NULL OR d.event = ?) AND h.deleted_at IS NULL",
			webhook.Pending, now, now, webhook.Ping).Limit(1).Pluck("d.id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("store: look for due deliveries: %w", err)
	}
	return len(ids) > 0, nil
}

// ClaimDeliveries leases at most limit due deliveries to worker until
// now+lease, as ClaimMail does for mail.
func (s *Store) ClaimDeliveries(ctx context.Context, worker string, now time.Time, lease time.Duration, limit, perWebhook int) ([]webhook.Delivery, error) {
	w, err := s.write(ctx)
	if err != nil {
		return nil, err
	}
	now = now.UTC()
	// The oldest due, at most perWebhook of each webhook, so that one slow
	// receiver's backlog never fills a batch; a disabled webhook's wait.
	var due []deliveryRecord
	err = w.Table("webhook_deliveries d").Select("d.*").Joins("JOIN webhooks h ON h.id = d.webhook_id").
		Where("d.status = ? AND d.due_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?) AND (h.disabled_at IS NULL OR d.event = ?) AND h.deleted_at IS NULL",
			webhook.Pending, now, now, webhook.Ping).
		Order("d.due_at, d.id").Limit(limit * perWebhook).Find(&due).Error
	if err != nil {
		return nil, fmt.Errorf("store: find due deliveries: %w", err)
	}
	var recs []deliveryRecord
	taken := map[int64]int{}
	for _, r := range due {
		if taken[r.WebhookID] < perWebhook && len(recs) < limit {
			taken[r.WebhookID]++
			recs = append(recs, r)
		}
	}
	if len(recs) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	if err := leaseRows(w, "webhook_deliveries", ids, worker, now.Add(lease)); err != nil {
		return nil, fmt.Errorf("store: claim deliveries: %w", err)
	}
	return deliveryDomain(recs), nil
}

// SettleDelivery records the outcome of worker's attempt; false, changing
// nothing, if worker no longer holds the lease.
func (s *Store) SettleDelivery(ctx context.Context, worker string, d webhook.Delivery) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec(`UPDATE webhook_deliveries SET status = ?, attempts = ?, due_at = ?, delivered_at = ?, response_code = ?, last_error = ?, took_ms = ?,
		payload = ?, claimed_by = '', lease_until = NULL WHERE id = ? AND claimed_by = ? AND status = ?`,
		d.Status, d.Attempts, d.DueAt.UTC(), nullTime(d.DeliveredAt), d.ResponseCode, d.LastError, d.Took.Milliseconds(), d.Payload, d.ID, worker, webhook.Pending)
	if res.Error != nil {
		return false, fmt.Errorf("store: settle delivery %d: %w", d.ID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Delivery returns one delivery.
func (s *Store) Delivery(ctx context.Context, id int64) (webhook.Delivery, error) {
	var rec deliveryRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return webhook.Delivery{}, found(err, "find delivery %d", id)
	}
	return rec.domain(), nil
}

// Deliveries lists a webhook's newest deliveries with an id below before
// (zero: from the newest), at most limit, and whether there are more.
func (s *Store) Deliveries(ctx context.Context, webhookID, before int64, limit int) ([]webhook.Delivery, bool, error) {
	q := s.read(ctx).Where("webhook_id = ?", webhookID).Order("id DESC").Limit(limit + 1)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var recs []deliveryRecord
	if err := q.Find(&recs).Error; err != nil {
		return nil, false, fmt.Errorf("store: list deliveries: %w", err)
	}
	return deliveryDomain(recs[:min(len(recs), limit)]), len(recs) > limit, nil
}

// PruneDeliveries deletes at most limit settled deliveries created before
// cutoff.
func (s *Store) PruneDeliveries(ctx context.Context, cutoff time.Time, limit int) error {
	err := s.exec(ctx, `DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
		WHERE status IN (?, ?) AND created_at < ? ORDER BY id LIMIT ?)`, webhook.Delivered, webhook.Failed, cutoff.UTC(), limit)
	if err != nil {
		return fmt.Errorf("store: prune deliveries: %w", err)
	}
	return nil
}
