package publishing

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/workflow"
)

// ConflictError says a save was based on a revision that is no longer the
// head: someone saved in between. Nothing was written.
type ConflictError struct {
	Head article.Revision // the newest revision, whole, which the save would have overwritten
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("Revision %d was saved while you were editing; nothing was overwritten.", e.Head.Number)
}

// Unwrap gives the error its application code.
func (e *ConflictError) Unwrap() error {
	return &apperr.Error{Code: apperr.Conflict, Message: e.Error()}
}

// Saved is what a save made.
type Saved struct {
	Revision article.Revision
	// ScheduleCancelled says the save cancelled a pending schedule: a
	// schedule belongs to the approved revision it names.
	ScheduleCancelled bool
}

// Prepared is a draft validated and rendered, ready to be saved as a
// revision. Only Prepare makes one, so nothing reaches a revision without
// passing the article rules and the sanitizer.
type Prepared struct {
	rev article.Revision
}

// Prepare validates a draft and renders its body. It runs outside any
// transaction: rendering may take a while and must not hold up writers.
func (s *Service) Prepare(ctx context.Context, d article.Draft) (Prepared, error) {
	n, err := s.Settings(ctx)
	if err != nil {
		return Prepared{}, err
	}
	rev, err := article.Prepare(d, s.markup, n.WordsPerMinute)
	return Prepared{rev: rev}, err
}

// Create makes a new article whose first revision, a draft, is p.
func (s *Service) Create(ctx context.Context, actor workflow.Actor, p Prepared) (article.Article, article.Revision, error) {
	rev := p.rev
	now := s.now().UTC()
	var a article.Article
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		var err error
		if rev, err = illustrate(ctx, tx, rev); err != nil {
			return err
		}
		if err := checkRevision(ctx, tx, rev, 0, 0); err != nil {
			return err
		}
		a, err = tx.InsertArticle(ctx, article.Article{Slug: rev.Slug, State: article.Never, CreatedBy: actor.ID, CreatedAt: now, ChangedAt: now})
		if err != nil {
			return err
		}
		rev.ArticleID, rev.Number, rev.ParentID, rev.AuthorID, rev.CreatedAt, rev.Status = a.ID, 1, 0, actor.ID, now, article.StatusDraft
		if rev, err = tx.InsertRevision(ctx, rev); err != nil {
			return err
		}
		a.HeadRevisionID = rev.ID
		if err := tx.SaveArticle(ctx, a); err != nil {
			return err
		}
		// Saved: the unsaved copy of the new-article form has done its job.
		if _, err := tx.DropScratch(ctx, actor.ID, 0); err != nil {
			return err
		}
		return tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: audit.Created, ArticleID: a.ID, RevisionID: rev.ID, Detail: rev.ChangeNote})
	})
	if err != nil {
		return article.Article{}, article.Revision{}, fmt.Errorf("publishing: create article: %w", err)
	}
	return a, rev, nil
}

// Save adds p as the next revision of an article, on top of the revision
// numbered base that the editor started from. If base is not the newest
// any more, nothing is written and the error is a *ConflictError.
func (s *Service) Save(ctx context.Context, actor workflow.Actor, articleID int64, base int, p Prepared) (Saved, error) {
	var saved Saved
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		rev, err := illustrate(ctx, tx, p.rev)
		if err != nil {
			return err
		}
		if saved, err = s.addRevision(ctx, tx, actor, articleID, base, rev, audit.Saved); err != nil {
			return err
		}
		// Saved: the unsaved copy of this form has done its job. (Restoring
		// an old revision leaves it: that was not what was being typed.)
		_, err = tx.DropScratch(ctx, actor.ID, articleID)
		return err
	})
	if err != nil {
		return Saved{}, fmt.Errorf("publishing: save revision: %w", err)
	}
	return saved, nil
}

// Restore saves a copy of revision number n as a new draft on top of the
// newest revision, numbered base; history is never rewritten.
func (s *Service) Restore(ctx context.Context, actor workflow.Actor, articleID int64, base, n int) (Saved, error) {
	var saved Saved
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		old, err := tx.RevisionByNumber(ctx, articleID, n)
		if err != nil {
			return notFound(err, noSuchRevision)
		}
		if old.Images, err = tx.RevisionImages(ctx, old.ID); err != nil {
			return err
		}
		if err := stillShown(ctx, tx, n, old.Images); err != nil {
			return err
		}
		old.ChangeNote = "Restored revision " + strconv.Itoa(n)
		saved, err = s.addRevision(ctx, tx, actor, articleID, base, old, audit.Restored)
		if apperr.CodeOf(err) == apperr.Invalid {
			// A restore has no form to mark: say what stands in the way.
			return apperr.Errorf(apperr.Conflict, "Revision %d cannot be restored: %s", n, strings.Join(slices.Collect(maps.Values(apperr.FieldsOf(err))), " "))
		}
		return err
	})
	if err != nil {
		return Saved{}, fmt.Errorf("publishing: restore revision: %w", err)
	}
	return saved, nil
}

func (s *Service) addRevision(ctx context.Context, tx *store.Store, actor workflow.Actor, articleID int64, base int, rev article.Revision, action audit.Action) (Saved, error) {
	now := s.now().UTC()
	a, err := tx.Article(ctx, articleID)
	if err != nil {
		return Saved{}, notFound(err, noSuchArticle)
	}
	head, err := tx.RevisionHeader(ctx, a.HeadRevisionID)
	if err != nil {
		return Saved{}, err
	}
	if head.Number != base {
		current, err := tx.Revision(ctx, head.ID)
		if err != nil {
			return Saved{}, err
		}
		return Saved{}, &ConflictError{Head: current}
	}
	if err := checkRevision(ctx, tx, rev, articleID, head.ID); err != nil {
		return Saved{}, err
	}
	rev.ArticleID, rev.Number, rev.ParentID, rev.AuthorID, rev.CreatedAt, rev.Status = articleID, head.Number+1, head.ID, actor.ID, now, article.StatusDraft
	if rev, err = tx.InsertRevision(ctx, rev); err != nil {
		return Saved{}, err
	}
	a.HeadRevisionID, a.ChangedAt = rev.ID, now
	if a.PublishedAt.IsZero() {
		// Before first publication the slug is not public yet, so the
		// article simply takes the newest one.
		a.Slug = rev.Slug
	}
	// A schedule belongs to the approved revision it names; once a newer
	// revision exists that one is superseded and must not go live later.
	cancelled, err := cancelSchedule(ctx, tx, actor.ID, &a, now, fmt.Sprintf("revision %d was saved after it", rev.Number))
	if err != nil {
		return Saved{}, err
	}
	if err := tx.SaveArticle(ctx, a); err != nil {
		return Saved{}, err
	}
	err = tx.AddAudit(ctx, audit.Entry{At: now, ActorID: actor.ID, Action: action, ArticleID: articleID, RevisionID: rev.ID, Detail: rev.ChangeNote})
	return Saved{Revision: rev, ScheduleCancelled: cancelled}, err
}

// slugTaken is what a revision whose slug another article has is told.
const slugTaken = "Another article already uses this slug, or will when its newest revision is published; choose another."

// slugFreeFor refuses rev if another article has its slug.
func slugFreeFor(ctx context.Context, tx *store.Store, rev article.Revision) error {
	taken, err := tx.ArticleSlugTaken(ctx, rev.Slug, rev.ArticleID)
	if err != nil || !taken {
		return err
	}
	return apperr.Field(article.FieldSlug, slugTaken)
}

// checkRevision refuses a revision whose slug another article uses, used
// or has in its newest revision, whose categories or subjects do not exist
// (a tampered form), or that newly credits a contributor who is gone or
// hidden.
func checkRevision(ctx context.Context, tx *store.Store, rev article.Revision, articleID, headID int64) error {
	v := apperr.Validation{}
	taken, err := tx.ArticleSlugTaken(ctx, rev.Slug, articleID)
	if err != nil {
		return err
	}
	if taken {
		v.Add(article.FieldSlug, slugTaken)
	}
	cats, subs, err := tx.UnknownTaxa(ctx, rev.CategoryIDs(), rev.SubjectIDs())
	if err != nil {
		return err
	}
	if len(cats) > 0 {
		v.Add(article.FieldCategories, "Choose from the list; "+ids(cats)+" is not one of them.")
	}
	if len(subs) > 0 {
		v.Add(article.FieldSubjects, "Choose from the list; "+ids(subs)+" is not one of them.")
	}
	people, err := tx.Uncreditable(ctx, rev.ContributorIDs())
	if err != nil {
		return err
	}
	if err := keepHidden(ctx, tx, people, rev, headID); err != nil {
		return err
	}
	if len(people) > 0 {
		v.Add(article.FieldCredits, uncreditable(rev, people))
	}
	return v.Err()
}

func ids(list []int64) string {
	out := make([]string, len(list))
	for i, id := range list {
		out[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(out, ", ")
}

// uncreditable names the first credit of rev whose contributor is in
// refused (with their name when they exist but are hidden).
func uncreditable(rev article.Revision, refused map[int64]string) string {
	for i, c := range rev.Credits {
		name, ok := refused[c.Contributor.ID]
		if !ok {
			continue
		}
		n := "Credit " + strconv.Itoa(i+1) + ": "
		if name == "" {
			return n + "there is no such contributor; choose someone from the list."
		}
		return n + name + " is hidden, so can no longer be credited; remove the credit or ask an editor to show them again."
	}
	return "Choose contributors from the list."
}

// keepHidden takes out of refused the hidden contributors whom the
// article's newest revision (headID) or the revision being restored (rev,
// read from the store) already credits: hiding someone must not stop a typo
// fix or a restore. Only new credits need a visible person.
func keepHidden(ctx context.Context, tx *store.Store, refused map[int64]string, rev article.Revision, headID int64) error {
	hidden := false
	for _, name := range refused {
		hidden = hidden || name != ""
	}
	if !hidden {
		return nil
	}
	var credited []int64
	if rev.ID != 0 {
		credited = rev.ContributorIDs()
	}
	if headID != 0 {
		head, err := tx.Revision(ctx, headID)
		if err != nil {
			return err
		}
		credited = append(credited, head.ContributorIDs()...)
	}
	for _, id := range credited {
		if refused[id] != "" { // hidden, not gone
			delete(refused, id)
		}
	}
	return nil
}
