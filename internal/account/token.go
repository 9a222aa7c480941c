package account

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/apperr"
)

// Scope is what an API token may do.
type Scope string

// Scopes.
const (
	ScopeReadDrafts     Scope = "read:drafts"     // the desk's view of articles: drafts and revisions
	ScopeManageWebhooks Scope = "webhooks:manage" // list, add and remove webhooks
)

// Scopes lists every scope, in the order the token form offers them.
var Scopes = []Scope{ScopeReadDrafts, ScopeManageWebhooks}

// Label says on screen what the scope allows.
func (s Scope) Label() string {
	switch s {
	case ScopeReadDrafts:
		return "read:drafts — read every article as the desk sees it, drafts and revisions included"
	case ScopeManageWebhooks:
		return "webhooks:manage — list, add and remove webhooks"
	}
	return string(s)
}

// Token is an API token: a name for people, a scope, and a secret shown
// once and kept only as a digest.
type Token struct {
	ID         int64
	Name       string
	Scope      Scope
	CreatedBy  int64
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never
	LastUsedAt time.Time // zero: never used
	RevokedAt  time.Time
}

// Usable reports whether the token opens anything at now.
func (t Token) Usable(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// Form names of the token form's fields.
const (
	FieldTokenName    = "name"
	FieldTokenScope   = "scope"
	FieldTokenExpires = "expires"
)

// NewToken checks a token an admin asks for; expires is a date
// (YYYY-MM-DD) in loc, or empty for a token that does not expire.
func NewToken(name, scope, expires string, loc *time.Location, now time.Time) (Token, error) {
	v := apperr.Validation{}
	t := Token{Name: strings.TrimSpace(name), Scope: Scope(scope)}
	switch {
	case t.Name == "":
		v.Add(FieldTokenName, "Name the token after what uses it, such as “Partner site”.")
	case utf8.RuneCountInString(t.Name) > 100:
		v.Add(FieldTokenName, "Keep the name under 100 characters.")
	}
	if t.Scope != ScopeReadDrafts && t.Scope != ScopeManageWebhooks {
		v.Add(FieldTokenScope, "Choose read:drafts or webhooks:manage.")
	}
	if expires = strings.TrimSpace(expires); expires != "" {
		d, err := time.ParseInLocation("2006-01-02", expires, loc)
		switch {
		case err != nil:
			v.Add(FieldTokenExpires, "Give the date as YYYY-MM-DD, or leave it empty for a token that does not expire.")
		case !d.AddDate(0, 0, 1).After(now): // it works through that day
			v.Add(FieldTokenExpires, "Choose today or a date in the future.")
		default:
			t.ExpiresAt = d.AddDate(0, 0, 1)
		}
	}
	return t, v.Err()
}
