package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/store"
)

// tokenPrefix starts every API token, so that a leaked one is easy to
// recognise (and for secret scanners to find).
const tokenPrefix = "quire_"

// ErrBadToken is the one answer to a missing, malformed, unknown, revoked
// or expired token: which it was helps only a guesser.
var ErrBadToken = apperr.Errorf(apperr.Unauthorized, "A valid API token is needed: send it as Authorization: Bearer quire_…")

// CreateToken makes an API token for actor, an admin, and returns it with
// its secret, shown this once.
func (s *Service) CreateToken(ctx context.Context, actor account.Account, name, scope, expires string) (account.Token, string, error) {
	now := s.now().UTC()
	network, err := s.st.NetworkOr(ctx, publisher.Default)
	if err != nil {
		return account.Token{}, "", err
	}
	t, err := account.NewToken(name, scope, expires, network.Location(), now)
	if err != nil {
		return account.Token{}, "", err
	}
	t.CreatedBy, t.CreatedAt = actor.ID, now
	secret := rand.Text() + rand.Text() // 260 random bits
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		if t, err = tx.InsertToken(ctx, t, tokenHash(secret)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.TokenCreated, Detail: t.Name + " (" + string(t.Scope) + ")"})
	})
	if err != nil {
		return account.Token{}, "", fmt.Errorf("access: create API token: %w", err)
	}
	return t, tokenPrefix + strconv.FormatInt(t.ID, 10) + "_" + secret, nil
}

func tokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Tokens lists every API token, newest first.
func (s *Service) Tokens(ctx context.Context) ([]account.Token, error) { return s.st.Tokens(ctx) }

// RevokeToken revokes an API token at once, as actor, an admin.
func (s *Service) RevokeToken(ctx context.Context, actor account.Account, id int64) (account.Token, error) {
	now := s.now().UTC()
	var t account.Token
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := AsAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		if t, _, err = tx.Token(ctx, id); err != nil {
			return apperr.As(err, store.ErrNotFound, apperr.NotFound, "There is no such token.")
		}
		revoked, err := tx.RevokeToken(ctx, id, now)
		if err != nil {
			return err
		}
		if !revoked {
			return apperr.Errorf(apperr.Invalid, "The token “%s” was already revoked.", t.Name)
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.TokenRevoked, Detail: t.Name})
	})
	if err != nil {
		return account.Token{}, fmt.Errorf("access: revoke API token: %w", err)
	}
	return t, nil
}

// touchEvery is how stale a token's last use may be shown: a token used
// many times a minute writes once.
const touchEvery = time.Minute

// TokenFor checks the bearer token of an API request for scope. Its use is
// recorded, at most once a minute, and audited the first time each day.
func (s *Service) TokenFor(ctx context.Context, bearer string, scope account.Scope) (account.Token, error) {
	rest, ok := strings.CutPrefix(bearer, tokenPrefix)
	idText, secret, ok2 := strings.Cut(rest, "_")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || !ok2 || err != nil || id <= 0 || len(secret) == 0 || len(secret) > 128 {
		return account.Token{}, ErrBadToken
	}
	t, hash, err := s.st.Token(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return account.Token{}, ErrBadToken
	}
	if err != nil {
		return account.Token{}, err
	}
	now := s.now().UTC()
	if subtle.ConstantTimeCompare([]byte(hash), []byte(tokenHash(secret))) != 1 || !t.Usable(now) {
		return account.Token{}, ErrBadToken
	}
	// A token is worth what its maker is: an admin demoted or deactivated
	// since opens nothing with the tokens they made.
	maker, err := s.st.Account(ctx, t.CreatedBy)
	if err != nil || !maker.Active || !maker.Role.AtLeast(account.Admin) {
		return account.Token{}, ErrBadToken
	}
	if t.Scope != scope {
		return account.Token{}, apperr.Errorf(apperr.Forbidden, "This token's scope is %s; this needs %s.", t.Scope, scope)
	}
	if now.Sub(t.LastUsedAt) >= touchEvery {
		// Best effort: a read must not fail for want of noting it, and of
		// requests racing at the minute, the one whose update lands
		// writes the audit entry.
		firstToday := t.LastUsedAt.UTC().Format(time.DateOnly) != now.Format(time.DateOnly)
		_ = s.st.Atomically(ctx, func(tx *store.Store) error {
			touched, err := tx.TouchToken(ctx, id, t.LastUsedAt, now)
			if err != nil || !touched || !firstToday {
				return err
			}
			return tx.AddAudit(ctx, audit.Entry{At: now, Action: audit.TokenUsed, Detail: t.Name + " (" + string(t.Scope) + ")"})
		})
	}
	return t, nil
}
