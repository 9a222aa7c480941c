package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/account"
)

func TestAdminChangesNetworkSettings(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		admin, _ := e.loggedIn(t, account.Admin)
		e.page(t, "/", http.StatusOK) // cached, when the cache is on
		settings := url.Values{"name": {"History Editorial Network"}, "short_name": {"HEN"}, "attribution": {"History Editorial Network (HEN)"},
			"tagline": {"History, with its sources."}, "time_zone": {"Mars/Olympus"}, "words_per_minute": {"fast"}}
		res := admin.post("/desk/settings", "/desk/settings", settings)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad settings = %d, want 422", res.StatusCode)
		}
		page := body(t, res)
		for _, want := range []string{"Enter a time zone name", "Enter a reading speed", "Mars/Olympus"} {
			if !strings.Contains(page, want) {
				t.Errorf("the form that came back lacks %q", want)
			}
		}
		if n, _ := e.read.Settings(t.Context()); n.TimeZone != "UTC" {
			t.Fatalf("a refused form changed the time zone to %q", n.TimeZone)
		}

		settings.Set("time_zone", "Europe/London")
		settings.Set("words_per_minute", "250")
		if res := admin.post("/desk/settings", "/desk/settings", settings); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save settings = %d: %s", res.StatusCode, body(t, res))
		}
		if got := text(e.page(t, "/", http.StatusOK).Find(".tagline")); got != "History, with its sources." {
			t.Errorf("home tagline = %q after saving", got)
		}
		// Dates are shown in the new zone: 09:30 UTC on 20 August is 10:30 in London.
		_, overview := admin.doc("/desk/articles/1")
		if got := text(overview.Find(`[data-testid="published"]`)); got != "20 Aug 2026 10:30 BST" {
			t.Errorf("desk shows Published as %q", got)
		}
	})
}
