package publishing

import (
	"context"
	"fmt"
	"strconv"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/diff"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/mailer"
	"github.com/quire-cms/quire/internal/store"
)

// notice describes what happened to sit's target revision, done by
// actorID (zero for Quire itself).
func notice(ctx context.Context, tx *store.Store, kind mail.Kind, sit situation, actorID int64) (mailer.Notice, error) {
	n := mailer.Notice{Kind: kind, ArticleID: sit.article.ID, Slug: sit.target.Slug, Title: sit.target.Title, Revision: sit.target.Number}
	if actorID != 0 {
		actor, err := tx.Account(ctx, actorID)
		if err != nil {
			return n, err
		}
		n.Actor = actor.Name
	}
	return n, nil
}

// tell writes n to each of the accounts with ids (zero, Quire itself,
// skipped), in tx, as they chose to hear of it.
func (s *Service) tell(ctx context.Context, tx *store.Store, n mailer.Notice, actorID int64, ids ...int64) error {
	var to []account.Account
	for _, id := range ids {
		if id == 0 {
			continue
		}
		a, err := tx.Account(ctx, id)
		if err != nil {
			return err
		}
		to = append(to, a)
	}
	return s.post.Notify(ctx, tx, n, actorID, to, s.now().UTC())
}

// tellReviewers writes n to every active reviewer and admin but the
// actor.
func (s *Service) tellReviewers(ctx context.Context, tx *store.Store, n mailer.Notice, actorID int64) error {
	all, err := tx.Accounts(ctx)
	if err != nil {
		return err
	}
	var to []account.Account
	for _, a := range all {
		if a.Role.AtLeast(account.Reviewer) {
			to = append(to, a)
		}
	}
	return s.post.Notify(ctx, tx, n, actorID, to, s.now().UTC())
}

// changeSummary says in a line how revisionID's body differs from what
// readers see now, or how long it is for an article not yet live. It
// reads immutable revisions outside any transaction, so that a long diff
// never holds the write lock.
func (s *Service) changeSummary(ctx context.Context, articleID, revisionID int64) (string, error) {
	a, err := s.st.Article(ctx, articleID)
	if err != nil {
		return "", notFound(err, noSuchArticle)
	}
	rev, err := s.st.Revision(ctx, revisionID)
	if err != nil || rev.ArticleID != articleID {
		return "", notFound(err, noSuchRevision)
	}
	switch {
	case a.PublishedAt.IsZero():
		return "A new article of " + strconv.Itoa(rev.WordCount) + " words.", nil
	case a.LiveRevisionID == 0 || a.State != article.Live:
		return "The article is not live now; this revision has " + strconv.Itoa(rev.WordCount) + " words.", nil
	}
	live, err := s.st.Revision(ctx, a.LiveRevisionID)
	if err != nil {
		return "", fmt.Errorf("read the live revision: %w", err)
	}
	added, removed := diff.Count(diff.Words(live.BodyMarkdown, rev.BodyMarkdown))
	if added == 0 && removed == 0 {
		return "The body is the same as the live version's; other fields may differ.", nil
	}
	return fmt.Sprintf("Against the live version: +%d words, −%d words.", added, removed), nil
}
