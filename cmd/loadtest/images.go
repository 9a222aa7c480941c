package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	mrand "math/rand/v2"
	"mime/multipart"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// illustratedPages finds, on the home page at base, an article whose card
// shows a lead image and one whose card does not, and an address of the
// lead image at the width phones and laptops most often ask for.
func illustratedPages(base string) (withLead, without, rendition string, err error) {
	res, err := http.Get(base + "/")
	if err != nil {
		return "", "", "", err
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		return "", "", "", err
	}
	image := regexp.MustCompile(`^(/media/\d+/[0-9a-f]+/)`)
	doc.Find(".card").Each(func(_ int, card *goquery.Selection) {
		href := card.Find("h2 a").AttrOr("href", "")
		thumb := card.Find("picture.thumb img").AttrOr("src", "")
		switch {
		case thumb != "" && withLead == "":
			withLead, rendition = href, image.FindString(thumb)+"960.webp"
		case thumb == "" && without == "":
			without = href
		}
	})
	if withLead == "" || without == "" {
		return "", "", "", fmt.Errorf("the home page at %s has no card with a lead image and one without", base)
	}
	return withLead, without, rendition, nil
}

// photograph is a 4000 × 3000 JPEG (12 megapixels) with grain, about the
// size a camera's file is, different for every n.
func photograph(n int) []byte {
	rng := mrand.New(mrand.NewPCG(uint64(n), 12))
	const w, h = 4000, 3000
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[y*img.YStride+x] = uint8(x*160/w + y*60/h + rng.IntN(36))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(110+rng.IntN(8)), uint8(140+rng.IntN(8))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// uploadRun uploads 12-megapixel photographs to a fresh server as an
// editor would: one alone (until the library has it), the first request
// of one of its renditions, then eight at once, and the server's peak
// memory over it all.
func uploadRun(ctx context.Context, bin, db string, out io.Writer) error {
	p, err := startQuire(ctx, bin, db, 0)
	if err != nil {
		return err
	}
	defer p.stop()
	base := "http://" + p.addr
	ed, err := login(base, "load-editor@quire.invalid")
	if err != nil {
		return err
	}
	files := make([][]byte, 9)
	for i := range files {
		files[i] = photograph(int(time.Now().UnixNano()) + i)
	}
	before, _, _ := memory(p.cmd.Process.Pid)
	took, item, err := ed.upload(files[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  upload of a 12 MP JPEG (%.1f MB): %d ms to a usable library item\n", float64(len(files[0]))/(1<<20), took.Milliseconds())
	src, err := ed.previewOf(item)
	if err != nil {
		return err
	}
	start := time.Now()
	if _, err := get(base + src); err != nil {
		return err
	}
	fmt.Fprintf(out, "  first request of a new rendition (%s): %d ms\n", src[len(src)-9:], time.Since(start).Milliseconds())
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	start = time.Now()
	var worst time.Duration
	var mu sync.Mutex
	for _, f := range files[1:] {
		wg.Go(func() {
			took, _, err := ed.upload(f)
			if err != nil {
				errs <- err
			}
			mu.Lock()
			worst = max(worst, took)
			mu.Unlock()
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	_, hwm, _ := memory(p.cmd.Process.Pid)
	fmt.Fprintf(out, "  8 uploads at once: all done in %d ms (slowest %d ms); peak RSS %.0f MB (%.0f MB before the uploads)\n",
		time.Since(start).Milliseconds(), worst.Milliseconds(), hwm, before)
	return nil
}

// upload sends a photograph through the library's upload form and returns
// how long it took and the image's desk page.
func (s *session) upload(data []byte) (time.Duration, string, error) {
	v, err := s.form("/desk/media", "/desk/media")
	if err != nil {
		return 0, "", err
	}
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("_csrf", v.Get("_csrf"))
	_ = w.WriteField("alt", "A load test photograph")
	part, _ := w.CreateFormFile("file", "photo.jpg")
	_, _ = part.Write(data)
	_ = w.Close()
	// Its own client, so that uploads at once do not share a redirect policy.
	client := *s.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	start := time.Now()
	res, err := client.Post(s.base+"/desk/media", w.FormDataContentType(), &b)
	took := time.Since(start)
	if err != nil {
		return took, "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 400))
		return took, "", fmt.Errorf("upload: %s %s", res.Status, msg)
	}
	return took, res.Header.Get("Location"), nil
}

// previewOf is the address of the preview an image's desk page shows.
func (s *session) previewOf(item string) (string, error) {
	res, err := s.client.Get(s.base + item)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		return "", err
	}
	src := doc.Find("img.preview").AttrOr("src", "")
	if src == "" {
		return "", fmt.Errorf("no preview on %s", item)
	}
	return src, nil
}
