// Package record is Quire's tamper-evident record. It says, one documented
// way, what readers were shown by each publication and what each audit
// event recorded, hashes it with SHA-256, and chains every hash to the one
// before it, so that changing, removing or reordering any row afterwards
// breaks every hash after it (quire verify finds the first break).
//
// The serialization is JSON with the fields in the order of the structs
// below, times in RFC 3339 UTC to the microsecond, ids rather than names
// (names may be edited later; what a revision linked to may not), and a
// version number "v" for the format itself.
package record

import (
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

// Time is t as the record writes it. Moments are kept to the microsecond,
// as PostgreSQL keeps them, so that a hash computed when a row is written
// is the one recomputed from the row.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return Moment(t).Format(time.RFC3339Nano)
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
	b, err := json.Marshal(v)
	if err != nil {
		panic("record: serialize: " + err.Error()) // plain structs always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Chain links a row's hash to the chain hash of the row before it ("" for
// the first row).
func Chain(previous, hash string) string {
	sum := sha256.Sum256([]byte(previous + "\n" + hash))
	return hex.EncodeToString(sum[:])
}
