package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/retry"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/webhook"
)

// Timeout bounds one delivery request, from dialling to the end of the
// answer's headers.
const Timeout = 10 * time.Second

// errUnreachable refuses an address no webhook may reach.
var errUnreachable = errors.New("refused: the address is loopback, private, link-local or otherwise not public (QUIRE_WEBHOOKS_ALLOW_PRIVATE=true allows it for an intranet)")

// Client is the HTTP client deliveries are made with: every address it
// connects to is checked as it connects, so a name that resolves to a
// private address, at once or after a DNS change, reaches nothing; it
// follows no redirects and gives up after Timeout.
func Client(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{
		Timeout: Timeout,
		Control: func(_, address string, _ syscall.RawConn) error {
			if !webhook.ReachableHost(address, allowPrivate) {
				return errUnreachable
			}
			return nil
		},
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would connect for us, unchecked
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   Timeout,
		ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is an answer, not a new address to reach
		},
	}
}

// Worker sends due deliveries. Every Quire process runs one.
type Worker struct {
	st     *store.Store
	client *http.Client
	build  Builder
	name   string
	logger *slog.Logger
	now    func() time.Time
	pruned time.Time
}

// NewWorker returns a worker on st sending with client, making the
// payloads of publication events with build.
func NewWorker(st *store.Store, client *http.Client, build Builder, logger *slog.Logger) *Worker {
	host, _ := os.Hostname()
	return &Worker{st: st, client: client, build: build, name: fmt.Sprintf("%s/%d", host, os.Getpid()), logger: logger, now: time.Now}
}

const (
	lease      = 5 * time.Minute // longer than a batch takes: only a dead worker's claims run out
	batch      = 40
	perWebhook = 5 // of one batch: one slow receiver holds up only its own
	senders    = 8 // webhooks sent to at once
	// Keep is how long settled deliveries stay in a webhook's log.
	Keep = 30 * 24 * time.Hour
)

// Run works at once and then every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	retry.Loop(ctx, every, w.logger, "webhook delivery", func(ctx context.Context) error {
		_, err := w.Tick(ctx)
		return err
	})
}

// Tick sends what is due, batch after batch, and clears out old
// deliveries hourly; it says how many deliveries arrived.
func (w *Worker) Tick(ctx context.Context) (int, error) {
	now := w.now()
	var errs []error
	if now.Sub(w.pruned) >= time.Hour {
		w.pruned = now
		errs = append(errs, w.st.Atomically(ctx, func(tx *store.Store) error { return tx.PruneDeliveries(ctx, now.Add(-Keep), 50_000) }))
	}
	delivered := 0
	for ctx.Err() == nil {
		// A read first: an idle tick takes no write lock from the desk.
		due, err := w.st.DeliveriesDue(ctx, w.now())
		if err != nil || !due {
			return delivered, errors.Join(append(errs, err)...)
		}
		var claimed []webhook.Delivery
		err = w.st.Atomically(ctx, func(tx *store.Store) error {
			var err error
			claimed, err = tx.ClaimDeliveries(ctx, w.name, w.now(), lease, batch, perWebhook)
			return err
		})
		if err != nil || len(claimed) == 0 {
			return delivered, errors.Join(append(errs, err)...)
		}
		delivered += w.send(ctx, claimed)
	}
	return delivered, errors.Join(errs...)
}

// send delivers a claimed batch: each webhook's deliveries in order, up to
// senders webhooks at once, so that a receiver taking its full timeout
// delays only its own. It says how many arrived.
func (w *Worker) send(ctx context.Context, claimed []webhook.Delivery) int {
	var order []int64
	byHook := map[int64][]webhook.Delivery{}
	for _, d := range claimed {
		if byHook[d.WebhookID] == nil {
			order = append(order, d.WebhookID)
		}
		byHook[d.WebhookID] = append(byHook[d.WebhookID], d)
	}
	var wg sync.WaitGroup
	var delivered atomic.Int64
	slots := make(chan struct{}, senders)
	for _, id := range order {
		wg.Add(1)
		slots <- struct{}{}
		go func(ds []webhook.Delivery) {
			defer func() { <-slots; wg.Done() }()
			for i, d := range ds {
				if ctx.Err() != nil {
					w.release(ds[i:])
					return
				}
				if w.deliver(ctx, d) {
					delivered.Add(1)
				}
			}
		}(byHook[id])
	}
	wg.Wait()
	return int(delivered.Load())
}

// release gives claimed deliveries back without an attempt.
func (w *Worker) release(ds []webhook.Delivery) {
	ctx := context.Background()
	err := w.st.Atomically(ctx, func(tx *store.Store) error {
		for _, d := range ds {
			if _, err := tx.SettleDelivery(ctx, w.name, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.logger.Error("could not give back claimed deliveries", "err", err)
	}
}

// deliver makes one attempt and records it, with the webhook's health: a
// delivery that fails for good counts toward disabling the webhook, one
// that arrives clears the count.
func (w *Worker) deliver(ctx context.Context, d webhook.Delivery) bool {
	hook, err := w.st.Webhook(ctx, d.WebhookID)
	if errors.Is(err, store.ErrNotFound) {
		// Removed meanwhile: nothing to send to.
		d.Status, d.LastError = webhook.Failed, "the webhook was removed"
		w.settle(d, webhook.Webhook{}, false)
		return false
	}
	if err != nil {
		w.logger.ErrorContext(ctx, "could not read a webhook; its delivery waits for its lease", "delivery", d.ID, "err", err)
		return false
	}
	if !hook.Enabled() && d.Event != webhook.Ping {
		w.release([]webhook.Delivery{d}) // disabled since the claim: it waits with its webhook
		return false
	}
	if d.ArticleID != 0 {
		// A publication is told only while what it published is public:
		// after a takedown, a late first attempt, a retry or a
		// redelivery would send the withdrawn text.
		a, err := w.st.Article(ctx, d.ArticleID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			w.logger.ErrorContext(ctx, "could not read an article; its delivery waits for its lease", "delivery", d.ID, "err", err)
			return false
		}
		if err != nil || a.State != article.Live {
			d.Status, d.LastError = webhook.Failed, "not sent: the article is no longer published"
			w.settle(d, hook, false)
			return false
		}
	}
	start := time.Now()
	var code int
	body, err := payload(ctx, d, w.build)
	if err == nil {
		code, err = w.post(ctx, hook, d, body)
	}
	if err != nil && ctx.Err() != nil {
		w.release([]webhook.Delivery{d}) // cut short by shutdown: no attempt to count
		return false
	}
	d.Took, d.ResponseCode = time.Since(start), code
	d.Attempts++
	now := w.now().UTC()
	if err == nil {
		d.Status, d.DeliveredAt, d.LastError = webhook.Delivered, now, ""
	} else {
		next, again := retry.Next(d.Attempts, now)
		d.DueAt, d.LastError = next, retry.Reason(err)
		if !again {
			d.Status = webhook.Failed
		}
	}
	w.settle(d, hook, true)
	return err == nil
}

// settle records an attempt, without the request's context: an answer
// received while shutting down must not be asked for again.
func (w *Worker) settle(d webhook.Delivery, hook webhook.Webhook, tracked bool) {
	ctx := context.Background()
	err := w.st.Atomically(ctx, func(tx *store.Store) error {
		held, err := tx.SettleDelivery(ctx, w.name, d)
		if err != nil || !held || !tracked || d.Status == webhook.Pending || d.Event == webhook.Ping {
			return err
		}
		current, err := tx.Webhook(ctx, hook.ID)
		if err != nil {
			return nil // removed meanwhile
		}
		failures, disabled, reason := 0, current.DisabledAt, current.DisabledReason
		if d.Status == webhook.Failed {
			failures = current.Failures + 1
			if failures >= webhook.DisableAfter && current.Enabled() {
				disabled = w.now().UTC()
				reason = strconv.Itoa(failures) + " deliveries in a row failed after a day of retries; the last: " + d.LastError
				w.logger.Warn("webhook disabled", "webhook", hook.ID, "url", hook.URL, "reason", reason)
				if err := tx.AddAudit(ctx, auditDisabled(disabled, hook.URL, reason)); err != nil {
					return err
				}
			}
		}
		return tx.SetWebhookHealth(ctx, hook.ID, failures, disabled, reason)
	})
	if err != nil {
		w.logger.Error("could not record a delivery", "delivery", d.ID, "err", err)
	}
}

// post sends one request and says what came back: any 2xx is delivered.
func (w *Worker) post(ctx context.Context, hook webhook.Webhook, d webhook.Delivery, payload string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	body := []byte(payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Quire-Webhooks/1")
	req.Header.Set(webhook.HeaderEvent, string(d.Event))
	req.Header.Set(webhook.HeaderDelivery, strconv.FormatInt(d.ID, 10))
	req.Header.Set(webhook.HeaderSignature, webhook.Sign(hook.Secret, w.now(), body))
	res, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused, within bounds
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("the receiver answered %s", res.Status)
	}
	return res.StatusCode, nil
}
