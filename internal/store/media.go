package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/media"
)

type mediaRecord struct {
	ID          int64
	SHA256      string `gorm:"column:sha256"`
	Tag         string
	Format      string
	Width       int
	Height      int
	Size        int64
	FileName    string
	Alt         string
	Decorative  bool
	Caption     string
	Credit      string
	SourceURL   string
	Licence     string
	FocusX      int
	FocusY      int
	UploadedBy  sql.NullInt64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	WithdrawnAt sql.NullTime
	WithdrawnBy sql.NullInt64
}

func (mediaRecord) TableName() string { return "media" }

func (r mediaRecord) domain() media.Item {
	return media.Item{ID: r.ID, SHA256: r.SHA256, Tag: r.Tag, Format: media.Format(r.Format), Width: r.Width, Height: r.Height, Size: r.Size,
		FileName: r.FileName, Details: media.Details{Alt: r.Alt, Decorative: r.Decorative, Caption: r.Caption, Credit: r.Credit,
			SourceURL: r.SourceURL, Licence: r.Licence, FocusX: r.FocusX, FocusY: r.FocusY},
		UploadedBy: r.UploadedBy.Int64, CreatedAt: r.CreatedAt, WithdrawnAt: r.WithdrawnAt.Time}
}

type mediaFileRecord struct {
	MediaID int64 `gorm:"primaryKey;autoIncrement:false"`
	Data    []byte
}

func (mediaFileRecord) TableName() string { return "media_files" }

// mediaRow is an item with its uploader's name and how many revisions
// show it.
type mediaRow struct {
	Media    mediaRecord `gorm:"embedded"`
	Uploader string
	Uses     int
}

func (r mediaRow) domain() media.Item {
	it := r.Media.domain()
	it.UploaderName, it.Uses = r.Uploader, r.Uses
	return it
}

// mediaColumns read an image with its uploader's name; the library's list
// also counts its uses (listedColumns), which readers' lookups never need.
const (
	mediaColumns  = "m.*, COALESCE(a.name, '') AS uploader, 0 AS uses"
	listedColumns = "m.*, COALESCE(a.name, '') AS uploader, (SELECT COUNT(DISTINCT u.revision_id) FROM revision_media u WHERE u.media_id = m.id) AS uses"
)

// InsertMedia adds an image with its original's bytes.
func (s *Store) InsertMedia(ctx context.Context, it media.Item, data []byte, now time.Time) (media.Item, error) {
	w, err := s.write(ctx)
	if err != nil {
		return it, err
	}
	now = now.UTC()
	rec := mediaRecord{SHA256: it.SHA256, Tag: it.Tag, Format: string(it.Format), Width: it.Width, Height: it.Height, Size: int64(len(data)),
		FileName: it.FileName, Alt: it.Alt, Decorative: it.Decorative, Caption: it.Caption, Credit: it.Credit,
		SourceURL: it.SourceURL, Licence: it.Licence, FocusX: it.FocusX, FocusY: it.FocusY,
		UploadedBy: nullable(it.UploadedBy), CreatedAt: now, UpdatedAt: now}
	if err := w.Create(&rec).Error; err != nil {
		return it, fmt.Errorf("store: insert media: %w", err)
	}
	if err := w.Create(&mediaFileRecord{MediaID: rec.ID, Data: data}).Error; err != nil {
		return it, fmt.Errorf("store: insert media %d's original: %w", rec.ID, err)
	}
	return rec.domain(), nil
}

// MediaByHash finds the image whose original has this SHA-256.
func (s *Store) MediaByHash(ctx context.Context, sha256 string) (media.Item, error) {
	return s.mediaWhere(ctx, "m.sha256 = "+textParam, sha256)
}

// MediaItem finds an image by id.
func (s *Store) MediaItem(ctx context.Context, id int64) (media.Item, error) {
	return s.mediaWhere(ctx, "m.id = "+intParam, id)
}

func (s *Store) mediaWhere(ctx context.Context, where string, arg any) (media.Item, error) {
	var row mediaRow
	err := s.read(ctx).Table("media m").Joins("LEFT JOIN accounts a ON a.id = m.uploaded_by").
		Select(mediaColumns).Where(where, arg).Take(&row).Error
	if err != nil {
		return media.Item{}, found(err, "find media %v", arg)
	}
	return row.domain(), nil
}

// MediaItems lists one page of the library, newest first: the images
// whose alt text, caption, credit or file name contain q when q is not
// empty (case-insensitively for ASCII letters), and how many match.
func (s *Store) MediaItems(ctx context.Context, q string, limit, offset int) ([]media.Item, int, error) {
	db := s.read(ctx).Table("media m")
	if q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		db = db.Where(`lower(m.alt) LIKE ? ESCAPE '\' OR lower(m.caption) LIKE ? ESCAPE '\'
			OR lower(m.credit) LIKE ? ESCAPE '\' OR lower(m.file_name) LIKE ? ESCAPE '\'`, like, like, like, like)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count media: %w", err)
	}
	var rows []mediaRow
	err := db.Joins("LEFT JOIN accounts a ON a.id = m.uploaded_by").Select(listedColumns).
		Order("m.created_at DESC, m.id DESC").Limit(limit).Offset(offset).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: list media: %w", err)
	}
	out := make([]media.Item, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, int(total), nil
}

// NewestMedia lists the library's newest images readers may see, at most
// limit of them.
func (s *Store) NewestMedia(ctx context.Context, limit int) ([]media.Item, error) {
	var rows []mediaRecord
	err := s.read(ctx).Table("media m").Where("m.withdrawn_at IS NULL").Order("m.created_at DESC, m.id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: list the newest media: %w", err)
	}
	out := make([]media.Item, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// MediaOriginal returns the bytes of an image as it was uploaded.
func (s *Store) MediaOriginal(ctx context.Context, id int64) ([]byte, error) {
	var rec mediaFileRecord
	if err := s.read(ctx).Where("media_id = "+intParam, id).Take(&rec).Error; err != nil {
		return nil, found(err, "read media %d's original", id)
	}
	return rec.Data, nil
}

// SaveMediaDetails changes what the library says about an image.
func (s *Store) SaveMediaDetails(ctx context.Context, id int64, d media.Details, now time.Time) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	res := w.Model(&mediaRecord{ID: id}).Updates(map[string]any{"alt": d.Alt, "decorative": d.Decorative, "caption": d.Caption,
		"credit": d.Credit, "source_url": d.SourceURL, "licence": d.Licence, "focus_x": d.FocusX, "focus_y": d.FocusY,
		"updated_at": now.UTC()})
	if res.Error != nil {
		return fmt.Errorf("store: save media %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: save media %d: %w", id, ErrNotFound)
	}
	return nil
}

// WithdrawMedia marks an image taken down by an account.
func (s *Store) WithdrawMedia(ctx context.Context, id, by int64, now time.Time) error {
	return s.exec(ctx, "UPDATE media SET withdrawn_at = ?, withdrawn_by = ?, updated_at = ? WHERE id = ?",
		now.UTC(), nullable(by), now.UTC(), id)
}

// DeleteMedia removes an image no revision ever showed, with its
// original; it reports whether one was removed.
func (s *Store) DeleteMedia(ctx context.Context, id int64) (bool, error) {
	w, err := s.write(ctx)
	if err != nil {
		return false, err
	}
	var used int64
	if err := w.Raw("SELECT COUNT(*) FROM revision_media WHERE media_id = ?", id).Scan(&used).Error; err != nil {
		return false, fmt.Errorf("store: check media %d's uses: %w", id, err)
	}
	if used > 0 {
		return false, nil
	}
	if err := w.Exec("DELETE FROM media_files WHERE media_id = ?", id).Error; err != nil {
		return false, fmt.Errorf("store: delete media %d's original: %w", id, err)
	}
	res := w.Exec("DELETE FROM media WHERE id = ?", id)
	if res.Error != nil {
		return false, fmt.Errorf("store: delete media %d: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// MediaItemsByID returns the library's images among ids, by id.
func (s *Store) MediaItemsByID(ctx context.Context, ids []int64) (map[int64]media.Item, error) {
	var rows []mediaRow
	err := s.read(ctx).Table("media m").Joins("LEFT JOIN accounts a ON a.id = m.uploaded_by").Select(mediaColumns).
		Where("m.id IN ?", distinct(ids)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: find media: %w", err)
	}
	out := make(map[int64]media.Item, len(rows))
	for _, r := range rows {
		out[r.Media.ID] = r.domain()
	}
	return out, nil
}

// MediaUses lists the revisions that show an image, newest first, at most
// limit of them, and how many there are.
func (s *Store) MediaUses(ctx context.Context, id int64, limit int) ([]media.Usage, int, error) {
	var total int64
	if err := s.read(ctx).Table("revision_media").Where("media_id = "+intParam, id).Distinct("revision_id").Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count media %d's uses: %w", id, err)
	}
	var out []media.Usage
	err := s.read(ctx).Raw(`SELECT r.article_id, r.number AS revision_number, r.title, MAX(CASE WHEN u.lead THEN 1 ELSE 0 END) = 1 AS lead
		FROM revision_media u JOIN revisions r ON r.id = u.revision_id
		WHERE u.media_id = `+intParam+` GROUP BY r.id, r.article_id, r.number, r.title ORDER BY r.id DESC LIMIT ?`, id, limit).Scan(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: list media %d's uses: %w", id, err)
	}
	return out, int(total), nil
}

// WithdrawnMedia lists the images admins withdrew.
func (s *Store) WithdrawnMedia(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := s.read(ctx).Raw("SELECT id FROM media WHERE withdrawn_at IS NOT NULL").Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("store: list withdrawn media: %w", err)
	}
	return ids, nil
}
