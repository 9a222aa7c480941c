package store

import (
	"context"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/article"
)

// InsertCategory adds a category and returns it with its id.
func (s *Store) InsertCategory(ctx context.Context, c article.Category) (article.Category, error) {
	w, err := s.write(ctx)
	if err != nil {
		return c, err
	}
	rec := categoryRecord{Slug: c.Slug, Name: c.Name, Description: c.Description, CreatedAt: time.Now().UTC()}
	if err := w.Create(&rec).Error; err != nil {
		return c, fmt.Errorf("store: insert category: %w", err)
	}
	return rec.domain(), nil
}

// InsertSubject adds a subject and returns it with its id.
func (s *Store) InsertSubject(ctx context.Context, sub article.Subject) (article.Subject, error) {
	w, err := s.write(ctx)
	if err != nil {
		return sub, err
	}
	rec := subjectRecord{Slug: sub.Slug, Name: sub.Name, HubTitle: sub.HubTitle, Description: sub.Description, CreatedAt: time.Now().UTC()}
	if err := w.Create(&rec).Error; err != nil {
		return sub, fmt.Errorf("store: insert subject: %w", err)
	}
	return rec.domain(), nil
}

// SaveCategory writes an existing category; ErrNotFound if there is none.
func (s *Store) SaveCategory(ctx context.Context, c article.Category) error {
	return s.saveTaxon(ctx, &categoryRecord{ID: c.ID}, map[string]any{"slug": c.Slug, "name": c.Name, "description": c.Description})
}

// SaveSubject writes an existing subject; ErrNotFound if there is none.
func (s *Store) SaveSubject(ctx context.Context, sub article.Subject) error {
	return s.saveTaxon(ctx, &subjectRecord{ID: sub.ID},
		map[string]any{"slug": sub.Slug, "name": sub.Name, "hub_title": sub.HubTitle, "description": sub.Description})
}

func (s *Store) saveTaxon(ctx context.Context, model any, values map[string]any) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	res := w.Model(model).Updates(values)
	switch {
	case res.Error != nil:
		return fmt.Errorf("store: save taxon: %w", res.Error)
	case res.RowsAffected == 0:
		return fmt.Errorf("store: save taxon: %w", ErrNotFound)
	}
	return nil
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

// Taxonomy lists every category, subject and contributor (hidden ones too)
// by name, in one query.
func (s *Store) Taxonomy(ctx context.Context) (article.Taxonomy, error) {
	var rows []struct {
		Kind    string
		Subject subjectRecord `gorm:"embedded"`
		Hidden  bool
	}
	err := s.read(ctx).Raw(`SELECT 'c' AS kind, id, slug, name, '' AS hub_title, description, created_at, FALSE AS hidden FROM categories
		UNION ALL SELECT 's', id, slug, name, hub_title, description, created_at, FALSE FROM subjects
		UNION ALL SELECT 'p', id, slug, name, '', '', created_at, hidden FROM contributors
		ORDER BY 1, 4`).Scan(&rows).Error
	if err != nil {
		return article.Taxonomy{}, fmt.Errorf("store: list categories, subjects and contributors: %w", err)
	}
	var t article.Taxonomy
	for _, r := range rows {
		switch r.Kind {
		case "c":
			t.Categories = append(t.Categories, article.Category{ID: r.Subject.ID, Slug: r.Subject.Slug, Name: r.Subject.Name, Description: r.Subject.Description})
		case "s":
			t.Subjects = append(t.Subjects, r.Subject.domain())
		default:
			t.Contributors = append(t.Contributors, article.Contributor{ID: r.Subject.ID, Slug: r.Subject.Slug, Name: r.Subject.Name, Hidden: r.Hidden})
		}
	}
	return t, nil
}

// CategoryBySlug finds a category by its slug.
func (s *Store) CategoryBySlug(ctx context.Context, slug string) (article.Category, error) {
	if d, id, ok, err := s.sharedSlug(ctx, 'c', slug); err != nil {
		return article.Category{}, err
	} else if ok {
		return d.categories[id], nil
	}
	var rec categoryRecord
	if err := s.read(ctx).Where("slug = ?", slug).Take(&rec).Error; err != nil {
		return article.Category{}, found(err, "find category %q", slug)
	}
	return rec.domain(), nil
}

// SubjectBySlug finds a subject by its slug.
func (s *Store) SubjectBySlug(ctx context.Context, slug string) (article.Subject, error) {
	if d, id, ok, err := s.sharedSlug(ctx, 's', slug); err != nil {
		return article.Subject{}, err
	} else if ok {
		return d.subjects[id], nil
	}
	var rec subjectRecord
	if err := s.read(ctx).Where("slug = ?", slug).Take(&rec).Error; err != nil {
		return article.Subject{}, found(err, "find subject %q", slug)
	}
	return rec.domain(), nil
}

// CategorySlugTaken reports whether a category other than except uses slug.
func (s *Store) CategorySlugTaken(ctx context.Context, slug string, except int64) (bool, error) {
	return s.slugTaken(ctx, "categories", slug, except)
}

// SubjectSlugTaken reports whether a subject other than except uses slug.
func (s *Store) SubjectSlugTaken(ctx context.Context, slug string, except int64) (bool, error) {
	return s.slugTaken(ctx, "subjects", slug, except)
}

func (s *Store) slugTaken(ctx context.Context, table, slug string, except int64) (bool, error) {
	var n int64
	if err := s.read(ctx).Table(table).Where("slug = ? AND id <> ?", slug, except).Count(&n).Error; err != nil {
		return false, fmt.Errorf("store: check %s slug: %w", table, err)
	}
	return n > 0, nil
}
