package record

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

// TestSerialization is the worked example of the package comment: what a
// checker outside Quire must produce, byte for byte.
func TestSerialization(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 8, 21, 9, 30, 0, 500_000_000, time.UTC)
	c := Content{Article: 1, Version: 2, Revision: 7, Slug: "trotsky", Title: "Trotsky & Stalin", Dek: "",
		BodyHTML: "<p>He died on 21 August.</p>", Categories: []int64{3}, Subjects: []int64{}, EventDate: "1940-08-20",
		ReferenceTitle: "Pravda", ReferenceURL: "https://example.org/a?b=1&c=2", Attribution: "HEN", ReadingMinutes: 4,
		Published: Time(at.Add(-24 * time.Hour)), Updated: Time(at), At: Time(at), Kind: "correction", Note: "Wrong day < right day."}
	want := `{"v":1,"article":1,"version":2,"revision":7,"slug":"trotsky","title":"Trotsky & Stalin","dek":"",` +
		`"body_html":"<p>He died on 21 August.</p>","categories":[3],"subjects":[],"event_date":"1940-08-20",` +
		`"reference_title":"Pravda","reference_url":"https://example.org/a?b=1&c=2","attribution":"HEN","reading_minutes":4,` +
		`"published":"2026-08-20T09:30:00.500000Z","updated":"2026-08-21T09:30:00.500000Z","at":"2026-08-21T09:30:00.500000Z",` +
		`"minor":false,"kind":"correction","note":"Wrong day < right day."}`
	c.V = Format
	if got := string(Serialize(c)); got != want {
		t.Fatalf("Serialize() =\n%s\nwant\n%s", got, want)
	}
	sum := sha256.Sum256([]byte(want))
	if got := c.Hash(); got != hex.EncodeToString(sum[:]) {
		t.Errorf("Hash() = %s, want the SHA-256 of the JSON", got)
	}
	previous := "0000000000000000000000000000000000000000000000000000000000000000"
	chain := sha256.Sum256([]byte(previous + "\n" + c.Hash()))
	if got := Chain(previous, c.Hash()); got != hex.EncodeToString(chain[:]) {
		t.Errorf("Chain() = %s", got)
	}
	if got := Time(time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))); got != "2026-01-02T02:04:05.000000Z" {
		t.Errorf("Time() = %s", got)
	}
}
