package access_test

import (
	"context"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func TestTokensExpireAndRefuse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := access.New(storetest.New(t))
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	access.SetNow(svc, func() time.Time { return now })
	admin := adminOn(t, svc)
	if _, _, err := svc.CreateToken(ctx, account.Account{ID: 42, Role: account.Editor}, "X", "read:drafts", ""); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an editor made a token: %v", err)
	}
	for _, bad := range []struct{ name, scope, expires, field string }{
		{"", "read:drafts", "", account.FieldTokenName},
		{"X", "everything", "", account.FieldTokenScope},
		{"X", "read:drafts", "2026-03-01", account.FieldTokenExpires},
		{"X", "read:drafts", "next week", account.FieldTokenExpires},
	} {
		if _, _, err := svc.CreateToken(ctx, admin, bad.name, bad.scope, bad.expires); apperr.FieldsOf(err)[bad.field] == "" {
			t.Errorf("CreateToken(%q, %q, %q) = %v, want %s refused", bad.name, bad.scope, bad.expires, err, bad.field)
		}
	}
	_, secret, err := svc.CreateToken(ctx, admin, "Until the 3rd", "read:drafts", "2026-03-03")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TokenFor(ctx, secret, account.ScopeReadDrafts); err != nil {
		t.Errorf("a fresh token: %v", err)
	}
	now = time.Date(2026, 3, 3, 23, 0, 0, 0, time.UTC) // still its last day
	if _, err := svc.TokenFor(ctx, secret, account.ScopeReadDrafts); err != nil {
		t.Errorf("on its last day: %v", err)
	}
	now = time.Date(2026, 3, 4, 0, 0, 1, 0, time.UTC)
	if _, err := svc.TokenFor(ctx, secret, account.ScopeReadDrafts); err != access.ErrBadToken {
		t.Errorf("an expired token: %v", err)
	}
	for _, forged := range []string{"", "quire_", "quire_x_y", "quire_1_", "quire_" + "1_short", "bearer"} {
		if _, err := svc.TokenFor(ctx, forged, account.ScopeReadDrafts); err != access.ErrBadToken {
			t.Errorf("TokenFor(%q) = %v", forged, err)
		}
	}
}

func TestATokenDiesWithItsMakersRights(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := access.New(storetest.New(t))
	admin := adminOn(t, svc)
	other, err := svc.Create(ctx, 0, account.New{Email: "second@hen.example", Name: "Second", Role: "admin", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := svc.CreateToken(ctx, other, "Theirs", "read:drafts", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TokenFor(ctx, secret, account.ScopeReadDrafts); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeRole(ctx, admin, other.ID, "editor"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TokenFor(ctx, secret, account.ScopeReadDrafts); err != access.ErrBadToken {
		t.Errorf("a demoted admin's token = %v", err)
	}
}
