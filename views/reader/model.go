// Package reader renders the pages readers see. Its view models are plain
// data prepared by the web handlers.
package reader

import "github.com/quire-cms/quire/views/layout"

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
	BodyHTML       string // sanitized when the revision was saved
	Categories     []layout.Link
	Attribution    string
	Published      Date
	Updated        Date
	ReadingMinutes int
	Reference      Reference // empty Title means none
	Explore        []layout.Link
	Updates        []Update // non-minor updates after the first publication
}

// Update is one entry of an article's public update log.
type Update struct {
	Date Date
	Note string
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
