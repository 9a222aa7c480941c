package desk

// MediaPage is the media library: found by words, a page at a time, with
// the upload form for those who may upload.
type MediaPage struct {
	Rows        []MediaRow
	Query       string
	Total       int
	Page, Pages int
	Prev, Next  string
	ListHref    string
	// Upload is the upload form; Action is empty for those who may not
	// upload.
	Upload      Form
	Action      string
	MaxUploadMB int
}

// MediaRow is one image of the library as the list shows it.
type MediaRow struct {
	Href      string
	Thumb     Thumb
	Alt       string
	Uses      int // revisions that show it
	Credit    string
	FileName  string
	Size      string // "4000 × 3000 px, JPEG, 2.1 MB"
	Uploaded  string // when and by whom
	Withdrawn bool
}

// Thumb is a small cut of an image: 240 × 180 CSS pixels, sharp at two
// device pixels per CSS pixel. Src is empty for a withdrawn image.
type Thumb struct {
	Src, Src2x string
}

// MediaItemPage is one image: a preview, what the library says about it,
// where it is used and what to paste to show it.
type MediaItemPage struct {
	Heading   string
	Preview   Picture
	Facts     []Fact
	Markdown  string
	Withdrawn string // when and by whom, if it was
	Details   Form
	Action    string // empty for those who may not change the details
	Original  string
	Withdraw  string // empty for those who may not withdraw
	Delete    string
	ListHref  string
	FocusX    int
	FocusY    int
	Uses      []Link
	UsesTotal int
}

// Link is a labelled address.
type Link struct {
	Href, Label string
}

// Fact is one line of an image's particulars.
type Fact struct {
	Term, Value string
}

// Picture is an image with its WebP and JPEG sources, sized so that it
// takes its place before it loads.
type Picture struct {
	WebP, JPEG    string // srcset values
	Src           string // the JPEG fallback
	Sizes         string
	Width, Height int
	Alt           string
}
