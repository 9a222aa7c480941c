// Package desk renders the pages editors, reviewers and admins use. Its view
// models are plain data prepared by the web handlers; each form's fields
// are listed once, in fields.go, for the handler and the template alike.
package desk

// Form is a form as shown: what was typed, the choices its checkboxes and
// selects offer, and, when it comes back refused, the message for each
// field that needs correcting. Values, choices and errors are keyed by the
// fields' form names.
type Form struct {
	CSRF    string
	Values  map[string]string
	Choices map[string][]Choice
	Errors  map[string]string
	Message string // a message about the whole form
	// Credits are the rows of a "credits" control.
	Credits []CreditRow
}

// Value returns what was typed into the field named name.
func (f Form) Value(name string) string { return f.Values[name] }

// Error returns the message for the field named name.
func (f Form) Error(name string) string { return f.Errors[name] }

// Problem is one line of a refused form's error summary: a field's label
// and message, linking to the control.
type Problem struct {
	Href, Label, Message string
}

// Problems lists the form's field errors in the order of fields, each with
// its label; an error about a field fields does not list still shows, by
// its message alone, so that no error is ever hidden.
func (f Form) Problems(fields Fields) []Problem {
	var out []Problem
	seen := map[string]bool{}
	for _, in := range fields {
		if msg, ok := f.Errors[in.Name]; ok {
			out = append(out, Problem{Href: "#" + in.ID(), Label: in.Label, Message: msg})
			seen[in.Name] = true
		}
	}
	for _, name := range sortedKeys(f.Errors) {
		if !seen[name] {
			out = append(out, Problem{Message: f.Errors[name]})
		}
	}
	return out
}

// LoginPage is the login form.
type LoginPage struct {
	Form
	Next   string
	Notice string // news for whoever logs in, such as a password just reset
	// Carried is a desk form posted after the session ended, kept in this
	// page (and nowhere on the server) to be given back after login.
	Carried []Carried
}

// Carried is one value of a form carried through the login page.
type Carried struct {
	Name, Value string
}

// SetupPage is the first-run form that creates the first admin, for the
// holder of the setup link's Token; NeedsLink says where to find the link
// instead.
type SetupPage struct {
	Form
	Token     string
	NeedsLink bool
}

// Dashboard is the desk's home.
type Dashboard struct {
	Name      string
	Role      string
	IsAdmin   bool
	CanReview bool
	ToReview  []WorkItem // others' revisions waiting for this reviewer
	Returned  []WorkItem // this user's revisions with changes requested
	Approved  []WorkItem // approved revisions ready to publish
	Drafts    []WorkItem // this user's drafts not yet submitted
	Scheduled []WorkItem // pending scheduled publications
	Failed    []WorkItem // scheduled publications that failed lately
}

// UserRow is one account in the admin's list.
type UserRow struct {
	ID         int64
	Name       string
	Email      string
	Role       string
	Active     bool
	LastLogin  string
	RoleAction string // where the role form posts
	ActiveURL  string // where the deactivate/reactivate form posts
	IsSelf     bool
	TwoFactor  bool
	// ResetTwoFactorURL turns off the account's two-factor login (POST).
	ResetTwoFactorURL string
}

// UsersPage lists accounts and open invitations, and offers the form to
// invite someone.
type UsersPage struct {
	CSRF        string
	Users       []UserRow
	Roles       []Option
	Invite      Form
	Action      string // where the invitation form posts
	Invitations []InvitationRow
}

// InvitationRow is one invitation not yet accepted.
type InvitationRow struct {
	Email, Name, Role string
	Expires           string
	Expired           bool
	ResendURL         string
	RevokeURL         string
}

// Option is one choice in a select outside a Form.
type Option struct {
	Value, Label string
}

// Choice is one option of a form's checkboxes or select.
type Choice struct {
	Value   string
	Label   string
	Checked bool
}

// AccountPage is the logged-in person's own page.
type AccountPage struct {
	Email, Role   string
	Password      Form // the form to change the password
	Notifications Form // one select per kind of notification
	TwoFactor     bool
}

// TwoFactorPage sets up two-factor login: the QR code and the secret, and
// the code that confirms them; or, once on, the recovery codes (shown
// this once).
type TwoFactorPage struct {
	Form
	QR            string // a data: URL of the QR code's PNG
	Secret        string
	Required      bool // the network requires it of this person
	RecoveryCodes []string
	// On says two-factor login is on: the page manages it instead.
	On                bool
	RecoveryCodesLeft int
}

// TokenPage is a page opened from a mailed link: the form it holds posts
// Token back.
type TokenPage struct {
	Form
	Token string
	// Name and Email say whom an invitation is for.
	Name, Email, Role string
	// Spent explains that the link no longer works, instead of a form.
	Spent string
}

// CodePage asks for the authenticator code after the password.
type CodePage struct {
	Form
}

// OutboxPage lists the mail Quire sent or is about to send.
type OutboxPage struct {
	CSRF     string
	Sending  bool // an SMTP server is configured
	Counts   []Option
	Mail     []MailRow
	OlderURL string
}

// MailRow is one message of the outbox.
type MailRow struct {
	ID                int64
	Created, Kind, To string
	Subject, Status   string
	StatusClass       string
	Attempts          int
	LastError, Text   string
	RetryURL          string // set for a failed message
	SentAt            string
}

// TokensPage lists API tokens and offers the form to make one; Secret is
// a token just made, shown this once.
type TokensPage struct {
	CSRF    string
	Tokens  []TokenRow
	Create  Form
	Secret  string
	Made    string // the new token's name
	DocsURL string
}

// TokenRow is one API token.
type TokenRow struct {
	Name, Scope, Created, Expires, LastUsed string
	Active                                  bool
	Status                                  string
	RevokeURL                               string
}

// WebhooksPage lists the webhooks and offers the form to add one; Secret
// is a webhook just added's, shown this once.
type WebhooksPage struct {
	CSRF     string
	Webhooks []WebhookRow
	Add      Form
	Secret   string
	Added    string // the new webhook's URL
}

// WebhookRow is one webhook in the list.
type WebhookRow struct {
	URL, Events, Status, Page string
	Disabled                  bool
}

// WebhookPage is one webhook: what it receives, its health and its
// delivery log.
type WebhookPage struct {
	CSRF           string
	URL, Events    string
	Disabled       bool
	DisabledReason string
	Failures       int
	TestURL        string
	RemoveURL      string
	EnableURL      string
	Deliveries     []DeliveryRow
	OlderURL       string
}

// DeliveryRow is one delivery in a webhook's log.
type DeliveryRow struct {
	Event, Created, Status, StatusClass string
	Code                                string // the receiver's answer; empty when none came
	Attempts                            int
	Took, LastError, NextTry            string
	RedeliverURL                        string
}
