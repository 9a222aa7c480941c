package media_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gen2brain/webp"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/media/mediatest"
)

func TestInspectTrustsOnlyTheBytes(t *testing.T) {
	jpg := mediatest.JPEG(64, 48)
	for _, tc := range []struct {
		name   string
		data   []byte
		format media.Format
		field  string // the field refused, or ""
	}{
		{"jpeg", jpg, media.JPEG, ""},
		{"png", mediatest.PNG(64, 48), media.PNG, ""},
		{"gif", mediatest.GIF(64, 48), media.GIF, ""},
		{"webp", mediatest.WebP(64, 48), media.WebP, ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`), "", media.FieldFile},
		{"html", []byte("<!doctype html><script>alert(1)</script>"), "", media.FieldFile},
		{"pdf", []byte("%PDF-1.7\n1 0 obj<<>>endobj"), "", media.FieldFile},
		{"html then jpeg", append([]byte("<html><script>alert(1)</script>"), jpg...), "", media.FieldFile},
		{"jpeg header only", jpg[:20], "", media.FieldFile},
		{"empty", nil, "", media.FieldFile},
		{"bomb", mediatest.Bomb(50000, 50000), "", media.FieldFile},
		{"too tall", mediatest.Bomb(1, 20000), "", media.FieldFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := media.Inspect(tc.data, media.DefaultMaxPixels)
			if tc.field != "" {
				if apperr.FieldsOf(err)[tc.field] == "" {
					t.Fatalf("Inspect = %+v, %v; want a refusal of %s", h, err, tc.field)
				}
				return
			}
			if err != nil || h.Format != tc.format || h.Width != 64 || h.Height != 48 {
				t.Fatalf("Inspect = %+v, %v; want %s 64 × 48", h, err, tc.format)
			}
		})
	}
}

func TestTheBombIsRefusedByItsHeader(t *testing.T) {
	_, err := media.Inspect(mediatest.Bomb(50000, 50000), media.DefaultMaxPixels)
	if msg := apperr.FieldsOf(err)[media.FieldFile]; !strings.Contains(msg, "50000 × 50000") || !strings.Contains(msg, "60 megapixels") {
		t.Fatalf("refusal = %q", msg)
	}
}

func TestCheckRefusesACutFile(t *testing.T) {
	p := media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget)
	jpg := mediatest.JPEG(320, 240)
	_, err := p.Check(t.Context(), jpg[:len(jpg)/2])
	if !strings.Contains(apperr.FieldsOf(err)[media.FieldFile], "not a readable image") {
		t.Fatalf("Check(cut JPEG) = %v", err)
	}
}

func TestCheckTurnsThePhotographUpright(t *testing.T) {
	p := media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget)
	h, err := p.Check(t.Context(), mediatest.WithEXIF(mediatest.JPEG(400, 200), 6))
	if err != nil || h.Width != 200 || h.Height != 400 {
		t.Fatalf("Check = %+v, %v; want 200 × 400, as the camera was held", h, err)
	}
}

func TestRenditionsCarryNoMetadata(t *testing.T) {
	p := media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget)
	original := mediatest.WithEXIF(mediatest.JPEG(800, 600), 1)
	if !bytes.Contains(original, []byte(mediatest.Secret)) {
		t.Fatal("the test file lost its EXIF block")
	}
	for _, v := range []media.Variant{media.Scaled(640, media.OutJPEG), media.Scaled(640, media.OutWebP),
		media.Wide.Cut(media.Item{Details: media.Details{FocusX: 20, FocusY: 80}}, media.OutJPEG)} {
		out, err := p.Render(t.Context(), original, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{mediatest.Secret, "Exif", "GPS"} {
			if bytes.Contains(out, []byte(leak)) {
				t.Errorf("%s carries %q", v.Name(), leak)
			}
		}
	}
}

func TestRenditionSizes(t *testing.T) {
	p := media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget)
	original := mediatest.JPEG(1000, 800)
	for _, tc := range []struct {
		v    media.Variant
		w, h int
	}{
		{media.Scaled(640, media.OutJPEG), 640, 512},
		{media.Scaled(1600, media.OutJPEG), 1000, 800}, // never enlarged
		{media.Variant{Width: 1200, Height: 675, FocusX: 50, FocusY: 50, Out: media.OutJPEG}, 1000, 563},
		{media.Variant{Width: 240, Height: 180, FocusX: 10, FocusY: 10, Out: media.OutWebP}, 240, 180},
		{media.Variant{Width: 1200, Height: 1200, FocusX: 90, FocusY: 50, Out: media.OutJPEG}, 800, 800},
	} {
		out, err := p.Render(t.Context(), original, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		var cfg image.Config
		if tc.v.Out == media.OutWebP {
			cfg, err = webp.DecodeConfig(bytes.NewReader(out))
		} else {
			cfg, err = jpeg.DecodeConfig(bytes.NewReader(out))
		}
		if err != nil || cfg.Width != tc.w || cfg.Height != tc.h {
			t.Errorf("%s is %d × %d (%v), want %d × %d", tc.v.Name(), cfg.Width, cfg.Height, err, tc.w, tc.h)
		}
		if w, h := tc.v.Size(1000, 800); w != tc.w || h != tc.h {
			t.Errorf("%s.Size = %d × %d, want %d × %d", tc.v.Name(), w, h, tc.w, tc.h)
		}
	}
}

func TestCropsKeepTheFocalPoint(t *testing.T) {
	p := media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget)
	// The test card is red in its top left quarter: a square cut around a
	// point there is mostly red, one around the bottom right is not.
	original := mediatest.JPEG(2000, 500)
	red := func(fx, fy int) bool {
		out, err := p.Render(t.Context(), original, media.Variant{Width: 240, Height: 180, FocusX: fx, FocusY: fy, Out: media.OutJPEG})
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		r, g, b, _ := img.At(30, 30).RGBA()
		return r > 0xC000 && g < 0x4000 && b < 0x4000 // the gradient's blue is half
	}
	if !red(10, 10) || red(90, 90) {
		t.Fatal("the crop did not follow the focal point")
	}
}

func TestTransparentPNGBecomesJPEGOnWhite(t *testing.T) {
	p := media.NewProcessor(media.DefaultMaxPixels, media.DefaultBudget)
	out, err := p.Render(t.Context(), mediatest.PNG(200, 100), media.Scaled(160, media.OutJPEG))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := img.At(150, 70).RGBA(); r < 0xF000 || g < 0xF000 || b < 0xF000 {
		t.Fatalf("the transparent half is %x %x %x, want white", r, g, b)
	}
}

func TestParseVariant(t *testing.T) {
	for name, ok := range map[string]bool{
		"640.webp": true, "160.jpg": true, "1600.jpg": true, "1200x675-50-50.jpg": true, "240x180-0-100.webp": true,
		"641.webp": false, "640.png": false, "640": false, "0640.jpg": false, "+640.jpg": false, "1200x675.jpg": false,
		"1200x675-50-101.jpg": false, "1200x675--1-50.jpg": false, "1200x676-50-50.jpg": false, "../640.jpg": false,
		"640.jpg.jpg": false, "1200x675-050-50.jpg": false,
	} {
		v, got := media.ParseVariant(name)
		if got != ok || (ok && v.Name() != name) {
			t.Errorf("ParseVariant(%q) = %+v, %v; want %v", name, v, got, ok)
		}
	}
}

func FuzzParseVariant(f *testing.F) {
	for _, s := range []string{"640.webp", "1200x675-50-50.jpg", "x.jpg", "1200x675-50-50-1.jpg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		v, ok := media.ParseVariant(name)
		if ok && v.Name() != name {
			t.Fatalf("%q parsed as %q", name, v.Name())
		}
	})
}

func FuzzInspect(f *testing.F) {
	f.Add(mediatest.JPEG(8, 8))
	f.Add(mediatest.PNG(8, 8))
	f.Add(mediatest.GIF(8, 8))
	f.Add(mediatest.Bomb(1<<20, 1<<20))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := media.Inspect(data, 1_000_000)
		if err == nil && (h.Pixels() > 1_000_000 || h.Width <= 0 || h.Height <= 0) {
			t.Fatalf("accepted %+v", h)
		}
	})
}

func TestCacheRendersOnceAndForgetsTheOldest(t *testing.T) {
	dir := t.TempDir()
	c, err := media.OpenCache(dir, 250)
	if err != nil {
		t.Fatal(err)
	}
	var renders atomic.Int32
	render := func() ([]byte, error) {
		renders.Add(1)
		return bytes.Repeat([]byte("x"), 100), nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.Path("a-640.jpg", render); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Fatalf("20 readers at once rendered %d times, want 1", n)
	}
	for _, name := range []string{"b-640.jpg", "a-640.jpg", "c-640.jpg"} { // a is used again, so b goes
		if _, err := c.Path(name, render); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "b-640.jpg")); !os.IsNotExist(err) {
		t.Fatal("the least recently used rendition was kept")
	}
	if files, size := c.Stats(); files != 2 || size != 200 {
		t.Fatalf("cache holds %d files, %d bytes", files, size)
	}
	// A new process finds what the last one left.
	again, err := media.OpenCache(dir, 250)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := again.Cached("a-640.jpg")
	if !ok || !bytes.Equal(r.Data, bytes.Repeat([]byte("x"), 100)) {
		t.Fatalf("the cache forgot its files on reopening: %+v", r)
	}
	// A large rendition is sent from its file, not kept in memory.
	big := func() ([]byte, error) { return make([]byte, 300<<10), nil }
	large, _ := media.OpenCache(t.TempDir(), 1<<30)
	if r, err := large.Path("big-1600.jpg", big); err != nil || r.Size != 300<<10 {
		t.Fatal(err)
	}
	if r, _ := large.Cached("big-1600.jpg"); r.Data != nil || r.Path == "" {
		t.Fatal("a large rendition was kept in memory")
	}
	if _, err := c.Path("../escape.jpg", render); err == nil {
		t.Fatal("a name with a path was accepted")
	}
}

func TestUploadsWaitForTheBudget(t *testing.T) {
	// A budget of one image at a time still renders them all.
	p := media.NewProcessor(media.DefaultMaxPixels, 1)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := p.Check(context.Background(), mediatest.JPEG(300, 200)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestDetails(t *testing.T) {
	for _, tc := range []struct {
		name  string
		d     media.Details
		field string
	}{
		{"fine", media.Details{Alt: " A  man\nat a desk ", FocusX: 50, FocusY: 50}, ""},
		{"decorative with alt", media.Details{Alt: "x", Decorative: true, FocusX: 50, FocusY: 50}, media.FieldDecorative},
		{"script source", media.Details{SourceURL: "javascript:alert(1)", FocusX: 50, FocusY: 50}, media.FieldSourceURL},
		{"focus off the image", media.Details{FocusX: 101, FocusY: 50}, media.FieldFocusX},
		{"focus above", media.Details{FocusX: 50, FocusY: -1}, media.FieldFocusY},
		{"long alt", media.Details{Alt: strings.Repeat("a", 501), FocusX: 50, FocusY: 50}, media.FieldAlt},
	} {
		d, err := tc.d.Normalize()
		if tc.field == "" {
			if err != nil || d.Alt != "A man at a desk" {
				t.Errorf("%s: %+v, %v", tc.name, d, err)
			}
			continue
		}
		if apperr.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%s: %v, want a refusal of %s", tc.name, err, tc.field)
		}
	}
}

func TestIllustrate(t *testing.T) {
	items := map[int64]media.Item{
		12: {ID: 12, Tag: "abababababababab", Width: 1000, Height: 500,
			Details: media.Details{Alt: "Library alt", Caption: "The study, 1940.", Credit: "Photo: Archive", SourceURL: "https://archive.example/1", Licence: "Public domain"}},
		3: {ID: 3, Tag: "cdcdcdcdcdcdcdcd", Width: 200, Height: 100, Details: media.Details{Decorative: true}},
	}
	body := `<p><img src="/media/12" alt=""></p>` + "\n" + `<p>Text <img src="/media/3" alt=""> and <img src="/media/12" alt="Own &amp; words"> here.</p>`
	out, uses := media.Illustrate(body, items)
	for _, want := range []string{
		`<figure class="figure" data-media="12"><picture><source type="image/webp" srcset="/media/12/abababababababab/160.webp 160w,`,
		`width="1000" height="500" alt="Library alt" loading="lazy"`,
		`<figcaption>The study, 1940. <span class="credit">Photo: Archive / <a href="https://archive.example/1" rel="noreferrer">Source</a> / Public domain</span></figcaption></figure>`,
		`<p>Text <picture data-media="3">`, `alt="" loading`, `alt="Own &amp; words"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("illustrated body lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<p><figure") {
		t.Error("a figure was left inside a paragraph")
	}
	if len(uses) != 3 || uses[0].Alt != "Library alt" || !uses[1].Decorative || uses[2].Alt != "Own & words" {
		t.Errorf("uses = %+v", uses)
	}
	gone := media.Withdrawn(out, func(id int64) bool { return id == 12 })
	if strings.Contains(gone, "/media/12/") || strings.Count(gone, "This image has been withdrawn.") != 1 ||
		strings.Count(gone, "(image withdrawn)") != 1 || !strings.Contains(gone, "/media/3/") {
		t.Errorf("withdrawn body:\n%s", gone)
	}
	// Words typed for a decorative image are kept: the article wants them.
	if out, uses := media.Illustrate(`<p>A <img src="/media/3" alt="A seal"> here</p>`, items); !strings.Contains(out, `alt="A seal"`) || uses[0].Decorative {
		t.Errorf("a decorative image described in the Markdown: %s %+v", out, uses)
	}
	if media.Withdrawn(out, func(int64) bool { return false }) != out {
		t.Error("Withdrawn changed a body with nothing withdrawn")
	}
}

func TestUnhotlinked(t *testing.T) {
	in := `<p>A <img src="https://tracker.example/p.png?a=1&amp;b=2" alt="pixel"> and <img src="http://x.example/y.jpg"> and <img src="/media/3/ab/160.jpg" alt="ours"></p>`
	want := `<p>A <a href="https://tracker.example/p.png?a=1&amp;b=2" rel="noreferrer">pixel</a> and <a href="http://x.example/y.jpg" rel="noreferrer">http://x.example/y.jpg</a> and <img src="/media/3/ab/160.jpg" alt="ours"></p>`
	if got := media.Unhotlinked(in); got != want {
		t.Errorf("Unhotlinked =\n%s\nwant\n%s", got, want)
	}
}
