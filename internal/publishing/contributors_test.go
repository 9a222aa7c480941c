package publishing_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/search"
	"github.com/quire-cms/quire/internal/workflow"
)

// credits makes the rows of an article form crediting people as roles.
func credits(pairs ...any) []article.CreditInput {
	var out []article.CreditInput
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, article.CreditInput{ContributorID: strconv.FormatInt(pairs[i].(article.Contributor).ID, 10), Role: string(pairs[i+1].(article.Role))})
	}
	return out
}

func addContributor(t *testing.T, e *publishingtest.Env, name string) article.Contributor {
	t.Helper()
	c, err := e.Pub.SaveContributor(context.Background(), e.Editor, article.Contributor{Name: name, Links: []string{"https://example.org/" + article.Slugify(name)}})
	if err != nil {
		t.Fatalf("SaveContributor(%s) error = %v", name, err)
	}
	return c
}

func TestCreditsArePartOfTheRevision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	ada, bo, cy := addContributor(t, e, "Ada Lovelace"), addContributor(t, e, "Bo Yang"), addContributor(t, e, "Cy Twombly")

	d := e.Draft("Credited")
	d.Credits = credits(ada, article.WrittenBy, bo, article.WrittenBy, cy, article.FactCheck)
	a, _ := e.PublishDraft(d)
	live, err := e.Read.Article(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got := article.CreditsText(live.Revision.Credits); got != "Written by: Ada Lovelace\nWritten by: Bo Yang\nFact-check: Cy Twombly" {
		t.Errorf("live credits = %q", got)
	}
	if same := live.Revision.Credits[0].Contributor.SameAs(); len(same) != 1 || same[0] != "https://example.org/ada-lovelace" {
		t.Errorf("SameAs() = %v, want the profile link", same)
	}

	// A second revision drops a writer; the live page keeps the approved
	// credits until it is published, and restoring revision 1 brings them back.
	d.Credits = credits(bo, article.WrittenBy, cy, article.FactCheck)
	saved, err := e.Pub.Save(ctx, e.Editor, a.ID, 1, e.Prepare(d))
	if err != nil {
		t.Fatal(err)
	}
	if live, _ = e.Read.Article(ctx, a.Slug); len(live.Revision.Credits) != 3 {
		t.Errorf("live page credits %d people while revision 2 waits, want 3", len(live.Revision.Credits))
	}
	restored, err := e.Pub.Restore(ctx, e.Editor, a.ID, saved.Revision.Number, 1)
	if err != nil {
		t.Fatal(err)
	}
	back, err := e.Store.Revision(ctx, restored.Revision.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := article.CreditsText(back.Credits); !strings.HasPrefix(got, "Written by: Ada Lovelace") || len(back.Credits) != 3 {
		t.Errorf("restored credits = %q, want revision 1's", got)
	}

	// Contributor listings follow the live revision.
	list, total, err := e.Read.List(ctx, article.ListFilter{ContributorID: cy.ID, Limit: 10})
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("Cy's listing = %d items of %d (%v), want the article", len(list), total, err)
	}
	if err := e.Pub.Unpublish(ctx, e.Editor, a.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := e.Read.List(ctx, article.ListFilter{ContributorID: cy.ID, Limit: 10}); total != 0 {
		t.Errorf("after unpublishing Cy's listing has %d articles, want 0", total)
	}

	// The record hashes the credits, and verifies them.
	v, err := e.Pub.Verify(ctx)
	if err != nil || v.Break != "" {
		t.Fatalf("Verify() = %+v, %v", v, err)
	}
}

func TestCreditRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	ada := addContributor(t, e, "Ada Lovelace")
	ghost := addContributor(t, e, "Ghost Writer")
	ghost.Hidden = true
	if _, err := e.Pub.SaveContributor(ctx, e.Editor, ghost); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		credits []article.CreditInput
		want    string
	}{
		{"a hidden contributor", credits(ada, article.WrittenBy, ghost, article.Research), "Credit 2: Ghost Writer is hidden"},
		{"no such contributor", []article.CreditInput{{ContributorID: "999999", Role: "research"}}, "Credit 1:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := e.Draft("Refused " + tt.name)
			d.Credits = tt.credits
			p, err := e.Pub.Prepare(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = e.Pub.Create(ctx, e.Editor, p)
			if msg := apperr.FieldsOf(err)[article.FieldCredits]; !strings.Contains(msg, tt.want) && !(tt.want == "Credit 1:" && msg != "") {
				t.Errorf("Create() error = %v (credits: %q), want %q", err, msg, tt.want)
			}
		})
	}
}

func TestHidingKeepsExistingCredits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	ada, bo := addContributor(t, e, "Ada Lovelace"), addContributor(t, e, "Bo Yang")
	d := e.Draft("Hidden later")
	d.Credits = credits(ada, article.WrittenBy)
	a, _, err := e.Pub.Create(ctx, e.Editor, e.Prepare(d))
	if err != nil {
		t.Fatal(err)
	}
	d.Credits = credits(bo, article.WrittenBy)
	if _, err := e.Pub.Save(ctx, e.Editor, a.ID, 1, e.Prepare(d)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []article.Contributor{ada, bo} {
		c.Hidden = true
		if _, err := e.Pub.SaveContributor(ctx, e.Editor, c); err != nil {
			t.Fatal(err)
		}
	}
	// A typo fix keeps Bo, whom the newest revision credits.
	d.Body += " Fixed."
	if _, err := e.Pub.Save(ctx, e.Editor, a.ID, 2, e.Prepare(d)); err != nil {
		t.Errorf("saving a revision that keeps a hidden contributor's credit: %v", err)
	}
	// Restoring revision 1 brings Ada's credit back with it.
	if _, err := e.Pub.Restore(ctx, e.Editor, a.ID, 3, 1); err != nil {
		t.Errorf("restoring a revision that credits a hidden contributor: %v", err)
	}
	// Crediting a hidden person anew is refused.
	fresh := e.Draft("New credit")
	fresh.Credits = credits(bo, article.Research)
	if _, _, err := e.Pub.Create(ctx, e.Editor, e.Prepare(fresh)); !strings.Contains(apperr.FieldsOf(err)[article.FieldCredits], "Bo Yang is hidden") {
		t.Errorf("a new credit of a hidden contributor: %v", err)
	}
}

func TestContributorManagement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	ada := addContributor(t, e, "Ada Lovelace")

	if _, err := e.Pub.SaveContributor(ctx, e.Reviewer, article.Contributor{Name: "By a reviewer"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a reviewer adding a contributor: error = %v, want forbidden", err)
	}
	if _, err := e.Pub.SaveContributor(ctx, e.Editor, article.Contributor{Name: "Another Ada", Slug: "ada-lovelace"}); apperr.FieldsOf(err)[article.FieldSlug] == "" {
		t.Errorf("a taken slug: error = %v, want it refused on the slug", err)
	}
	if _, err := e.Pub.SaveContributor(ctx, e.Editor, article.Contributor{Name: "No account", AccountID: 999999}); apperr.FieldsOf(err)[article.FieldAccount] == "" {
		t.Errorf("an unknown account: error = %v, want it refused on the account", err)
	}

	// Credited: published, found by name, and renamed — search follows the
	// new name and the old slug redirects.
	d := e.Draft("The analytical engine")
	d.Credits = credits(ada, article.WrittenBy)
	e.PublishDraft(d)
	found := func(q string) int {
		hits, _, err := e.Read.Search(ctx, search.Parse(q), 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	if found("lovelace") != 1 {
		t.Errorf("search for the contributor's name found nothing")
	}
	ada.Name, ada.Slug = "Augusta King", "augusta-king"
	if _, err := e.Pub.SaveContributor(ctx, e.Editor, ada); err != nil {
		t.Fatal(err)
	}
	if found("augusta") != 1 || found("lovelace") != 0 {
		t.Errorf("after the rename search finds augusta %d, lovelace %d; want 1, 0", found("augusta"), found("lovelace"))
	}
	if now, moved, err := e.Read.Moved(ctx, "contributor", "ada-lovelace"); err != nil || !moved || now != "augusta-king" {
		t.Errorf("Moved(ada-lovelace) = %q, %v, %v; want augusta-king", now, moved, err)
	}

	// Someone new taking the old slug ends its redirect; a hidden
	// contributor's old slug leads nowhere.
	if _, err := e.Pub.SaveContributor(ctx, e.Editor, article.Contributor{Name: "Ada Lovelace"}); err != nil {
		t.Fatal(err)
	}
	if _, moved, _ := e.Read.Moved(ctx, "contributor", "ada-lovelace"); moved {
		t.Error("ada-lovelace still redirects after a new contributor took it")
	}
	bo := addContributor(t, e, "Bo Yang")
	bo.Slug, bo.Hidden = "bo-yang-hidden", true
	if _, err := e.Pub.SaveContributor(ctx, e.Editor, bo); err != nil {
		t.Fatal(err)
	}
	if _, moved, _ := e.Read.Moved(ctx, "contributor", "bo-yang"); moved {
		t.Error("a hidden contributor's former slug redirects to their new one")
	}

	// Deleting: refused while credited, allowed otherwise; audited.
	if _, err := e.Pub.DeleteContributor(ctx, e.Editor, ada.ID); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("deleting a credited contributor: error = %v, want a conflict", err)
	}
	spare := addContributor(t, e, "Spare Hand")
	if _, err := e.Pub.DeleteContributor(ctx, e.Editor, spare.ID); err != nil {
		t.Errorf("deleting an uncredited contributor: %v", err)
	}
	if _, err := e.Store.Contributor(ctx, spare.ID); err == nil {
		t.Error("the deleted contributor is still there")
	}
	events, _, err := e.Store.AuditLog(ctx, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, ev := range events {
		if strings.HasPrefix(string(ev.Action), "contributor.") {
			said = append(said, string(ev.Action)+" "+ev.Detail)
		}
	}
	if len(said) != 7 {
		t.Errorf("contributor audit entries = %q, want 7 (four added, two changed, one deleted)", said)
	}
}

func TestCategoryAndSubjectSlugsRedirect(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	cat := e.Category
	cat.Slug = "world-politics"
	if _, err := e.Pub.SaveCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	sub := e.Subject
	sub.Slug = "stalin"
	if _, err := e.Pub.SaveSubject(ctx, sub); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ kind, from, to string }{{"category", "politics", "world-politics"}, {"subject", "joseph-stalin", "stalin"}} {
		if now, moved, err := e.Read.Moved(ctx, tt.kind, tt.from); err != nil || !moved || now != tt.to {
			t.Errorf("Moved(%s %s) = %q, %v, %v; want %s", tt.kind, tt.from, now, moved, err, tt.to)
		}
	}
	// Taking the old slug back ends its redirect.
	cat.Slug = "politics"
	if _, err := e.Pub.SaveCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if _, moved, _ := e.Read.Moved(ctx, "category", "politics"); moved {
		t.Error("politics still redirects after the category took it back")
	}
	if now, moved, _ := e.Read.Moved(ctx, "category", "world-politics"); !moved || now != "politics" {
		t.Errorf("world-politics redirects to %q (%v), want politics", now, moved)
	}
}

func TestProvenance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a := e.Publish("Reviewed", "", "Body.")
	provenance := func() (article.Provenance, bool, error) {
		live, err := e.Read.Article(ctx, a.Slug)
		p, ok := article.ProvenanceOf(live.Approvals)
		return p, ok, err
	}
	p, ok, err := provenance()
	if err != nil || !ok || p.Reviewed.Reviewer != "The reviewer" || p.Reviewed.RevisionNumber != 1 || p.Minor != nil {
		t.Fatalf("Provenance() = %+v, %v, %v; want the reviewer's approval of revision 1", p, ok, err)
	}
	// A minor correction approved by another reviewer says so too.
	other, err := e.Access.Create(ctx, 0, account.New{Email: "second@hen.example", Name: "Second reviewer", Role: "reviewer", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	rev := e.Save(a.ID, 1, "Typo.")
	if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Pub.Review(ctx, workflow.Actor{ID: other.ID, Role: other.Role}, a.ID, rev.ID, workflow.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{Minor: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, ok, err = provenance()
	if err != nil || !ok || p.Reviewed.Reviewer != "The reviewer" || p.Minor == nil || p.Minor.Reviewer != "Second reviewer" || p.Minor.RevisionNumber != 2 {
		t.Errorf("after a minor correction Provenance() = %+v (minor %+v), %v, %v", p, p.Minor, ok, err)
	}
}

func TestScratchCopiesAreBoundedAndOutliveARestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	var first, last article.Article
	for i := range article.MaxScratchCopies + 1 {
		a, _ := e.Create("Scratch " + strconv.Itoa(i))
		if _, err := e.Pub.KeepScratch(ctx, e.Editor, a.ID, 1, "title=typed"); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = a
		}
		last = a
	}
	if at, _ := e.Pub.ScratchSince(ctx, e.Editor, first.ID); !at.IsZero() {
		t.Error("the oldest scratch copy was kept beyond the bound")
	}
	if at, _ := e.Pub.ScratchSince(ctx, e.Editor, last.ID); at.IsZero() {
		t.Fatal("the newest scratch copy is gone")
	}
	// Restoring an old revision is not what was being typed: the copy stays.
	e.Save(last.ID, 1, "second")
	// A keep from before that save (it crossed the save, or came from a
	// second tab) would offer older text than the editor saved: refused.
	if _, err := e.Pub.KeepScratch(ctx, e.Editor, last.ID, 1, "title=stale"); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("a keep older than the editor's own save: %v, want a conflict", err)
	}
	if _, err := e.Pub.KeepScratch(ctx, e.Editor, last.ID, 2, "title=typed+again"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pub.Restore(ctx, e.Editor, last.ID, 2, 1); err != nil {
		t.Fatal(err)
	}
	if at, _ := e.Pub.ScratchSince(ctx, e.Editor, last.ID); at.IsZero() {
		t.Error("restoring a revision dropped the unsaved changes")
	}
	// Saving does end it.
	e.Save(last.ID, 3, "third")
	if at, _ := e.Pub.ScratchSince(ctx, e.Editor, last.ID); !at.IsZero() {
		t.Error("saving kept the unsaved changes")
	}
}
