// Package record is Quire's tamper-evident record. It says, one documented
// way, what readers were shown by each publication and what each audit
// event recorded, hashes it with SHA-256, and chains every hash to the one
// before it, so that changing, removing or reordering any row afterwards
// breaks every hash after it (quire verify finds the first break).
//
// The serialization, for anyone checking the record without Quire:
//   - JSON, as encoding/json writes it with HTML escaping off: the fields
//     of Content or Event below, in their order, with their JSON names, no
//     spaces, no trailing newline; strings are valid UTF-8.
//   - Times in UTC, as 2006-01-02T15:04:05.000000Z (always six fractional
//     digits); an empty string for none. Dates (event_date) as 2006-01-02.
//   - Ids rather than names (names may be edited later; what a revision
//     linked to may not). "v" is the version of this format: 1.
//   - "credits" is left out when a revision credits no one; otherwise it
//     lists {"contributor":id,"role":"written_by"} in the revision's order.
//   - "lead" is left out when a revision has no lead image; otherwise it
//     is {"image":id,"alt":…,"caption":…,"credit":…,"source_url":…,
//     "licence":…}. Body images are figures in body_html, their
//     addresses, captions and credits as they were shown.
//   - A row's hash is the lower-case hex SHA-256 of that JSON; its chain
//     hash is the lower-case hex SHA-256 of the previous row's chain hash
//     (the empty string for the first row), a newline, and the row's hash.
//
// TestSerialization holds a worked example.
package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Content is what readers were shown by one publication.
type Content struct {
	V              int     `json:"v"` // the format: 1
	Article        int64   `json:"article"`
	Version        int     `json:"version"`
	Revision       int64   `json:"revision"`
	Slug           string  `json:"slug"`
	Title          string  `json:"title"`
	Dek            string  `json:"dek"`
	BodyHTML       string  `json:"body_html"`
	Categories     []int64 `json:"categories"`
	Subjects       []int64 `json:"subjects"`
	EventDate      string  `json:"event_date"`
	ReferenceTitle string  `json:"reference_title"`
	ReferenceURL   string  `json:"reference_url"`
	Attribution    string  `json:"attribution"`
	ReadingMinutes int     `json:"reading_minutes"`
	Published      string  `json:"published"` // the first publication, as of this one
	Updated        string  `json:"updated"`   // the latest non-minor one, this one included
	At             string  `json:"at"`        // when this publication went live
	Minor          bool    `json:"minor"`
	Kind           string  `json:"kind"`
	Note           string  `json:"note"`
	// Credits appear only when the revision credits someone, so that
	// what was published before credits existed hashes as it did.
	Credits []Credit `json:"credits,omitempty"`
	// Lead appears only when the revision has a lead image, for the same
	// reason.
	Lead *Lead `json:"lead,omitempty"`
}

// Lead is a published revision's lead image: the library image (whose
// bytes never change) and the words shown with it.
type Lead struct {
	Image     int64  `json:"image"`
	Alt       string `json:"alt"`
	Caption   string `json:"caption"`
	Credit    string `json:"credit"`
	SourceURL string `json:"source_url"`
	Licence   string `json:"licence"`
}

// Credit is one credit of a published revision, in byline order.
type Credit struct {
	Contributor int64  `json:"contributor"`
	Role        string `json:"role"`
}

// Event is what one audit entry recorded.
type Event struct {
	V        int    `json:"v"` // the format: 1
	At       string `json:"at"`
	Actor    int64  `json:"actor"` // zero for Quire itself
	Action   string `json:"action"`
	Article  int64  `json:"article"`
	Revision int64  `json:"revision"`
	Detail   string `json:"detail"`
}

// Format is the version of the serialization above.
const Format = 1

// TimeLayout is how the record writes a moment.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Time is t as the record writes it. Moments are kept to the microsecond,
// as PostgreSQL keeps them, so that a hash computed when a row is written
// is the one recomputed from the row.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return Moment(t).Format(TimeLayout)
}

// Moment is t as the record keeps it: UTC, to the microsecond.
func Moment(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Hash is the SHA-256, in hex, of c's serialization.
func (c Content) Hash() string {
	c.V = Format
	return hash(c)
}

// Hash is the SHA-256, in hex, of e's serialization.
func (e Event) Hash() string {
	e.V = Format
	return hash(e)
}

func hash(v any) string {
	sum := sha256.Sum256(Serialize(v))
	return hex.EncodeToString(sum[:])
}

// Serialize is the JSON a Content or an Event is hashed as.
func Serialize(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("record: serialize: " + err.Error()) // plain structs always marshal
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Chain links a row's hash to the chain hash of the row before it ("" for
// the first row).
func Chain(previous, hash string) string {
	sum := sha256.Sum256([]byte(previous + "\n" + hash))
	return hex.EncodeToString(sum[:])
}
