package workflow

import (
	"fmt"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
)

// TestRules walks every role, revision status and public state (with the
// actor as the revision's author and not) and checks each rule's answer
// against the workflow as DESIGN.md states it.
func TestRules(t *testing.T) {
	t.Parallel()
	statuses := []article.Status{article.StatusDraft, article.StatusInReview, article.StatusChangesRequested, article.StatusApproved, article.StatusPublished}
	states := []article.State{article.Never, article.Live, article.Scheduled, article.Unpublished}
	published := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := published.Add(24 * time.Hour)
	for _, role := range account.Roles {
		for _, status := range statuses {
			for _, state := range states {
				for _, own := range []bool{false, true} {
					name := fmt.Sprintf("%s/%s/%s/own=%v", role, status, state, own)
					t.Run(name, func(t *testing.T) {
						actor := Actor{ID: 7, Role: role}
						head := article.Revision{ID: 30, Number: 3, Status: status, AuthorID: 8}
						if own {
							head.AuthorID = actor.ID
						}
						a := article.Article{ID: 1, State: state, HeadRevisionID: head.ID}
						if state != article.Never {
							a.PublishedAt = published
						}
						if state == article.Live {
							a.LiveRevisionID = 20
						}

						check(t, "Submit", Submit(head, head), status == article.StatusDraft, apperr.Conflict)

						mayReview := role.AtLeast(account.Reviewer) && !own
						wantCode := apperr.Conflict
						if !mayReview {
							wantCode = apperr.Forbidden
						}
						check(t, "Review", Review(actor, head, head, Approve, ""), mayReview && status == article.StatusInReview, wantCode)

						publishable := status == article.StatusApproved || status == article.StatusPublished && state != article.Live
						check(t, "Publish", Publish(a, head, head, article.Change{}), publishable, apperr.Conflict)
						check(t, "Schedule", Schedule(a, head, head, article.Change{}, now.Add(time.Hour), now), publishable, apperr.Conflict)
						check(t, "Unpublish", Unpublish(a), state == article.Live, apperr.Conflict)
					})
				}
			}
		}
	}
}

func check(t *testing.T, rule string, err error, allowed bool, refusal apperr.Code) {
	t.Helper()
	switch {
	case allowed && err != nil:
		t.Errorf("%s refused: %v", rule, err)
	case !allowed && err == nil:
		t.Errorf("%s allowed; want %s", rule, refusal)
	case !allowed && apperr.CodeOf(err) != refusal:
		t.Errorf("%s refused with %s (%v), want %s", rule, apperr.CodeOf(err), err, refusal)
	case !allowed && apperr.MessageOf(err) == "":
		t.Errorf("%s refused without a message", rule)
	}
}

func TestRulesRefuseWhatIsNotTheNewestRevision(t *testing.T) {
	t.Parallel()
	head := article.Revision{ID: 31, Number: 4, Status: article.StatusDraft}
	old := article.Revision{ID: 30, Number: 3, Status: article.StatusApproved}
	a := article.Article{State: article.Never}
	reviewer := Actor{ID: 9, Role: account.Reviewer}
	inReview := old
	inReview.Status = article.StatusInReview
	for name, err := range map[string]error{
		"submit":  Submit(head, old),
		"review":  Review(reviewer, head, inReview, Approve, ""),
		"publish": Publish(a, head, old, article.Change{}),
	} {
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("%s of a superseded revision: %v, want a conflict", name, err)
		}
	}
}

func TestRulesDetails(t *testing.T) {
	t.Parallel()
	reviewer := Actor{ID: 9, Role: account.Reviewer}
	inReview := article.Revision{ID: 1, Number: 1, Status: article.StatusInReview, AuthorID: 2}
	approved := article.Revision{ID: 1, Number: 1, Status: article.StatusApproved}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	live := article.Article{State: article.Live, PublishedAt: now.Add(-time.Hour)}
	tests := []struct {
		name  string
		err   error
		code  apperr.Code
		field string
	}{
		{"asking for changes needs a comment", Review(reviewer, inReview, inReview, RequestChanges, ""), apperr.Invalid, FieldComment},
		{"a comment has a limit", Review(reviewer, inReview, inReview, Approve, string(make([]byte, MaxCommentLen+1))), apperr.Invalid, FieldComment},
		{"an unknown decision", Review(reviewer, inReview, inReview, Decision("maybe"), ""), apperr.Invalid, ""},
		{"a first publication cannot be minor", Publish(article.Article{}, approved, approved, article.Change{Minor: true}), apperr.Invalid, ""},
		{"a correction says what it corrects", Publish(live, approved, approved, article.Change{Kind: article.ChangeCorrection}), apperr.Invalid, article.FieldChangeNote},
		{"a clarification says what it clarifies", Publish(live, approved, approved, article.Change{Kind: article.ChangeClarification, Note: " "}), apperr.Invalid, article.FieldChangeNote},
		{"an update needs no note", Publish(live, approved, approved, article.Change{Kind: article.ChangeUpdate}), "", ""},
		{"a minor correction needs no note", Publish(live, approved, approved, article.Change{Minor: true, Kind: article.ChangeCorrection}), "", ""},
		{"a first publication needs no note", Publish(article.Article{}, approved, approved, article.Change{Kind: article.ChangeCorrection}), "", ""},
		{"a schedule in the past", Schedule(article.Article{}, approved, approved, article.Change{}, now.Add(-time.Minute), now), apperr.Invalid, FieldPublishAt},
		{"Quire may approve what it loaded itself", Review(System, article.Revision{ID: 1, Status: article.StatusInReview}, article.Revision{ID: 1, Status: article.StatusInReview}, Approve, ""), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apperr.CodeOf(tt.err); got != tt.code {
				t.Fatalf("error = %v (%s), want %s", tt.err, got, tt.code)
			}
			if tt.field != "" && apperr.FieldsOf(tt.err)[tt.field] == "" {
				t.Errorf("no message for %s: %v", tt.field, apperr.FieldsOf(tt.err))
			}
		})
	}
}

func TestAfterSchedule(t *testing.T) {
	t.Parallel()
	published := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		a    article.Article
		want article.State
	}{
		{article.Article{State: article.Scheduled}, article.Never},
		{article.Article{State: article.Scheduled, PublishedAt: published}, article.Unpublished},
		{article.Article{State: article.Live, PublishedAt: published}, article.Live},
		{article.Article{State: article.Unpublished, PublishedAt: published}, article.Unpublished},
	}
	for _, tt := range tests {
		if got := AfterSchedule(tt.a); got != tt.want {
			t.Errorf("AfterSchedule(%+v) = %s, want %s", tt.a, got, tt.want)
		}
	}
}

// TestNobodyIsNotQuire: an actor with no account and no role, as a request
// without a login would give, may do nothing, least of all act as Quire.
func TestNobodyIsNotQuire(t *testing.T) {
	t.Parallel()
	var nobody Actor
	inReview := article.Revision{ID: 1, Number: 1, Status: article.StatusInReview}
	if nobody.IsSystem() || !System.IsSystem() {
		t.Fatal("IsSystem must be true of System only")
	}
	if err := Review(nobody, inReview, inReview, Approve, ""); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("Review by nobody = %v, want forbidden", err)
	}
}
