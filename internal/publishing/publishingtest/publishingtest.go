// Package publishingtest gives a test a real, migrated database with
// Quire's services on it, an editor and a reviewer to act, a category and a
// subject, and helpers that move articles along the workflow.
package publishingtest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
	"github.com/quire-cms/quire/internal/workflow"
)

// Env is a database with the services on it.
type Env struct {
	t                testing.TB
	Store            *store.Store
	Pub              *publishing.Service
	Read             *reading.Service
	Access           *access.Service
	Editor, Reviewer workflow.Actor
	Category         article.Category
	Subject          article.Subject
}

// New opens a fresh database for the test, with an editor ("The editor"),
// a reviewer ("The reviewer"), the category Politics and the subject Joseph
// Stalin.
func New(t testing.TB) *Env {
	t.Helper()
	return On(t, storetest.New(t))
}

// On is New on a database the test opened itself; a category or subject
// it already has with the same slug is used as it is.
func On(t testing.TB, st *store.Store) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{t: t, Store: st, Pub: publishing.New(st, markup.New()), Read: reading.New(st), Access: access.New(st)}
	for _, p := range []struct {
		into *workflow.Actor
		role account.Role
	}{{&e.Editor, account.Editor}, {&e.Reviewer, account.Reviewer}} {
		a, err := e.Access.Create(ctx, 0, account.New{Email: string(p.role) + "@hen.example", Name: "The " + string(p.role),
			Role: string(p.role), Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		*p.into = workflow.Actor{ID: a.ID, Role: a.Role}
	}
	var err error
	if e.Category, err = st.CategoryBySlug(ctx, "politics"); err != nil {
		if e.Category, err = e.Pub.SaveCategory(ctx, article.Category{Slug: "politics", Name: "Politics"}); err != nil {
			t.Fatal(err)
		}
	}
	if e.Subject, err = st.SubjectBySlug(ctx, "joseph-stalin"); err != nil {
		if e.Subject, err = e.Pub.SaveSubject(ctx, article.Subject{Slug: "joseph-stalin", Name: "Joseph Stalin"}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// Draft is a valid draft titled title, in the env's category and subject.
func (e *Env) Draft(title string) article.Draft {
	return article.Draft{Title: title, Body: "Some *body* text.", Attribution: "HEN", EventDate: "1940-08-20",
		CategoryIDs: []int64{e.Category.ID}, SubjectIDs: []int64{e.Subject.ID}}
}

// Prepare prepares d, failing the test if it is refused.
func (e *Env) Prepare(d article.Draft) publishing.Prepared {
	e.t.Helper()
	p, err := e.Pub.Prepare(context.Background(), d)
	if err != nil {
		e.t.Fatalf("Prepare() error = %v", err)
	}
	return p
}

// Create creates an article titled title, written by the editor.
func (e *Env) Create(title string) (article.Article, article.Revision) {
	e.t.Helper()
	a, rev, err := e.Pub.Create(context.Background(), e.Editor, e.Prepare(e.Draft(title)))
	if err != nil {
		e.t.Fatalf("Create() error = %v", err)
	}
	return a, rev
}

// Approve submits revisionID as the editor and approves it as the reviewer.
func (e *Env) Approve(articleID, revisionID int64) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.Pub.Submit(ctx, e.Editor, articleID, revisionID); err != nil {
		e.t.Fatalf("Submit() error = %v", err)
	}
	if err := e.Pub.Review(ctx, e.Reviewer, articleID, revisionID, workflow.Approve, "Good."); err != nil {
		e.t.Fatalf("Review() error = %v", err)
	}
}

// Save saves, as the editor, a copy of revision base with note added to
// its body, on top of it.
func (e *Env) Save(articleID int64, base int, note string) article.Revision {
	e.t.Helper()
	ctx := context.Background()
	rev, err := e.Store.RevisionByNumber(ctx, articleID, base)
	if err != nil {
		e.t.Fatal(err)
	}
	d := DraftOf(rev)
	d.ChangeNote = note
	d.Body += "\n\n" + note
	saved, err := e.Pub.Save(ctx, e.Editor, articleID, base, e.Prepare(d))
	if err != nil {
		e.t.Fatalf("Save() error = %v", err)
	}
	return saved.Revision
}

// SaveApproved is Save followed by Approve.
func (e *Env) SaveApproved(articleID int64, base int, note string) article.Revision {
	e.t.Helper()
	rev := e.Save(articleID, base, note)
	e.Approve(articleID, rev.ID)
	return rev
}

// DraftOf is the draft an editor would see in the form for rev.
func DraftOf(rev article.Revision) article.Draft {
	d := article.Draft{Title: rev.Title, Slug: rev.Slug, Dek: rev.Dek, Body: rev.BodyMarkdown,
		CategoryIDs: rev.CategoryIDs(), SubjectIDs: rev.SubjectIDs(), ReferenceTitle: rev.Reference.Title,
		ReferenceURL: rev.Reference.URL, Attribution: rev.Attribution, ChangeNote: rev.ChangeNote}
	if !rev.EventDate.IsZero() {
		d.EventDate = rev.EventDate.Format(article.DateLayout)
	}
	for _, c := range rev.Credits {
		d.Credits = append(d.Credits, article.CreditInput{ContributorID: strconv.FormatInt(c.Contributor.ID, 10), Role: string(c.Role)})
	}
	if rev.Lead.MediaID != 0 {
		d.LeadImage = strconv.FormatInt(rev.Lead.MediaID, 10)
		d.LeadAlt, d.LeadCaption, d.LeadCredit = rev.Lead.Alt, rev.Lead.Caption, rev.Lead.Credit
	}
	return d
}

// Publish creates an article with the given dek and body (Markdown), has
// it approved and publishes it now.
func (e *Env) Publish(title, dek, body string) article.Article {
	e.t.Helper()
	d := e.Draft(title)
	d.Dek, d.Body = dek, body
	a, _ := e.PublishDraft(d)
	return a
}

// PublishDraft creates an article from d, has it approved and publishes
// it now; it returns the article and its first revision.
func (e *Env) PublishDraft(d article.Draft) (article.Article, article.Revision) {
	e.t.Helper()
	ctx := context.Background()
	a, rev, err := e.Pub.Create(ctx, e.Editor, e.Prepare(d))
	if err != nil {
		e.t.Fatalf("Create() error = %v", err)
	}
	e.Approve(a.ID, rev.ID)
	if a, err = e.Pub.Publish(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now()); err != nil {
		e.t.Fatalf("Publish() error = %v", err)
	}
	return a, rev
}
