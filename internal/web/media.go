package web

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/internal/workflow"
	"github.com/quire-cms/quire/views/desk"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// The media library on the desk, and the renditions readers are served.

// showMedia lists the library, found by words and paginated, with the
// upload form.
func (s *Server) showMedia(c echo.Context) error {
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{media.FieldFocusX: "50", media.FieldFocusY: "50"}}
	return s.renderMedia(c, http.StatusOK, form)
}

func (s *Server) renderMedia(c echo.Context, status int, form desk.Form) error {
	pg, err := pageOf(c.QueryParam("page"), deskPageSize)
	if err != nil {
		return err
	}
	q := clip(c.QueryParam("q"), 200)
	items, total, err := s.pub.MediaLibrary(c.Request().Context(), q, pg.Size, pg.Offset())
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	p := desk.MediaPage{Query: q, Total: total, Page: pg.N, Pages: pg.Pages, ListHref: urls.DeskMedia(), Upload: form,
		MaxUploadMB: int(s.cfg.MaxUploadBytes >> 20)}
	if workflow.ManageMedia(actorOf(c)) == nil {
		p.Action = urls.DeskMedia()
	}
	for _, it := range items {
		p.Rows = append(p.Rows, desk.MediaRow{Href: urls.DeskMediaItem(it.ID), Thumb: thumbOf(it), Alt: it.Alt, Uses: it.Uses,
			Credit: it.Credit, FileName: it.FileName, Size: sizeOf(it), Withdrawn: it.Withdrawn(),
			Uploaded: "Uploaded " + s.deskTime(c, it.CreatedAt) + byName(it.UploaderName)})
	}
	query := c.QueryParams()
	p.Prev, p.Next = pg.links(func(k int) string {
		query.Set("page", strconv.Itoa(k))
		return urls.DeskMedia() + "?" + query.Encode()
	})
	return renderPrivate(c, status, desk.Media(s.shell(c, "Media", urls.DeskMedia()), p))
}

func byName(name string) string {
	if name == "" {
		return ""
	}
	return " by " + name
}

// thumbOf is an image's library thumbnail; none for a withdrawn one.
func thumbOf(it media.Item) desk.Thumb {
	if it.Withdrawn() {
		return desk.Thumb{}
	}
	return desk.Thumb{Src: it.URL(media.Thumb.Cut(it, media.OutJPEG)), Src2x: it.URL(media.ThumbTwice.Cut(it, media.OutJPEG))}
}

// sizeOf says an image's particulars: "4000 × 3000 px, JPEG, 2.1 MB".
func sizeOf(it media.Item) string {
	return fmt.Sprintf("%d × %d px, %s, %s", it.Width, it.Height, strings.ToUpper(string(it.Format)), megabytes(it.Size))
}

func megabytes(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt((n+1023)>>10, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// detailsFrom reads an image's details from a form; a focal point that is
// not a number becomes one the rules refuse by name.
func detailsFrom(c echo.Context) media.Details {
	percent := func(name string) int {
		raw := strings.TrimSpace(c.FormValue(name))
		if raw == "" {
			return media.Centre
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return -1
		}
		return n
	}
	return media.Details{Alt: c.FormValue(media.FieldAlt), Decorative: c.FormValue(media.FieldDecorative) == "1",
		Caption: c.FormValue(media.FieldCaption), Credit: c.FormValue(media.FieldCredit), SourceURL: c.FormValue(media.FieldSourceURL),
		Licence: c.FormValue(media.FieldLicence), FocusX: percent(media.FieldFocusX), FocusY: percent(media.FieldFocusY)}
}

// uploadMedia adds an image to the library and shows it.
func (s *Server) uploadMedia(c echo.Context) error {
	up := publishing.Upload{Details: detailsFrom(c)}
	var it media.Item
	var existing bool
	var err error
	if up.FileName, up.Data, err = s.uploaded(c, media.FieldFile); err == nil {
		it, existing, err = s.pub.UploadMedia(c.Request().Context(), actorOf(c), up)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderMedia(c, refusedStatus(c), formFrom(c, err, desk.MediaUploadFields))
	}
	if err != nil {
		return err
	}
	if existing {
		s.flash(c, "This image is already in the library; here it is, with its details as they were.")
	} else {
		s.flash(c, "Uploaded the image.")
	}
	return c.Redirect(http.StatusSeeOther, urls.DeskMediaItem(it.ID))
}

// uploaded reads the file sent in field: none when none was chosen, and
// a refusal naming the limit (the request marked, for a 413) when it is
// over the limit.
func (s *Server) uploaded(c echo.Context, field string) (name string, data []byte, err error) {
	if !uploadWasTooLarge(c) {
		fh, err := c.FormFile(field)
		if err != nil {
			return "", nil, nil // no file chosen
		}
		f, err := fh.Open()
		if err != nil {
			return "", nil, err
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, s.cfg.MaxUploadBytes+1)); err != nil {
			return "", nil, err
		}
		if int64(len(data)) <= s.cfg.MaxUploadBytes {
			return fh.Filename, data, nil
		}
		c.Set(tooLargeKey, true)
	}
	return "", nil, apperr.Field(field, fmt.Sprintf("The file is larger than the upload limit of %d MB, so nothing was saved; everything else you typed is kept. Scale the image down or save it with more compression, and choose it again.", s.cfg.MaxUploadBytes>>20))
}

func mediaID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.NotFound, "There is no such image in the library.")
	}
	return id, nil
}

// showMediaItem shows one image with its details form.
func (s *Server) showMediaItem(c echo.Context) error {
	id, err := mediaID(c)
	if err != nil {
		return err
	}
	it, err := s.pub.MediaItem(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.renderMediaItem(c, http.StatusOK, it, detailsForm(csrfToken(c), it.Details))
}

func detailsForm(csrf string, d media.Details) desk.Form {
	f := desk.Form{CSRF: csrf, Values: map[string]string{media.FieldAlt: d.Alt, media.FieldCaption: d.Caption, media.FieldCredit: d.Credit,
		media.FieldSourceURL: d.SourceURL, media.FieldLicence: d.Licence,
		media.FieldFocusX: strconv.Itoa(d.FocusX), media.FieldFocusY: strconv.Itoa(d.FocusY)}}
	if d.Decorative {
		f.Values[media.FieldDecorative] = "1"
	}
	return f
}

func (s *Server) renderMediaItem(c echo.Context, status int, it media.Item, form desk.Form) error {
	actor := actorOf(c)
	heading := "Image " + strconv.FormatInt(it.ID, 10)
	p := desk.MediaItemPage{Heading: heading, Details: form, Original: urls.MediaOriginal(it.ID), ListHref: urls.DeskMedia(),
		FocusX: it.FocusX, FocusY: it.FocusY,
		Facts: []desk.Fact{{Term: "Size", Value: sizeOf(it)}, {Term: "File name", Value: orNone(it.FileName)},
			{Term: "Uploaded", Value: s.deskTime(c, it.CreatedAt) + byName(it.UploaderName)}, {Term: "SHA-256", Value: it.SHA256}}}
	if it.Withdrawn() {
		p.Withdrawn = "Withdrawn " + s.deskTime(c, it.WithdrawnAt) + ": readers get 410 Gone for it."
	} else {
		p.Preview = deskPicture(it, "(min-width: 60rem) 40rem, 100vw", it.Alt)
		p.Markdown = it.Markdown()
		if workflow.WithdrawMedia(actor) == nil {
			p.Withdraw = urls.WithdrawMedia(it.ID)
		}
	}
	if workflow.ManageMedia(actor) == nil {
		p.Action = urls.DeskMediaItem(it.ID)
	}
	uses, total, err := s.pub.MediaUses(c.Request().Context(), it.ID, 50)
	if err != nil {
		return err
	}
	p.UsesTotal = total
	for _, u := range uses {
		label := u.Title + ", revision " + strconv.Itoa(u.RevisionNumber)
		if u.Lead {
			label += " (lead image)"
		}
		p.Uses = append(p.Uses, desk.Link{Href: urls.Revision(u.ArticleID, u.RevisionNumber), Label: label})
	}
	if workflow.WithdrawMedia(actor) == nil {
		p.Delete = urls.DeleteMedia(it.ID)
	}
	return renderPrivate(c, status, desk.MediaItem(s.shell(c, heading, urls.DeskMedia()), p))
}

func orNone(s string) string {
	if s == "" {
		return "None"
	}
	return s
}

// deskPicture is an image for a desk page.
func deskPicture(it media.Item, sizes, alt string) desk.Picture {
	p := it.Picture()
	return desk.Picture{WebP: p.WebP, JPEG: p.JPEG, Src: p.Src, Sizes: sizes, Width: p.Width, Height: p.Height, Alt: alt}
}

// saveMediaItem changes an image's details.
func (s *Server) saveMediaItem(c echo.Context) error {
	id, err := mediaID(c)
	if err != nil {
		return err
	}
	_, err = s.pub.SaveMediaDetails(c.Request().Context(), actorOf(c), id, detailsFrom(c))
	if apperr.CodeOf(err) == apperr.Invalid {
		it, ierr := s.pub.MediaItem(c.Request().Context(), id)
		if ierr != nil {
			return ierr
		}
		return s.renderMediaItem(c, http.StatusUnprocessableEntity, it, formFrom(c, err, desk.MediaDetailFields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved the image's details.")
	return c.Redirect(http.StatusSeeOther, urls.DeskMediaItem(id))
}

// withdrawMedia takes an image down.
func (s *Server) withdrawMedia(c echo.Context) error {
	id, err := mediaID(c)
	if err != nil {
		return err
	}
	it, err := s.pub.WithdrawMedia(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return s.flashBack(c, err, urls.DeskMediaItem(id))
	}
	// Other instances refuse it from their next poll; their files go
	// as their caches turn over.
	s.renditions.Drop(renditionPrefix(it))
	s.flash(c, "Withdrew the image: readers get 410 Gone for it.")
	return c.Redirect(http.StatusSeeOther, urls.DeskMediaItem(id))
}

// deleteMedia deletes an image no revision showed.
func (s *Server) deleteMedia(c echo.Context) error {
	id, err := mediaID(c)
	if err != nil {
		return err
	}
	if _, err := s.pub.DeleteMedia(c.Request().Context(), actorOf(c), id); err != nil {
		return s.flashBack(c, err, urls.DeskMediaItem(id))
	}
	s.flash(c, "Deleted the image.")
	return c.Redirect(http.StatusSeeOther, urls.DeskMedia())
}

// downloadOriginal sends an image as it was uploaded, metadata and all, to
// the desk only, as a download that no browser renders in Quire's origin.
func (s *Server) downloadOriginal(c echo.Context) error {
	id, err := mediaID(c)
	if err != nil {
		return err
	}
	it, data, err := s.pub.MediaOriginal(c.Request().Context(), id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentSecurityPolicy, mediaPolicy)
	h.Set(echo.HeaderCacheControl, "private, no-store")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="image-%d.%s"`, it.ID, extension(it.Format)))
	return c.Blob(http.StatusOK, "image/"+string(it.Format), data)
}

func extension(f media.Format) string {
	if f == media.JPEG {
		return "jpg"
	}
	return string(f)
}

// mediaPolicy is the CSP of every image response: nothing runs, nothing
// loads, even if a browser were talked into rendering it as a document.
const mediaPolicy = "default-src 'none'; sandbox"

// image returns the library's image id as readers may see it, as read in
// the current content generation.
func (s *Server) image(ctx context.Context, id int64) (media.Item, error) {
	return s.read.Image(ctx, s.gen.Load(), id)
}

// showImage sends the address an editor wrote, /media/{id}, to a
// rendition a browser can show: for the desk's live preview, before the
// revision is saved with the rendition's own address. Readers get 404, or
// anyone could count through the library, unpublished photographs and all.
func (s *Server) showImage(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if _, in := currentUser(c); !in || err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	it, err := s.image(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, it.URL(media.Scaled(1280, media.OutJPEG)))
}

// showRendition serves one rendition of an image, rendering it into the
// cache on first request; later ones are served from the cache before the
// router (ServeHTTP).
func (s *Server) showRendition(c echo.Context) error {
	r := c.Request()
	it, v, err := s.rendition(r.Context(), c.Param("id"), c.Param("tag"), c.Param("variant"))
	if errors.Is(err, errMovedFocus) {
		v.FocusX, v.FocusY = it.FocusX, it.FocusY
		return c.Redirect(http.StatusFound, it.URL(v))
	}
	if err != nil {
		return err
	}
	name := renditionName(it, v)
	// A file someone removed from the cache folder is rendered again.
	for range 2 {
		rend, err := s.renditions.Path(name, func() ([]byte, error) { return s.render(r.Context(), it, v) })
		if errors.Is(err, media.ErrNotKept) {
			s.logger.WarnContext(r.Context(), "keep a rendition", "name", name, "err", err)
		} else if err != nil {
			return err
		}
		if s.sendRendition(c.Response(), r, name, rend, v) {
			return nil
		}
		s.renditions.Forget(name)
	}
	return errors.New("web: a rendition left the cache as it was served, twice")
}

// render makes a rendition in one of the server's render slots, or says
// to come back when all are busy: rendering decodes a whole original, and
// readers asking for many new renditions at once must not queue more of
// that work than the machine can do.
func (s *Server) render(ctx context.Context, it media.Item, v media.Variant) ([]byte, error) {
	// A page asks for its images all at once: wait a moment for a slot
	// rather than leave an image broken (a browser never asks again).
	wait := time.NewTimer(renderWait)
	defer wait.Stop()
	select {
	case s.renderSlots <- struct{}{}:
		defer func() { <-s.renderSlots }()
	case <-wait.C:
		return nil, errBusy
	}
	// One render serves everyone who asked at once: it finishes even if
	// the first of them goes away.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return s.read.Render(ctx, it, v)
}

// renderWait is how long a new rendition waits for a render slot.
const renderWait = 10 * time.Second

// errBusy answers a rendition asked for while every render slot works.
var errBusy = &echo.HTTPError{Code: http.StatusServiceUnavailable,
	Message: "Images are being prepared for many readers at once; try again in a moment."}

// rendition reads a rendition's address: the image, which readers must
// be allowed to see and whose tag must be tag, and a variant Quire
// serves.
func (s *Server) rendition(ctx context.Context, rawID, tag, name string) (media.Item, media.Variant, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	v, ok := media.ParseVariant(name)
	if err != nil || id <= 0 || !ok {
		return media.Item{}, v, echo.ErrNotFound
	}
	it, err := s.image(ctx, id)
	if apperr.CodeOf(err) == apperr.Gone {
		return it, v, err
	}
	if err != nil || it.Tag != tag {
		return it, v, echo.ErrNotFound
	}
	if v.Height != 0 && (v.FocusX != it.FocusX || v.FocusY != it.FocusY) {
		// Only the cut around the image's own focal point is made; a page
		// from before the point moved is sent to the new cut.
		return it, v, errMovedFocus
	}
	return it, v, nil
}

// errMovedFocus says a crop was asked for around a focal point the image
// no longer has.
var errMovedFocus = errors.New("web: the focal point moved")

// renditionName names a rendition in the cache (and its ETag) by the
// image's id and public tag: the hash of its original stays private.
func renditionName(it media.Item, v media.Variant) string { return renditionPrefix(it) + v.Name() }

func renditionPrefix(it media.Item) string { return strconv.FormatInt(it.ID, 10) + "-" + it.Tag + "-" }

// sendRendition sends a cached rendition, for a year and with its ETag:
// from memory in one write when the cache holds its bytes, otherwise from
// its file, which the kernel copies (sendfile); false if the file is gone.
func (s *Server) sendRendition(w http.ResponseWriter, r *http.Request, name string, rend media.Rendition, v media.Variant) bool {
	if rw, ok := w.(*echo.Response); ok {
		w = rw.Writer // net/http's own writer, which can hand a file to sendfile
	}
	h := w.Header()
	for k, v := range s.imageHeaders {
		h[k] = v
	}
	// Set on a miss by the middleware, before the handler: see imageHeadersOf.
	h.Del(echo.HeaderReferrerPolicy)
	h.Del(echo.HeaderXXSSProtection)
	h[echo.HeaderContentType] = contentTypes[v.Out]
	etag := `"` + name + `"`
	h["Etag"] = []string{etag}
	if rend.Data != nil {
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
		h[echo.HeaderContentLength] = []string{strconv.FormatInt(rend.Size, 10)}
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(rend.Data)
		}
		return true
	}
	f, err := os.Open(rend.Path)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return false
	}
	http.ServeContent(w, r, "", info.ModTime(), f)
	return true
}

// contentTypes are the renditions' Content-Type values, made once: net/http
// never changes a header value it sends.
var contentTypes = map[media.Output][]string{media.OutWebP: {media.OutWebP.ContentType()}, media.OutJPEG: {media.OutJPEG.ContentType()}}

// imageHeadersOf are the headers every rendition carries: the site's
// security headers that mean something for an image, the images' own
// policy, and a year's caching. An image's sandboxed document loads
// nothing, so it has no referrer to hide, and no script for the retired
// XSS auditor: leaving those two out keeps a hit's whole header map within
// the eight entries Go's map holds without growing (a hit allocated 3.6 KB,
// now 2.5 KB).
func imageHeadersOf(site map[string]string) http.Header {
	h := http.Header{}
	for k, v := range site {
		h.Set(k, v) // canonical, or the echo middleware's copy on a miss doubles it
	}
	h.Del(echo.HeaderReferrerPolicy)
	h.Del(echo.HeaderXXSSProtection)
	h[echo.HeaderContentSecurityPolicy] = []string{mediaPolicy}
	h[echo.HeaderCacheControl] = []string{"public, max-age=31536000, immutable"}
	return h
}

// serveCachedRendition answers a request for a rendition already in the
// cache before the router, as a static file server would; false when the
// router should handle it (not cached, withdrawn, not a rendition).
func (s *Server) serveCachedRendition(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/media/")
	if !ok {
		return false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return false
	}
	it, v, err := s.rendition(r.Context(), parts[0], parts[1], parts[2])
	if err != nil {
		return false
	}
	name := renditionName(it, v)
	rend, ok := s.renditions.Cached(name)
	return ok && s.sendRendition(w, r, name, rend, v)
}

// readerBody is a revision's body as readers see it now.
func (s *Server) readerBody(ctx context.Context, body string) (string, error) {
	return s.read.Body(ctx, s.gen.Load(), body)
}

// leadImage is a revision's lead image as readers may see it.
func (s *Server) leadImage(ctx context.Context, l article.Lead) (media.Item, bool, error) {
	return s.read.Lead(ctx, s.gen.Load(), l)
}

// illustrated gives a story its images as readers may see them now: the
// lead image (returned, or a zero item for none) and the body without the
// images withdrawn since the revision was saved.
func (s *Server) illustrated(ctx context.Context, page *reader.ArticlePage, rev article.Revision) (media.Item, error) {
	var err error
	if page.BodyHTML, err = s.readerBody(ctx, page.BodyHTML); err != nil {
		return media.Item{}, err
	}
	lead, ok, err := s.leadImage(ctx, rev.Lead)
	if err != nil || !ok {
		return media.Item{}, err
	}
	page.Lead = leadFigure(lead, rev.Lead)
	return lead, nil
}

// leadFigure is the lead image as the article page shows it.
func leadFigure(it media.Item, l article.Lead) *reader.Figure {
	p := it.Picture()
	return &reader.Figure{WebP: p.WebP, JPEG: p.JPEG, Src: p.Src, Sizes: media.BodySizes, Width: p.Width, Height: p.Height,
		Alt: l.Alt, CaptionHTML: media.CaptionHTML(l.Caption, l.Credit, l.SourceURL, l.Licence)}
}

// previewImage is the lead image's 16:9 cut, as link previews show it.
func (s *Server) previewImage(it media.Item, l article.Lead) *layout.Image {
	v := media.Wide.Cut(it, media.OutJPEG)
	w, h := v.Size(it.Width, it.Height)
	return &layout.Image{URL: s.absolute(it.URL(v)), Width: w, Height: h, Alt: l.Alt}
}

// summaries are listing cards, with their lead images' thumbnails.
func (s *Server) summaries(ctx context.Context, rc readerContext, items []article.Published) []reader.Summary {
	out := rc.summaries(items)
	s.rememberLeads(ctx, items)
	for i, p := range items {
		it, ok, err := s.leadImage(ctx, p.Revision.Lead)
		if err != nil {
			// A card without its thumbnail is still the card.
			s.logger.WarnContext(ctx, "read a lead image", "id", p.Revision.Lead.MediaID, "err", err)
		}
		if ok {
			small, large := media.Thumb.Cut(it, media.OutWebP), media.ThumbTwice.Cut(it, media.OutWebP)
			smallJ, largeJ := media.Thumb.Cut(it, media.OutJPEG), media.ThumbTwice.Cut(it, media.OutJPEG)
			out[i].Thumb = &reader.Thumb{WebP: it.URL(small) + " 1x, " + it.URL(large) + " 2x",
				JPEG: it.URL(smallJ) + " 1x, " + it.URL(largeJ) + " 2x", Src: it.URL(smallJ)}
		}
	}
	return out
}

// rememberLeads reads the lead images of a listing's items at once; one
// that fails is read again, alone, by its card.
func (s *Server) rememberLeads(ctx context.Context, items []article.Published) {
	if err := s.read.Remember(ctx, s.gen.Load(), items); err != nil {
		s.logger.WarnContext(ctx, "read a listing's lead images", "err", err)
	}
}

// feedBody is a body as a feed carries it: the lead image first, images
// at absolute addresses (a feed reader has no page to resolve them
// against), and those withdrawn left out.
func (s *Server) feedBody(ctx context.Context, rev article.Revision) (string, error) {
	page := reader.ArticlePage{BodyHTML: rev.BodyHTML}
	lead, err := s.illustrated(ctx, &page, rev)
	if err != nil {
		return "", err
	}
	body := page.BodyHTML
	if lead.ID != 0 {
		v := media.Scaled(960, media.OutJPEG)
		w, h := v.Size(lead.Width, lead.Height)
		l := rev.Lead
		figure := `<figure><img src="` + lead.URL(v) + `" width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `" alt="` +
			html.EscapeString(l.Alt) + `">`
		if caption := media.CaptionHTML(l.Caption, l.Credit, l.SourceURL, l.Licence); caption != "" {
			figure += "<figcaption>" + caption + "</figcaption>"
		}
		body = figure + "</figure>" + body
	}
	return s.imageAddresses.Replace(body), nil
}

// feedImage is the lead image as a feed entry's enclosure, or nil.
func (s *Server) feedImage(ctx context.Context, rev article.Revision) *feeds.AtomLink {
	lead, ok, err := s.leadImage(ctx, rev.Lead)
	if err != nil || !ok {
		return nil
	}
	return &feeds.AtomLink{Href: s.absolute(lead.URL(media.Wide.Cut(lead, media.OutJPEG))), Rel: "enclosure", Type: "image/jpeg"}
}

// withThumbs gives a comparison's lead image thumbnails, for the images
// readers may still see.
func (s *Server) withThumbs(ctx context.Context, fields []reader.FieldDiff) []reader.FieldDiff {
	for i, f := range fields {
		if !f.Changed {
			continue
		}
		for k, id := range f.Images {
			if it, ok, err := s.leadImage(ctx, article.Lead{MediaID: id}); err == nil && ok {
				fields[i].Thumbs[k] = it.URL(media.Thumb.Cut(it, media.OutJPEG))
			}
		}
	}
	return fields
}
