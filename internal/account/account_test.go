package account_test

import (
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
)

func TestParseRole(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"admin", "Reviewer", " editor "} {
		if _, err := account.ParseRole(ok); err != nil {
			t.Errorf("ParseRole(%q) error = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "root", "superadmin"} {
		if _, err := account.ParseRole(bad); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("ParseRole(%q) error = %v, want invalid", bad, err)
		}
	}
}

func TestRoleAtLeast(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role, min account.Role
		want      bool
	}{
		{account.Admin, account.Editor, true},
		{account.Reviewer, account.Reviewer, true},
		{account.Editor, account.Reviewer, false},
		{account.Reviewer, account.Admin, false},
		{account.Role("intruder"), account.Editor, false},
	}
	for _, tt := range tests {
		if got := tt.role.AtLeast(tt.min); got != tt.want {
			t.Errorf("%s.AtLeast(%s) = %v, want %v", tt.role, tt.min, got, tt.want)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		ok       bool
	}{
		{"11 characters is too short", strings.Repeat("a", 11), false},
		{"12 characters is enough", strings.Repeat("a", 12), true},
		{"128 characters is allowed", strings.Repeat("a", 128), true},
		{"129 characters is too long", strings.Repeat("a", 129), false},
		{"12 multibyte characters count as 12", strings.Repeat("é", 12), true},
		{"invalid UTF-8", strings.Repeat("\xff", 20), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := account.ValidatePassword(tt.password); (err == nil) != tt.ok {
				t.Errorf("ValidatePassword() error = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestHashAndVerify(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 100) + "tail-A"
	hash, err := account.HashPassword(long)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("hash %q is not argon2id", hash)
	}
	if !account.VerifyPassword(hash, long) {
		t.Error("correct password refused")
	}
	// bcrypt would ignore everything after 72 bytes; argon2id must not.
	if account.VerifyPassword(hash, strings.Repeat("x", 100)+"tail-B") {
		t.Error("a password differing only after 100 bytes was accepted")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$"} {
		if account.VerifyPassword(bad, long) {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	got, err := account.NormalizeEmail("  Editor@History.Example ")
	if err != nil || got != "editor@history.example" {
		t.Errorf("NormalizeEmail() = %q, %v", got, err)
	}
	for _, bad := range []string{"", "editor", "Editor <e@x.org>", "e@localhost", "a@b@c.org"} {
		if _, err := account.NormalizeEmail(bad); err == nil {
			t.Errorf("NormalizeEmail(%q) accepted", bad)
		}
	}
}
