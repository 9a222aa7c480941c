// Package workflow holds Quire's editorial rules: who may move which
// revision where on its way to readers. They are plain functions of the
// article, its revisions and the actor. The publishing service asks them
// inside the transaction that makes the change, so a replayed form or a
// request with a changed id meets the same refusal as a button press, and
// the desk asks them which buttons to offer.
package workflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
)

// MaxCommentLen bounds a review comment.
const MaxCommentLen = 5000

// Form names of the fields the rules report errors against.
const (
	FieldComment   = "comment"
	FieldPublishAt = "publish_at"
	FieldMinor     = "minor"
	FieldKind      = "kind"
)

// Actor is whoever asks for a change.
type Actor struct {
	ID     int64
	Role   account.Role
	system bool
}

// System is Quire itself acting: the scheduler publishing on time, the demo
// loader putting its article through review. It has no account (ID zero)
// and is never the actor of a request. Only this value is Quire: a zero
// Actor, as a request without a login would give, has no role at all.
var System = Actor{ID: 0, Role: account.Admin, system: true}

// IsSystem reports whether the actor is Quire itself.
func (a Actor) IsSystem() bool { return a.system }

// Decision is a reviewer's verdict on one exact revision.
type Decision string

// Review decisions, as stored.
const (
	Approve        Decision = "approved"
	RequestChanges Decision = "changes_requested"
)

// Status is the revision status a decision leads to.
func (d Decision) Status() article.Status {
	if d == Approve {
		return article.StatusApproved
	}
	return article.StatusChangesRequested
}

// Submit checks that rev may enter the review queue: it is the newest
// revision and a draft. A revision sent back with changes requested is not
// resubmitted as it is; the fix is a new revision.
func Submit(head, rev article.Revision) error {
	if err := newest(head, rev, "submitted"); err != nil {
		return err
	}
	switch rev.Status {
	case article.StatusDraft:
		return described(rev.Images)
	case article.StatusChangesRequested:
		return apperr.Errorf(apperr.Conflict, "Changes were requested on revision %d: edit the article and submit the new revision.", rev.Number)
	case article.StatusInReview:
		return apperr.Errorf(apperr.Conflict, "Revision %d is already waiting for review.", rev.Number)
	}
	return apperr.Errorf(apperr.Conflict, "Revision %d has already been approved; there is nothing to submit.", rev.Number)
}

// described checks that every image a revision shows tells readers who
// cannot see it what it shows, or is marked decorative: a revision that
// fails it may be saved, but not sent to review.
func described(images []article.ImageUse) error {
	for _, u := range images {
		if u.Described() {
			continue
		}
		field, msg := article.FieldBody, fmt.Sprintf("Image %d in the body has no alt text. Describe it in the Markdown (![what it shows](/media/%d)) or in Media, or mark it Decorative in Media, then save and submit again.", u.MediaID, u.MediaID)
		if u.Lead {
			field, msg = article.FieldLeadAlt, "The lead image has no alt text. Fill in Alt text under Lead image (or mark the image Decorative in Media), then save and submit again."
		}
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	return nil
}

// Review checks that actor may record decision on rev: reviewers and admins
// only, never on their own revision, only on the newest revision and only
// once it has been submitted. Asking for changes needs a comment saying which.
func Review(actor Actor, head, rev article.Revision, d Decision, comment string) error {
	if d != Approve && d != RequestChanges {
		return apperr.Errorf(apperr.Invalid, "Choose Approve or Request changes.")
	}
	if !actor.Role.AtLeast(account.Reviewer) {
		return apperr.Errorf(apperr.Forbidden, "Only reviewers and admins can approve revisions or request changes.")
	}
	// Quire may approve what it wrote itself: content it loads (the demo,
	// an imported archive) was reviewed where it came from.
	if rev.AuthorID == actor.ID && !actor.IsSystem() {
		return apperr.Errorf(apperr.Forbidden, "You wrote revision %d, so someone else must review it.", rev.Number)
	}
	if err := newest(head, rev, "reviewed"); err != nil {
		return err
	}
	if rev.Status != article.StatusInReview {
		return apperr.Errorf(apperr.Conflict, "Revision %d is not waiting for review (it is %s).", rev.Number, strings.ToLower(rev.Status.Label()))
	}
	v := apperr.Validation{}
	if d == RequestChanges && comment == "" {
		v.Add(FieldComment, "Say what needs to change, so the author knows what to fix.")
	}
	if utf8.RuneCountInString(comment) > MaxCommentLen {
		v.Add(FieldComment, "Keep the comment under "+strconv.Itoa(MaxCommentLen)+" characters.")
	}
	return v.Err()
}

// Publish checks that rev may go live now as ch: it is the newest revision
// and approved, or it is the approved revision of an article that was
// taken down and is being brought back. A first publication cannot be
// minor; a correction or clarification must say what it corrects.
func Publish(a article.Article, head, rev article.Revision, ch article.Change) error {
	if err := newest(head, rev, "published"); err != nil {
		return err
	}
	switch {
	case rev.Status == article.StatusApproved:
	case rev.Status == article.StatusPublished && a.State != article.Live:
		// Approved before, live before, taken down since: bring it back.
	case rev.Status == article.StatusPublished:
		return apperr.Errorf(apperr.Conflict, "Revision %d is already live.", rev.Number)
	default:
		return apperr.Errorf(apperr.Conflict, "Revision %d is %s; a reviewer must approve it before it can be published.", rev.Number, strings.ToLower(rev.Status.Label()))
	}
	if ch.Minor && a.PublishedAt.IsZero() {
		return apperr.Errorf(apperr.Invalid, "A first publication cannot be a minor correction.")
	}
	if ch.Kind.Corrects() && !ch.Minor && !a.PublishedAt.IsZero() && strings.TrimSpace(ch.Note) == "" {
		return apperr.Field(article.FieldChangeNote, "Say what the "+strings.ToLower(ch.Kind.Label())+" corrects: readers see this note at the top of the article.")
	}
	if utf8.RuneCountInString(ch.Note) > article.MaxChangeNoteLen {
		return apperr.Field(article.FieldChangeNote, "Keep the change note under 1,000 characters.")
	}
	return nil
}

// Schedule checks that rev may be set to go live as ch at the future
// moment at.
func Schedule(a article.Article, head, rev article.Revision, ch article.Change, at, now time.Time) error {
	if err := Publish(a, head, rev, ch); err != nil {
		return err
	}
	if !at.After(now) {
		return apperr.Field(FieldPublishAt, "Choose a time in the future.")
	}
	return nil
}

// AfterSchedule is the public state an article returns to when its pending
// schedule ends without going live: a live article stays live; one that
// was shown as Scheduled goes back to never published, or to unpublished
// if it was published once.
func AfterSchedule(a article.Article) article.State {
	if a.State != article.Scheduled {
		return a.State
	}
	if a.PublishedAt.IsZero() {
		return article.Never
	}
	return article.Unpublished
}

// Unpublish checks that a is live and so can be taken down.
func Unpublish(a article.Article) error {
	if a.State != article.Live {
		return apperr.Errorf(apperr.Conflict, "Only a live article can be unpublished.")
	}
	return nil
}

// newest refuses to act on a revision that a later save has superseded:
// an approval belongs to one exact revision.
func newest(head, rev article.Revision, verb string) error {
	if rev.ID != head.ID {
		return apperr.Errorf(apperr.Conflict, "Revision %d cannot be %s: revision %d was saved after it. Only the newest revision can be %s.",
			rev.Number, verb, head.Number, verb)
	}
	return nil
}

// ManageContributors checks that actor may add, change, hide or delete
// contributors: editors, who credit them, and admins. Reviewers judge
// articles and only see the list.
func ManageContributors(actor Actor) error {
	if actor.system || actor.Role == account.Editor || actor.Role == account.Admin {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "Only editors and admins manage contributors; reviewers can see them.")
}

// ManageMedia checks that actor may upload images and change what the
// library says about them: editors, who illustrate articles, and admins.
func ManageMedia(actor Actor) error {
	if actor.system || actor.Role == account.Editor || actor.Role == account.Admin {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "Only editors and admins upload images; reviewers can see the library.")
}

// WithdrawMedia checks that actor may take an image down or delete it: a
// legal decision, so admins only.
func WithdrawMedia(actor Actor) error {
	if actor.system || actor.Role == account.Admin {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "Only admins withdraw or delete images.")
}
