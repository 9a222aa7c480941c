package publishing

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/workflow"
)

// The media library: images uploaded once, described, credited and then
// shown by revisions. Uploading changes nothing readers see; withdrawing
// and changing the focal point do, and move the content generation.

const noSuchImage = "There is no such image in the library."

// Upload is an image as an editor sends it.
type Upload struct {
	Data     []byte
	FileName string // metadata only
	media.Details
}

// Imaging makes the service check and render images with p.
func (s *Service) Imaging(p *media.Processor) *Service {
	s.images = p
	return s
}

// UploadMedia adds an image to the library. The bytes say what it is and
// must decode in full; an image already in the library (the same bytes)
// is that item, returned with existing true and its details unchanged.
func (s *Service) UploadMedia(ctx context.Context, actor workflow.Actor, up Upload) (it media.Item, existing bool, err error) {
	if err := workflow.ManageMedia(actor); err != nil {
		return it, false, err
	}
	d, verr := up.Details.Normalize()
	if len(up.Data) == 0 {
		return it, false, apperr.Field(media.FieldFile, "Choose an image file to upload.")
	}
	h, err := s.images.Check(ctx, up.Data)
	if err != nil {
		return it, false, err
	}
	if verr != nil {
		return it, false, verr
	}
	sum := sha256.Sum256(up.Data)
	it = media.Item{SHA256: hex.EncodeToString(sum[:]), Tag: media.NewTag(), Format: h.Format, Width: h.Width, Height: h.Height,
		FileName: cleanFileName(up.FileName), Details: d, UploadedBy: actor.ID}
	now := s.now().UTC()
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		old, err := tx.MediaByHash(ctx, it.SHA256)
		switch {
		case err == nil && old.Withdrawn():
			return apperr.Errorf(apperr.Conflict, "This image was withdrawn on %s and cannot be uploaded again.", old.WithdrawnAt.Format("2 January 2006"))
		case err == nil:
			it, existing = old, true
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if it, err = tx.InsertMedia(ctx, it, up.Data, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.MediaUploaded, Detail: mediaDetail(it)})
	})
	if err != nil {
		return it, false, fmt.Errorf("publishing: upload media: %w", err)
	}
	return it, existing, nil
}

// cleanFileName keeps the last part of an uploaded name, in printable
// characters and bounded: it is shown, never used as a path.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}

func mediaDetail(it media.Item) string {
	d := fmt.Sprintf("#%d %s, %d × %d", it.ID, strings.ToUpper(string(it.Format)), it.Width, it.Height)
	if it.FileName != "" {
		d += " (" + it.FileName + ")"
	}
	return d
}

// MediaLibrary lists one page of the library, newest first, found by
// words of its alt text, caption, credit or file name.
func (s *Service) MediaLibrary(ctx context.Context, q string, limit, offset int) ([]media.Item, int, error) {
	return s.st.MediaItems(ctx, strings.TrimSpace(q), limit, offset)
}

// MediaItem returns one image of the library.
func (s *Service) MediaItem(ctx context.Context, id int64) (media.Item, error) {
	it, err := s.st.MediaItem(ctx, id)
	return it, notFound(err, noSuchImage)
}

// MediaUses lists the newest revisions that show an image, at most limit,
// and how many do.
func (s *Service) MediaUses(ctx context.Context, id int64, limit int) ([]media.Usage, int, error) {
	return s.st.MediaUses(ctx, id, limit)
}

// MediaOriginal returns an image as it was uploaded, with its metadata:
// for the desk only.
func (s *Service) MediaOriginal(ctx context.Context, id int64) (media.Item, []byte, error) {
	it, err := s.MediaItem(ctx, id)
	if err != nil {
		return it, nil, err
	}
	data, err := s.st.MediaOriginal(ctx, id)
	return it, data, notFound(err, noSuchImage)
}

// SaveMediaDetails changes what the library says about an image. Revisions
// that show it keep the words they were saved with; a moved focal point
// recuts the crops of every page that shows it.
func (s *Service) SaveMediaDetails(ctx context.Context, actor workflow.Actor, id int64, d media.Details) (media.Item, error) {
	if err := workflow.ManageMedia(actor); err != nil {
		return media.Item{}, err
	}
	d, err := d.Normalize()
	if err != nil {
		return media.Item{}, err
	}
	now := s.now().UTC()
	var it media.Item
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if it, err = tx.MediaItem(ctx, id); err != nil {
			return notFound(err, noSuchImage)
		}
		if err := tx.SaveMediaDetails(ctx, id, d, now); err != nil {
			return err
		}
		if d.FocusX != it.FocusX || d.FocusY != it.FocusY {
			if err := tx.BumpGeneration(ctx); err != nil {
				return err
			}
		}
		it.Details = d
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.MediaChanged, Detail: mediaDetail(it)})
	})
	if err != nil {
		return it, fmt.Errorf("publishing: save media details: %w", err)
	}
	return it, nil
}

// WithdrawMedia takes an image down: its public renditions answer 410
// Gone and pages drop it, while the original stays for the record.
func (s *Service) WithdrawMedia(ctx context.Context, actor workflow.Actor, id int64) (media.Item, error) {
	return s.takeDown(ctx, actor, id, audit.MediaWithdrawn, func(tx *store.Store, it *media.Item, now time.Time) error {
		if it.Withdrawn() {
			return apperr.Errorf(apperr.Conflict, "This image was already withdrawn on %s.", it.WithdrawnAt.Format("2 January 2006"))
		}
		it.WithdrawnAt = now
		return tx.WithdrawMedia(ctx, id, actor.ID, now)
	})
}

// DeleteMedia removes an image, original and all; only an image no
// revision ever showed may go, since revisions are kept as they were.
func (s *Service) DeleteMedia(ctx context.Context, actor workflow.Actor, id int64) (media.Item, error) {
	return s.takeDown(ctx, actor, id, audit.MediaDeleted, func(tx *store.Store, _ *media.Item, _ time.Time) error {
		deleted, err := tx.DeleteMedia(ctx, id)
		if err == nil && !deleted {
			err = apperr.Errorf(apperr.Conflict, "A revision shows this image, so it cannot be deleted; withdraw it instead.")
		}
		return err
	})
}

// takeDown runs an admin's withdrawal or deletion of an image: the rules,
// the change, the content generation moved (pages show the image no more)
// and the audit entry, in one transaction.
func (s *Service) takeDown(ctx context.Context, actor workflow.Actor, id int64, action audit.Action,
	change func(tx *store.Store, it *media.Item, now time.Time) error) (media.Item, error) {
	if err := workflow.WithdrawMedia(actor); err != nil {
		return media.Item{}, err
	}
	now := s.now().UTC()
	var it media.Item
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		var err error
		if it, err = tx.MediaItem(ctx, id); err != nil {
			return notFound(err, noSuchImage)
		}
		if err := change(tx, &it, now); err != nil {
			return err
		}
		if err := tx.BumpGeneration(ctx); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: action, Detail: mediaDetail(it)})
	})
	if err != nil {
		return it, fmt.Errorf("publishing: %s: %w", action, err)
	}
	return it, nil
}

// illustrate resolves the images a prepared revision shows: each must be
// in the library and not withdrawn. The body's images become figures
// (their captions and credits as the library has them now, kept with the
// revision), and the lead image's words default from the library's.
func illustrate(ctx context.Context, tx *store.Store, rev article.Revision) (article.Revision, error) {
	ids := make([]int64, 0, len(rev.Images)+1)
	if rev.Lead.MediaID != 0 {
		ids = append(ids, rev.Lead.MediaID)
	}
	for _, u := range rev.Images {
		ids = append(ids, u.MediaID)
	}
	if len(ids) == 0 {
		return rev, nil
	}
	items, err := tx.MediaItemsByID(ctx, ids)
	if err != nil {
		return rev, err
	}
	v := apperr.Validation{}
	refuse := func(field string, id int64, where string) bool {
		it, ok := items[id]
		switch {
		case !ok:
			v.Add(field, fmt.Sprintf("%s image %d (/media/%d), which is not in the media library.", where, id, id))
		case it.Withdrawn():
			v.Add(field, fmt.Sprintf("%s image %d (/media/%d), which was withdrawn; remove it.", where, id, id))
		default:
			return false
		}
		return true
	}
	var uses []article.ImageUse
	if id := rev.Lead.MediaID; id != 0 && !refuse(article.FieldLeadImage, id, "The lead image is") {
		it := items[id]
		// Words typed for this article win; a decorative image has no
		// alt text unless the article gives it one.
		decorative := it.Decorative && rev.Lead.Alt == ""
		if !decorative {
			rev.Lead.Alt = cmp.Or(rev.Lead.Alt, it.Alt)
		}
		rev.Lead.Caption = cmp.Or(rev.Lead.Caption, it.Caption)
		rev.Lead.Credit = cmp.Or(rev.Lead.Credit, it.Credit)
		rev.Lead.SourceURL, rev.Lead.Licence = it.SourceURL, it.Licence
		uses = append(uses, article.ImageUse{MediaID: id, Lead: true, Alt: rev.Lead.Alt, Decorative: decorative})
	}
	for _, u := range rev.Images {
		if refuse(article.FieldBody, u.MediaID, "The body shows") {
			break
		}
	}
	if err := v.Err(); err != nil {
		return rev, err
	}
	html, body := media.Illustrate(rev.BodyHTML, items)
	rev.BodyHTML, rev.Images = html, append(uses, body...)
	return rev, nil
}

// leadChoiceCount is how many of the library's newest images the article
// form offers as its lead image.
const leadChoiceCount = 100

// LeadChoices are the images the article form offers as its lead image:
// the library's newest that readers may see, and chosen (an id as the
// form holds it) wherever it is.
func (s *Service) LeadChoices(ctx context.Context, chosen string) ([]media.Item, error) {
	items, err := s.st.NewestMedia(ctx, leadChoiceCount)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(chosen, 10, 64)
	if err != nil || slices.ContainsFunc(items, func(it media.Item) bool { return it.ID == id }) {
		return items, nil
	}
	if it, err := s.st.MediaItem(ctx, id); err == nil {
		items = append(items, it)
	}
	return items, nil
}

// stillShown refuses to restore revision n when it shows an image since
// withdrawn: a takedown is not undone by going back in history.
func stillShown(ctx context.Context, tx *store.Store, n int, images []article.ImageUse) error {
	if len(images) == 0 {
		return nil
	}
	ids := make([]int64, len(images))
	for i, u := range images {
		ids[i] = u.MediaID
	}
	items, err := tx.MediaItemsByID(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if items[id].Withdrawn() {
			return apperr.Errorf(apperr.Conflict, "Revision %d cannot be restored: it shows image %d, which was withdrawn. Edit the article without it instead.", n, id)
		}
	}
	return nil
}
