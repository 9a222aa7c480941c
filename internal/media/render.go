package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
	"github.com/gen2brain/webp"
	"golang.org/x/sync/semaphore"

	// Decoders image.Decode finds (gen2brain/webp registers WebP's); the
	// formats are checked by Inspect before any of them runs.
	_ "image/gif"
	_ "image/png"
)

// Output is the encoding of a rendition.
type Output string

// Renditions are WebP, with JPEG for the browsers and crawlers that take
// nothing else.
const (
	OutWebP Output = "webp"
	OutJPEG Output = "jpg"
)

// ContentType is the rendition's media type.
func (o Output) ContentType() string {
	if o == OutWebP {
		return "image/webp"
	}
	return "image/jpeg"
}

// Variant is one rendition of an image: scaled to a width, or cut to a
// size around the focal point. Only the variants listed here exist, so
// nobody can fill the cache by asking for sizes no page uses.
type Variant struct {
	Width, Height int // Height zero: scaled, keeping the proportions
	// FocusX and FocusY are the focal point a crop is cut around, part of
	// its name so that moving the point gives the crop a new address.
	FocusX, FocusY int
	Out            Output
}

// Widths are the scaled renditions a srcset offers, narrowest first.
var Widths = []int{160, 320, 480, 640, 960, 1280, 1600}

// Crop is a cut of an image around its focal point.
type Crop struct{ Width, Height int }

// The crops Quire serves: the three search engines ask for in structured
// data (1:1, 4:3 and 16:9) and the listing cards' thumbnail at one and two
// device pixels per CSS pixel.
var (
	Square     = Crop{1200, 1200}
	Standard   = Crop{1200, 900}
	Wide       = Crop{1200, 675}
	Thumb      = Crop{240, 180}
	ThumbTwice = Crop{480, 360}
	Crops      = []Crop{Square, Standard, Wide, Thumb, ThumbTwice}
)

// Scaled is the variant scaled to a width.
func Scaled(width int, out Output) Variant { return Variant{Width: width, Out: out} }

// Cut is the crop of an item around its focal point.
func (c Crop) Cut(it Item, out Output) Variant {
	return Variant{Width: c.Width, Height: c.Height, FocusX: it.FocusX, FocusY: it.FocusY, Out: out}
}

// Name is the variant's file name in a rendition address: "640.webp",
// "1200x675-50-30.jpg" (a crop around the point 50 % across, 30 % down).
func (v Variant) Name() string {
	s := strconv.Itoa(v.Width)
	if v.Height != 0 {
		s += "x" + strconv.Itoa(v.Height) + "-" + strconv.Itoa(v.FocusX) + "-" + strconv.Itoa(v.FocusY)
	}
	return s + "." + string(v.Out)
}

// ParseVariant reads a variant's name; false for any variant Quire does
// not serve.
func ParseVariant(name string) (Variant, bool) {
	size, ext, ok := strings.Cut(name, ".")
	if !ok || (ext != string(OutWebP) && ext != string(OutJPEG)) {
		return Variant{}, false
	}
	v := Variant{Out: Output(ext)}
	ws, hs, cut := strings.Cut(size, "x")
	var err error
	if v.Width, err = strconv.Atoi(ws); err != nil {
		return Variant{}, false
	}
	if cut {
		var focus [3]int
		parts := strings.Split(hs, "-")
		if len(parts) != 3 {
			return Variant{}, false
		}
		for i, p := range parts {
			if focus[i], err = strconv.Atoi(p); err != nil || focus[i] < 0 || (i > 0 && focus[i] > 100) {
				return Variant{}, false
			}
		}
		v.Height, v.FocusX, v.FocusY = focus[0], focus[1], focus[2]
		for _, c := range Crops {
			if c.Width == v.Width && c.Height == v.Height {
				return v, v.Name() == name
			}
		}
		return Variant{}, false
	}
	for _, w := range Widths {
		if w == v.Width {
			return v, v.Name() == name
		}
	}
	return Variant{}, false
}

// Size is the pixel size of the variant of a width × height image: never
// larger than the image, since enlarging only blurs it.
func (v Variant) Size(width, height int) (int, int) {
	if v.Height == 0 {
		if v.Width >= width {
			return width, height
		}
		return v.Width, max(1, (height*v.Width+width/2)/width)
	}
	cw, ch := cropBox(width, height, v.Width, v.Height)
	if cw <= v.Width {
		return cw, ch
	}
	return v.Width, v.Height
}

// cropBox is the largest box of the target's proportions inside the image.
func cropBox(width, height, tw, th int) (int, int) {
	if width*th > height*tw { // wider than the target
		return max(1, (height*tw+th/2)/th), height
	}
	return width, max(1, (width*th+tw/2)/tw)
}

// Defaults of a processor: 60 megapixels at most (a 12,000 × 5,000
// panorama), and 256 MB of decoded pixels at once.
const (
	DefaultMaxPixels = 60_000_000
	DefaultBudget    = 256 << 20
)

// Processor decodes and renders images with bounded memory: decoded
// pixels in flight never exceed its budget, so a burst of uploads waits
// its turn instead of exhausting memory.
type Processor struct {
	maxPixels int64
	budget    int64
	inFlight  *semaphore.Weighted
}

// NewProcessor returns a processor refusing images over maxPixels and
// decoding at most budget bytes of pixels at once.
func NewProcessor(maxPixels, budget int64) *Processor {
	return &Processor{maxPixels: maxPixels, budget: budget, inFlight: semaphore.NewWeighted(budget)}
}

// decode checks and decodes an image, turned upright as its EXIF
// orientation says, holding its share of the budget until done is called.
func (p *Processor) decode(ctx context.Context, data []byte, maxPixels int64) (img image.Image, h Header, done func(), err error) {
	if h, err = Inspect(data, maxPixels); err != nil {
		return nil, h, nil, err
	}
	// Decoding, turning upright and cutting each hold a copy for a while.
	// An image costing more than the whole budget is decoded alone.
	weight := min(2*h.Pixels()*int64(h.BytesPerPixel), p.budget)
	if err := p.inFlight.Acquire(ctx, weight); err != nil {
		return nil, h, nil, err
	}
	done = func() { p.inFlight.Release(weight) }
	img, err = imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		done()
		return nil, h, nil, ErrUnreadable
	}
	return img, h, done, nil
}

// Check decodes an upload in full, so that a damaged file is refused now
// rather than on a reader's page, and returns its header with the size it
// is displayed at.
func (p *Processor) Check(ctx context.Context, data []byte) (Header, error) {
	img, h, done, err := p.decode(ctx, data, p.maxPixels)
	if err != nil {
		return h, err
	}
	defer done()
	b := img.Bounds()
	h.Width, h.Height = b.Dx(), b.Dy()
	return h, nil
}

// Render makes one rendition of an original: decoded, turned upright,
// cut around the focal point or scaled, and encoded afresh, so that none
// of the original's metadata (EXIF, GPS, XMP) survives.
func (p *Processor) Render(ctx context.Context, data []byte, v Variant) ([]byte, error) {
	// An image the library took is rendered even if the limit was lowered
	// since: readers are not told to upload it again.
	img, _, done, err := p.decode(ctx, data, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	out := cut(img, v)
	done()
	var buf bytes.Buffer
	switch v.Out {
	case OutWebP:
		err = webp.Encode(&buf, out, webp.Options{Quality: 78, Method: 4})
	default:
		err = jpeg.Encode(&buf, flatten(out), &jpeg.Options{Quality: 82})
	}
	if err != nil {
		return nil, fmt.Errorf("media: encode %s: %w", v.Name(), err)
	}
	return buf.Bytes(), nil
}

// cut scales the image for the variant, cutting it first around the focal
// point when the variant has other proportions.
func cut(img image.Image, v Variant) image.Image {
	b := img.Bounds()
	w, h := v.Size(b.Dx(), b.Dy())
	if v.Height != 0 {
		cw, ch := cropBox(b.Dx(), b.Dy(), v.Width, v.Height)
		x := clamp(b.Dx()*v.FocusX/100-cw/2, 0, b.Dx()-cw)
		y := clamp(b.Dy()*v.FocusY/100-ch/2, 0, b.Dy()-ch)
		img = imaging.Crop(img, image.Rect(b.Min.X+x, b.Min.Y+y, b.Min.X+x+cw, b.Min.Y+y+ch))
		b = img.Bounds()
	}
	if w == b.Dx() && h == b.Dy() {
		return img
	}
	return imaging.Resize(img, w, h, imaging.Lanczos)
}

func clamp(n, lo, hi int) int { return max(lo, min(n, hi)) }

// flatten lays a transparent image on white, since JPEG has no
// transparency and would show it black.
func flatten(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Over)
	return dst
}
