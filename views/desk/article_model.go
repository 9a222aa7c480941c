package desk

import (
	"strconv"

	"github.com/quire-cms/quire/views/reader"
)

// Conflict explains why a save was not made and what changed meanwhile.
type Conflict struct {
	HeadNumber int
	HeadAuthor string
	HeadAt     string
	Changes    []reader.FieldDiff // from the revision the editor started from to the newest
}

// ArticleForm is the New article and Edit form. Its Form's Choices hold
// the categories and subjects.
type ArticleForm struct {
	Form
	Heading  string
	Action   string
	Base     int // the revision number the form was opened on; 0 for a new article
	Conflict *Conflict
	Cancel   string
	// Scheduled warns that saving cancels a pending scheduled publication.
	Scheduled string
	// Unsaved says the form holds text that is not saved yet, and why.
	Unsaved string
	// Kept is when the editor's unsaved changes to this form were kept
	// (empty when there are none), with where to restore or discard them.
	Kept                     string
	RestoreKept, DiscardKept string
	// Script are the addresses the form's script works with.
	Script FormScript
	// MaxUploadMB is the largest lead image the form may upload.
	MaxUploadMB int
}

// FormScript is what the article form's script needs to know: where to
// keep unsaved text, say the form is open and render the preview; the
// public address articles are at, and the slug readers know it by, if it
// is published.
type FormScript struct {
	Scratch, Presence, Leave, Preview string
	AddressPrefix, PublishedSlug      string
	// Unkept says the form opens holding text nothing has kept (it came
	// back refused, or carried through login): the script keeps it at once.
	Unkept bool
}

// ID is the HTML id of the row's control named part.
func (r CreditRow) ID(part string) string { return "f-credit-" + strconv.Itoa(r.N) + "-" + part }

// CreditRow is one row of the article form's credits: who, in what role,
// and its place in the byline.
type CreditRow struct {
	N      int // the row's number, from 1: its Order
	People []Choice
	Roles  []Choice
	Role   string
}

// ArticleRow is one article in the desk list.
type ArticleRow struct {
	Href       string
	Title      string
	State      string
	StateKey   string
	ChangedAt  string
	ChangedBy  string
	HeadNumber int
}

// ArticleList is the desk's list of articles with its filters.
type ArticleList struct {
	Rows     []ArticleRow
	States   []Option
	State    string
	Mine     bool
	Query    string
	Total    int
	Page     int
	Pages    int
	Prev     string
	Next     string
	NewHref  string
	ListHref string
}

// ArticleLinks are the places an article's desk pages link to.
type ArticleLinks struct {
	Overview, Edit, History, Preview, Audit, Public string
}

// ArticleOverview is an article's page in the desk, with the workflow
// actions its newest revision allows.
type ArticleOverview struct {
	Links      ArticleLinks
	Title      string
	State      string
	StateKey   string
	HeadNumber int
	HeadStatus string
	HeadAuthor string
	LiveNumber int
	Published  string
	Updated    string
	Schedule   *ScheduleNote
	// Failed says the newest revision's scheduled publication failed.
	Failed  *FailedNote
	Reviews []ReviewNote
	Actions Actions
}

// Actions are the workflow buttons on an article's overview: an action
// whose address is empty is not open to this user now, and Why says why.
type Actions struct {
	Form       Form  // CSRF, and Publish at and Minor correction coming back
	RevisionID int64 // the revision every action names
	Number     int
	Submit     string
	Review     string // the review page, for reviewers
	Publish    string
	Schedule   string
	Cancel     string // cancels the pending schedule
	Unpublish  string
	FirstTime  bool   // the next publication is the first: no minor correction
	TimeZone   string // the zone Publish at is read in
	Why        string
}

// ScheduleNote describes a pending scheduled publication.
type ScheduleNote struct {
	Number int
	At     string
	By     string
	Minor  bool
	Kind   string // the kind of change, as readers will read it
	Note   string
}

// FailedNote describes a scheduled publication that failed.
type FailedNote struct {
	Number int
	At     string // when it was due to go live
	Reason string
}

// ReviewNote is one review decision and the comment its author sees.
type ReviewNote struct {
	Number   int
	Reviewer string
	Approved bool
	Comment  string
	At       string
}

// WorkItem is one line of a queue: an article waiting for someone.
type WorkItem struct {
	Href   string
	Title  string
	Number int
	Author string
	At     string
	Note   string
	Yours  bool // the viewer wrote this revision
}

// ReviewQueue is the list of revisions waiting for review.
type ReviewQueue struct {
	Items     []WorkItem
	CanReview bool // the viewer is a reviewer or admin
}

// ReviewPage shows what a revision would change for readers and takes the
// reviewer's decision.
type ReviewPage struct {
	Links      ArticleLinks
	Title      string
	Number     int
	Author     string
	At         string
	ChangeNote string
	Status     string
	LiveNumber int // zero: nothing is live, so everything is new
	Changes    []reader.FieldDiff
	// ComparePrevious shows what changed since the revision before this
	// one, such as the fix for requested changes; empty for revision 1.
	ComparePrevious string
	Story           reader.ArticlePage
	Form            Form
	RevisionID      int64
	Action          string // empty when the viewer may not review now
	Why             string // why not
	Reviews         []ReviewNote
}

// RevisionRow is one revision in the history.
type RevisionRow struct {
	Number     int
	Href       string
	Author     string
	At         string
	ChangeNote string
	Status     string
	IsHead     bool
	IsLive     bool
}

// History lists an article's revisions and lets two be compared.
type History struct {
	Links     ArticleLinks
	Title     string
	Rows      []RevisionRow
	CompareTo string // the compare form's action
	From, To  int    // preselected revisions
}

// RevisionPage shows one revision as readers would see it.
type RevisionPage struct {
	Links         ArticleLinks
	Number        int
	Author        string
	At            string
	ChangeNote    string
	Status        string
	IsHead        bool
	RestoreAction string
	Base          int
	CSRF          string
	Story         reader.ArticlePage
}

// Comparison shows what changed from one revision to another.
type Comparison struct {
	Links    ArticleLinks
	Title    string
	From, To int
	Fields   []reader.FieldDiff
}

// AuditRow is one line of an audit log.
type AuditRow struct {
	At           string
	Actor        string
	Action       string
	Revision     int
	Detail       string
	ArticleTitle string // for the global log
	ArticleHref  string
}

// AuditLog is an article's audit log.
type AuditLog struct {
	Links ArticleLinks
	Title string
	Rows  []AuditRow
}

// GlobalAudit is every audit event, for admins, one page at a time.
type GlobalAudit struct {
	Rows       []AuditRow
	Page       int
	Pages      int
	Prev, Next string
	// CSV and JSONLines download the whole log.
	CSV, JSONLines string
}

// TaxonRow is one category or subject in the admin's list.
type TaxonRow struct {
	Name, Slug, Description, HubTitle string
	EditHref, PublicHref              string
}

// Fields are the page's form: a subject's, with its hub title, or a
// category's.
func (p TaxonomyPage) Fields() Fields {
	if p.HasHub {
		return SubjectFields
	}
	return CategoryFields
}

// TaxonomyPage lists categories or subjects and offers the form to add or
// edit one.
type TaxonomyPage struct {
	Heading  string // "Categories" or "Subjects"
	Singular string // "category" or "subject"
	Rows     []TaxonRow
	Form     Form
	Action   string
	Editing  bool // the form edits an existing entry
	HasHub   bool // subjects have a hub title
	ListHref string
}

// ContributorsPage lists contributors; those who manage them get the
// New contributor link.
type ContributorsPage struct {
	Rows        []ContributorRow
	Query       string
	Total       int
	Page, Pages int
	Prev, Next  string
	ListHref    string
	NewHref     string
	CanManage   bool
}

// ContributorForm adds a contributor or changes one.
type ContributorForm struct {
	Form
	Heading      string
	Action       string // where the form posts
	Cancel       string
	DeleteAction string // where the delete form posts; empty for a new contributor
}

// ContributorRow is one contributor in the desk's list.
type ContributorRow struct {
	Name, Affiliation    string
	Hidden               bool
	Credits              int // how many revisions credit them
	EditHref, PublicHref string
}
