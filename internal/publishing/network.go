package publishing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/workflow"
)

// The network's own shape: its settings, categories and subjects. Every
// change moves the content generation, since readers' pages show them.

// SaveSettings stores the network's settings, audited as actor's change.
func (s *Service) SaveSettings(ctx context.Context, actor workflow.Actor, n publisher.Settings) error {
	n.UpdatedAt = s.now().UTC()
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := tx.SaveNetwork(ctx, n); err != nil {
			return err
		}
		if err := tx.BumpGeneration(ctx); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: n.UpdatedAt, ActorID: actor.ID, Action: audit.SettingsSaved, Detail: n.Name})
	})
	if err != nil {
		return fmt.Errorf("publishing: save settings: %w", err)
	}
	return nil
}

// EnsureSettings saves publisher.Default if the network has no settings yet.
func (s *Service) EnsureSettings(ctx context.Context) error {
	return s.Atomically(ctx, func(tx *Service) error {
		if _, err := tx.st.Network(ctx); !errors.Is(err, store.ErrNotFound) {
			return err // saved already, or failed
		}
		return tx.SaveSettings(ctx, workflow.System, publisher.Default)
	})
}

// Categories lists every category by name.
func (s *Service) Categories(ctx context.Context) ([]article.Category, error) {
	return s.st.Categories(ctx)
}

// Subjects lists every subject by name.
func (s *Service) Subjects(ctx context.Context) ([]article.Subject, error) {
	return s.st.Subjects(ctx)
}

// SaveCategory creates a category (ID zero) or updates one. Its slug must
// be free.
func (s *Service) SaveCategory(ctx context.Context, c article.Category) (article.Category, error) {
	c, err := c.Normalize()
	if err != nil {
		return c, err
	}
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := slugFree(tx.CategorySlugTaken(ctx, c.Slug, c.ID)); err != nil {
			return err
		}
		if c.ID == 0 {
			if c, err = tx.InsertCategory(ctx, c); err == nil {
				err = tx.Reslug(ctx, store.SlugCategory, c.ID, "", c.Slug, s.now())
			}
		} else {
			err = resaveTaxon(ctx, tx, store.SlugCategory, c.ID, c.Slug, s.now(), func() error {
				return notFound(tx.SaveCategory(ctx, c), "There is no such category.")
			})
		}
		if err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	if err != nil {
		return c, fmt.Errorf("publishing: save category: %w", err)
	}
	return c, nil
}

// SaveSubject creates a subject (ID zero) or updates one. Its slug must be
// free.
func (s *Service) SaveSubject(ctx context.Context, sub article.Subject) (article.Subject, error) {
	sub, err := sub.Normalize()
	if err != nil {
		return sub, err
	}
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := slugFree(tx.SubjectSlugTaken(ctx, sub.Slug, sub.ID)); err != nil {
			return err
		}
		if sub.ID == 0 {
			if sub, err = tx.InsertSubject(ctx, sub); err == nil {
				err = tx.Reslug(ctx, store.SlugSubject, sub.ID, "", sub.Slug, s.now())
			}
		} else {
			err = resaveTaxon(ctx, tx, store.SlugSubject, sub.ID, sub.Slug, s.now(), func() error {
				return notFound(tx.SaveSubject(ctx, sub), "There is no such subject.")
			})
		}
		if err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	if err != nil {
		return sub, fmt.Errorf("publishing: save subject: %w", err)
	}
	return sub, nil
}

func slugFree(taken bool, err error) error {
	if err != nil || !taken {
		return err
	}
	return apperr.Field(article.FieldSlug, "This slug is already in use; choose another.")
}

// resaveTaxon saves an existing category or subject with save and, when its
// slug changed, leaves its old address redirecting to the new one.
func resaveTaxon(ctx context.Context, tx *store.Store, kind string, id int64, slug string, now time.Time, save func() error) error {
	old, err := tx.SlugOf(ctx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return save() // says there is no such item
	}
	if err != nil {
		return err
	}
	if err := save(); err != nil {
		return err
	}
	return tx.Reslug(ctx, kind, id, old, slug, now)
}
