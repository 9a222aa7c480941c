package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/article"
)

// makeToken creates a token through the desk form and returns its secret.
func makeToken(t *testing.T, admin *client, name, scope string) string {
	t.Helper()
	res := admin.post("/desk/tokens", "/desk/tokens", url.Values{"name": {name}, "scope": {scope}})
	b := body(t, res)
	i := strings.Index(b, `data-testid="token-secret">`)
	if res.StatusCode != http.StatusOK || i < 0 {
		t.Fatalf("create token = %d\n%s", res.StatusCode, b)
	}
	rest := b[i+len(`data-testid="token-secret">`):]
	return rest[:strings.Index(rest, "<")]
}

func TestAPITokens(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	draft, _ := e.create(t, article.Draft{Title: "A Draft Nobody Reads", Body: "Not yet.", Attribution: "HEN"})
	reader := makeToken(t, admin, "Partner site", "read:drafts")
	hooks := makeToken(t, admin, "Automation", "webhooks:manage")
	if !strings.HasPrefix(reader, "quire_") || len(reader) < 40 {
		t.Fatalf("token %q", reader)
	}
	// Shown once: the list shows its name, never the secret.
	_, doc := admin.doc("/desk/tokens")
	if strings.Contains(doc.Text(), reader) || !strings.Contains(doc.Find(`[data-testid="tokens"]`).Text(), "Partner site") {
		t.Error("the list shows a secret, or not the token")
	}

	k := newContract(t, e.srv.URL)
	for _, path := range []string{"/api/v1/desk/articles", "/api/v1/desk/articles/" + strconv.FormatInt(draft.ID, 10), "/api/v1/desk/articles/999",
		"/api/v1/desk/articles?limit=1", "/api/v1/desk/articles?state=draft", "/api/v1/desk/articles?state=nonsense"} {
		k.check(t, e, path, "Authorization", "Bearer "+reader)
	}
	k.check(t, e, "/api/v1/desk/articles")
	k.check(t, e, "/api/v1/desk/articles", "Authorization", "Bearer "+hooks)

	res := e.get(t, "/api/v1/desk/articles", "Authorization", "Bearer "+reader)
	list := fromJSON[api.List[api.DeskRow]](t, []byte(body(t, res)))
	if res.StatusCode != http.StatusOK || len(list.Data) != 2 || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("desk list with a token = %d, %d rows, %q", res.StatusCode, len(list.Data), res.Header.Get("Cache-Control"))
	}
	res = e.get(t, "/api/v1/desk/articles/"+strconv.FormatInt(draft.ID, 10), "Authorization", "Bearer "+reader)
	a := fromJSON[api.DeskArticle](t, []byte(body(t, res)))
	if res.StatusCode != http.StatusOK || a.State != "draft" || a.Head.BodyMarkdown == nil || *a.Head.BodyMarkdown != "Not yet." || len(a.Revisions) != 1 {
		t.Errorf("a draft with a token = %d %+v", res.StatusCode, a)
	}

	for _, tt := range []struct {
		name, header string
		status       int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"not a bearer", "Basic " + reader, http.StatusUnauthorized},
		{"forged", "Bearer quire_1_" + strings.Repeat("A", 52), http.StatusUnauthorized},
		{"another scope", "Bearer " + hooks, http.StatusForbidden},
	} {
		var res *http.Response
		if tt.header == "" {
			res = e.get(t, "/api/v1/desk/articles")
		} else {
			res = e.get(t, "/api/v1/desk/articles", "Authorization", tt.header)
		}
		if res.StatusCode != tt.status || res.Header.Get("WWW-Authenticate") == "" || strings.Contains(body(t, res), "Draft Nobody") {
			t.Errorf("%s = %d (WWW-Authenticate %q), want %d", tt.name, res.StatusCode, res.Header.Get("WWW-Authenticate"), tt.status)
		}
	}
	// Never in an address.
	if res := e.get(t, "/api/v1/desk/articles?token="+url.QueryEscape(reader)); res.StatusCode == http.StatusOK {
		t.Error("a token in the address was read")
	}

	// Revoked: nothing, at once.
	admin.post("/desk/tokens", "/desk/tokens/1/revoke", nil)
	if res := e.get(t, "/api/v1/desk/articles", "Authorization", "Bearer "+reader); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a revoked token = %d", res.StatusCode)
	}
	_, doc = admin.doc("/desk/audit")
	for _, want := range []string{"Created an API token", "Revoked an API token", "Used an API token"} {
		if !strings.Contains(doc.Text(), want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	// The public API never opens drafts, token or not.
	if res := e.get(t, "/api/v1/articles/"+draft.Slug, "Authorization", "Bearer "+reader); res.StatusCode != http.StatusNotFound {
		t.Errorf("the public API with a token shows a draft: %d", res.StatusCode)
	}
}
