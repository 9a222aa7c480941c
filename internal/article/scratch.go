package article

import "time"

// Scratch is one editor's unsaved article form, kept in the background
// while they type so that a crash or a closed tab loses at most the last
// few seconds. It is not a revision: nobody else sees it, and saving a
// revision deletes it.
type Scratch struct {
	AccountID int64
	ArticleID int64  // zero for a new article not yet saved
	Base      int    // the revision number the form was opened on
	Form      string // the form's fields, URL-encoded, as the browser sent them
	SavedAt   time.Time
}

// Bounds of what one editor keeps: a scratch copy is a whole form, body
// included; past MaxScratchCopies the oldest go, as an editor has only so
// many forms in hand at once.
const (
	MaxScratchBytes  = 2 << 20
	MaxScratchCopies = 20
)

// Editing is someone with an article's form open.
type Editing struct {
	AccountID int64
	Name      string
	Since     time.Time
}

// PresenceWindow is how long an open form counts without a sign of life:
// the page says it is still open twice in this time.
const PresenceWindow = time.Minute
