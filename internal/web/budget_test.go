package web_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/workflow"
)

// TestDeskPagesKeepToTheirQueryBudget: every desk page reads what it shows
// in one read transaction of a fixed number of SQL statements, whatever the
// length of the article's history. The budgets count every statement the
// request runs through the store, the logged-in account's own included
// (the session's lookup goes through scs, not the store, and is not).
func TestDeskPagesKeepToTheirQueryBudget(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Reviewer)
	seed := e.seed(t).Article.ID
	pages := []struct {
		name, path string
		budget     int
	}{
		{"article overview", "/desk/articles/" + strconv.FormatInt(seed, 10), 4},
		{"review page", "/desk/articles/" + strconv.FormatInt(seed, 10) + "/review", 5},
		{"dashboard", "/desk", 5},
		// The edit form also looks up the editor's unsaved changes (one row).
		{"edit form", "/desk/articles/" + strconv.FormatInt(seed, 10) + "/edit", 5},
		{"history", "/desk/articles/" + strconv.FormatInt(seed, 10) + "/history", 3},
	}
	count := func(t *testing.T, path string) int {
		t.Helper()
		// The first request reads the network's settings, once per
		// content generation; the second is what every later one costs.
		if res := c.get(path); res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		before := e.store.Statements()
		if res := c.get(path); res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		return int(e.store.Statements() - before)
	}
	short := map[string]int{}
	for _, p := range pages {
		short[p.name] = count(t, p.path)
	}

	// A long history: ten published updates, each reviewed, then a new
	// revision waiting for review with a schedule set on the one before.
	for i := range 10 {
		e.publishUpdate(t, seed, article.Change{Minor: i%2 == 0}, demoPublished.Add(time.Duration(i+1)*time.Hour))
	}
	v, err := e.pub.View(t.Context(), seed, article.DeskParts{HeadBody: true, Taxonomy: true})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := e.pub.Save(t.Context(), workflow.System, seed, v.Head.Number, prepared(t, e, publishingtest.DraftOf(v.Head)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Submit(t.Context(), workflow.System, seed, saved.Revision.ID); err != nil {
		t.Fatal(err)
	}

	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			got := count(t, p.path)
			t.Logf("%s: %d statements (%d with a one-revision history)", p.name, got, short[p.name])
			if got == 0 {
				t.Fatal("no statement was counted: the counter is broken")
			}
			if got > p.budget {
				t.Errorf("%s ran %d SQL statements, over its budget of %d", p.name, got, p.budget)
			}
			if got != short[p.name] {
				t.Errorf("%s ran %d statements with 12 revisions and %d with one: it grows with the history", p.name, got, short[p.name])
			}
		})
	}
}

func prepared(t *testing.T, e env, d article.Draft) publishing.Prepared {
	t.Helper()
	p, err := e.pub.Prepare(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
