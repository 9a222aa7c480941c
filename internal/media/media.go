// Package media is Quire's photo desk: what an uploaded image is (its
// details, credit and licence, and where its focal point lies), how its
// bytes are checked before anything decodes them, and the renditions
// readers are served. It knows nothing of HTTP or of the database.
package media

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/image/webp"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
)

// Format is an accepted kind of image, as its bytes say.
type Format string

// The formats Quire accepts. Anything else (SVG, which can carry script;
// HTML; PDF; TIFF) is refused.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// Accepted names the accepted formats as an upload form says them.
const Accepted = "JPEG, PNG, GIF or WebP"

// Item is one image of the library.
type Item struct {
	ID     int64
	SHA256 string // of the original's bytes, hex: for finding duplicates, never shown
	// Tag is random, and in every public address of the image: a new
	// original is a new item, so an address never changes meaning and may
	// be cached for a year, and tells nothing about the original's bytes.
	Tag      string
	Format   Format
	Width    int // as displayed, after EXIF orientation
	Height   int
	Size     int64  // bytes of the original
	FileName string // as uploaded; metadata only, never a path
	Details
	UploadedBy   int64
	UploaderName string
	CreatedAt    time.Time
	// WithdrawnAt is set when an admin took the image down: its public
	// renditions are gone, its original is kept for the record.
	WithdrawnAt time.Time
	// Uses is how many revisions show the image, where the library's list
	// counts it.
	Uses int
}

// Withdrawn reports whether the image was taken down.
func (it Item) Withdrawn() bool { return !it.WithdrawnAt.IsZero() }

// NewTag makes an image's public tag.
func NewTag() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand never fails on Linux
	return hex.EncodeToString(b)
}

// Markdown is the snippet an editor pastes into a body to show the image.
func (it Item) Markdown() string {
	alt := strings.NewReplacer("[", "", "]", "", `\`, "", "\n", " ").Replace(it.Alt)
	return fmt.Sprintf("![%s](/media/%d)", alt, it.ID)
}

// Details are what an editor says about an image: how to describe it, who
// made it, where it came from, under what licence, and the point any crop
// must keep.
type Details struct {
	Alt        string
	Decorative bool // the image adds nothing a reader needs: empty alt text on purpose
	Caption    string
	Credit     string
	SourceURL  string
	Licence    string
	// FocusX and FocusY are the focal point, in percent of the width and
	// height from the top left corner.
	FocusX, FocusY int
}

// Form field names of an image's details.
const (
	FieldFile       = "file"
	FieldAlt        = "alt"
	FieldDecorative = "decorative"
	FieldCaption    = "caption"
	FieldCredit     = "credit"
	FieldSourceURL  = "source_url"
	FieldLicence    = "licence"
	FieldFocusX     = "focus_x"
	FieldFocusY     = "focus_y"
)

// Limits of an image's texts, in characters.
const (
	MaxAltLen     = article.MaxAltLen
	MaxCaptionLen = article.MaxCaptionLen
	MaxCreditLen  = article.MaxCreditLen
	MaxLicenceLen = 200
	maxURLLen     = 2000
)

// Centre is the focal point an image has until an editor moves it.
const Centre = 50

// Normalize checks details an editor typed.
func (d Details) Normalize() (Details, error) {
	v := apperr.Validation{}
	d.Alt = strings.Join(strings.Fields(d.Alt), " ")
	d.Caption, d.Credit = strings.TrimSpace(d.Caption), strings.TrimSpace(d.Credit)
	d.SourceURL, d.Licence = strings.TrimSpace(d.SourceURL), strings.TrimSpace(d.Licence)
	if utf8.RuneCountInString(d.Alt) > MaxAltLen {
		v.Add(FieldAlt, "Keep the alt text under 500 characters; the caption can say more.")
	}
	if d.Decorative && d.Alt != "" {
		v.Add(FieldDecorative, "A decorative image has no alt text: clear the alt text or untick Decorative.")
	}
	if utf8.RuneCountInString(d.Caption) > MaxCaptionLen {
		v.Add(FieldCaption, "Keep the caption under 1,000 characters.")
	}
	if utf8.RuneCountInString(d.Credit) > MaxCreditLen {
		v.Add(FieldCredit, "Keep the credit under 300 characters.")
	}
	if d.SourceURL != "" && (len(d.SourceURL) > maxURLLen || !article.ValidReferenceURL(d.SourceURL)) {
		v.Add(FieldSourceURL, "Enter a web address starting with http:// or https://.")
	}
	if utf8.RuneCountInString(d.Licence) > MaxLicenceLen {
		v.Add(FieldLicence, "Keep the licence under 200 characters.")
	}
	if d.FocusX < 0 || d.FocusX > 100 {
		v.Add(FieldFocusX, "The focal point is a percentage of the width, from 0 to 100.")
	}
	if d.FocusY < 0 || d.FocusY > 100 {
		v.Add(FieldFocusY, "The focal point is a percentage of the height, from 0 to 100.")
	}
	return d, v.Err()
}

// Described reports whether the image may be shown to readers: it has alt
// text, or is marked decorative.
func (d Details) Described() bool { return d.Alt != "" || d.Decorative }

// MaxSide is the longest side an image may have: WebP's limit, and so the
// tallest rendition a narrow image can need.
const MaxSide = 16383

// Header is what an image's first bytes say about it.
type Header struct {
	Format Format
	Width  int // as stored, before EXIF orientation
	Height int
	// BytesPerPixel is what one pixel costs once decoded.
	BytesPerPixel int
}

// Pixels is the image's area.
func (h Header) Pixels() int64 { return int64(h.Width) * int64(h.Height) }

// ErrNotImage refuses bytes that are not an accepted image.
var ErrNotImage = apperr.Field(FieldFile, "This file is not a "+Accepted+" image. Quire accepts "+Accepted+" files only.")

// ErrUnreadable refuses an accepted format whose bytes cannot be read.
var ErrUnreadable = apperr.Field(FieldFile, "This is not a readable image: the file is damaged or cut short.")

// Inspect reads the format from the bytes themselves (never from a name
// or a declared type) and the size from the header alone, so that a
// decompression bomb is refused before a pixel is decoded.
func Inspect(data []byte, maxPixels int64) (Header, error) {
	f := sniff(data)
	if f == "" {
		return Header{}, ErrNotImage
	}
	var cfg image.Config
	var err error
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case PNG:
		cfg, err = png.DecodeConfig(r)
	case GIF:
		cfg, err = gif.DecodeConfig(r)
	case WebP:
		cfg, err = webp.DecodeConfig(r)
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return Header{}, ErrUnreadable
	}
	// Turning and scaling work in 8-bit RGBA whatever the file holds.
	h := Header{Format: f, Width: cfg.Width, Height: cfg.Height, BytesPerPixel: 4}
	if cfg.ColorModel == color.RGBA64Model || cfg.ColorModel == color.NRGBA64Model {
		h.BytesPerPixel = 8
	}
	if h.Pixels() > maxPixels {
		return Header{}, apperr.Field(FieldFile, fmt.Sprintf("This image is %d × %d pixels (%.0f megapixels); Quire takes at most %d megapixels. Scale it down and upload it again.",
			h.Width, h.Height, float64(h.Pixels())/1e6, maxPixels/1e6))
	}
	if h.Width > MaxSide || h.Height > MaxSide {
		return Header{}, apperr.Field(FieldFile, fmt.Sprintf("This image is %d × %d pixels; Quire takes at most %d pixels on a side. Scale it down or cut it, and upload it again.",
			h.Width, h.Height, MaxSide))
	}
	return h, nil
}

// sniff names the format the bytes begin with, or "".
func sniff(b []byte) Format {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return GIF
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP
	}
	return ""
}

// ForReaders says whether readers may see the image: nil, or Gone once an
// admin withdrew it.
func (it Item) ForReaders() error {
	if it.Withdrawn() {
		return apperr.Errorf(apperr.Gone, "This image has been withdrawn by the editors.")
	}
	return nil
}

// Usage is a revision that shows an image.
type Usage struct {
	ArticleID      int64
	RevisionNumber int
	Title          string
	Lead           bool // as the lead image
}
