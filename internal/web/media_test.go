package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/media/mediatest"
	"github.com/quire-cms/quire/internal/web"
)

// upload sends the library's upload form as a browser does, with the file
// and the details.
func (c *client) upload(fileName string, data []byte, fields url.Values) *http.Response {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("_csrf", c.csrf("/desk/media"))
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if data != nil {
		// A lying name and type: Quire reads the bytes.
		part, _ := w.CreateFormFile("file", fileName)
		_, _ = part.Write(data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+"/desk/media", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// uploaded uploads an image and returns its desk page's address.
func (c *client) uploaded(data []byte, fields url.Values) string {
	c.t.Helper()
	res := c.upload("photo.jpg", data, fields)
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("upload = %d: %s", res.StatusCode, body(c.t.(*testing.T), res))
	}
	return res.Header.Get("Location")
}

func TestUploadServesCleanRenditions(t *testing.T) {
	e := newEnv(t)
	editor, _ := e.loggedIn(t, account.Editor)
	photo := mediatest.WithEXIF(mediatest.JPEG(1200, 800), 6)
	item := editor.uploaded(photo, url.Values{"alt": {"Trotsky at his desk in Coyoacán"}, "caption": {"The study, 1940."},
		"credit": {"Photo: Archive"}, "licence": {"Public domain"}, "focus_x": {"30"}, "focus_y": {"40"}})
	if !strings.HasPrefix(item, "/desk/media/") {
		t.Fatalf("upload went to %q", item)
	}
	_, doc := editor.doc(item)
	page := text(doc.Find("main"))
	for _, want := range []string{"800 × 1200 px, JPEG", "Trotsky at his desk in Coyoacán", "photo.jpg"} {
		if !strings.Contains(page, want) {
			t.Errorf("the image's page lacks %q", want)
		}
	}
	if v := doc.Find("#f-focus-x-across").AttrOr("value", ""); v != "30" {
		t.Errorf("focal point across = %q", v)
	}
	markdown := doc.Find("#f-markdown").AttrOr("value", "")
	if !strings.HasPrefix(markdown, "![Trotsky at his desk in Coyoacán](/media/") {
		t.Fatalf("snippet = %q", markdown)
	}
	src := doc.Find("img.preview").AttrOr("src", "")
	webp := doc.Find("picture source").AttrOr("srcset", "")
	if src == "" || !strings.Contains(webp, ".webp 480w") {
		t.Fatalf("preview src %q, webp srcset %q", src, webp)
	}

	// A reader (no cookie) gets the renditions, clean and cacheable.
	var public []string
	// The address Markdown names is the desk's: readers get 404, an
	// editor's live preview the 1280-pixel JPEG.
	named := markdown[strings.Index(markdown, "(")+1 : len(markdown)-1]
	if res := e.get(t, named); res.StatusCode != http.StatusNotFound {
		t.Errorf("a reader asked for %s: %d, want 404", named, res.StatusCode)
	}
	redirect := editor.get(named)
	if redirect.StatusCode != http.StatusFound {
		t.Fatalf("the editor asked for %s: %d", named, redirect.StatusCode)
	}
	if cc := redirect.Header.Get("Cache-Control"); strings.Contains(cc, "public") || !strings.Contains(cc, "no-store") {
		t.Errorf("the desk's %s may be kept by shared caches: %q", named, cc)
	}
	for _, addr := range []string{src, strings.Fields(webp)[0], redirect.Header.Get("Location")} {
		res := e.get(t, addr)
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", addr, res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s Cache-Control = %q", addr, cc)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != "default-src 'none'; sandbox" {
			t.Errorf("%s CSP = %q", addr, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/") {
			t.Errorf("%s headers = %v", addr, res.Header)
		}
		for name, vs := range res.Header {
			if len(vs) > 1 {
				t.Errorf("%s sends %s %d times: %q", addr, name, len(vs), vs)
			}
		}
		for _, leak := range []string{mediatest.Secret, "Exif", "GPS"} {
			if bytes.Contains(b, []byte(leak)) {
				t.Errorf("%s carries %q", addr, leak)
			}
		}
		// Served again from the cache's file, with a validator.
		again := e.get(t, addr, "If-None-Match", res.Header.Get("ETag"))
		if again.StatusCode != http.StatusNotModified || res.Header.Get("ETag") == "" {
			t.Errorf("conditional GET %s = %d (ETag %q)", addr, again.StatusCode, res.Header.Get("ETag"))
		}
		public = append(public, addr)
	}

	// The original, metadata and all, is the desk's only.
	original := item + "/original"
	if res := e.get(t, original); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a reader asked for the original: %d", res.StatusCode)
	}
	res := editor.get(original)
	b, _ := io.ReadAll(res.Body)
	if !bytes.Equal(b, photo) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
		res.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
		t.Fatalf("original: %d bytes, headers %v", len(b), res.Header)
	}

	// A crop is made around the image's own focal point only; another
	// point is sent there.
	id := path.Base(item)
	tag := strings.Split(public[0], "/")[3]
	res = e.get(t, "/media/"+id+"/"+tag+"/240x180-1-99.jpg")
	if want := "/media/" + id + "/" + tag + "/240x180-30-40.jpg"; res.StatusCode != http.StatusFound || res.Header.Get("Location") != want {
		t.Errorf("a crop around another point = %d %q, want a redirect to %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	if a, b := e.get(t, public[0]).Header.Get("ETag"), e.get(t, strings.Replace(public[0], ".jpg", ".webp", 1)).Header.Get("ETag"); a == b {
		t.Errorf("the JPEG and the WebP share the ETag %s", a)
	}
	// Nothing public names the original's hash.
	sum := sha256.Sum256(photo)
	if page := body(t, editor.get("/media/"+id)); strings.Contains(page, hex.EncodeToString(sum[:8])) ||
		strings.Contains(redirect.Header.Get("Location"), hex.EncodeToString(sum[:8])) {
		t.Error("a public address carries the original's hash")
	}

	// A wrong hash or a size Quire does not make is not found.
	for _, bad := range []string{path.Dir(public[0]) + "/1601.jpg", path.Dir(public[0]) + "/800.jpg", replaceTag(public[0]), "/media/999999"} {
		if res := e.get(t, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", bad, res.StatusCode)
		}
	}
}

// replaceTag gives a rendition's address another image's hash.
func replaceTag(path string) string {
	parts := strings.Split(path, "/")
	parts[3] = strings.Repeat("0", len(parts[3]))
	return strings.Join(parts, "/")
}

func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, web.Config{BaseURL: baseURL, MaxUploadBytes: 1 << 20})
	editor, _ := e.loggedIn(t, account.Editor)
	jpg := mediatest.JPEG(640, 480)
	for _, tc := range []struct {
		name   string
		data   []byte
		fields url.Values
		status int
		says   string
	}{
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), nil, 422, "Quire accepts JPEG, PNG, GIF or WebP files only"},
		{"html named .jpg", []byte("<!doctype html><title>x</title><script>alert(1)</script>"), nil, 422, "Quire accepts JPEG, PNG, GIF or WebP"},
		{"pdf", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj"), nil, 422, "Quire accepts JPEG, PNG, GIF or WebP"},
		{"cut short", jpg[:len(jpg)/3], nil, 422, "not a readable image"},
		{"bomb", mediatest.Bomb(50000, 50000), nil, 422, "at most 60 megapixels"},
		{"no file", nil, nil, 422, "Choose an image file"},
		{"bad source", jpg, url.Values{"source_url": {"javascript:alert(1)"}}, 422, "starting with http"},
		{"too large", append(mediatest.JPEG(64, 64), make([]byte, 1<<20)...), nil, 413, "upload limit of 1 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := editor.upload("photo.jpg", tc.data, tc.fields)
			page := body(t, res)
			if res.StatusCode != tc.status || !strings.Contains(page, tc.says) {
				t.Fatalf("upload = %d, want %d saying %q:\n%s", res.StatusCode, tc.status, tc.says, page)
			}
		})
	}
	// What was typed comes back with the refusal.
	res := editor.upload("photo.jpg", jpg[:100], url.Values{"alt": {"Kept alt text"}, "credit": {"Kept credit"}})
	if page := body(t, res); !strings.Contains(page, "Kept alt text") || !strings.Contains(page, "Kept credit") {
		t.Fatal("a refused upload lost the details typed with it")
	}
	_, doc := editor.doc("/desk/media")
	if n := doc.Find(".media-card").Length(); n != 0 {
		t.Fatalf("refused uploads left %d images in the library", n)
	}
}

func TestLibraryRules(t *testing.T) {
	e := newEnv(t)
	editor, _ := e.loggedIn(t, account.Editor)
	reviewer, _ := e.loggedIn(t, account.Reviewer)
	admin, _ := e.loggedIn(t, account.Admin)
	photo := mediatest.JPEG(480, 360)

	if res := reviewer.upload("photo.jpg", photo, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a reviewer uploaded: %d", res.StatusCode)
	}
	item := editor.uploaded(photo, url.Values{"alt": {"A first description"}})
	// The same bytes again are the same image, details unchanged.
	if again := editor.uploaded(photo, url.Values{"alt": {"Another description"}}); again != item {
		t.Fatalf("a duplicate upload became %s, not %s", again, item)
	}
	_, doc := editor.doc(item)
	if got := doc.Find("#f-alt").Text(); got != "A first description" {
		t.Fatalf("alt text after a duplicate upload = %q", got)
	}
	if !strings.Contains(text(doc.Find("[role=status], .flash")), "already in the library") {
		t.Errorf("the duplicate upload was not told: %q", text(doc.Find("main")))
	}
	if n := doc.Find(`form[action$="/withdraw"]`).Length(); n != 0 {
		t.Fatal("an editor is offered Withdraw")
	}
	// Found by its words.
	if _, doc := editor.doc("/desk/media?q=first+descr"); doc.Find(".media-card").Length() != 1 {
		t.Fatal("search did not find the image by its alt text")
	}
	if _, doc := editor.doc("/desk/media?q=nothing+like+it"); doc.Find(".media-card").Length() != 0 {
		t.Fatal("search found an image that does not match")
	}

	_, doc = editor.doc(item)
	thumb := doc.Find("img.preview").AttrOr("src", "")
	if res := e.get(t, thumb); res.StatusCode != http.StatusOK {
		t.Fatalf("rendition = %d", res.StatusCode)
	}
	if res := editor.post(item, item+"/withdraw", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor withdraw = %d", res.StatusCode)
	}
	if res := e.get(t, thumb); res.StatusCode != http.StatusOK {
		t.Fatal("an editor's refused withdrawal took the image down")
	}
	if res := admin.post(item, item+"/withdraw", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin withdraw = %d", res.StatusCode)
	}
	// Gone at once, though the rendition was cached.
	if res := e.get(t, thumb); res.StatusCode != http.StatusGone {
		t.Fatalf("a withdrawn image's rendition = %d, want 410", res.StatusCode)
	}
	if res := editor.get("/media/" + path.Base(item)); res.StatusCode != http.StatusGone {
		t.Fatalf("a withdrawn image = %d, want 410", res.StatusCode)
	}
	// Its original stays for the record, and it cannot come back.
	if res := admin.get(item + "/original"); res.StatusCode != http.StatusOK {
		t.Fatalf("the withdrawn original = %d", res.StatusCode)
	}
	if res := editor.upload("again.jpg", photo, nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("uploading a withdrawn image again = %d, want 409", res.StatusCode)
	}
	// Delete: an image no revision showed goes entirely.
	if res := admin.post(item, item+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete = %d", res.StatusCode)
	}
	if res := admin.get(item); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a deleted image's page = %d", res.StatusCode)
	}
}

// imageID is the library number of the image whose desk page is at item.
func imageID(item string) string { return path.Base(item) }

func TestLeadImageFromDeskToReaders(t *testing.T) {
	e := newEnv(t)
	editor, _ := e.loggedIn(t, account.Editor)
	reviewer, _ := e.loggedIn(t, account.Reviewer)
	admin, _ := e.loggedIn(t, account.Admin)
	lead := imageID(editor.uploaded(mediatest.WithEXIF(mediatest.JPEG(1600, 1000), 1), url.Values{
		"caption": {"Trotsky's study in Coyoacán."}, "credit": {"Photo: Museo Casa de León Trotsky"},
		"source_url": {"https://museocasadeleontrotsky.example/1"}, "licence": {"CC BY-SA 4.0"}, "focus_x": {"40"}}))
	inBody := imageID(editor.uploaded(mediatest.PNG(800, 400), url.Values{"alt": {"A map of Mexico City"}, "caption": {"Coyoacán, 1940."}}))

	// An unknown image is refused by name, and nothing typed is lost.
	form := articleForm("The study", "Before.\n\n![](/media/999999)\n\nAfter.")
	res := editor.post("/desk/articles/new", "/desk/articles", form)
	if page := body(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "image 999999 (/media/999999), which is not in the media library") {
		t.Fatalf("unknown image: %d\n%s", res.StatusCode, page)
	}

	form = articleForm("The study", "Before.\n\n![](/media/"+inBody+")\n\nAfter, with ![a tiny inline map](/media/"+inBody+") in the text.\n\n![elsewhere](https://tracker.example/pixel.png)")
	form.Set("lead_image", lead)
	desk := editor.post("/desk/articles/new", "/desk/articles", form).Header.Get("Location")
	if desk == "" {
		t.Fatal("the article was not created")
	}
	id := path.Base(desk)

	// The lead image has no alt text: the revision is saved, not sent to review.
	res = act(editor, desk, "submit", 0, nil)
	msg := body(t, res)
	if loc := res.Header.Get("Location"); loc != "" {
		_, doc := editor.doc(loc)
		msg = text(doc.Find("main"))
	}
	if !strings.Contains(msg, "The lead image has no alt text") {
		t.Fatalf("submitting without alt text: %d, page says %q", res.StatusCode, msg)
	}
	var doc *goquery.Document
	_, doc = editor.doc("/desk/articles/" + id + "/edit")
	if got := doc.Find(`#f-lead-image option[selected]`).AttrOr("value", ""); got != lead {
		t.Fatalf("the form's lead image = %q, want %s", got, lead)
	}
	if got := doc.Find("#f-lead-caption").AttrOr("value", ""); got != "Trotsky's study in Coyoacán." {
		t.Fatalf("the lead caption did not default from the library: %q", got)
	}
	form = articleForm("The study", form.Get("body"))
	form.Set("lead_image", lead)
	form.Set("lead_alt", "A desk with books and a lamp by a window")
	form.Set("lead_caption", "The study where Trotsky was attacked.")
	form.Set("base", "1")
	if res := editor.post("/desk/articles/"+id+"/edit", "/desk/articles/"+id+"/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with alt text = %d: %s", res.StatusCode, body(t, res))
	}
	_, doc = editor.doc(desk + "/compare?from=1&to=2")
	if diff := text(doc.Find("[data-testid=diff]")); !strings.Contains(diff, "Lead image: Alt text") || !strings.Contains(diff, "Lead image: Caption") {
		t.Errorf("compare = %q", diff)
	}
	wantStatus(t, act(editor, desk, "submit", 0, nil), http.StatusSeeOther, "submit")
	wantStatus(t, decide(reviewer, desk, "approve", "", 0), http.StatusSeeOther, "approve")
	wantStatus(t, act(editor, desk, "publish", 0, nil), http.StatusSeeOther, "publish")

	// Readers see the figure, its caption and credit, the social tags
	// and the structured data.
	doc = e.page(t, "/articles/the-study", http.StatusOK)
	figure := doc.Find("[data-testid=lead-image]")
	img := figure.Find("img")
	if img.AttrOr("alt", "") != "A desk with books and a lamp by a window" || img.AttrOr("fetchpriority", "") != "high" ||
		img.AttrOr("loading", "") != "" || img.AttrOr("width", "") != "1600" || img.AttrOr("height", "") != "1000" {
		t.Errorf("lead img = %v", img.Nodes[0].Attr)
	}
	if caption := text(figure.Find("figcaption")); caption != "The study where Trotsky was attacked. Photo: Museo Casa de León Trotsky / Source / CC BY-SA 4.0" {
		t.Errorf("caption = %q", caption)
	}
	if !strings.Contains(figure.Find("source").AttrOr("srcset", ""), ".webp 1600w") {
		t.Errorf("webp srcset = %q", figure.Find("source").AttrOr("srcset", ""))
	}
	og := doc.Find(`meta[property="og:image"]`).AttrOr("content", "")
	if !strings.HasPrefix(og, baseURL+"/media/"+lead+"/") || !strings.HasSuffix(og, "/1200x675-40-50.jpg") ||
		doc.Find(`meta[name="twitter:card"]`).AttrOr("content", "") != "summary_large_image" ||
		doc.Find(`meta[property="og:image:width"]`).AttrOr("content", "") != "1200" ||
		doc.Find(`meta[property="og:image:alt"]`).AttrOr("content", "") != "A desk with books and a lamp by a window" {
		t.Errorf("social tags: og:image %q", og)
	}
	var ld struct {
		Image []struct {
			Type       string `json:"@type"`
			URL        string `json:"url"`
			Width      int    `json:"width"`
			Height     int    `json:"height"`
			CreditText string `json:"creditText"`
			Notice     string `json:"copyrightNotice"`
		} `json:"image"`
	}
	if err := json.Unmarshal([]byte(doc.Find(`script[type="application/ld+json"]`).First().Text()), &ld); err != nil {
		t.Fatal(err)
	}
	if len(ld.Image) != 3 || ld.Image[0].Width != 1000 || ld.Image[0].Height != 1000 || ld.Image[1].Height != 900 ||
		ld.Image[2].Height != 675 || ld.Image[2].CreditText != "Photo: Museo Casa de León Trotsky" || ld.Image[0].Notice != "CC BY-SA 4.0" {
		t.Errorf("JSON-LD images = %+v", ld.Image)
	}
	for _, im := range ld.Image {
		if res := e.get(t, strings.TrimPrefix(im.URL, baseURL)); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", im.URL, res.StatusCode)
		}
	}
	bodyHTML, _ := doc.Find("[data-testid=body]").Html()
	if !strings.Contains(bodyHTML, `<figure class="figure" data-media="`+inBody+`">`) || !strings.Contains(bodyHTML, "Coyoacán, 1940.") ||
		!strings.Contains(bodyHTML, `alt="A map of Mexico City"`) || !strings.Contains(bodyHTML, `alt="a tiny inline map"`) ||
		strings.Contains(bodyHTML, "<img src=\"https://tracker.example") || !strings.Contains(bodyHTML, `href="https://tracker.example/pixel.png"`) {
		t.Errorf("body = %s", bodyHTML)
	}
	if csp := e.get(t, "/articles/the-study").Header.Get("Content-Security-Policy"); strings.Contains(csp, "https:") {
		t.Errorf("pages may still load other sites' images: %s", csp)
	}
	// Listings show a thumbnail; the feed carries the image.
	home := e.page(t, "/", http.StatusOK)
	if thumb := home.Find("[data-testid=articles] .card").First().Find("picture.thumb img"); thumb.AttrOr("loading", "") != "lazy" ||
		!strings.HasSuffix(thumb.AttrOr("src", ""), "/240x180-40-50.jpg") {
		t.Errorf("home card thumbnail = %v", thumb.Nodes)
	}
	feed := body(t, e.get(t, "/feed.xml"))
	if !strings.Contains(feed, `rel="enclosure"`) || !strings.Contains(feed, `src=&#34;`+baseURL+`/media/`) && !strings.Contains(feed, `src="`+baseURL+`/media/`) {
		t.Errorf("feed lacks the image:\n%s", feed)
	}

	// The image is used: it cannot be deleted, and its page says where.
	item := "/desk/media/" + lead
	_, doc = editor.doc(item)
	if uses := text(doc.Find("[data-testid=media-uses]")); !strings.Contains(uses, "The study, revision 2 (lead image)") {
		t.Errorf("uses = %q", uses)
	}
	res = admin.post(item, item+"/delete", nil)
	if _, doc := admin.doc(res.Header.Get("Location")); !strings.Contains(text(doc.Find("main")), "cannot be deleted; withdraw it instead") {
		t.Error("a used image was deletable")
	}
	// Withdrawn: the page drops the lead and says the body's image is gone.
	admin.post(item, item+"/withdraw", nil)
	admin.post("/desk/media/"+inBody, "/desk/media/"+inBody+"/withdraw", nil)
	doc = e.page(t, "/articles/the-study", http.StatusOK)
	if doc.Find("[data-testid=lead-image]").Length() != 0 || doc.Find(`meta[property="og:image"]`).Length() != 0 {
		t.Error("a withdrawn lead image is still shown")
	}
	if b := text(doc.Find("[data-testid=body]")); !strings.Contains(b, "This image has been withdrawn.") || !strings.Contains(b, "(image withdrawn)") {
		t.Errorf("body after withdrawal = %q", b)
	}
	if strings.Contains(body(t, e.get(t, "/articles/the-study")), "/media/"+inBody+"/") {
		t.Error("the page still points at a withdrawn image")
	}
	if api := body(t, e.get(t, "/api/v1/articles/the-study")); strings.Contains(api, "/media/"+inBody+"/") || !strings.Contains(api, "This image has been withdrawn.") {
		t.Errorf("the API still shows a withdrawn image:\n%s", api)
	}
}

// postArticle sends the article form as a browser does, multipart, with a
// lead image file last.
func (c *client) postArticle(from, action string, form url.Values, fileName string, data []byte) *http.Response {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("_csrf", c.csrf(from))
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	part, _ := w.CreateFormFile("lead_file", fileName)
	_, _ = part.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+action, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestLeadImageUploadedInTheArticleForm(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, web.Config{BaseURL: baseURL, MaxUploadBytes: 1 << 20})
	editor, _ := e.loggedIn(t, account.Editor)
	form := articleForm("Uploaded in place", "A body typed before the upload.")
	form.Set("lead_alt", "A square in Coyoacán")
	form.Set("lead_caption", "The square, 1939.")

	// Over the limit: 413, and everything typed comes back.
	res := editor.postArticle("/desk/articles/new", "/desk/articles", form, "big.jpg", append(mediatest.JPEG(64, 64), make([]byte, 3<<20)...))
	page := body(t, res)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "upload limit of 1 MB") ||
		!strings.Contains(page, "A body typed before the upload.") || !strings.Contains(page, "A square in Coyoacán") {
		t.Fatalf("too large an upload in the form: %d\n%s", res.StatusCode, page)
	}
	// Not an image: 422 at the file's control, everything typed kept.
	res = editor.postArticle("/desk/articles/new", "/desk/articles", form, "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`))
	page = body(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="f-lead-file-error"`) ||
		!strings.Contains(page, "A body typed before the upload.") {
		t.Fatalf("an SVG in the form: %d\n%s", res.StatusCode, page)
	}
	// A photograph: it joins the library with the words typed for it and
	// leads the article.
	res = editor.postArticle("/desk/articles/new", "/desk/articles", form, "square.jpg", mediatest.JPEG(900, 600))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload in the form = %d: %s", res.StatusCode, body(t, res))
	}
	_, doc := editor.doc(res.Header.Get("Location") + "/edit")
	id := doc.Find(`#f-lead-image option[selected]`).AttrOr("value", "")
	if id == "" || doc.Find("#f-lead-alt").Text() != "A square in Coyoacán" {
		t.Fatalf("the new article's lead image = %q", id)
	}
	_, doc = editor.doc("/desk/media/" + id)
	if doc.Find("#f-alt").Text() != "A square in Coyoacán" || doc.Find("#f-caption").Text() != "The square, 1939." {
		t.Errorf("the library item's words = %q, %q", doc.Find("#f-alt").Text(), doc.Find("#f-caption").Text())
	}
	// The form's other requests stay small: a login is not an upload.
	res = e.client(t).postArticle("/login", "/login", url.Values{}, "big.jpg", make([]byte, 3<<20))
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 3 MB multipart login = %d, want 413", res.StatusCode)
	}
}
