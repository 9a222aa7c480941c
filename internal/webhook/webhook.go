// Package webhook is what Quire tells other systems when something
// happens: the events, a registered webhook, one delivery, how each
// request is signed, and which addresses a webhook may reach. It knows
// nothing of HTTP servers, templates or the database.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/apperr"
)

// Event names what happened.
type Event string

// Events a webhook may subscribe to, and the ping of Send test.
const (
	ArticlePublished   Event = "article.published"   // first publication, or brought back
	ArticleUpdated     Event = "article.updated"     // a new version of a live article
	ArticleCorrected   Event = "article.corrected"   // a new version that corrects or clarifies
	ArticleUnpublished Event = "article.unpublished" // withdrawn
	RevisionSubmitted  Event = "revision.submitted"
	RevisionApproved   Event = "revision.approved"
	Ping               Event = "ping"
)

// Events lists the events a webhook may subscribe to, in the order the
// form offers them.
var Events = []Event{ArticlePublished, ArticleUpdated, ArticleCorrected, ArticleUnpublished, RevisionSubmitted, RevisionApproved}

// Webhook is a receiver registered by an admin.
type Webhook struct {
	ID        int64
	URL       string
	Events    []Event
	Secret    string // signs every delivery; shown once
	CreatedBy int64
	// TokenID is the API token that registered it; zero for the desk.
	TokenID   int64
	CreatedAt time.Time
	// Failures counts deliveries that failed for good in a row; at
	// DisableAfter the webhook is disabled.
	Failures       int
	DisabledAt     time.Time
	DisabledReason string
}

// MaxWebhooks bounds how many webhooks a network may register: each
// costs a row in every event's transaction.
const MaxWebhooks = 50

// Public reports whether e tells only of what readers can see: what an
// API token may subscribe to. The review events name drafts.
func (e Event) Public() bool {
	switch e {
	case ArticlePublished, ArticleUpdated, ArticleCorrected, ArticleUnpublished:
		return true
	}
	return false
}

// DisableAfter is how many deliveries in a row may fail for good (each
// after a day of retries) before a webhook is disabled.
const DisableAfter = 5

// Enabled reports whether deliveries are made to the webhook.
func (w Webhook) Enabled() bool { return w.DisabledAt.IsZero() }

// Wants reports whether the webhook subscribed to e.
func (w Webhook) Wants(e Event) bool { return slices.Contains(w.Events, e) }

// Status is where a delivery is.
type Status string

// Delivery statuses.
const (
	Pending   Status = "pending"
	Delivered Status = "delivered"
	Failed    Status = "failed"
)

// Delivery is one event sent to one webhook, with the outcome of its
// latest attempt.
type Delivery struct {
	ID        int64
	WebhookID int64
	Event     Event
	// Payload is the request body, JSON; empty until made from the
	// version a publication's delivery names.
	Payload      string
	EnvelopeID   string // the event's id, shared by its deliveries
	ArticleID    int64  // of a publication event
	Version      int    // the version it published
	Status       Status
	CreatedAt    time.Time
	DueAt        time.Time
	Attempts     int
	DeliveredAt  time.Time
	ResponseCode int // of the latest attempt; zero when none came
	LastError    string
	Took         time.Duration // the latest attempt
}

// Headers of each delivery request.
const (
	HeaderSignature = "Quire-Signature" // t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">
	HeaderEvent     = "Quire-Event"
	HeaderDelivery  = "Quire-Delivery" // the delivery's id: the same on every attempt
)

// Sign is the Quire-Signature header for body sent at t with secret:
// HMAC-SHA256 over the timestamp, a dot and the body, so that a receiver
// can refuse a replayed or altered request.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a Quire-Signature header against body, as a receiver does,
// refusing signatures older than tolerance.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) bool {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > tolerance {
		return false
	}
	want := Sign(secret, time.Unix(sec, 0), body)
	return hmac.Equal([]byte(want), []byte("t="+ts+",v1="+sig))
}

// Form names of the webhook form's fields.
const (
	FieldURL    = "url"
	FieldEvents = "events"
)

// MaxURLLen bounds a webhook's address.
const MaxURLLen = 2000

// New checks a webhook an admin registers: an http or https address with
// a host and no credentials, and at least one known event.
func New(rawURL string, events []string) (Webhook, error) {
	v := apperr.Validation{}
	w := Webhook{URL: strings.TrimSpace(rawURL)}
	u, err := url.Parse(w.URL)
	switch {
	case w.URL == "":
		v.Add(FieldURL, "Enter the address Quire should send events to, such as https://partner.example/quire-events.")
	case len(w.URL) > MaxURLLen || !utf8.ValidString(w.URL):
		v.Add(FieldURL, "Keep the address under 2000 characters.")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "":
		v.Add(FieldURL, "Enter a whole http:// or https:// address, such as https://partner.example/quire-events.")
	case u.User != nil:
		v.Add(FieldURL, "Leave user names and passwords out of the address: every request is signed instead.")
	case u.Fragment != "":
		v.Add(FieldURL, "Leave the #fragment out of the address.")
	}
	seen := map[Event]bool{}
	for _, e := range events {
		ev := Event(e)
		known := false
		for _, x := range Events {
			known = known || x == ev
		}
		if !known {
			v.Add(FieldEvents, "Choose events from the list.")
			continue
		}
		if !seen[ev] {
			seen[ev] = true
			w.Events = append(w.Events, ev)
		}
	}
	if len(events) == 0 {
		v.Add(FieldEvents, "Choose at least one event.")
	}
	return w, v.Err()
}

// Reachable reports whether a webhook may connect to addr: not loopback,
// private, link-local (which holds cloud metadata services), unspecified,
// multicast or otherwise special, unless allowPrivate lifts it for an
// intranet. It is asked at connection time, of the address actually
// dialled, so a name that resolves elsewhere later (DNS rebinding) gains
// nothing.
func Reachable(addr netip.Addr, allowPrivate bool) bool {
	addr = addr.Unmap()
	if addr.IsLinkLocalUnicast() {
		return false // cloud metadata (169.254.169.254) is no intranet's receiver
	}
	if allowPrivate {
		return addr.IsValid() && !addr.IsUnspecified() && !addr.IsMulticast()
	}
	if own[addr] {
		return false // this machine's own public address reaches its private services
	}
	switch {
	case !addr.IsValid(), addr.IsLoopback(), addr.IsPrivate(), addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast(),
		addr.IsInterfaceLocalMulticast(), addr.IsMulticast(), addr.IsUnspecified():
		return false
	}
	for _, p := range special {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// special are the other ranges no public receiver is in.
var special = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
		"240.0.0.0/4", "255.255.255.255/32", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// own are this machine's addresses, read once.
var own = func() map[netip.Addr]bool {
	out := map[netip.Addr]bool{}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out[p.Addr().Unmap()] = true
		}
	}
	return out
}()

// ReachableHost is Reachable for a host:port a dialler is about to
// connect to.
func ReachableHost(hostport string, allowPrivate bool) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && Reachable(addr, allowPrivate)
}
