package web_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/workflow"
)

// addContributorVia posts the contributor form and returns the new
// contributor's id.
func addContributorVia(t *testing.T, e env, c *client, form url.Values) int64 {
	t.Helper()
	if res := c.post("/desk/contributors/new", "/desk/contributors", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add contributor %s = %d: %s", form.Get("name"), res.StatusCode, body(t, res))
	}
	slug := form.Get("slug")
	if slug == "" {
		slug = article.Slugify(form.Get("name"))
	}
	ct, err := e.store.ContributorBySlug(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return ct.ID
}

// withCredits adds credit rows (contributor id, role, order) to an article
// form, and one empty row, as the form always has.
func withCredits(form url.Values, rows ...[3]string) url.Values {
	for _, r := range append(rows, [3]string{"", "written_by", "9"}) {
		form.Add("credit_contributor", r[0])
		form.Add("credit_role", r[1])
		form.Add("credit_order", r[2])
	}
	return form
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri"`
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func TestContributorsCreditsAndProvenance(t *testing.T) {
	e := newEnv(t)
	editor, _ := e.loggedIn(t, account.Editor)
	reviewerClient, reviewer := e.loggedIn(t, account.Reviewer)

	// Reviewers see the list but manage nothing.
	_, list := reviewerClient.doc("/desk/contributors")
	if list.Find(`nav a[href="/desk/contributors"]`).Length() == 0 || list.Find(`a:contains("New contributor")`).Length() != 0 {
		t.Error("a reviewer should see Contributors in the navigation and no New contributor link")
	}
	if res := reviewerClient.get("/desk/contributors/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer opening the contributor form = %d, want 403", res.StatusCode)
	}
	if res := reviewerClient.post("/desk/contributors", "/desk/contributors", url.Values{"name": {"Sneaky"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer adding a contributor = %d, want 403", res.StatusCode)
	}
	if _, own := editor.doc("/desk/contributors"); own.Find(`a[href="/desk/contributors/new"]:contains("New contributor")`).Length() != 1 {
		t.Error("an editor's list has no New contributor link")
	}

	bio := `Historian of computing. </script><script>alert(1)</script>`
	ada := addContributorVia(t, e, editor, url.Values{"name": {"Ada Lovelace"}, "bio": {bio}, "affiliation": {"Analytical Society"},
		"website": {"https://ada.example"}, "links": {"https://orcid.org/0000-0001\r\nhttps://www.wikidata.org/wiki/Q7259"}})
	bo := addContributorVia(t, e, editor, url.Values{"name": {"Bo Yang"}})
	cy := addContributorVia(t, e, editor, url.Values{"name": {"Cy Twombly"}})

	_, list = reviewerClient.doc("/desk/contributors?q=LOVE")
	rows := list.Find(`[data-testid="contributors"] tbody tr`)
	if rows.Length() != 1 || text(rows.Find("td a")) != "Ada Lovelace" || rows.Find(`a[href="/contributors/ada-lovelace"]`).Length() != 1 {
		t.Errorf("finding Ada in the desk's list: %d rows, %q", rows.Length(), text(rows))
	}

	t.Run("bad contributor input is refused with what was typed kept", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			form url.Values
			want string
		}{
			{"script profile link", url.Values{"name": {"Eve"}, "links": {"javascript:alert(1)"}}, "Line 1 is not a web address"},
			{"taken slug", url.Values{"name": {"Ada again"}, "slug": {"ada-lovelace"}}, "already in use"},
			{"unknown account", url.Values{"name": {"Eve"}, "account": {"987654"}}, "Choose a desk account"},
		} {
			res := editor.post("/desk/contributors/new", "/desk/contributors", tt.form)
			page := body(t, res)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, tt.want) || !strings.Contains(page, tt.form.Get("name")) {
				t.Errorf("%s: %d, want 422 saying %q and keeping the name", tt.name, res.StatusCode, tt.want)
			}
		}
	})

	// The article form: credits in rows, reordered by their Order numbers.
	form := withCredits(articleForm("The Analytical Engine", "Notes on the engine."),
		[3]string{id(ada), "written_by", "2"}, [3]string{id(cy), "fact_check", "3"}, [3]string{id(bo), "written_by", "1"})
	t.Run("a duplicate credit is refused naming the row, keeping everything typed", func(t *testing.T) {
		dup := withCredits(articleForm("Duplicate credits", "Kept body text."),
			[3]string{id(ada), "research", "1"}, [3]string{id(ada), "research", "2"})
		res := editor.post("/desk/articles/new", "/desk/articles", dup)
		doc, _ := goquery.NewDocumentFromReader(res.Body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(doc.Find(`[data-testid="form-error"]`)), "Credit 2 repeats") {
			t.Fatalf("duplicate credit = %d: %s", res.StatusCode, text(doc.Find(`[data-testid="form-error"]`)))
		}
		if doc.Find(`textarea[name="body"]`).Text() != "Kept body text." ||
			doc.Find(`#f-credit-2-contributor option[selected]`).AttrOr("value", "") != id(ada) ||
			doc.Find(`#f-credit-2-role option[selected]`).AttrOr("value", "") != "research" {
			t.Error("the refused form lost what was typed")
		}
	})
	t.Run("more rows than any form has are refused", func(t *testing.T) {
		many := articleForm("Too many rows", "Body.")
		for range 24 {
			many = withCredits(many)
		}
		if res := editor.post("/desk/articles/new", "/desk/articles", many); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(t, res), "Credit at most 20 people") {
			t.Errorf("24 credit rows = %d, want 422", res.StatusCode)
		}
	})
	t.Run("a long search is cut between characters", func(t *testing.T) {
		if res := editor.get("/desk/contributors?q=a" + strings.Repeat("%C3%A9", 150)); res.StatusCode != http.StatusOK {
			t.Errorf("a 301-byte search = %d, want 200", res.StatusCode)
		}
		if res := editor.get("/desk/articles?q=a" + strings.Repeat("%C3%A9", 150)); res.StatusCode != http.StatusOK {
			t.Errorf("a 301-byte title search = %d, want 200", res.StatusCode)
		}
	})
	res := editor.post("/desk/articles/new", "/desk/articles", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create credited article = %d: %s", res.StatusCode, body(t, res))
	}
	desk := res.Header.Get("Location")
	articleID, _ := strconv.ParseInt(strings.TrimPrefix(desk, "/desk/articles/"), 10, 64)
	_, edit := editor.doc(desk + "/edit")
	for i, want := range []string{id(bo), id(ada), id(cy), ""} {
		if got := edit.Find("#f-credit-"+strconv.Itoa(i+1)+"-contributor option[selected]").AttrOr("value", ""); got != want {
			t.Errorf("edit form credit %d = %q, want %q (rows in the order given)", i+1, got, want)
		}
	}

	// Approved by a person and published.
	ctx := t.Context()
	v, err := e.pub.View(ctx, articleID, article.DeskParts{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Submit(ctx, workflow.System, articleID, v.Head.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Review(ctx, workflow.Actor{ID: reviewer.ID, Role: reviewer.Role}, articleID, v.Head.ID, workflow.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pub.Publish(ctx, workflow.System, articleID, v.Head.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}

	page := e.page(t, "/articles/the-analytical-engine", http.StatusOK)
	if got := text(page.Find(`[data-testid="byline"]`)); got != "By Bo Yang and Ada Lovelace · Fact-check: Cy Twombly" {
		t.Errorf("byline = %q", got)
	}
	if page.Find(`[data-testid="byline"] a[href="/contributors/ada-lovelace"]`).Length() != 1 {
		t.Error("the byline does not link to the contributor's page")
	}
	order := []string{"title", "categories", "byline", "attribution", "dates", "review", "reading-time"}
	var seen []string
	page.Find(`header.story-head [data-testid]`).Each(func(_ int, s *goquery.Selection) { seen = append(seen, s.AttrOr("data-testid", "")) })
	if strings.Join(seen, " ") != strings.Join(order, " ") {
		t.Errorf("the article head reads %v, want %v", seen, order)
	}
	if got := text(page.Find(`[data-testid="review"]`)); !strings.HasPrefix(got, "Reviewed by "+reviewer.Name+" · approved revision 1 on ") {
		t.Errorf("review line = %q", got)
	}
	var ld struct {
		Author      []map[string]any `json:"author"`
		Contributor []map[string]any `json:"contributor"`
		Publisher   map[string]any   `json:"publisher"`
	}
	if err := json.Unmarshal([]byte(page.Find(`script[type="application/ld+json"]`).First().Text()), &ld); err != nil {
		t.Fatal(err)
	}
	if len(ld.Author) != 2 || ld.Author[0]["name"] != "Bo Yang" || ld.Author[1]["name"] != "Ada Lovelace" ||
		ld.Author[1]["url"] != baseURL+"/contributors/ada-lovelace" || len(ld.Contributor) != 1 || ld.Contributor[0]["name"] != "Cy Twombly" ||
		ld.Publisher["@type"] != "Organization" {
		t.Errorf("JSON-LD authors %v, contributors %v, publisher %v", ld.Author, ld.Contributor, ld.Publisher)
	}
	if same, _ := ld.Author[1]["sameAs"].([]any); len(same) != 3 {
		t.Errorf("Ada's sameAs = %v, want her website and two profile links", ld.Author[1]["sameAs"])
	}

	// The contributor's page, its JSON-LD (the bio cannot break out of it),
	// feed, sitemap entry and search.
	res = e.get(t, "/contributors/ada-lovelace")
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || strings.Count(string(raw), "</script>") != strings.Count(string(raw), "<script") {
		t.Fatalf("contributor page = %d; the bio broke out of a script element", res.StatusCode)
	}
	profile, _ := goquery.NewDocumentFromReader(strings.NewReader(string(raw)))
	if text(profile.Find("h1")) != "Ada Lovelace" || text(profile.Find(`[data-testid="bio"]`)) != bio ||
		text(profile.Find(`[data-testid="roles"]`)) != "Written by" || profile.Find(`[data-testid="profile-links"] a`).Length() != 3 {
		t.Errorf("contributor page: %q / %q / %q", text(profile.Find("h1")), text(profile.Find(`[data-testid="bio"]`)), text(profile.Find(`[data-testid="roles"]`)))
	}
	var prof struct {
		Type       string         `json:"@type"`
		MainEntity map[string]any `json:"mainEntity"`
	}
	if err := json.Unmarshal([]byte(profile.Find(`script[type="application/ld+json"]`).First().Text()), &prof); err != nil ||
		prof.Type != "ProfilePage" || prof.MainEntity["@type"] != "Person" || prof.MainEntity["description"] != bio {
		t.Errorf("profile JSON-LD = %+v (%v)", prof, err)
	}
	var feed struct {
		Entries []struct {
			Title        string       `xml:"title"`
			Authors      []atomPerson `xml:"author"`
			Contributors []atomPerson `xml:"contributor"`
		} `xml:"entry"`
	}
	if err := xml.NewDecoder(e.get(t, "/contributors/ada-lovelace/feed.xml").Body).Decode(&feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 1 || len(feed.Entries[0].Authors) != 2 || feed.Entries[0].Authors[1].Name != "Ada Lovelace" ||
		len(feed.Entries[0].Contributors) != 1 {
		t.Errorf("contributor feed = %+v", feed.Entries)
	}
	if sitemap := body(t, e.get(t, "/sitemap.xml")); !strings.Contains(sitemap, baseURL+"/contributors/ada-lovelace<") {
		t.Error("the sitemap does not list the contributor's page")
	}
	if got := text(e.page(t, "/search?q=lovelace", http.StatusOK).Find(`[data-testid="results"] h2`)); got != "The Analytical Engine" {
		t.Errorf("searching the contributor's name finds %q", got)
	}

	// A new slug redirects from the old one; a hidden contributor has no
	// page and is named without a link.
	editPath := "/desk/contributors/" + id(ada)
	if res := editor.post(editPath, editPath, url.Values{"name": {"Ada Lovelace"}, "slug": {"ada-king"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename = %d: %s", res.StatusCode, body(t, res))
	}
	if res := e.get(t, "/contributors/ada-lovelace?page=1"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/contributors/ada-king?page=1" {
		t.Errorf("old contributor address = %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	cyPath := "/desk/contributors/" + id(cy)
	if res := editor.post(cyPath, cyPath, url.Values{"name": {"Cy Twombly"}, "hidden": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide = %d", res.StatusCode)
	}
	if res := e.get(t, "/contributors/cy-twombly"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a hidden contributor's page = %d, want 404", res.StatusCode)
	}
	page = e.page(t, "/articles/the-analytical-engine", http.StatusOK)
	if got := text(page.Find(`[data-testid="byline"]`)); !strings.HasSuffix(got, "Fact-check: Cy Twombly") || page.Find(`[data-testid="byline"] a`).Length() != 2 {
		t.Errorf("byline with a hidden contributor = %q", got)
	}
	if res := editor.post(cyPath, cyPath+"/delete", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != cyPath {
		t.Errorf("deleting a credited contributor = %d → %q, want back to the form", res.StatusCode, res.Header.Get("Location"))
	}

	// The network can turn the review line off.
	n, err := e.pub.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n.ShowReview = false
	if err := e.pub.SaveSettings(ctx, workflow.System, n); err != nil {
		t.Fatal(err)
	}
	if e.page(t, "/articles/the-analytical-engine", http.StatusOK).Find(`[data-testid="review"]`).Length() != 0 {
		t.Error("the review line shows with Show review on articles off")
	}
	if (publisher.Settings{}).ShowReview || !publisher.Default.ShowReview {
		t.Error("Show review on articles should be on by default")
	}
}

func TestSeedArticleHasNoCreditsOrReviewLine(t *testing.T) {
	e := newEnv(t)
	page := e.page(t, "/articles/"+seedSlug, http.StatusOK)
	if page.Find(`[data-testid="byline"], [data-testid="review"]`).Length() != 0 {
		t.Error("the demo article shows a byline or a review line; the seed page has neither")
	}
}

func TestCategoryAndSubjectAddressesRedirectAfterASlugChange(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	cats, err := e.pub.Categories(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cat := cats[0]
	path := "/desk/categories/" + id(cat.ID)
	if res := admin.post(path, path, url.Values{"name": {cat.Name}, "slug": {"renamed-" + cat.Slug}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename category = %d: %s", res.StatusCode, body(t, res))
	}
	for from, to := range map[string]string{
		"/categories/" + cat.Slug:                "/categories/renamed-" + cat.Slug,
		"/categories/" + cat.Slug + "/feed.xml":  "/categories/renamed-" + cat.Slug + "/feed.xml",
		"/categories/" + cat.Slug + "?page=1":    "/categories/renamed-" + cat.Slug + "?page=1",
		"/categories/never-was-" + cat.Slug:      "",
		"/contributors/never-was-" + cat.Slug:    "",
		"/contributors/never-was/feed.xml":       "",
		"/subjects/never-was-" + cat.Slug + "-x": "",
	} {
		res := e.get(t, from)
		if to == "" {
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", from, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
			t.Errorf("GET %s = %d → %q, want 301 → %s", from, res.StatusCode, res.Header.Get("Location"), to)
		}
	}
}
