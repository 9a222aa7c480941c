package publishing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/workflow"
)

// outbox returns the outbox's messages, oldest first.
func outbox(t *testing.T, e *publishingtest.Env) []mail.Message {
	t.Helper()
	msgs, _, err := e.Store.Outbox(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs
}

func TestTheWorkflowTellsThePeopleConcerned(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, rev := e.Create("The Yalta Conference")

	if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Pub.Review(ctx, e.Reviewer, a.ID, rev.ID, workflow.RequestChanges, "Name the sources for the second paragraph."); err != nil {
		t.Fatal(err)
	}
	next := e.Save(a.ID, rev.Number, "Sources named")
	if err := e.Pub.Submit(ctx, e.Editor, a.ID, next.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Pub.Review(ctx, e.Reviewer, a.ID, next.ID, workflow.Approve, "Good now."); err != nil {
		t.Fatal(err)
	}
	// The reviewer publishes: the author hears of it.
	if _, err := e.Pub.Publish(ctx, e.Reviewer, a.ID, next.ID, article.Change{}, time.Now()); err != nil {
		t.Fatal(err)
	}

	want := []struct {
		kind    mail.Kind
		to      string
		subject string
		has     string
	}{
		{mail.Submitted, "reviewer@hen.example", "Review requested: The Yalta Conference", "A new article of"},
		{mail.ChangesRequested, "editor@hen.example", "Changes requested: The Yalta Conference", "Name the sources for the second paragraph."},
		{mail.Submitted, "reviewer@hen.example", "Review requested: The Yalta Conference", "A new article of"},
		{mail.Approved, "editor@hen.example", "Approved: The Yalta Conference", "ready to publish"},
		{mail.Published, "editor@hen.example", "Published: The Yalta Conference", "/articles/the-yalta-conference"},
	}
	got := outbox(t, e)
	if len(got) != len(want) {
		for _, m := range got {
			t.Logf("%s to %s: %s", m.Kind, m.To, m.Subject)
		}
		t.Fatalf("%d mails, want %d", len(got), len(want))
	}
	for i, w := range want {
		m := got[i]
		if m.Kind != w.kind || m.To != w.to || m.Subject != w.subject || !strings.Contains(m.Text, w.has) || m.Status != mail.Pending {
			t.Errorf("mail %d: %s to %s %q (%s), want %s to %s %q containing %q\n%s", i, m.Kind, m.To, m.Subject, m.Status, w.kind, w.to, w.subject, w.has, m.Text)
		}
	}

	// A live article's next revision is summarized against what readers see.
	third := e.Save(a.ID, next.Number, "One more sentence")
	if err := e.Pub.Submit(ctx, e.Editor, a.ID, third.ID); err != nil {
		t.Fatal(err)
	}
	last := outbox(t, e)[len(want)]
	if !strings.Contains(last.Text, "Against the live version: +3 words, −0 words.") {
		t.Errorf("summary of an update:\n%s", last.Text)
	}
}

func TestAScheduledPublicationTellsTheAuthorAndTheScheduler(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	a, rev := e.Create("Scheduled news")
	e.Approve(a.ID, rev.ID)
	at := time.Now().Add(time.Hour)
	// The reviewer schedules the editor's revision.
	if err := e.Pub.Schedule(ctx, e.Reviewer, a.ID, rev.ID, article.Change{}, at); err != nil {
		t.Fatal(err)
	}
	before := len(outbox(t, e))
	if n, err := e.Pub.PublishDue(ctx, "test", at.Add(time.Second)); n != 1 || err != nil {
		t.Fatalf("PublishDue = %d, %v", n, err)
	}
	got := outbox(t, e)[before:]
	to := map[string]bool{}
	for _, m := range got {
		if m.Kind != mail.Published || !strings.Contains(m.Text, "went live as scheduled") {
			t.Errorf("%s: %q\n%s", m.Kind, m.Subject, m.Text)
		}
		to[m.To] = true
	}
	if len(got) != 2 || !to["editor@hen.example"] || !to["reviewer@hen.example"] {
		t.Errorf("scheduled publication told %v", to)
	}
}

func TestNoticesFollowEachPersonsChoice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	if err := e.Access.SaveNotificationChoices(ctx, e.Reviewer.ID, map[mail.Kind]mail.Choice{mail.Submitted: mail.Off}); err != nil {
		t.Fatal(err)
	}
	a, rev := e.Create("Quiet")
	if err := e.Pub.Submit(ctx, e.Editor, a.ID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, e); len(got) != 0 {
		t.Errorf("a reviewer who turned submissions off got %d mails", len(got))
	}
}
