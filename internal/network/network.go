// Package network describes the editorial network a Quire instance publishes
// for: its name, the attribution line its articles carry and its settings.
package network

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/apperr"
)

// Network is the publisher behind every article ("History Editorial Network").
type Network struct {
	Name           string // "History Editorial Network"
	ShortName      string // "HEN"
	Attribution    string // default attribution line: "History Editorial Network (HEN)"
	Tagline        string
	TimeZone       string // IANA name; dates are shown to readers in this zone
	WordsPerMinute int    // reading speed used to compute reading time
	UpdatedAt      time.Time
}

// Location returns the network's time zone, or UTC if the name is unknown.
func (n Network) Location() *time.Location {
	if loc, err := time.LoadLocation(n.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Labels of the settings form, which validation errors are reported against.
const (
	FieldName           = "Network name"
	FieldShortName      = "Short name"
	FieldAttribution    = "Default attribution"
	FieldTagline        = "Tagline"
	FieldTimeZone       = "Time zone"
	FieldWordsPerMinute = "Words per minute"
)

// Normalize checks settings an admin typed: names are required, the time
// zone must be a real IANA zone, and reading speed must be believable.
func (n Network) Normalize() (Network, error) {
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, s := range []*string{&n.Name, &n.ShortName, &n.Attribution, &n.Tagline, &n.TimeZone} {
		trim(s)
	}
	v := apperr.Validation{}
	required := func(field, value string, limit int) {
		switch {
		case value == "":
			v.Add(field, "Enter the "+strings.ToLower(field)+".")
		case utf8.RuneCountInString(value) > limit:
			v.Add(field, "Keep it under "+strconv.Itoa(limit)+" characters.")
		}
	}
	required(FieldName, n.Name, 120)
	required(FieldShortName, n.ShortName, 20)
	required(FieldAttribution, n.Attribution, 300)
	if utf8.RuneCountInString(n.Tagline) > 300 {
		v.Add(FieldTagline, "Keep it under 300 characters.")
	}
	if _, err := time.LoadLocation(n.TimeZone); err != nil || n.TimeZone == "" || n.TimeZone == "Local" {
		v.Add(FieldTimeZone, "Enter a time zone name such as Europe/London, America/New_York or UTC.")
	}
	if n.WordsPerMinute < 50 || n.WordsPerMinute > 1000 {
		v.Add(FieldWordsPerMinute, "Enter a reading speed from 50 to 1000 words per minute.")
	}
	return n, v.Err()
}
