package publishing

import (
	"context"
	"fmt"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/webhook"
	"github.com/quire-cms/quire/internal/workflow"
)

// Submit puts revisionID, the newest revision, in the review queue.
func (s *Service) Submit(ctx context.Context, actor workflow.Actor, articleID, revisionID int64) error {
	now := s.now().UTC()
	var summary string
	if s.post != nil {
		// The rules first, outside the transaction, so that a refused
		// submission costs no diff; they are asked again inside it.
		sit, err := situateImages(ctx, s.st, articleID, revisionID)
		if err == nil {
			err = workflow.Submit(sit.head, sit.target)
		}
		if err == nil {
			summary, err = s.changeSummary(ctx, articleID, revisionID)
		}
		if err != nil {
			return fmt.Errorf("publishing: submit for review: %w", err)
		}
	}
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		sit, err := situateImages(ctx, tx, articleID, revisionID)
		if err != nil {
			return err
		}
		if err := workflow.Submit(sit.head, sit.target); err != nil {
			return err
		}
		if err := tx.SetRevisionStatus(ctx, revisionID, article.StatusInReview); err != nil {
			return err
		}
		n, err := notice(ctx, tx, mail.Submitted, sit, actor.ID)
		if err != nil {
			return err
		}
		n.Summary = summary
		if err := s.tellReviewers(ctx, tx, n, actor.ID); err != nil {
			return err
		}
		err = s.announce(ctx, tx, webhook.RevisionSubmitted, now, func() (any, error) {
			return map[string]any{"revision": s.refOf(sit.article, sit.target, true)}, nil
		})
		if err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.Submitted, ArticleID: articleID, RevisionID: revisionID,
			Detail: sit.target.ChangeNote})
	})
	if err != nil {
		return fmt.Errorf("publishing: submit for review: %w", err)
	}
	return nil
}

// Review records actor's decision and comment on revisionID.
func (s *Service) Review(ctx context.Context, actor workflow.Actor, articleID, revisionID int64, d workflow.Decision, comment string) error {
	now := s.now().UTC()
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		sit, err := situate(ctx, tx, articleID, revisionID)
		if err != nil {
			return err
		}
		if err := workflow.Review(actor, sit.head, sit.target, d, comment); err != nil {
			return err
		}
		if d == workflow.Approve {
			// An approved revision must be able to go live: its slug is
			// still its own (saving reserved it).
			if err := slugFreeFor(ctx, tx, sit.target); err != nil {
				return err
			}
		}
		err = tx.InsertReview(ctx, article.Review{RevisionID: revisionID, ReviewerID: actor.ID, Approved: d == workflow.Approve, Comment: comment, At: now})
		if err != nil {
			return err
		}
		if err := tx.SetRevisionStatus(ctx, revisionID, d.Status()); err != nil {
			return err
		}
		action, kind := audit.Approved, mail.Approved
		if d == workflow.RequestChanges {
			action, kind = audit.ChangesRequested, mail.ChangesRequested
		}
		n, err := notice(ctx, tx, kind, sit, actor.ID)
		if err != nil {
			return err
		}
		n.Comment = comment
		if err := s.tell(ctx, tx, n, actor.ID, sit.target.AuthorID); err != nil {
			return err
		}
		if d == workflow.Approve {
			err := s.announce(ctx, tx, webhook.RevisionApproved, now, func() (any, error) {
				return map[string]any{"revision": s.refOf(sit.article, sit.target, true)}, nil
			})
			if err != nil {
				return err
			}
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: action, ArticleID: articleID, RevisionID: revisionID, Detail: comment})
	})
	if err != nil {
		return fmt.Errorf("publishing: review: %w", err)
	}
	return nil
}

// situateImages is situate with the images the revision shows, which
// submission looks at.
func situateImages(ctx context.Context, tx *store.Store, articleID, revisionID int64) (situation, error) {
	sit, err := situate(ctx, tx, articleID, revisionID)
	if err == nil {
		sit.target.Images, err = tx.RevisionImages(ctx, revisionID)
	}
	return sit, err
}
