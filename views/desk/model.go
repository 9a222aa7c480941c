// Package desk renders the pages editors, reviewers and admins use. Its view
// models are plain data prepared by the web handlers.
package desk

// Form is a submitted form coming back: what was typed, and the message for
// each field that needs correcting.
type Form struct {
	CSRF    string
	Values  map[string]string
	Errors  map[string]string
	Message string // a message about the whole form
}

// Value returns what was typed into the field named name.
func (f Form) Value(name string) string { return f.Values[name] }

// Error returns the message for the field labelled label.
func (f Form) Error(label string) string { return f.Errors[label] }

// LoginPage is the login form.
type LoginPage struct {
	Form
	Next string
}

// SetupPage is the first-run form that creates the first admin.
type SetupPage struct {
	Form
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
}

// UsersPage lists accounts and offers the form to create one.
type UsersPage struct {
	CSRF   string
	Users  []UserRow
	Roles  []Option
	Create Form
	Action string // where the create form posts
}

// Option is one choice in a select.
type Option struct {
	Value, Label string
}

// PasswordPage is the form to change one's own password.
type PasswordPage struct {
	Form
	Action string
}
