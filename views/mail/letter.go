// Package mail renders the mail Quire sends: one letter shape for every
// kind, as HTML (self-contained, nothing remote, styles inline because
// mail readers drop style sheets) and as plain text.
package mail

import (
	"bytes"
	"context"
	"strings"
)

// Letter is everything a mail says.
type Letter struct {
	Subject    string
	Network    string
	Greeting   string
	Paragraphs []string
	Quote      string // someone's words, such as a reviewer's comment
	QuoteBy    string
	Items      []Item // a digest's notifications
	Action     Link   // the one thing to do, as a button
	Footer     string // why the recipient gets this mail
}

// Link is a labelled address.
type Link struct {
	Label, URL string
}

// Item is one line of a digest.
type Item struct {
	Title string
	Link  string
}

// HTML renders the letter's HTML part.
func (l Letter) HTML() (string, error) {
	var b bytes.Buffer
	err := letter(l).Render(context.Background(), &b)
	return b.String(), err
}

// Text renders the letter's plain-text part.
func (l Letter) Text() string {
	var b strings.Builder
	para := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteString("\n\n")
		}
	}
	para(l.Greeting)
	for _, p := range l.Paragraphs {
		para(p)
	}
	if l.Quote != "" {
		for _, line := range strings.Split(strings.TrimSpace(l.Quote), "\n") {
			b.WriteString("> " + strings.TrimRight(line, "\r") + "\n")
		}
		if l.QuoteBy != "" {
			b.WriteString("— " + l.QuoteBy + "\n")
		}
		b.WriteString("\n")
	}
	for _, it := range l.Items {
		b.WriteString("* " + it.Title + "\n  " + it.Link + "\n")
	}
	if len(l.Items) > 0 {
		b.WriteString("\n")
	}
	if l.Action.URL != "" {
		para(l.Action.Label + ": " + l.Action.URL)
	}
	b.WriteString("-- \n" + l.Network + "\n")
	if l.Footer != "" {
		b.WriteString(l.Footer + "\n")
	}
	return b.String()
}
