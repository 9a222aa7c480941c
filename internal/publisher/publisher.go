// Package publisher describes who publishes through a Quire instance: the
// editorial network's name, the attribution line its articles carry, and
// the settings that shape every page (time zone, reading speed).
package publisher

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
)

// Settings are the publisher behind every article ("History Editorial
// Network") and how its pages are shown.
type Settings struct {
	Name           string // "History Editorial Network"
	ShortName      string // "HEN"
	Attribution    string // default attribution line: "History Editorial Network (HEN)"
	Tagline        string
	TimeZone       string // IANA name; dates are shown to readers in this zone
	WordsPerMinute int    // reading speed used to compute reading time
	// ShowReview shows readers who approved the version they read.
	ShowReview bool
	// RequireTwoFactor is whom logging in asks for a second factor.
	RequireTwoFactor account.TwoFactorRule
	UpdatedAt        time.Time
}

// TwoFactorRule is the network's two-factor rule; settings saved before
// there was one require it of nobody.
func (n Settings) TwoFactorRule() account.TwoFactorRule {
	if n.RequireTwoFactor.Valid() {
		return n.RequireTwoFactor
	}
	return account.TwoFactorForNobody
}

// Default is what a database started without demo content calls itself
// until an admin names the network.
var Default = Settings{
	Name: "Quire Newsroom", ShortName: "Quire", Attribution: "Quire Newsroom",
	TimeZone: "UTC", WordsPerMinute: 200, ShowReview: true,
}

// Location returns the network's time zone, or UTC if the name is unknown.
func (n Settings) Location() *time.Location {
	if loc, err := time.LoadLocation(n.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Form names of the settings form's fields, which validation errors are
// keyed by.
const (
	FieldName           = "name"
	FieldShortName      = "short_name"
	FieldAttribution    = "attribution"
	FieldTagline        = "tagline"
	FieldTimeZone       = "time_zone"
	FieldWordsPerMinute = "words_per_minute"
	FieldShowReview     = "show_review"
	FieldTwoFactor      = "require_two_factor"
)

// Normalize checks settings an admin typed: names are required, the time
// zone must be a real IANA zone, and reading speed must be believable.
func (n Settings) Normalize() (Settings, error) {
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, s := range []*string{&n.Name, &n.ShortName, &n.Attribution, &n.Tagline, &n.TimeZone} {
		trim(s)
	}
	v := apperr.Validation{}
	required := func(field, what, value string, limit int) {
		switch {
		case value == "":
			v.Add(field, "Enter the "+what+".")
		case utf8.RuneCountInString(value) > limit:
			v.Add(field, "Keep it under "+strconv.Itoa(limit)+" characters.")
		}
	}
	required(FieldName, "network's name", n.Name, 120)
	required(FieldShortName, "short name", n.ShortName, 20)
	required(FieldAttribution, "default attribution", n.Attribution, 300)
	if utf8.RuneCountInString(n.Tagline) > 300 {
		v.Add(FieldTagline, "Keep it under 300 characters.")
	}
	if _, err := time.LoadLocation(n.TimeZone); err != nil || n.TimeZone == "" || n.TimeZone == "Local" {
		v.Add(FieldTimeZone, "Enter a time zone name such as Europe/London, America/New_York or UTC.")
	}
	if n.RequireTwoFactor == "" {
		n.RequireTwoFactor = account.TwoFactorForNobody
	}
	if !n.RequireTwoFactor.Valid() {
		v.Add(FieldTwoFactor, "Choose Admins, Everyone or Nobody.")
	}
	if n.WordsPerMinute < 50 || n.WordsPerMinute > 1000 {
		v.Add(FieldWordsPerMinute, "Enter a reading speed from 50 to 1000 words per minute.")
	}
	return n, v.Err()
}
