// Package article is Quire's editorial domain: articles, their immutable
// revisions, the rules a revision must satisfy, and what "Published" and
// "Updated" mean. It knows nothing of HTTP, HTML templates or the database.
package article

import (
	"time"

	"github.com/quire-cms/quire/internal/apperr"
)

// State is an article's public state, as readers experience it.
type State string

// Public states.
const (
	Never       State = "never"       // never published: invisible to readers
	Live        State = "live"        // readers see the live revision
	Scheduled   State = "scheduled"   // not yet live; a publication is scheduled
	Unpublished State = "unpublished" // taken down: readers get 410 Gone
)

// Status is a revision's position in the review workflow.
type Status string

// Workflow statuses of a revision.
const (
	StatusDraft            Status = "draft"
	StatusInReview         Status = "in_review"
	StatusChangesRequested Status = "changes_requested"
	StatusApproved         Status = "approved"
	StatusPublished        Status = "published"
)

// Label is the status as the desk says it.
func (s Status) Label() string {
	switch s {
	case StatusInReview:
		return "In review"
	case StatusChangesRequested:
		return "Changes requested"
	case StatusApproved:
		return "Approved"
	case StatusPublished:
		return "Published"
	}
	return "Draft"
}

// Article is the stable identity behind a public URL.
type Article struct {
	// CreatedBy is the account that created the article; zero for Quire.
	CreatedBy      int64
	ID             int64
	Slug           string
	State          State
	HeadRevisionID int64 // the newest revision
	LiveRevisionID int64 // zero when nothing is live
	// PublishedAt is the first publication; it never moves once set.
	PublishedAt time.Time
	// UpdatedAt is the latest non-minor publication.
	UpdatedAt time.Time
	CreatedAt time.Time
	// ChangedAt is when anything about the article last changed.
	ChangedAt time.Time
}

// ForReaders says whether readers may see the article: nil when it is
// live; Gone once it was published and then taken down (its readers are
// told it was withdrawn); NotFound when it never went live.
func (a Article) ForReaders() error {
	switch {
	case a.State == Live && a.LiveRevisionID != 0:
		return nil
	case !a.PublishedAt.IsZero():
		return apperr.Errorf(apperr.Gone, "This article has been withdrawn by the editors.")
	}
	return ErrNotAtAddress
}

// ErrNotAtAddress is what readers are told at an address where no article
// is, or none they may see.
var ErrNotAtAddress = apperr.Errorf(apperr.NotFound, "There is no article at this address.")

// Category groups articles ("Politics").
type Category struct {
	ID          int64
	Slug        string
	Name        string
	Description string
}

// Subject is a person or topic with a hub page ("Life Moments of Joseph Stalin").
type Subject struct {
	ID          int64
	Slug        string
	Name        string
	HubTitle    string
	Description string
}

// Reference is the primary source an article rests on.
type Reference struct {
	Title string
	URL   string
}

// Revision is an immutable snapshot of everything a reader sees, plus who
// wrote it, when, and what it was based on.
type Revision struct {
	ID           int64
	ArticleID    int64
	Number       int   // 1, 2, 3… within the article
	ParentID     int64 // the revision this one was based on; zero for the first
	AuthorID     int64 // zero for content loaded by the system
	AuthorName   string
	CreatedAt    time.Time
	Slug         string
	Title        string
	Dek          string
	BodyMarkdown string
	BodyHTML     string // sanitized at save time
	BodyText     string // plain text of the body, for search
	Categories   []Category
	Subjects     []Subject
	// Credits are who did what, in the order the editor gave.
	Credits     []Credit
	EventDate   time.Time // when the moment happened; zero when unknown
	Reference   Reference
	Attribution string
	WordCount   int
	// ReadingMinutes is what readers are shown: the override when set,
	// otherwise computed from WordCount.
	ReadingMinutes         int
	ReadingMinutesOverride int // zero when not overridden
	ChangeNote             string
	Status                 Status
	// Lead is the lead image, if any, with the words shown beside it.
	Lead Lead
	// Images are the images the revision shows (the lead first), as they
	// were saved; set when saving, and read where the rules need them.
	Images []ImageUse
}

// Lead is a revision's lead image: an image of the media library, and the
// alt text, caption and credit this article shows with it, which default
// from the library's.
type Lead struct {
	MediaID              int64 // zero: no lead image
	Alt, Caption, Credit string
	// SourceURL and Licence are the library's when the revision was saved.
	SourceURL, Licence string
}

// ImageUse is one image a revision shows, with the alt text it was saved
// with.
type ImageUse struct {
	MediaID    int64
	Lead       bool
	Alt        string
	Decorative bool // the library marked it decorative: no alt on purpose
}

// Described reports whether a reader who cannot see the image is told
// what it shows, or told nothing on purpose.
func (u ImageUse) Described() bool { return u.Alt != "" || u.Decorative }

// Publication records one time a revision went live: a public version of
// the article, numbered in the order they happened.
type Publication struct {
	ID          int64
	ArticleID   int64
	RevisionID  int64
	PublishedBy int64 // zero for the scheduler or the demo loader
	PublishedAt time.Time
	Minor       bool
	Kind        ChangeKind // of a publication after the first
	Note        string     // what readers are told changed
	Version     int        // 1, 2, 3… within the article
	// ContentHash is the SHA-256 of what readers were shown (see
	// internal/record); ChainHash chains it to the publication before it,
	// anywhere on the network.
	ContentHash, ChainHash string
}

// ChangeKind says what a publication after the first changed, as readers
// are told: corrections and clarifications at the top of the article,
// updates and editor's notes at its end.
type ChangeKind string

// Kinds of change.
const (
	ChangeUpdate        ChangeKind = "update"
	ChangeCorrection    ChangeKind = "correction"
	ChangeClarification ChangeKind = "clarification"
	ChangeEditorsNote   ChangeKind = "editors_note"
)

// ChangeKinds lists every kind of change, the default first.
var ChangeKinds = []ChangeKind{ChangeUpdate, ChangeCorrection, ChangeClarification, ChangeEditorsNote}

// Label is the kind as readers and the desk read it.
func (k ChangeKind) Label() string {
	switch k {
	case ChangeCorrection:
		return "Correction"
	case ChangeClarification:
		return "Clarification"
	case ChangeEditorsNote:
		return "Editor's note"
	}
	return "Update"
}

// Corrects reports whether the change corrects or clarifies what was
// published: such changes need a note, head the article and are listed at
// /corrections.
func (k ChangeKind) Corrects() bool { return k == ChangeCorrection || k == ChangeClarification }

// ParseChangeKind reads a kind of change as a form sends it ("" is an
// update).
func ParseChangeKind(s string) (ChangeKind, bool) {
	if s == "" {
		return ChangeUpdate, true
	}
	for _, k := range ChangeKinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Change is how a publication presents itself to readers: a minor
// correction moves no date and is not listed; otherwise its kind and note
// say what changed.
type Change struct {
	Minor bool
	Kind  ChangeKind
	Note  string
	// Typed says Note is as the editor left it, even empty; otherwise an
	// empty Note is the published revision's change note.
	Typed bool
}

// Update is a non-minor publication after the first, as readers are told
// of it.
type Update struct {
	At      time.Time
	Kind    ChangeKind
	Note    string
	Version int // the version it published; its changes are on the version's page
}

// Published is what a reader's article page shows: the article, its live
// revision and its public update log.
type Published struct {
	Article  Article
	Revision Revision
	Updates  []Update
	// Approvals are those of the latest publications, newest first, down
	// to the latest non-minor one: what ProvenanceOf reads.
	Approvals []Approval
}

// Review is a reviewer's decision on one exact revision, with the comment
// its author sees.
type Review struct {
	RevisionID     int64
	RevisionNumber int
	ReviewerID     int64
	ReviewerName   string
	Approved       bool // false: changes requested
	Comment        string
	At             time.Time
}

// ScheduleState is where a scheduled publication stands.
type ScheduleState string

// Schedule states, as stored. Only a pending schedule can still go live.
const (
	SchedulePending   ScheduleState = "pending"
	SchedulePublished ScheduleState = "published"
	ScheduleCancelled ScheduleState = "cancelled"
	// ScheduleFailed is a schedule that could not go live when it fell
	// due; Failure says why.
	ScheduleFailed ScheduleState = "failed"
)

// Schedule is a publication of an approved revision set for a time.
type Schedule struct {
	ID             int64
	ArticleID      int64
	RevisionID     int64
	RevisionNumber int
	Title          string // of the scheduled revision
	PublishAt      time.Time
	Change         Change // how the publication will present itself
	State          ScheduleState
	CreatedBy      int64 // zero for Quire itself
	ScheduledBy    string
	CreatedAt      time.Time
	Failure        string    // why a failed schedule did not go live
	EndedAt        time.Time // when it went live, failed or was cancelled by the scheduler
}

// DeskState is what the desk calls an article's situation: its public
// state combined with where its newest revision is in the workflow.
type DeskState string

// Desk states, as badges.
const (
	DeskDraft            DeskState = "draft"
	DeskInReview         DeskState = "in_review"
	DeskChangesRequested DeskState = "changes_requested"
	DeskApproved         DeskState = "approved"
	DeskLive             DeskState = "live"
	DeskLivePending      DeskState = "live_pending"
	DeskScheduled        DeskState = "scheduled"
	DeskUnpublished      DeskState = "unpublished"
)

// DeskStates lists every desk state in workflow order.
var DeskStates = []DeskState{DeskDraft, DeskInReview, DeskChangesRequested, DeskApproved, DeskLive, DeskLivePending, DeskScheduled, DeskUnpublished}

// Label is the state's badge text.
func (s DeskState) Label() string {
	switch s {
	case DeskDraft:
		return "Draft"
	case DeskInReview:
		return "In review"
	case DeskChangesRequested:
		return "Changes requested"
	case DeskApproved:
		return "Approved"
	case DeskLive:
		return "Live"
	case DeskLivePending:
		return "Live · changes pending"
	case DeskScheduled:
		return "Scheduled"
	case DeskUnpublished:
		return "Unpublished"
	}
	return string(s)
}

// StateOf derives the desk state from the public state and the head revision.
func StateOf(a Article, head Status) DeskState {
	switch {
	case a.State == Unpublished:
		return DeskUnpublished
	case a.State == Scheduled:
		return DeskScheduled
	case a.State == Live && a.HeadRevisionID == a.LiveRevisionID:
		return DeskLive
	case a.State == Live:
		return DeskLivePending
	}
	switch head {
	case StatusInReview:
		return DeskInReview
	case StatusChangesRequested:
		return DeskChangesRequested
	case StatusApproved:
		return DeskApproved
	}
	return DeskDraft
}

// CategoryIDs lists the ids of the revision's categories, in order.
func (r Revision) CategoryIDs() []int64 {
	out := make([]int64, len(r.Categories))
	for i, c := range r.Categories {
		out[i] = c.ID
	}
	return out
}

// SubjectIDs lists the ids of the revision's subjects, in order.
func (r Revision) SubjectIDs() []int64 {
	out := make([]int64, len(r.Subjects))
	for i, s := range r.Subjects {
		out[i] = s.ID
	}
	return out
}
