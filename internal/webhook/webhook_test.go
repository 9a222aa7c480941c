package webhook_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/webhook"
)

func TestSignAndVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"event":"ping"}`)
	sig := webhook.Sign("s3cret", now, body)
	if !webhook.Verify("s3cret", sig, body, now.Add(time.Minute), 5*time.Minute) {
		t.Error("a fresh signature does not verify")
	}
	for name, ok := range map[string]bool{
		"altered body":  webhook.Verify("s3cret", sig, []byte(`{"event":"pong"}`), now, 5*time.Minute),
		"wrong secret":  webhook.Verify("other", sig, body, now, 5*time.Minute),
		"replayed late": webhook.Verify("s3cret", sig, body, now.Add(time.Hour), 5*time.Minute),
		"garbage":       webhook.Verify("s3cret", "t=x,v1=y", body, now, 5*time.Minute),
	} {
		if ok {
			t.Errorf("%s verifies", name)
		}
	}
}

func TestReachable(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:4700::1111": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fd00::1": false, "0.0.0.0": false, "::": false,
		"100.64.0.1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "224.0.0.1": false,
	} {
		if got := webhook.Reachable(netip.MustParseAddr(addr), false); got != want {
			t.Errorf("Reachable(%s) = %v, want %v", addr, got, want)
		}
	}
	if !webhook.Reachable(netip.MustParseAddr("127.0.0.1"), true) || !webhook.Reachable(netip.MustParseAddr("10.0.0.1"), true) {
		t.Error("QUIRE_WEBHOOKS_ALLOW_PRIVATE does not open private addresses")
	}
}

func TestNew(t *testing.T) {
	if _, err := webhook.New("https://partner.example/hook", []string{"article.published", "article.published"}); err != nil {
		t.Errorf("a good webhook: %v", err)
	}
	for _, bad := range []struct {
		url    string
		events []string
		field  string
	}{
		{"", []string{"article.published"}, webhook.FieldURL},
		{"ftp://x.example/", []string{"article.published"}, webhook.FieldURL},
		{"https://user:pw@x.example/", []string{"article.published"}, webhook.FieldURL},
		{"/relative", []string{"article.published"}, webhook.FieldURL},
		{"https://x.example/", nil, webhook.FieldEvents},
		{"https://x.example/", []string{"article.deleted"}, webhook.FieldEvents},
	} {
		if _, err := webhook.New(bad.url, bad.events); apperr.FieldsOf(err)[bad.field] == "" {
			t.Errorf("New(%q, %v) = %v, want %s refused", bad.url, bad.events, err, bad.field)
		}
	}
}
