package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/quire-cms/quire/internal/article"
)

type scratchRecord struct {
	AccountID int64 `gorm:"primaryKey;autoIncrement:false"`
	ArticleID int64 `gorm:"primaryKey;autoIncrement:false"`
	Base      int
	Form      string
	SavedAt   time.Time
}

func (scratchRecord) TableName() string { return "scratch_copies" }

// KeepScratch stores an editor's scratch copy of an article form,
// replacing theirs for that article.
func (s *Store) KeepScratch(ctx context.Context, sc article.Scratch) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	rec := scratchRecord{AccountID: sc.AccountID, ArticleID: sc.ArticleID, Base: sc.Base, Form: sc.Form, SavedAt: sc.SavedAt.UTC()}
	err = w.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "account_id"}, {Name: "article_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"base", "form", "saved_at"}),
	}).Create(&rec).Error
	if err != nil {
		return fmt.Errorf("store: keep scratch copy: %w", err)
	}
	return nil
}

// Scratch returns an editor's scratch copy for an article; ErrNotFound if
// they have none.
func (s *Store) Scratch(ctx context.Context, accountID, articleID int64) (article.Scratch, error) {
	var rec scratchRecord
	err := s.read(ctx).Where("account_id = ? AND article_id = ?", accountID, articleID).Take(&rec).Error
	if err != nil {
		return article.Scratch{}, found(err, "find scratch copy")
	}
	return article.Scratch{AccountID: rec.AccountID, ArticleID: rec.ArticleID, Base: rec.Base, Form: rec.Form, SavedAt: rec.SavedAt}, nil
}

// DropScratch deletes an editor's scratch copy for an article, if any, and
// reports whether there was one.
func (s *Store) DropScratch(ctx context.Context, accountID, articleID int64) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	res := w.Exec("DELETE FROM scratch_copies WHERE account_id = ? AND article_id = ?", accountID, articleID)
	if res.Error != nil {
		return false, fmt.Errorf("store: drop scratch copy: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// TrimScratch deletes an editor's oldest scratch copies beyond keep.
func (s *Store) TrimScratch(ctx context.Context, accountID int64, keep int) error {
	err := s.exec(ctx, `DELETE FROM scratch_copies WHERE account_id = ? AND article_id NOT IN
		(SELECT article_id FROM scratch_copies WHERE account_id = ? ORDER BY saved_at DESC, article_id LIMIT ?)`, accountID, accountID, keep)
	if err != nil {
		return fmt.Errorf("store: trim scratch copies: %w", err)
	}
	return nil
}

// ScratchSince returns when an editor's scratch copy for an article was
// kept, without its form; zero when there is none.
func (s *Store) ScratchSince(ctx context.Context, accountID, articleID int64) (time.Time, error) {
	var at []time.Time
	err := s.read(ctx).Model(&scratchRecord{}).Where("account_id = ? AND article_id = ?", accountID, articleID).Pluck("saved_at", &at).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("store: find scratch copy: %w", err)
	}
	if len(at) == 0 {
		return time.Time{}, nil
	}
	return at[0], nil
}

// SeenEditing records that an account has an article's form open, now;
// opened_at stays as it was unless the last sign of life is older than
// the presence window.
func (s *Store) SeenEditing(ctx context.Context, articleID, accountID int64, now time.Time) error {
	now = now.UTC()
	err := s.exec(ctx, `INSERT INTO presence (article_id, account_id, opened_at, seen_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (article_id, account_id) DO UPDATE SET seen_at = excluded.seen_at,
		opened_at = CASE WHEN presence.seen_at < ? THEN excluded.opened_at ELSE presence.opened_at END`,
		articleID, accountID, now, now, now.Add(-article.PresenceWindow))
	if err != nil {
		return fmt.Errorf("store: record presence: %w", err)
	}
	return nil
}

// LeftEditing forgets that an account has an article's form open.
func (s *Store) LeftEditing(ctx context.Context, articleID, accountID int64) error {
	if err := s.exec(ctx, "DELETE FROM presence WHERE article_id = ? AND account_id = ?", articleID, accountID); err != nil {
		return fmt.Errorf("store: forget presence: %w", err)
	}
	return nil
}

// Editing lists who else than accountID has had an article's form open
// since after, by when they opened it.
func (s *Store) Editing(ctx context.Context, articleID, accountID int64, after time.Time) ([]article.Editing, error) {
	var rows []struct {
		AccountID int64
		Name      string
		OpenedAt  time.Time
	}
	err := s.read(ctx).Table("presence p").Joins("JOIN accounts a ON a.id = p.account_id").
		Select("p.account_id, a.name, p.opened_at").
		Where("p.article_id = "+intParam+" AND p.account_id <> "+intParam+" AND p.seen_at > ?", articleID, accountID, after.UTC()).
		Order("p.opened_at").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list who is editing: %w", err)
	}
	out := make([]article.Editing, len(rows))
	for i, r := range rows {
		out[i] = article.Editing{AccountID: r.AccountID, Name: r.Name, Since: r.OpenedAt}
	}
	return out, nil
}
