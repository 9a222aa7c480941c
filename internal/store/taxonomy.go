package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
)

// CreateCategory adds a category; its slug must be free.
func (s *Store) CreateCategory(ctx context.Context, c article.Category) (article.Category, error) {
	rec := categoryRecord{Slug: c.Slug, Name: c.Name, Description: c.Description, CreatedAt: time.Now().UTC()}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := slugFree(tx, "categories", c.Slug); err != nil {
			return err
		}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		return bumpGeneration(tx)
	})
	if err != nil {
		return article.Category{}, fmt.Errorf("store: create category: %w", err)
	}
	return rec.domain(), nil
}

// CreateSubject adds a subject; its slug must be free.
func (s *Store) CreateSubject(ctx context.Context, sub article.Subject) (article.Subject, error) {
	rec := subjectRecord{Slug: sub.Slug, Name: sub.Name, HubTitle: sub.HubTitle, Description: sub.Description, CreatedAt: time.Now().UTC()}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := slugFree(tx, "subjects", sub.Slug); err != nil {
			return err
		}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		return bumpGeneration(tx)
	})
	if err != nil {
		return article.Subject{}, fmt.Errorf("store: create subject: %w", err)
	}
	return rec.domain(), nil
}

// Categories lists every category by name.
func (s *Store) Categories(ctx context.Context) ([]article.Category, error) {
	var recs []categoryRecord
	if err := s.read(ctx).Order("name").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list categories: %w", err)
	}
	out := make([]article.Category, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// CategoryBySlug finds a category by its slug.
func (s *Store) CategoryBySlug(ctx context.Context, slug string) (article.Category, error) {
	var rec categoryRecord
	err := s.read(ctx).Where("slug = ?", slug).Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return article.Category{}, apperr.Errorf(apperr.NotFound, "There is no category at this address.")
	}
	if err != nil {
		return article.Category{}, fmt.Errorf("store: find category: %w", err)
	}
	return rec.domain(), nil
}

// SubjectBySlug finds a subject by its slug.
func (s *Store) SubjectBySlug(ctx context.Context, slug string) (article.Subject, error) {
	var rec subjectRecord
	err := s.read(ctx).Where("slug = ?", slug).Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return article.Subject{}, apperr.Errorf(apperr.NotFound, "There is no subject at this address.")
	}
	if err != nil {
		return article.Subject{}, fmt.Errorf("store: find subject: %w", err)
	}
	return rec.domain(), nil
}

func slugFree(tx *gorm.DB, table, slug string) error { return slugFreeExcept(tx, table, slug, 0) }

// Subjects lists every subject by name.
func (s *Store) Subjects(ctx context.Context) ([]article.Subject, error) {
	var recs []subjectRecord
	if err := s.read(ctx).Order("name").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("store: list subjects: %w", err)
	}
	out := make([]article.Subject, len(recs))
	for i, r := range recs {
		out[i] = r.domain()
	}
	return out, nil
}

// UpdateCategory saves an edited category; readers' pages change with it.
func (s *Store) UpdateCategory(ctx context.Context, c article.Category) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := slugFreeExcept(tx, "categories", c.Slug, c.ID); err != nil {
			return err
		}
		res := tx.Model(&categoryRecord{ID: c.ID}).Updates(map[string]any{"slug": c.Slug, "name": c.Name, "description": c.Description})
		if res.Error == nil && res.RowsAffected == 0 {
			return apperr.Errorf(apperr.NotFound, "There is no such category.")
		}
		if res.Error != nil {
			return res.Error
		}
		return bumpGeneration(tx)
	})
	if err != nil {
		return fmt.Errorf("store: update category: %w", err)
	}
	return nil
}

// UpdateSubject saves an edited subject; readers' pages change with it.
func (s *Store) UpdateSubject(ctx context.Context, sub article.Subject) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := slugFreeExcept(tx, "subjects", sub.Slug, sub.ID); err != nil {
			return err
		}
		res := tx.Model(&subjectRecord{ID: sub.ID}).Updates(map[string]any{"slug": sub.Slug, "name": sub.Name, "hub_title": sub.HubTitle, "description": sub.Description})
		if res.Error == nil && res.RowsAffected == 0 {
			return apperr.Errorf(apperr.NotFound, "There is no such subject.")
		}
		if res.Error != nil {
			return res.Error
		}
		return bumpGeneration(tx)
	})
	if err != nil {
		return fmt.Errorf("store: update subject: %w", err)
	}
	return nil
}

func slugFreeExcept(tx *gorm.DB, table, slug string, id int64) error {
	var n int64
	if err := tx.Table(table).Where("slug = ? AND id <> ?", slug, id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "That slug is already taken.",
			Fields: map[string]string{article.FieldSlug: "This slug is already in use; choose another."}}
	}
	return nil
}
