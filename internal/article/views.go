package article

import "time"

// Read models: articles as the desk and the reader's listings ask for
// them. The store fills them; the pages show them.

// DeskView is what the desk shows about one article, read at one moment:
// the article, its newest revision, the live one, the pending schedule and
// the review decisions.
type DeskView struct {
	Article Article
	Head    Revision
	Live    Revision // zero when nothing is live
	// Schedule is the pending scheduled publication, if HasSchedule.
	Schedule    Schedule
	HasSchedule bool
	// Failed is the newest revision's scheduled publication that failed,
	// if HasFailed: the desk says so until someone acts.
	Failed    Schedule
	HasFailed bool
	Reviews   []Review // newest first
}

// DeskParts says what of a DeskView to read beyond the article, the
// revisions' headers and the schedule, which are always read.
type DeskParts struct {
	HeadBody, LiveBody bool // the Markdown, HTML and text of the revision
	Taxonomy           bool // the categories and subjects of head and live
	Reviews            bool
}

// DeskRow is an article as the desk lists it.
type DeskRow struct {
	Article      Article
	Title        string
	HeadNumber   int
	HeadStatus   Status
	State        DeskState
	ChangedAt    time.Time
	ChangedBy    string
	LiveNumber   int
	HeadAuthorID int64
}

// DeskFilter selects articles for the desk list.
type DeskFilter struct {
	State    DeskState // empty for all
	AuthorID int64     // only articles whose head this account wrote ("mine")
	// HeadStatus selects by the newest revision's workflow status, whether
	// or not an older revision is live (the review queue).
	HeadStatus Status
	Query      string // words in the head revision's title
	Limit      int
	Offset     int
}

// Queues are the dashboard's lists of what waits for one person, each
// newest change first.
type Queues struct {
	ToReview []DeskRow // others' revisions in review, for reviewers
	Returned []DeskRow // the person's revisions with changes requested
	Approved []DeskRow // approved revisions anyone may publish
	Drafts   []DeskRow // the person's drafts not yet submitted
}

// ListFilter selects live articles for a listing page.
type ListFilter struct {
	CategoryID int64 // only articles in this category
	SubjectID  int64 // only articles about this subject, ordered by event date
	// ContributorID keeps only articles whose live revision credits this
	// contributor.
	ContributorID int64
	// Newest orders a subject's articles newest first, as a feed wants.
	Newest bool
	// Body loads each revision's sanitized HTML body too.
	Body   bool
	Limit  int
	Offset int
}

// Location is where a live article is and when it was last updated, for
// the sitemap.
type Location struct {
	Slug      string
	UpdatedAt time.Time
}

// Versioned is one public version of an article, as readers can cite it:
// the article as it was shown while that version was live (its revision,
// its dates and updates as of then), and every version there is.
type Versioned struct {
	Published             // as of Version; Article.Slug and State are today's
	Version   Publication // the version shown
	Versions  []Publication
	// Previous is the revision the version before this one published,
	// when asked for and there is one: "What changed" compares the two.
	Previous Revision
}

// LoggedCorrection is one correction or clarification in the network's
// corrections log. An article taken down since keeps its entries, by
// title, marked withdrawn.
type LoggedCorrection struct {
	ArticleID int64
	Slug      string
	Title     string // as the correction published it
	Withdrawn bool
	Change    Update
}

// FeedOrder is how the content API orders live articles.
type FeedOrder string

// Feed orders.
const (
	FeedNewest FeedOrder = "newest" // first publication, newest first
	FeedEvent  FeedOrder = "event"  // event date, earliest first; undated last
)

// FeedQuery selects one page of live articles for the content API, from
// where the previous page ended.
type FeedQuery struct {
	// Kind and TaxonID name the listing: "all" (TaxonID 0), "category",
	// "subject" or "contributor".
	Kind    string
	TaxonID int64
	Order   FeedOrder
	After   FeedCursor // zero: from the start
	// PublishedSince keeps articles with a publication (minor corrections
	// included) at or after it; zero keeps all.
	PublishedSince time.Time
	Limit          int
}

// FeedCursor is where a page of a feed ended: the last article's sort
// keys.
type FeedCursor struct {
	PublishedAt time.Time
	EventDate   string // as listed: YYYY-MM-DD, or "~" for undated
	ArticleID   int64
}

// IsZero reports whether the cursor is the start of the feed.
func (c FeedCursor) IsZero() bool { return c.ArticleID == 0 }
