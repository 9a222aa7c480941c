// Package reader renders the pages readers see. Its view models are plain
// data prepared by the web handlers.
package reader

import (
	"strings"

	"github.com/quire-cms/quire/views/layout"
)

// Date is a moment shown to readers.
type Date struct {
	ISO  string // machine-readable, for <time datetime>
	Text string // as a reader reads it, in the network's time zone
}

// Reference is the primary source of an article.
type Reference struct {
	Title string
	URL   string
}

// ArticlePage is a published article as its reader sees it.
type ArticlePage struct {
	Title          string
	Dek            string
	Lead           *Figure // the lead image; nil for none
	BodyHTML       string  // sanitized when the revision was saved
	Categories     []layout.Link
	Byline         []Byline // empty when the revision credits no one
	Attribution    string
	Published      Date
	Updated        Date
	Review         *Review // nil when not shown
	ReadingMinutes int
	Reference      Reference // empty Title means none
	Explore        []layout.Link
	// Corrections are the corrections and clarifications, shown after the
	// dates; Updates are the updates and editor's notes, at the end.
	Corrections, Updates []Update
	Versions             string // every version of the article; empty before the first
}

// Byline is the people credited in one role: "By" for the writers,
// "Research:" and so on for the others. A person without a public page
// has no Href.
type Byline struct {
	Label  string
	People []layout.Link
}

// Review says who approved the version readers see, from the review
// record.
type Review struct {
	Reviewer string
	Revision int
	On       Date
	// MinorBy and MinorOn name a later minor correction's approver, when
	// someone else approved it.
	MinorBy string
	MinorOn Date
}

// ContributorPage is a contributor's public page and their articles.
type ContributorPage struct {
	Name        string
	Bio         string
	Affiliation string
	Website     string
	Links       []string
	Items       []Summary
	Feed        string
	Pager       Pager
}

// Update is one entry of an article's public update log.
type Update struct {
	Date    Date
	Kind    string // "Correction", "Update"…
	Note    string
	Changes string // what the update changed
}

// VersionPage is one published version of an article, as it was shown.
type VersionPage struct {
	Story       ArticlePage
	Number      int
	Published   Date // when this version went live
	Current     string
	Changes     string // what this version changed; empty for the first
	Prev, Next  string // the neighbouring versions, if any
	Versions    string
	Fingerprint string // the content hash of what it published
}

// VersionsPage is an article's TimeMap for people: every version.
type VersionsPage struct {
	Title    string
	Current  string
	LinkMap  string // the same list as application/link-format
	Versions []VersionEntry
}

// VersionEntry is one version in an article's list of versions.
type VersionEntry struct {
	Number  int
	Date    Date
	Kind    string // empty for the first version
	Minor   bool
	Note    string
	Href    string
	Changes string // empty for the first version
}

// Says is what the list says of the version after its date.
func (v VersionEntry) Says() string {
	var out string
	switch {
	case v.Kind == "":
		out = " (first published)"
	case v.Minor:
		// A minor correction is announced nowhere, its note included.
		return " (minor correction)"
	default:
		out = " (" + v.Kind + ")"
	}
	if v.Note != "" {
		out += ": " + v.Note
	}
	return out
}

// ChangesPage shows what one version changed from the one before it.
type ChangesPage struct {
	Title    string
	Number   int
	Date     Date
	Kind     string
	Minor    bool
	Note     string
	Version  string
	Previous string // the version before; empty for the first
	Current  string
	Fields   []FieldDiff
}

// As says what the version was published as, after its date: "as a
// correction: An earlier version…", or nothing for the first.
func (p ChangesPage) As() string {
	what := strings.ToLower(p.Kind)
	switch {
	case p.Kind == "":
		return ""
	case p.Minor:
		return "as a minor correction."
	}
	article := "a "
	if strings.ContainsRune("aeiou", rune(what[0])) {
		article = "an "
	}
	if p.Note == "" {
		return "as " + article + what + "."
	}
	return "as " + article + what + ": " + p.Note
}

// CorrectionsPage is the network's corrections log.
type CorrectionsPage struct {
	Entries []CorrectionEntry
	Feed    string
	Pager   Pager
}

// CorrectionEntry is one correction or clarification in the log.
type CorrectionEntry struct {
	Date      Date
	Kind      string
	Note      string
	Title     string
	Href      string // the article; empty once withdrawn
	Changes   string // empty once withdrawn
	Withdrawn bool
}

// Summary is one article in a listing.
type Summary struct {
	Href           string
	Title          string
	Dek            string
	Categories     []layout.Link
	Published      Date
	Updated        Date
	ReadingMinutes int
	Event          Date // the moment the article is about; for timelines
	EventYear      string
	Roles          string // on a contributor's page: what they did ("Written by, Research")
	Thumb          *Thumb // the lead image, small; nil for none
}

// Figure is an image with its caption and credit.
type Figure struct {
	WebP, JPEG    string // srcset values
	Src           string
	Sizes         string
	Width, Height int
	Alt           string
	// CaptionHTML is the caption and credit line, escaped when made.
	CaptionHTML string
}

// Thumb is a listing card's small cut of a lead image, 240 × 180 CSS
// pixels, in WebP and JPEG at one and two device pixels per CSS pixel.
type Thumb struct {
	WebP, JPEG string // srcset values
	Src        string
}

// Pager links to the neighbouring pages of a listing.
type Pager struct {
	Page, Pages int
	Prev, Next  string
}

// ListPage is the home page, a category page or a subject's timeline.
type ListPage struct {
	Heading  string
	Intro    string
	Items    []Summary
	Timeline bool // a subject hub: ordered by event date, years shown
	Empty    string
	Pager    Pager
}

// NoticePage is an error or notice page (not found, gone).
type NoticePage struct {
	Heading string
	Message string
	Home    string
}

// Segment is a run of text, marked when it matched the search.
type Segment struct {
	Text string
	Mark bool
}

// Result is one article found by a search.
type Result struct {
	Summary
	MarkedTitle []Segment
	Snippet     []Segment
}

// SearchPage is the search form and, for a query, its results.
type SearchPage struct {
	Query    string
	Note     string // about the query itself, such as it being shortened
	Results  []Result
	Total    int
	More     bool // more than Total match; the best of the newest Total are shown
	Pager    Pager
	Searched bool // a query with words was given
}

// Span is a run of text in a comparison: "eq", "ins" or "del".
type Span struct {
	Kind string
	Text string
}

// FieldDiff is the comparison of one field between two revisions.
type FieldDiff struct {
	Label   string
	Spans   []Span
	Changed bool
	// Images are the images compared, before and after, by id (zero for
	// none); Thumbs their thumbnails, where readers may still see them.
	Images [2]int64
	Thumbs [2]string
}

// APIPage is the content API's page for people.
type APIPage struct {
	OpenAPIURL string
	Endpoints  []APIEntry // Path and What
	Params     []APIEntry // Name and What
	Examples   []APIExample
}

// APIEntry is one address or parameter of the API, and what it does.
type APIEntry struct {
	Path, Name, What string
}

// APIExample is a request to paste, and the start of its answer.
type APIExample struct {
	Title, Request, Response string
}
