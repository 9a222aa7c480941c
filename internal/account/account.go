// Package account is who may use the desk: accounts, roles, passwords and
// the rules for signing in. It knows nothing of HTTP or the database.
package account

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/apperr"
)

// Role is what an account may do. Each role may do everything the roles
// below it may.
type Role string

// Roles, from least to most trusted.
const (
	Editor   Role = "editor"   // writes, submits, publishes approved revisions
	Reviewer Role = "reviewer" // also approves others' revisions
	Admin    Role = "admin"    // also manages accounts and the network
)

// Roles lists every role, least trusted first.
var Roles = []Role{Editor, Reviewer, Admin}

var rank = map[Role]int{Editor: 1, Reviewer: 2, Admin: 3}

// ParseRole parses a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if rank[r] == 0 {
		return "", apperr.Errorf(apperr.Invalid, "Unknown role %q: use editor, reviewer or admin.", s)
	}
	return r, nil
}

// AtLeast reports whether r may do what min may.
func (r Role) AtLeast(min Role) bool { return rank[r] >= rank[min] && rank[r] > 0 }

// Label is the role's name on screen.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "Admin"
	case Reviewer:
		return "Reviewer"
	case Editor:
		return "Editor"
	}
	return string(r)
}

// Account is a person who uses the desk.
type Account struct {
	ID          int64
	Email       string // stored lowercased; unique
	Name        string
	Role        Role
	Active      bool
	CreatedAt   time.Time
	LastLoginAt time.Time // zero if never
	// SessionEpoch moves when the password changes or the account is
	// deactivated, ending every session created before.
	SessionEpoch int64
	// TwoFactor is whether logging in asks for an authenticator code.
	TwoFactor bool
}

// Password limits. The upper bound keeps hashing cheap enough to refuse
// abuse; nothing longer is silently cut.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// Form names of the account forms' fields, which validation errors are
// keyed by.
const (
	FieldEmail           = "email"
	FieldName            = "name"
	FieldRole            = "role"
	FieldPassword        = "password"
	FieldCurrentPassword = "current"
	FieldNewPassword     = "new"
	FieldCode            = "code" // the authenticator code, at login and at setup
)

// SystemName is how Quire itself is named wherever a change had no person
// behind it: the scheduler's publications, the demo content.
const SystemName = "Quire"

// MaxEmailLen is the longest email address (RFC 5321).
const MaxEmailLen = 254

// NormalizeEmail returns the address lowercased, or an error if it is not a
// plain email address.
func NormalizeEmail(s string) (string, error) {
	if len(s) > 4*MaxEmailLen {
		return "", fmt.Errorf("enter an email address such as name@example.org")
	}
	s = strings.ToLower(strings.TrimSpace(s))
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > MaxEmailLen || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return "", fmt.Errorf("enter an email address such as name@example.org")
	}
	return s, nil
}

// ValidatePassword checks the password policy.
func ValidatePassword(p string) error {
	n := utf8.RuneCountInString(p)
	switch {
	case !utf8.ValidString(p):
		return fmt.Errorf("the password is not valid text")
	case n < MinPasswordLen:
		return fmt.Errorf("use at least %d characters (a few words make a good password)", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Errorf("use at most %d characters", MaxPasswordLen)
	}
	return nil
}

// PasswordProblem says, as a sentence, what is wrong with a new password
// under the policy, or "" when nothing is.
func PasswordProblem(p string) string {
	if err := ValidatePassword(p); err != nil {
		return capitalize(err.Error()) + "."
	}
	return ""
}

// New is what it takes to create an account.
type New struct {
	Email    string
	Name     string
	Role     string
	Password string
}

// Validate checks a new account and returns it normalized, reporting every
// problem at once.
func (n New) Validate() (Account, error) {
	v := apperr.Validation{}
	a := identify(v, n.Email, n.Name, n.Role)
	if problem := PasswordProblem(n.Password); problem != "" {
		v.Add(FieldPassword, problem)
	}
	return a, v.Err()
}

// identify checks who a new account or invitation is for, adding every
// problem to v, and returns the account normalized.
func identify(v apperr.Validation, email, name, role string) Account {
	a := Account{Name: strings.TrimSpace(name), Active: true}
	normalized, err := NormalizeEmail(email)
	if err != nil {
		v.Add(FieldEmail, capitalize(err.Error())+".")
	}
	a.Email = normalized
	switch {
	case a.Name == "":
		v.Add(FieldName, "Enter the person's name.")
	case utf8.RuneCountInString(a.Name) > 100:
		v.Add(FieldName, "Keep the name under 100 characters.")
	}
	r, err := ParseRole(role)
	if err != nil {
		v.Add(FieldRole, apperr.MessageOf(err))
	}
	a.Role = r
	return a
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
