package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/hooks"
	"github.com/quire-cms/quire/internal/mailer/mailtest"
	"github.com/quire-cms/quire/internal/media/mediatest"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/store/storetest"
	"github.com/quire-cms/quire/internal/webhook"
	"github.com/quire-cms/quire/internal/workflow"
)

// asQuire makes the test binary run as the quire command, so that tests can
// start real Quire processes without building another binary.
const asQuire = "QUIRE_TEST_RUN_AS_QUIRE"

func TestMain(m *testing.M) {
	if os.Getenv(asQuire) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startProcesses starts n Quire processes at once on the database at
// location, as instances behind a load balancer would start, and returns
// their addresses once all listen. Each is stopped with SIGTERM when the
// test ends.
func startProcesses(t *testing.T, location string, n int, env ...string) []string {
	t.Helper()
	addrs := make(chan string, n)
	for i := range n {
		cmd := exec.Command(os.Args[0], "serve")
		// Each instance has a rendition cache of its own, as on separate
		// machines.
		cmd.Env = append(os.Environ(), asQuire+"=1", "QUIRE_DATABASE="+location,
			"QUIRE_ADDR=127.0.0.1:0", "QUIRE_LOG_LEVEL=warn", "QUIRE_MEDIA_CACHE_DIR="+t.TempDir())
		cmd.Env = append(cmd.Env, env...)
		cmd.Stderr = &testWriter{t: t, prefix: fmt.Sprintf("instance %d: ", i)}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("instance %d exited with %v", i, err)
				}
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Errorf("instance %d did not stop within 15s of SIGTERM", i)
			}
		})
		go func() {
			re := regexp.MustCompile(`listening on (http://\S+)`)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if m := re.FindStringSubmatch(sc.Text()); m != nil {
					addrs <- m[1]
				}
			}
			io.Copy(io.Discard, out)
		}()
	}
	var out []string
	timeout := time.After(60 * time.Second)
	for range n {
		select {
		case a := <-addrs:
			out = append(out, a)
		case <-timeout:
			t.Fatalf("only %d of %d instances listen after 60s", len(out), n)
		}
	}
	return out
}

// testWriter passes a child process's log lines to the test log.
type testWriter struct {
	t      *testing.T
	prefix string
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(w.prefix + strings.TrimSpace(string(p)))
	return len(p), nil
}

// httpUser is one person's httpUser: one cookie jar for every instance, as
// behind a load balancer, and no automatic redirects.
type httpUser struct {
	t    *testing.T
	http *http.Client
}

func newHTTPUser(t *testing.T) *httpUser {
	jar, _ := cookiejar.New(nil)
	return &httpUser{t: t, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *httpUser) get(u string) (*http.Response, *goquery.Document) {
	b.t.Helper()
	res, err := b.http.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return res, doc
}

// submit posts form to action with the CSRF token of the page at from.
func (b *httpUser) submit(from, action string, form url.Values) *http.Response {
	b.t.Helper()
	_, doc := b.get(from)
	form.Set("_csrf", doc.Find(`input[name="_csrf"]`).First().AttrOr("value", ""))
	res, err := b.http.PostForm(action, form)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// TestTwoInstances: two Quire processes, started together on one database,
// serve any user and show every reader the same site. A session made on one
// works on the other and ends on both; failed logins count on both; a publication through one reaches
// the other's readers (whose page was cached) within a second; and a
// scheduled publication happens exactly once. On PostgreSQL
// (QUIRE_TEST_POSTGRES) this is Quire scaled out behind a load balancer.
func TestTwoInstances(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	loc := storetest.Location(t, path)
	inst := startProcesses(t, loc, 2)
	a, b := inst[0], inst[1]
	addAccount(t, loc, "ed@hen.example", "editor")
	st := storetest.Open(t, path)

	t.Run("a session made on one instance works on the other", func(t *testing.T) {
		br := newHTTPUser(t)
		res := br.submit(a+"/login", a+"/login", url.Values{"email": {"ed@hen.example"}, "password": {"a long enough passphrase"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login on the first instance = %d", res.StatusCode)
		}
		res, doc := br.get(b + "/desk")
		if user := doc.Find(`[data-testid="current-user"]`).Text(); res.StatusCode != http.StatusOK || !strings.Contains(user, "ed") {
			t.Fatalf("the second instance's desk = %d, current user %q; want the editor signed in", res.StatusCode, user)
		}
		if res := br.submit(b+"/desk", b+"/logout", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("log out on the second instance = %d", res.StatusCode)
		}
		if res, _ := br.get(a + "/desk"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after logging out on the second instance, the first answers the desk with %d, want a redirect to log in", res.StatusCode)
		}
	})

	t.Run("failed logins count on every instance", func(t *testing.T) {
		addAccount(t, loc, "eve@hen.example", "editor")
		br := newHTTPUser(t)
		for i := range 5 { // the account limit, spread over both instances
			base := inst[i%2]
			if res := br.submit(base+"/login", base+"/login", url.Values{"email": {"eve@hen.example"}, "password": {"not the passphrase"}}); res.StatusCode == http.StatusSeeOther {
				t.Fatalf("a wrong password logged in on %s", base)
			}
		}
		for _, base := range inst {
			res := br.submit(base+"/login", base+"/login", url.Values{"email": {"eve@hen.example"}, "password": {"a long enough passphrase"}})
			if res.StatusCode != http.StatusTooManyRequests {
				t.Errorf("the right password after 5 failures across instances = %d on %s, want 429", res.StatusCode, base)
			}
		}
	})

	e := publishingtest.On(t, st)
	approved := func(t *testing.T, title string) (article.Article, article.Revision) {
		t.Helper()
		art, rev := e.Create(title)
		e.Approve(art.ID, rev.ID)
		return art, rev
	}

	t.Run("a publication through one instance reaches the other's readers", func(t *testing.T) {
		const page = "/articles/trotskys-assassination-ends-stalins-opposition"
		fetch(t, b+page)
		if res, err := http.Get(b + page); err != nil || res.Header.Get("X-Quire-Cache") != "hit" {
			t.Fatalf("the article is not cached on the second instance: %v", err)
		} else {
			res.Body.Close()
		}
		rev := retitle(t, e, "Trotsky Is Assassinated in Mexico")

		br := newHTTPUser(t)
		br.submit(a+"/login", a+"/login", url.Values{"email": {"ed@hen.example"}, "password": {"a long enough passphrase"}})
		res := br.submit(a+"/desk/articles/1", a+"/desk/articles/1/publish", url.Values{"revision": {fmt.Sprint(rev.ID)}})
		published := time.Now()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("Publish on the first instance = %d", res.StatusCode)
		}
		// The second instance polls the database's generation every half
		// second; a second is the promise, and more only fails on a
		// machine too loaded to keep time.
		for {
			if _, body := fetch(t, b+page); strings.Contains(body, "Trotsky Is Assassinated in Mexico") {
				seen := time.Since(published)
				t.Logf("the second instance's reader saw the publication %v after it", seen.Round(time.Millisecond))
				if seen > 5*time.Second {
					t.Errorf("the second instance showed the publication only after %v, want within a second", seen)
				}
				break
			}
			if time.Since(published) > 10*time.Second {
				t.Fatal("the second instance still serves the old page 10s after the publication")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("an image uploaded on one instance is served by the other", func(t *testing.T) {
		br := newHTTPUser(t)
		br.submit(a+"/login", a+"/login", url.Values{"email": {"ed@hen.example"}, "password": {"a long enough passphrase"}})
		_, doc := br.get(a + "/desk/media")
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		_ = w.WriteField("_csrf", doc.Find(`input[name="_csrf"]`).First().AttrOr("value", ""))
		_ = w.WriteField("alt", "A test card")
		part, _ := w.CreateFormFile("file", "card.jpg")
		_, _ = part.Write(mediatest.JPEG(800, 600))
		_ = w.Close()
		res, err := br.http.Post(a+"/desk/media", w.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		item := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || item == "" {
			t.Fatalf("upload on the first instance = %d", res.StatusCode)
		}
		_, doc = br.get(a + item)
		src := doc.Find("img.preview").AttrOr("src", "")
		if code, img := fetch(t, b+src); code != http.StatusOK || !strings.HasPrefix(img, "\xff\xd8") {
			t.Fatalf("the second instance answers %s with %d", src, code)
		}
		id, _ := strconv.ParseInt(item[strings.LastIndexByte(item, '/')+1:], 10, 64)
		if _, err := e.Pub.WithdrawMedia(ctx, workflow.System, id); err != nil {
			t.Fatal(err)
		}
		withdrawn := time.Now()
		for {
			code, _ := fetch(t, b+src)
			if code == http.StatusGone {
				t.Logf("the second instance refused the withdrawn image %v after it", time.Since(withdrawn).Round(time.Millisecond))
				break
			}
			if time.Since(withdrawn) > 10*time.Second {
				t.Fatalf("the second instance still serves a withdrawn image 10s later (%d)", code)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("a scheduled publication happens exactly once", func(t *testing.T) {
		art, rev := approved(t, "Stalin Signs the Pact")
		if err := e.Pub.Schedule(ctx, e.Editor, art.ID, rev.ID, article.Change{}, time.Now().Add(1500*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for _, base := range inst {
			for {
				if code, _ := fetch(t, base+"/articles/stalin-signs-the-pact"); code == http.StatusOK {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the scheduled article is not live on %s", base)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		time.Sleep(2 * time.Second) // both schedulers have looked again since
		pubs, err := st.Publications(ctx, art.ID)
		if err != nil || len(pubs) != 1 {
			t.Fatalf("publications = %+v, %v; want exactly one", pubs, err)
		}
		events, err := st.ArticleAudit(ctx, art.ID)
		if err != nil {
			t.Fatal(err)
		}
		var published int
		for _, e := range events {
			if e.Action == audit.Published {
				published++
			}
		}
		if published != 1 {
			t.Errorf("audit log has %d publications, want 1: %+v", published, events)
		}
	})
}

// retitle saves the demo article (id 1) under a new title as the env's
// editor, has it approved by its reviewer, and returns the new revision.
func retitle(t *testing.T, e *publishingtest.Env, title string) article.Revision {
	t.Helper()
	ctx := t.Context()
	head, err := e.Store.RevisionByNumber(ctx, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	d := publishingtest.DraftOf(head)
	d.Title = title
	saved, err := e.Pub.Save(ctx, e.Editor, 1, 1, e.Prepare(d))
	if err != nil {
		t.Fatal(err)
	}
	e.Approve(1, saved.Revision.ID)
	return saved.Revision
}

// TestTwoInstancesSendEachMailOnce: two Quire processes on one database
// share the outboxes; every notification reaches the SMTP server, and
// every webhook delivery its receiver, exactly once, whichever instance
// claims it. (Retries going out once across
// workers are tested in internal/mailer.)
func TestTwoInstancesSendEachMailOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	loc := storetest.Location(t, path)
	smtp := mailtest.Start(t)
	startProcesses(t, loc, 2, "QUIRE_SMTP_URL="+smtp.URL, "QUIRE_WEBHOOKS_ALLOW_PRIVATE=true")
	e := publishingtest.On(t, storetest.Open(t, path))
	// A webhook too: each submission is one delivery, whichever instance
	// sends it.
	var mu sync.Mutex
	received := map[string]int{}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		received[r.Header.Get(webhook.HeaderDelivery)]++
	}))
	defer receiver.Close()
	admin, err := e.Access.Create(ctx, 0, account.New{Email: "admin@hen.example", Name: "Admin", Role: "admin", Password: "a long enough passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hooks.New(e.Store).Add(ctx, admin, receiver.URL, []string{"revision.submitted"}); err != nil {
		t.Fatal(err)
	}
	const n = 24
	for i := range n {
		art, rev := e.Create(fmt.Sprintf("Article %d", i))
		if err := e.Pub.Submit(ctx, e.Editor, art.ID, rev.ID); err != nil {
			t.Fatal(err)
		}
	}
	// The reviewer and the admin are each told of each submission.
	smtp.Wait(t, 2*n, 30*time.Second)
	time.Sleep(2 * time.Second) // time for a second copy to show, if any
	seen := map[string]int{}
	for _, m := range smtp.Messages() {
		seen[m.To+" "+m.Subject]++
	}
	if len(seen) != 2*n {
		t.Errorf("%d different mails arrived, want %d", len(seen), 2*n)
	}
	for mail, times := range seen {
		if times != 1 {
			t.Errorf("%q arrived %d times", mail, times)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) != n {
		t.Errorf("%d webhook deliveries arrived, want %d", len(received), n)
	}
	for id, times := range received {
		if times != 1 {
			t.Errorf("delivery %s arrived %d times", id, times)
		}
	}
}
