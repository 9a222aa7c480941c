package hooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/hooks"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/retry"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
	"github.com/quire-cms/quire/internal/webhook"
	"github.com/quire-cms/quire/internal/workflow"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// receiver is a webhook receiver that checks every signature, turns away
// every other request with a 500, and counts what it accepted.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	seen   int
	got    map[string]int // accepted, by Quire-Delivery
	events map[string]int // accepted, by event
	bad    int            // requests with a wrong signature
	srv    *httptest.Server
}

func newReceiver(t *testing.T, failEvery int) *receiver {
	r := &receiver{t: t, got: map[string]int{}, events: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.seen++
		if !webhook.Verify(r.secret, req.Header.Get(webhook.HeaderSignature), body, time.Now(), 48*time.Hour) {
			r.bad++
		}
		if failEvery > 0 && r.seen%failEvery == 0 {
			http.Error(w, "try later", http.StatusInternalServerError)
			return
		}
		var env hooks.Envelope
		if err := json.Unmarshal(body, &env); err != nil || env.Event != req.Header.Get(webhook.HeaderEvent) {
			r.t.Errorf("payload %s", body)
		}
		r.got[req.Header.Get(webhook.HeaderDelivery)]++
		r.events[env.Event]++
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// build makes publication payloads as the running site does.
func build(e *publishingtest.Env) hooks.Builder {
	return hooks.Publications(e.Read, api.Links{Base: "https://hen.example"})
}

func adminOf(t *testing.T, e *publishingtest.Env) account.Account {
	t.Helper()
	a, err := e.Access.Create(context.Background(), 0, account.New{Email: "admin@hen.example", Name: "Admin", Role: "admin", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every publication reaches every webhook exactly once, signed, though the
// receiver turns away half the requests and three workers share the
// outbox (three instances; on PostgreSQL with QUIRE_TEST_POSTGRES).
func TestEveryEventArrivesOncePerWebhook(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	e := publishingtest.On(t, storetest.Open(t, path))
	admin := adminOf(t, e)
	svc := hooks.New(e.Store)
	var receivers []*receiver
	for range 2 {
		r := newReceiver(t, 2)
		w, err := svc.Add(ctx, admin, r.srv.URL+"/events", []string{"article.published", "article.updated", "article.corrected"})
		if err != nil {
			t.Fatal(err)
		}
		r.secret = w.Secret
		receivers = append(receivers, r)
	}
	// 1,000 publications: 250 articles, each published, updated,
	// corrected and updated again.
	const articles = 250
	for i := range articles {
		a, rev := e.Create(fmt.Sprintf("Article %d", i))
		e.Approve(a.ID, rev.ID)
		at := time.Now()
		if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, at); err != nil {
			t.Fatal(err)
		}
		for j, ch := range []article.Change{{}, {Kind: article.ChangeCorrection, Note: "Fixed a date."}, {Minor: true}} {
			next := e.SaveApproved(a.ID, rev.Number+j, fmt.Sprintf("Change %d", j))
			if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, next.ID, ch, at.Add(time.Duration(j+1)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
	}
	client := hooks.Client(true) // the receivers are on loopback
	clock := time.Now()
	for round := 0; round < 40; round++ {
		var wg sync.WaitGroup
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := hooks.Named(hooks.NewWorker(storetest.Open(t, path), client, build(e), quiet), fmt.Sprintf("instance-%d", i))
				hooks.SetNow(w, clock)
				if _, err := w.Tick(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		clock = clock.Add(2 * time.Hour)
		done := true
		for _, r := range receivers {
			r.mu.Lock()
			done = done && len(r.got) == 4*articles
			r.mu.Unlock()
		}
		if done {
			break
		}
	}
	for i, r := range receivers {
		r.mu.Lock()
		if len(r.got) != 4*articles || r.bad != 0 {
			t.Errorf("receiver %d: %d deliveries accepted, want %d; %d bad signatures", i, len(r.got), 4*articles, r.bad)
		}
		for id, n := range r.got {
			if n != 1 {
				t.Errorf("receiver %d: delivery %s accepted %d times", i, id, n)
			}
		}
		if r.events["article.published"] != articles || r.events["article.corrected"] != articles || r.events["article.updated"] != 2*articles {
			t.Errorf("receiver %d: events %v", i, r.events)
		}
		r.mu.Unlock()
	}
}

func TestPayloadIsTheArticleAsTheAPIShowsIt(t *testing.T) {
	ctx := context.Background()
	e := publishingtest.New(t)
	admin := adminOf(t, e)
	r := newReceiver(t, 0)
	var bodies []string
	r.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		bodies = append(bodies, string(b))
	})
	if _, err := hooks.New(e.Store).Add(ctx, admin, r.srv.URL, []string{"article.published", "article.unpublished", "revision.submitted", "revision.approved"}); err != nil {
		t.Fatal(err)
	}
	a, rev := e.Create("The Yalta Conference")
	e.Approve(a.ID, rev.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	w := hooks.NewWorker(e.Store, hooks.Client(true), build(e), quiet)
	if _, err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Pub.Unpublish(ctx, workflow.System, a.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 4 {
		t.Fatalf("%d deliveries: %v", len(bodies), bodies)
	}
	var published struct {
		Event string
		Data  struct {
			Article struct {
				Slug, Title string
				BodyHTML    string `json:"body_html"`
				Categories  []any
			}
		}
	}
	if err := json.Unmarshal([]byte(bodies[2]), &published); err != nil {
		t.Fatal(err)
	}
	if published.Event != "article.published" || published.Data.Article.Title != "The Yalta Conference" || len(published.Data.Article.Categories) != 1 {
		t.Errorf("published payload: %s", bodies[2])
	}
	for i, want := range []string{`"event":"revision.submitted"`, `"event":"revision.approved"`, `"event":"article.published"`, `"event":"article.unpublished"`} {
		if !strings.Contains(bodies[i], want) {
			t.Errorf("delivery %d: %s, want %s", i, bodies[i], want)
		}
	}
}

func TestWebhooksReachOnlyPublicAddresses(t *testing.T) {
	ctx := context.Background()
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hit = true }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	for _, u := range []string{srv.URL, "http://localhost:" + port, "http://[::1]:" + port, "http://169.254.169.254/latest/meta-data/"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader("{}"))
		res, err := hooks.Client(false).Do(req)
		if err == nil {
			res.Body.Close()
			t.Errorf("%s was reached", u)
		} else if !strings.Contains(err.Error(), "refused") && !strings.Contains(u, "::1") {
			t.Errorf("%s: %v, want refused", u, err)
		}
	}
	if hit {
		t.Error("a private receiver got a request")
	}
	// QUIRE_WEBHOOKS_ALLOW_PRIVATE lifts it.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost:"+port, strings.NewReader("{}"))
	res, err := hooks.Client(true).Do(req)
	if err != nil || !hit {
		t.Fatalf("with private addresses allowed: %v", err)
	}
	res.Body.Close()
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	followed := false
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed = true }))
	defer target.Close()
	srv := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
	res, err := hooks.Client(true).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if followed || res.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("redirect followed: %v, status %d", followed, res.StatusCode)
	}
}

// A receiver that never answers well: after 5 deliveries fail for good,
// the webhook is disabled, with the reason.
func TestAFailingWebhookIsDisabled(t *testing.T) {
	ctx := context.Background()
	e := publishingtest.New(t)
	admin := adminOf(t, e)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusBadGateway) }))
	defer srv.Close()
	svc := hooks.New(e.Store)
	hook, err := svc.Add(ctx, admin, srv.URL, []string{"article.published"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range webhook.DisableAfter + 1 {
		a, rev := e.Create(fmt.Sprintf("Doomed %d", i))
		e.Approve(a.ID, rev.ID)
		if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	w := hooks.NewWorker(e.Store, hooks.Client(true), build(e), quiet)
	clock := time.Now()
	for range 40 {
		hooks.SetNow(w, clock)
		w.Tick(ctx)
		clock = clock.Add(2 * time.Hour)
	}
	got, ds, _, err := svc.Get(ctx, hook.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got.Enabled() || !strings.Contains(got.DisabledReason, "502") || got.Failures < webhook.DisableAfter {
		t.Errorf("after %d failed deliveries: enabled %v, failures %d, reason %q", len(ds), got.Enabled(), got.Failures, got.DisabledReason)
	}
	// At least five failed for good (a sixth may have failed in the same
	// round, or wait with its webhook).
	failed := 0
	for _, d := range ds {
		if d.Status == webhook.Failed && d.ResponseCode == http.StatusBadGateway && d.Attempts == retry.MaxAttempts {
			failed++
		}
	}
	if failed < webhook.DisableAfter {
		t.Errorf("delivery log: %d failed for good of %+v", failed, ds)
	}
	// Enabled again, it receives new events; redelivery sends one again.
	if _, err := svc.Enable(ctx, admin, hook.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Redeliver(ctx, admin, hook.ID, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	_, after, _, _ := svc.Get(ctx, hook.ID, 0, 10)
	if len(after) != len(ds)+1 || after[0].Payload != ds[0].Payload || after[0].Status != webhook.Pending {
		t.Errorf("redelivery: %+v", after[0])
	}
}

// A publication whose delivery had not gone out when the article was
// withdrawn is not sent at all: a takedown is not undone by a late
// first attempt, a retry or a redelivery.
func TestAWithdrawnArticleIsNotSent(t *testing.T) {
	ctx := context.Background()
	e := publishingtest.New(t)
	admin := adminOf(t, e)
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		bodies = append(bodies, string(b))
	}))
	defer srv.Close()
	svc := hooks.New(e.Store)
	hook, err := svc.Add(ctx, admin, srv.URL, []string{"article.published"})
	if err != nil {
		t.Fatal(err)
	}
	a, rev := e.Create("Legally Removed")
	e.Approve(a.ID, rev.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.Pub.Unpublish(ctx, workflow.System, a.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	w := hooks.NewWorker(e.Store, hooks.Client(true), build(e), quiet)
	w.Tick(ctx)
	_, ds, _, _ := svc.Get(ctx, hook.ID, 0, 10)
	if len(bodies) != 0 || len(ds) != 1 || ds[0].Status != webhook.Failed || !strings.Contains(ds[0].LastError, "no longer published") {
		t.Errorf("sent %d; delivery %+v", len(bodies), ds)
	}
	if _, err := svc.Redeliver(ctx, admin, hook.ID, ds[0].ID); err != nil {
		t.Fatal(err)
	}
	w.Tick(ctx)
	if len(bodies) != 0 {
		t.Errorf("a redelivery sent the withdrawn article: %v", bodies)
	}
}

// A disabled webhook's deliveries wait; the others go out.
func TestADisabledWebhookWaits(t *testing.T) {
	ctx := context.Background()
	e := publishingtest.New(t)
	admin := adminOf(t, e)
	got := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { got[req.URL.Path]++ }))
	defer srv.Close()
	svc := hooks.New(e.Store)
	off, err := svc.Add(ctx, admin, srv.URL+"/off", []string{"article.published"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Add(ctx, admin, srv.URL+"/on", []string{"article.published"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Add(ctx, admin, srv.URL+"/on", []string{"article.published"}); err == nil {
		t.Error("a second webhook to one address was added")
	}
	if err := e.Store.Atomically(ctx, func(tx *store.Store) error { return tx.SetWebhookHealth(ctx, off.ID, 5, time.Now(), "test") }); err != nil {
		t.Fatal(err)
	}
	a, rev := e.Create("News")
	e.Approve(a.ID, rev.ID)
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	w := hooks.NewWorker(e.Store, hooks.Client(true), build(e), quiet)
	w.Tick(ctx)
	if got["/on"] != 1 || got["/off"] != 0 {
		t.Errorf("deliveries: %v", got)
	}
	// Send test reaches it all the same: that is how an admin checks it works again.
	if _, err := svc.SendTest(ctx, admin, off.ID); err != nil {
		t.Fatal(err)
	}
	w.Tick(ctx)
	if got["/off"] != 1 {
		t.Errorf("a ping to a disabled webhook: %v", got)
	}
}
