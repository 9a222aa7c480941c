// Package mail is what Quire tells people by email: the kinds of mail, the
// choices people make about notifications, a message as it waits in the
// outbox, and how long a message that cannot be delivered is retried. It
// knows nothing of SMTP, templates or the database.
package mail

import "time"

// Kind is why a mail is sent.
type Kind string

// Kinds of mail. The first two answer someone's request; the rest are
// notifications, which each person may take at once, in a digest, or not.
const (
	Invitation       Kind = "invitation"
	PasswordReset    Kind = "password_reset"
	Security         Kind = "security"          // a change to how the recipient logs in, always sent
	Submitted        Kind = "submitted"         // to reviewers: a revision waits for review
	Approved         Kind = "approved"          // to the author
	ChangesRequested Kind = "changes_requested" // to the author, with the comment
	Published        Kind = "published"         // to the author, and to whoever scheduled it
	ScheduleFailed   Kind = "schedule_failed"   // to the author and whoever scheduled it
	Digest           Kind = "digest"            // the day's held notifications in one mail
)

// Notifications lists the kinds people choose for, in the order of the
// Account page.
var Notifications = []Kind{Submitted, Approved, ChangesRequested, Published, ScheduleFailed}

// Label says on the Account page and the outbox what a kind of mail is
// about.
func (k Kind) Label() string {
	switch k {
	case Invitation:
		return "Invitation"
	case PasswordReset:
		return "Password reset"
	case Security:
		return "Security notice"
	case Submitted:
		return "A revision is submitted for review"
	case Approved:
		return "Your revision is approved"
	case ChangesRequested:
		return "Changes are requested on your revision"
	case Published:
		return "Your article goes live"
	case ScheduleFailed:
		return "A scheduled publication fails"
	case Digest:
		return "Daily digest"
	}
	return string(k)
}

// IsNotification reports whether people choose how they get k.
func (k Kind) IsNotification() bool {
	for _, n := range Notifications {
		if n == k {
			return true
		}
	}
	return false
}

// Choice is how someone takes one kind of notification.
type Choice string

// Choices, the first being the default.
const (
	Immediately Choice = "now"
	DailyDigest Choice = "digest"
	Off         Choice = "off"
)

// Choices lists every choice in the order the Account page offers them.
var Choices = []Choice{Immediately, DailyDigest, Off}

// Label is the choice's name on screen.
func (c Choice) Label() string {
	switch c {
	case DailyDigest:
		return "Daily digest"
	case Off:
		return "Off"
	}
	return "Immediately"
}

// ParseChoice reads a choice from a form; anything else is not one.
func ParseChoice(s string) (Choice, bool) {
	for _, c := range Choices {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}

// Status is where a message is on its way out.
type Status string

// Statuses of a message in the outbox.
const (
	Pending  Status = "pending"  // waiting to be sent, or to be retried
	Held     Status = "held"     // waiting for its recipient's daily digest
	Digested Status = "digested" // carried by a digest instead
	Sent     Status = "sent"
	Failed   Status = "failed" // given up on after MaxAge
)

// Message is one mail in the outbox.
type Message struct {
	ID        int64
	Kind      Kind
	AccountID int64 // the recipient's account; zero for an invitee
	To        string
	Subject   string
	Text      string // the plain-text part
	HTML      string // the HTML part: self-contained, nothing remote
	Link      string // the page a notification is about, for a digest's line
	Status    Status
	CreatedAt time.Time
	DueAt     time.Time // when the next attempt may be made
	Attempts  int
	SentAt    time.Time
	LastError string
}

// DigestHour is the hour of the day, in the network's time zone, at which
// the daily digests go out.
const DigestHour = 8

// DigestBoundary is the most recent digest time at or before now in loc:
// notifications held since before it belong in the digest due then.
func DigestBoundary(now time.Time, loc *time.Location) time.Time {
	local := now.In(loc)
	b := time.Date(local.Year(), local.Month(), local.Day(), DigestHour, 0, 0, 0, loc)
	if b.After(local) {
		b = b.AddDate(0, 0, -1)
	}
	return b
}
