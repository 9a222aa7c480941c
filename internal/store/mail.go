package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/mail"
)

type mailRecord struct {
	ID         int64
	Kind       string
	AccountID  sql.NullInt64
	ToAddress  string
	Subject    string
	TextBody   string
	HTMLBody   string `gorm:"column:html_body"`
	Link       string
	Status     string
	CreatedAt  time.Time
	DueAt      time.Time
	Attempts   int
	ClaimedBy  string
	LeaseUntil sql.NullTime
	SentAt     sql.NullTime
	LastError  string
}

func (mailRecord) TableName() string { return "mail_outbox" }

func (r mailRecord) domain() mail.Message {
	return mail.Message{
		ID: r.ID, Kind: mail.Kind(r.Kind), AccountID: r.AccountID.Int64, To: r.ToAddress, Subject: r.Subject,
		Text: r.TextBody, HTML: r.HTMLBody, Link: r.Link, Status: mail.Status(r.Status), CreatedAt: r.CreatedAt,
		DueAt: r.DueAt, Attempts: r.Attempts, SentAt: r.SentAt.Time, LastError: r.LastError,
	}
}

func mailDomain(recs []mailRecord) []mail.Message {
	out := make([]mail.Message, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out
}

// InsertMail puts a message in the outbox and returns its id.
func (s *Store) InsertMail(ctx context.Context, m mail.Message) (int64, error) {
	w, err := s.write(ctx)
	if err != nil {
		return 0, err
	}
	rec := mailRecord{
		Kind: string(m.Kind), AccountID: sql.NullInt64{Int64: m.AccountID, Valid: m.AccountID != 0}, ToAddress: m.To,
		Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML, Link: m.Link, Status: string(m.Status),
		CreatedAt: m.CreatedAt.UTC(), DueAt: m.DueAt.UTC(),
	}
	if err := w.Create(&rec).Error; err != nil {
		return 0, fmt.Errorf("store: put mail in the outbox: %w", err)
	}
	return rec.ID, nil
}

// MailDue reports whether any pending message is due at now and not
// leased: a read that spares an idle worker a write transaction.
func (s *Store) MailDue(ctx context.Context, now time.Time) (bool, error) {
	var ids []int64
	now = now.UTC()
	err := s.read(ctx).Model(&mailRecord{}).Where("status = ? AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)", mail.Pending, now, now).
		Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("store: look for due mail: %w", err)
	}
	return len(ids) > 0, nil
}

// ClaimMail leases at most limit pending messages due at now to worker
// until now+lease and returns them. Writes are serialized, so no two
// workers lease one message; a worker that dies mid-send leaves its lease
// to run out, and the message is claimed again.
func (s *Store) ClaimMail(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]mail.Message, error) {
	w, err := s.write(ctx)
	if err != nil {
		return nil, err
	}
	now = now.UTC()
	var recs []mailRecord
	err = w.Where("status = ? AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)", mail.Pending, now, now).
		Order("due_at, id").Limit(limit).Find(&recs).Error
	if err != nil {
		return nil, fmt.Errorf("store: find due mail: %w", err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	if err := leaseRows(w, "mail_outbox", ids, worker, now.Add(lease)); err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	return mailDomain(recs), nil
}

// leaseRows gives the rows ids of an outbox table to worker until until:
// the claim step mail and webhook deliveries share.
func leaseRows(w *gorm.DB, table string, ids []int64, worker string, until time.Time) error {
	return w.Exec("UPDATE "+table+" SET claimed_by = ?, lease_until = ? WHERE id IN ?", worker, until, ids).Error
}

// SettleMail records the outcome of worker's attempt to send message id:
// its new status, attempts, next due time and error. It reports false,
// changing nothing, if worker no longer holds the lease.
func (s *Store) SettleMail(ctx context.Context, worker string, m mail.Message) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec(`UPDATE mail_outbox SET status = ?, attempts = ?, due_at = ?, sent_at = ?, last_error = ?, claimed_by = '', lease_until = NULL
		WHERE id = ? AND claimed_by = ? AND status = ?`,
		m.Status, m.Attempts, m.DueAt.UTC(), nullTime(m.SentAt), m.LastError, m.ID, worker, mail.Pending)
	if res.Error != nil {
		return false, fmt.Errorf("store: settle mail %d: %w", m.ID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RetryMail makes a failed message pending again, due at once.
func (s *Store) RetryMail(ctx context.Context, id int64, now time.Time) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec("UPDATE mail_outbox SET status = ?, due_at = ?, claimed_by = '', lease_until = NULL WHERE id = ? AND status = ?",
		mail.Pending, now.UTC(), id, mail.Failed)
	if res.Error != nil {
		return false, fmt.Errorf("store: retry mail %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Outbox lists the newest messages with an id below before (zero: from the
// newest), at most limit, and whether there are more.
func (s *Store) Outbox(ctx context.Context, before int64, limit int) ([]mail.Message, bool, error) {
	q := s.read(ctx).Order("id DESC").Limit(limit + 1)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var recs []mailRecord
	if err := q.Find(&recs).Error; err != nil {
		return nil, false, fmt.Errorf("store: list the outbox: %w", err)
	}
	more := len(recs) > limit
	return mailDomain(recs[:min(len(recs), limit)]), more, nil
}

// MailCounts counts the outbox's messages by status.
func (s *Store) MailCounts(ctx context.Context) (map[mail.Status]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	if err := s.read(ctx).Raw("SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: count the outbox: %w", err)
	}
	out := map[mail.Status]int{}
	for _, r := range rows {
		out[mail.Status(r.Status)] = r.N
	}
	return out, nil
}

// Mail returns one message.
func (s *Store) Mail(ctx context.Context, id int64) (mail.Message, error) {
	var rec mailRecord
	if err := s.read(ctx).Take(&rec, id).Error; err != nil {
		return mail.Message{}, found(err, "find mail %d", id)
	}
	return rec.domain(), nil
}

// HeldFor lists the accounts with notifications held since before cutoff:
// those whose digest is due.
func (s *Store) HeldFor(ctx context.Context, cutoff time.Time) ([]int64, error) {
	var ids []int64
	err := s.read(ctx).Model(&mailRecord{}).Where("status = ? AND created_at < ?", mail.Held, cutoff.UTC()).
		Distinct().Order("account_id").Pluck("account_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("store: find due digests: %w", err)
	}
	return ids, nil
}

// TakeHeld marks the notifications held for an account since before
// cutoff as carried by a digest, and returns them, oldest first. Inside a
// transaction, a second caller finds none left.
func (s *Store) TakeHeld(ctx context.Context, accountID int64, cutoff time.Time) ([]mail.Message, error) {
	w, err := s.write(ctx)
	if err != nil {
		return nil, err
	}
	var recs []mailRecord
	err = w.Where("status = ? AND account_id = ? AND created_at < ?", mail.Held, accountID, cutoff.UTC()).Order("created_at, id").Find(&recs).Error
	if err != nil {
		return nil, fmt.Errorf("store: find held mail: %w", err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	if err := w.Exec("UPDATE mail_outbox SET status = ? WHERE id IN ?", mail.Digested, ids).Error; err != nil {
		return nil, fmt.Errorf("store: mark held mail digested: %w", err)
	}
	return mailDomain(recs), nil
}

// NotificationChoices returns the choices an account has made; a kind it
// has not chosen for is missing.
func (s *Store) NotificationChoices(ctx context.Context, accountID int64) (map[mail.Kind]mail.Choice, error) {
	var rows []struct{ Kind, Choice string }
	if err := s.read(ctx).Raw("SELECT kind, choice FROM notification_choices WHERE account_id = ?", accountID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: read notification choices: %w", err)
	}
	out := map[mail.Kind]mail.Choice{}
	for _, r := range rows {
		out[mail.Kind(r.Kind)] = mail.Choice(r.Choice)
	}
	return out, nil
}

// SaveNotificationChoices replaces an account's choices.
func (s *Store) SaveNotificationChoices(ctx context.Context, accountID int64, choices map[mail.Kind]mail.Choice) error {
	if err := s.exec(ctx, "DELETE FROM notification_choices WHERE account_id = ?", accountID); err != nil {
		return fmt.Errorf("store: save notification choices: %w", err)
	}
	for k, c := range choices {
		if err := s.exec(ctx, "INSERT INTO notification_choices (account_id, kind, choice) VALUES (?, ?, ?)", accountID, k, c); err != nil {
			return fmt.Errorf("store: save notification choices: %w", err)
		}
	}
	return nil
}

// PruneMail deletes at most limit sent, digested or failed messages
// created before cutoff.
func (s *Store) PruneMail(ctx context.Context, cutoff time.Time, limit int) error {
	err := s.exec(ctx, `DELETE FROM mail_outbox WHERE id IN (SELECT id FROM mail_outbox
		WHERE status IN (?, ?, ?) AND created_at < ? ORDER BY id LIMIT ?)`, mail.Sent, mail.Digested, mail.Failed, cutoff.UTC(), limit)
	if err != nil {
		return fmt.Errorf("store: prune the outbox: %w", err)
	}
	return nil
}
