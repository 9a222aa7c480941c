package publishing

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/workflow"
)

// What the article form does between saves: keep an editor's unsaved
// text, and say who else has the form open. None of it is a revision, so
// none of it moves the content generation; only restoring or discarding
// a scratch copy is audited, not each keystroke.

// KeepScratch keeps actor's unsaved form for an article (zero: a new one),
// opened on revision base, replacing the copy kept before, and returns
// when it was kept.
func (s *Service) KeepScratch(ctx context.Context, actor workflow.Actor, articleID int64, base int, form string) (time.Time, error) {
	if len(form) > article.MaxScratchBytes {
		return time.Time{}, apperr.Errorf(apperr.Invalid, "The form is too large to keep; save it as a draft.")
	}
	now := s.now().UTC()
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		if articleID != 0 {
			a, err := tx.Article(ctx, articleID)
			if err != nil {
				return notFound(err, noSuchArticle)
			}
			head, err := tx.RevisionHeader(ctx, a.HeadRevisionID)
			if err != nil {
				return err
			}
			// This person saved a revision newer than the form: the copy
			// would be older than their own save (a keep that crossed the
			// save, or a second tab), and offering it later would mislead.
			if head.Number > base && head.AuthorID == actor.ID {
				return apperr.Errorf(apperr.Conflict, "you saved revision %d since this form was opened; reload it to go on", head.Number)
			}
		}
		if err := tx.KeepScratch(ctx, article.Scratch{AccountID: actor.ID, ArticleID: articleID, Base: base, Form: form, SavedAt: now}); err != nil {
			return err
		}
		return tx.TrimScratch(ctx, actor.ID, article.MaxScratchCopies)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("publishing: keep scratch copy: %w", err)
	}
	return now, nil
}

// ScratchSince says when actor's scratch copy of an article was kept;
// zero when there is none.
func (s *Service) ScratchSince(ctx context.Context, actor workflow.Actor, articleID int64) (time.Time, error) {
	return s.st.ScratchSince(ctx, actor.ID, articleID)
}

// RestoreScratch returns actor's scratch copy of an article, for the form
// to be filled from it, and records that it was restored. The copy stays
// until they save, so that a second crash loses nothing either.
func (s *Service) RestoreScratch(ctx context.Context, actor workflow.Actor, articleID int64) (article.Scratch, error) {
	var sc article.Scratch
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		var err error
		if sc, err = tx.Scratch(ctx, actor.ID, articleID); err != nil {
			return notFound(err, noScratch)
		}
		return tx.AddAudit(ctx, audit.Entry{At: s.now().UTC(), ActorID: actor.ID, Action: audit.ScratchRestored, ArticleID: articleID,
			Detail: "kept " + sc.SavedAt.UTC().Format(time.RFC3339)})
	})
	if err != nil {
		return sc, fmt.Errorf("publishing: restore scratch copy: %w", err)
	}
	return sc, nil
}

// DiscardScratch deletes actor's scratch copy of an article, and records
// that it was discarded.
func (s *Service) DiscardScratch(ctx context.Context, actor workflow.Actor, articleID int64) error {
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		dropped, err := tx.DropScratch(ctx, actor.ID, articleID)
		if err != nil || !dropped {
			return err // nothing to discard is no failure: another tab did it
		}
		return tx.AddAudit(ctx, audit.Entry{At: s.now().UTC(), ActorID: actor.ID, Action: audit.ScratchDiscarded, ArticleID: articleID})
	})
	if err != nil {
		return fmt.Errorf("publishing: discard scratch copy: %w", err)
	}
	return nil
}

const noScratch = "There are no unsaved changes to restore; they were saved or discarded meanwhile."

// Presence is what an open article form learns when it says it is still
// open: who else has the form open, and the article's newest revision.
type Presence struct {
	Others []article.Editing
	Head   article.Revision // without its body
}

// StillEditing records that actor has an article's form open and returns
// who else has, and the newest revision, so that the form can warn before
// a save meets the conflict page.
func (s *Service) StillEditing(ctx context.Context, actor workflow.Actor, articleID int64) (Presence, error) {
	now := s.now()
	var p Presence
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		a, err := tx.Article(ctx, articleID)
		if err != nil {
			return notFound(err, noSuchArticle)
		}
		if err := tx.SeenEditing(ctx, articleID, actor.ID, now); err != nil {
			return err
		}
		if p.Others, err = tx.Editing(ctx, articleID, actor.ID, now.Add(-article.PresenceWindow)); err != nil {
			return err
		}
		if p.Head, err = tx.RevisionHeader(ctx, a.HeadRevisionID); err != nil {
			return err
		}
		p.Head.AuthorName = account.SystemName
		if p.Head.AuthorID != 0 {
			author, err := tx.Account(ctx, p.Head.AuthorID)
			if err != nil {
				return err
			}
			p.Head.AuthorName = author.Name
		}
		return nil
	})
	if err != nil {
		return Presence{}, fmt.Errorf("publishing: presence: %w", err)
	}
	return p, nil
}

// LeftEditing records that actor closed an article's form.
func (s *Service) LeftEditing(ctx context.Context, actor workflow.Actor, articleID int64) error {
	err := s.st.Atomically(ctx, func(tx *store.Store) error { return tx.LeftEditing(ctx, articleID, actor.ID) })
	if err != nil {
		return fmt.Errorf("publishing: presence: %w", err)
	}
	return nil
}

// Preview renders a draft's text as readers would read it, whatever else
// the draft lacks so far: the article form's live preview, with the word
// count and reading time a save would compute. Only a body the renderer
// refuses is an error.
func (s *Service) Preview(ctx context.Context, d article.Draft) (article.Revision, error) {
	n, err := s.Settings(ctx)
	if err != nil {
		return article.Revision{}, err
	}
	if len(d.Body) > article.MaxBodyBytes {
		return article.Revision{}, apperr.Field(article.FieldBody, "The body is over the 1 MiB limit; split it into several articles.")
	}
	body, err := s.markup.Render(d.Body)
	var tooComplex *markup.TooComplexError
	if errors.As(err, &tooComplex) {
		return article.Revision{}, apperr.Field(article.FieldBody, tooComplex.Reason)
	}
	if err != nil {
		return article.Revision{}, err
	}
	rev := article.Revision{Title: strings.TrimSpace(d.Title), Dek: strings.TrimSpace(d.Dek), BodyHTML: body.HTML, BodyText: body.Text,
		WordCount: body.WordCount, Attribution: strings.TrimSpace(d.Attribution)}
	if rev.Title == "" {
		rev.Title = "Untitled"
	}
	if rev.Attribution == "" {
		rev.Attribution = n.Attribution
	}
	rev.ReadingMinutes = article.ReadingMinutes(rev.WordCount, n.WordsPerMinute)
	if m, err := strconv.Atoi(strings.TrimSpace(d.ReadingMinutes)); err == nil && m >= 1 && m <= article.MaxReadingMinutes {
		rev.ReadingMinutes = m
	}
	return rev, nil
}
