// Package layout holds the page shells every Quire page is rendered in and
// the plain data they need.
package layout

// Link is a labelled address.
type Link struct {
	Href    string
	Label   string
	Current bool // the page being shown; marked aria-current
}

// Site is what the reader's masthead and footer show about the network.
type Site struct {
	Name      string
	ShortName string
	Tagline   string
	HomeURL   string
	SearchURL string
	FeedURL   string
	// CorrectionsURL is the network's corrections log, linked from every
	// page's footer.
	CorrectionsURL string
	Sections       []Link // category navigation
	Year           int
}

// Meta is what a page tells browsers, search engines and link previews.
type Meta struct {
	Title       string // the whole <title>
	Description string
	Canonical   string // absolute URL; empty for pages that have none
	NoIndex     bool
	OGType      string // "article" or "website"
	JSONLD      []any  // documents for search engines, each written as a JSON-LD block
	Published   string // RFC 3339, for article:published_time
	Modified    string
	Feeds       []Link // Atom feeds to announce, besides the site's own
	Image       *Image // the page's image for link previews; nil for none
}

// Image is a picture a link preview shows.
type Image struct {
	URL           string // absolute
	Width, Height int
	Alt           string
}

// Desk is what every desk page shows around its content.
type Desk struct {
	Title    string // the page's own title
	UserName string
	UserRole string
	CSRF     string // token for the Log out form
	Nav      []Link
	Flash    string // a one-time confirmation from the previous action
}
