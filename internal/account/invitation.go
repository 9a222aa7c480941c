package account

import (
	"time"

	"github.com/quire-cms/quire/internal/apperr"
)

// Invitation is an admin's offer of an account: whoever opens its link
// before it expires chooses a password and has the account.
type Invitation struct {
	ID         int64
	Email      string
	Name       string
	Role       Role
	InvitedBy  int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt time.Time
	RevokedAt  time.Time
}

// How long emailed links work.
const (
	InvitationLife    = 72 * time.Hour
	PasswordResetLife = time.Hour
)

// Open reports whether the invitation can still be accepted at now.
func (i Invitation) Open(now time.Time) bool {
	return i.AcceptedAt.IsZero() && i.RevokedAt.IsZero() && now.Before(i.ExpiresAt)
}

// NewInvitation checks who an admin invites, reporting every problem at
// once, and returns the invitation normalized.
func NewInvitation(email, name, role string) (Invitation, error) {
	v := apperr.Validation{}
	a := identify(v, email, name, role)
	return Invitation{Email: a.Email, Name: a.Name, Role: a.Role}, v.Err()
}

// TwoFactorRule is whom the network requires to log in with a second
// factor.
type TwoFactorRule string

// Two-factor rules, as the settings page offers them.
const (
	TwoFactorForNobody   TwoFactorRule = "nobody"
	TwoFactorForAdmins   TwoFactorRule = "admins"
	TwoFactorForEveryone TwoFactorRule = "everyone"
)

// TwoFactorRules lists the rules in the order the settings page offers
// them.
var TwoFactorRules = []TwoFactorRule{TwoFactorForAdmins, TwoFactorForEveryone, TwoFactorForNobody}

// Label is the rule's name on screen.
func (r TwoFactorRule) Label() string {
	switch r {
	case TwoFactorForAdmins:
		return "Admins"
	case TwoFactorForEveryone:
		return "Everyone"
	}
	return "Nobody"
}

// Requires reports whether someone with role must use two-factor login.
func (r TwoFactorRule) Requires(role Role) bool {
	switch r {
	case TwoFactorForEveryone:
		return true
	case TwoFactorForAdmins:
		return role == Admin
	}
	return false
}

// Valid reports whether r is one of the rules.
func (r TwoFactorRule) Valid() bool {
	for _, x := range TwoFactorRules {
		if x == r {
			return true
		}
	}
	return false
}
