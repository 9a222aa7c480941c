// Package network describes the editorial network a Quire instance publishes
// for: its name, the attribution line its articles carry and its settings.
package network

import "time"

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
