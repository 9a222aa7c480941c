package article

import (
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gosimple/slug"
)

// Limits on what a revision may hold. They are generous for real articles and
// keep a mistaken paste or a hostile request from filling the database.
const (
	MaxSlugLen        = 100
	MaxTitleLen       = 300
	MaxDekLen         = 1000
	MaxBodyBytes      = 1 << 20
	MaxURLLen         = 2000
	MaxShortTextLen   = 300
	MaxChangeNoteLen  = 1000
	MaxReadingMinutes = 600
	// DateLayout is how event dates are written and stored.
	DateLayout = "2006-01-02"
)

var (
	slugPattern  = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	notSlugChars = regexp.MustCompile(`[^a-z0-9]+`)
)

// ValidSlug reports whether s can be an article, category or subject slug:
// lowercase ASCII letters and digits in words joined by single hyphens.
func ValidSlug(s string) bool {
	return len(s) <= MaxSlugLen && slugPattern.MatchString(s)
}

// Slugify suggests a slug for a title, transliterating accented and
// non-Latin letters ("Trotsky's Assassination" → "trotskys-assassination").
func Slugify(title string) string {
	s := slug.Make(strings.ReplaceAll(title, "'", ""))
	// slug keeps underscores and tildes; our URLs use hyphens only.
	s = strings.Trim(notSlugChars.ReplaceAllString(s, "-"), "-")
	if len(s) > MaxSlugLen {
		s = strings.TrimRight(s[:MaxSlugLen], "-")
	}
	return s
}

// ReadingMinutes is the reading time for words at wpm words per minute,
// rounded up, and never less than one minute.
func ReadingMinutes(words, wpm int) int {
	if wpm <= 0 || words <= 0 {
		return 1
	}
	return max(1, int(math.Ceil(float64(words)/float64(wpm))))
}

// ParseDate parses an event date written as YYYY-MM-DD.
func ParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

// ValidReferenceURL reports whether u is an absolute http(s) URL, the only
// kind a reader's browser should be sent to.
func ValidReferenceURL(u string) bool {
	if len(u) > MaxURLLen {
		return false
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return false
	}
	return (parsed.Scheme == "http" || parsed.Scheme == "https") && parsed.Host != ""
}

// Dates returns an article's public dates from its publications in any
// order: published is the first publication; updated is the latest non-minor
// one (and the first publication counts as non-minor, whatever its flag).
func Dates(pubs []Publication) (published, updated time.Time) {
	for _, p := range pubs {
		if published.IsZero() || p.PublishedAt.Before(published) {
			published = p.PublishedAt
		}
	}
	updated = published
	for _, p := range pubs {
		if !p.Minor && p.PublishedAt.After(updated) {
			updated = p.PublishedAt
		}
	}
	return published, updated
}

// AsOf is what readers were shown of an article's history while the last
// of pubs (in the order published) was live: its dates and the updates
// listed, oldest first. A minor correction is never listed; the first
// publication is the article itself, not an update.
func AsOf(pubs []Publication) (published, updated time.Time, updates []Update) {
	published, updated = Dates(pubs)
	for _, p := range pubs {
		if !p.Minor && p.PublishedAt.After(published) {
			updates = append(updates, p.Update())
		}
	}
	return published, updated, updates
}

// Update is the publication as readers are told of it.
func (p Publication) Update() Update {
	return Update{At: p.PublishedAt, Kind: p.Kind, Note: p.Note, Version: p.Version}
}

// Record applies a new publication to the article's public dates in place:
// the first publication sets both dates; a later non-minor one moves only
// UpdatedAt; a minor correction moves neither.
func (a *Article) Record(p Publication) {
	if a.PublishedAt.IsZero() {
		a.PublishedAt, a.UpdatedAt = p.PublishedAt, p.PublishedAt
	} else if !p.Minor && p.PublishedAt.After(a.UpdatedAt) {
		a.UpdatedAt = p.PublishedAt
	}
	a.State = Live
	a.LiveRevisionID = p.RevisionID
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }
