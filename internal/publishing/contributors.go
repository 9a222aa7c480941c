package publishing

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/workflow"
)

// The people behind articles. Every change is audited and moves the
// content generation: bylines, contributor pages and search show them.

// Contributors lists one page of contributors by name (those whose name
// contains q, if given), with how many revisions credit each, and how many
// match.
func (s *Service) Contributors(ctx context.Context, q string, limit, offset int) ([]article.ContributorEntry, int, error) {
	return s.st.Contributors(ctx, strings.TrimSpace(q), limit, offset)
}

// Contributor returns one contributor.
func (s *Service) Contributor(ctx context.Context, id int64) (article.Contributor, error) {
	c, err := s.st.Contributor(ctx, id)
	return c, apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchContributor)
}

// ContributorBySlug returns the contributor at slug, hidden or not.
func (s *Service) ContributorBySlug(ctx context.Context, slug string) (article.Contributor, error) {
	c, err := s.st.ContributorBySlug(ctx, slug)
	return c, apperr.As(err, store.ErrNotFound, apperr.NotFound, noSuchContributor)
}

const noSuchContributor = "There is no such contributor."

// SaveContributor adds a contributor (ID zero) or changes one. The slug
// must be free; a changed slug leaves the old address redirecting, and a
// changed name is what search finds from now on.
func (s *Service) SaveContributor(ctx context.Context, actor workflow.Actor, c article.Contributor) (article.Contributor, error) {
	if err := workflow.ManageContributors(actor); err != nil {
		return c, err
	}
	c, err := c.Normalize()
	if err != nil {
		return c, err
	}
	now := s.now().UTC()
	err = s.st.Atomically(ctx, func(tx *store.Store) error {
		if err := slugFree(tx.ContributorSlugTaken(ctx, c.Slug, c.ID)); err != nil {
			return err
		}
		if c.AccountID != 0 {
			if _, err := tx.Account(ctx, c.AccountID); errors.Is(err, store.ErrNotFound) {
				return apperr.Field(article.FieldAccount, "Choose a desk account from the list.")
			} else if err != nil {
				return err
			}
		}
		action := audit.ContributorAdded
		if c.ID == 0 {
			if c, err = tx.InsertContributor(ctx, c, now); err != nil {
				return err
			}
			// The new slug may be someone's former one: it is theirs no more.
			if err := tx.Reslug(ctx, store.SlugContributor, c.ID, "", c.Slug, now); err != nil {
				return err
			}
		} else {
			action = audit.ContributorChanged
			old, err := tx.Contributor(ctx, c.ID)
			if err != nil {
				return notFound(err, noSuchContributor)
			}
			if err := tx.SaveContributor(ctx, c, now); err != nil {
				return err
			}
			if err := tx.Reslug(ctx, store.SlugContributor, c.ID, old.Slug, c.Slug, now); err != nil {
				return err
			}
			if old.Name != c.Name {
				if err := reindexCrediting(ctx, tx, c.ID); err != nil {
					return err
				}
			}
		}
		if err := tx.BumpGeneration(ctx); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: action, Detail: contributorDetail(c)})
	})
	if err != nil {
		return c, fmt.Errorf("publishing: save contributor: %w", err)
	}
	return c, nil
}

// DeleteContributor removes a contributor no revision has ever credited;
// one that is credited can only be hidden, since revisions are kept as
// they were.
func (s *Service) DeleteContributor(ctx context.Context, actor workflow.Actor, id int64) (article.Contributor, error) {
	if err := workflow.ManageContributors(actor); err != nil {
		return article.Contributor{}, err
	}
	now := s.now().UTC()
	var c article.Contributor
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		var err error
		if c, err = tx.Contributor(ctx, id); err != nil {
			return notFound(err, noSuchContributor)
		}
		deleted, err := tx.DeleteContributor(ctx, id)
		if err != nil {
			return err
		}
		if !deleted {
			return apperr.Errorf(apperr.Conflict, "%s is credited by at least one revision, so they cannot be deleted; hide them instead.", c.Name)
		}
		if err := tx.BumpGeneration(ctx); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.ContributorDeleted, Detail: contributorDetail(c)})
	})
	if err != nil {
		return c, fmt.Errorf("publishing: delete contributor: %w", err)
	}
	return c, nil
}

func contributorDetail(c article.Contributor) string {
	d := c.Name + " (" + c.Slug + ")"
	if c.Hidden {
		d += ", hidden"
	}
	return d
}

// reindexCrediting indexes again every live article that credits the
// contributor, so that search finds them by their new name. It runs in the
// rename's transaction: a few statements per article.
func reindexCrediting(ctx context.Context, tx *store.Store, contributorID int64) error {
	live, err := tx.LiveCrediting(ctx, contributorID)
	if err != nil {
		return err
	}
	for _, rev := range live {
		if err := tx.Index(ctx, rev.ArticleID, rev); err != nil {
			return err
		}
	}
	return nil
}
