package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/api"
)

func TestWebhooksDesk(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	res := admin.post("/desk/webhooks", "/desk/webhooks", url.Values{"url": {"ftp://partner.example/"}, "events": {"article.published"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(t, res), `value="ftp://partner.example/"`) {
		t.Errorf("a bad URL = %d, or what was typed was lost", res.StatusCode)
	}
	res = admin.post("/desk/webhooks", "/desk/webhooks", url.Values{"url": {"https://partner.example/hook"}, "events": {"article.published", "article.corrected"}})
	b := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(b, `data-testid="webhook-secret">whsec_`) {
		t.Fatalf("add = %d\n%s", res.StatusCode, b)
	}
	_, doc := admin.doc("/desk/webhooks")
	if strings.Contains(doc.Text(), "whsec_") || !strings.Contains(doc.Find(`[data-testid="webhooks"]`).Text(), "https://partner.example/hook") {
		t.Error("the list shows the secret, or not the webhook")
	}
	if res := admin.post("/desk/webhooks/1", "/desk/webhooks/1/test", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Send test = %d", res.StatusCode)
	}
	_, doc = admin.doc("/desk/webhooks/1")
	if !strings.Contains(doc.Find(`[data-testid="deliveries"]`).Text(), "ping") {
		t.Errorf("the delivery log lacks the ping:\n%s", doc.Find("main").Text())
	}
	if res := admin.post("/desk/webhooks/1", "/desk/webhooks/1/deliveries/1/redeliver", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Redeliver = %d", res.StatusCode)
	}
	if res := admin.post("/desk/webhooks/1", "/desk/webhooks/1/remove", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Remove = %d", res.StatusCode)
	}
	if res := admin.get("/desk/webhooks/1"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a removed webhook's page = %d", res.StatusCode)
	}
	editor, _ := e.loggedIn(t, account.Editor)
	if res := editor.get("/desk/webhooks"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an editor sees webhooks: %d", res.StatusCode)
	}
}

func TestWebhooksAPI(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	manage := makeToken(t, admin, "Automation", "webhooks:manage")
	drafts := makeToken(t, admin, "Partner", "read:drafts")
	do := func(method, path, token, payload string) *http.Response {
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	res := do("POST", "/api/v1/webhooks", manage, `{"url": "https://partner.example/hook", "events": ["article.published"]}`)
	w := fromJSON[api.Webhook](t, []byte(body(t, res)))
	if res.StatusCode != http.StatusCreated || !strings.HasPrefix(w.Secret, "whsec_") || res.Header.Get("Location") == "" {
		t.Fatalf("add = %d %+v", res.StatusCode, w)
	}
	for _, tt := range []struct {
		method, path, token, payload string
		status                       int
	}{
		{"POST", "/api/v1/webhooks", manage, `{"url": "https://x.example", "events": ["article.deleted"]}`, http.StatusUnprocessableEntity},
		{"POST", "/api/v1/webhooks", manage, `{"url": "https://x.example", "events": ["article.published"], "secret": "mine"}`, http.StatusBadRequest},
		{"POST", "/api/v1/webhooks", manage, `not json`, http.StatusBadRequest},
		{"POST", "/api/v1/webhooks", drafts, `{"url": "https://x.example", "events": ["article.published"]}`, http.StatusForbidden},
		{"POST", "/api/v1/webhooks", "", `{}`, http.StatusUnauthorized},
		{"GET", "/api/v1/webhooks", manage, "", http.StatusOK},
		{"DELETE", "/api/v1/webhooks/999", manage, "", http.StatusNotFound},
		{"DELETE", "/api/v1/webhooks/1", manage, "", http.StatusNoContent},
	} {
		if res := do(tt.method, tt.path, tt.token, tt.payload); res.StatusCode != tt.status {
			t.Errorf("%s %s %s = %d, want %d: %s", tt.method, tt.path, tt.payload, res.StatusCode, tt.status, body(t, res))
		}
	}
	list := fromJSON[api.List[api.Webhook]](t, []byte(body(t, do("GET", "/api/v1/webhooks", manage, ""))))
	if len(list.Data) != 0 {
		t.Errorf("after removing, %d webhooks listed", len(list.Data))
	}
	// A token may not hear of drafts, nor see or remove the desk's webhooks.
	if res := do("POST", "/api/v1/webhooks", manage, `{"url": "https://spy.example/", "events": ["revision.submitted"]}`); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a token subscribing to revision.submitted = %d", res.StatusCode)
	}
	admin.post("/desk/webhooks", "/desk/webhooks", url.Values{"url": {"https://partner.example/desk-hook"}, "events": {"revision.submitted"}})
	if list := fromJSON[api.List[api.Webhook]](t, []byte(body(t, do("GET", "/api/v1/webhooks", manage, "")))); len(list.Data) != 0 {
		t.Errorf("a token lists the desk's webhooks: %+v", list.Data)
	}
	if res := do("DELETE", "/api/v1/webhooks/2", manage, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("a token removing the desk's webhook = %d", res.StatusCode)
	}
	// One address, one webhook.
	if res := do("POST", "/api/v1/webhooks", manage, `{"url": "https://partner.example/desk-hook", "events": ["article.published"]}`); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a second webhook to one address = %d", res.StatusCode)
	}
	k := newContract(t, e.srv.URL)
	k.check(t, e, "/api/v1/webhooks", "Authorization", "Bearer "+manage)
}
