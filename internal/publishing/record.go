package publishing

import (
	"context"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/record"
	"github.com/quire-cms/quire/internal/store"
)

// contentOf is what readers were shown by the publication p of rev, with
// the article's public dates as p left them.
func contentOf(p article.Publication, rev article.Revision, published, updated time.Time) record.Content {
	c := record.Content{Article: p.ArticleID, Version: p.Version, Revision: rev.ID, Slug: rev.Slug,
		Title: rev.Title, Dek: rev.Dek, BodyHTML: rev.BodyHTML,
		Categories: make([]int64, len(rev.Categories)), Subjects: make([]int64, len(rev.Subjects)),
		ReferenceTitle: rev.Reference.Title, ReferenceURL: rev.Reference.URL, Attribution: rev.Attribution,
		ReadingMinutes: rev.ReadingMinutes, Published: record.Time(published), Updated: record.Time(updated),
		At: record.Time(p.PublishedAt), Minor: p.Minor, Kind: string(p.Kind), Note: p.Note}
	for i, cat := range rev.Categories {
		c.Categories[i] = cat.ID
	}
	for i, sub := range rev.Subjects {
		c.Subjects[i] = sub.ID
	}
	if !rev.EventDate.IsZero() {
		c.EventDate = rev.EventDate.Format(time.DateOnly)
	}
	for _, cr := range rev.Credits {
		c.Credits = append(c.Credits, record.Credit{Contributor: cr.Contributor.ID, Role: string(cr.Role)})
	}
	if l := rev.Lead; l.MediaID != 0 {
		c.Lead = &record.Lead{Image: l.MediaID, Alt: l.Alt, Caption: l.Caption, Credit: l.Credit, SourceURL: l.SourceURL, Licence: l.Licence}
	}
	return c
}

// recordBatch is how many rows sealing and verifying read at a time, so
// that neither holds the whole record in memory.
const recordBatch = 200

// Seal hashes and chains the publications and audit entries written before
// the record existed, in the order they were written, and returns how many
// it sealed. Quire runs it whenever it opens the database, but quire
// verify; once every row is sealed it only counts that none is left.
//
// Those rows all come before the first row written sealed, so sealing
// stops there: a row unsealed after it can only be someone's tampering,
// which Verify must report, not Seal make good.
func (s *Service) Seal(ctx context.Context) (int, error) {
	sealed := 0
	err := s.st.Atomically(ctx, func(tx *store.Store) error {
		pubs, events, err := tx.Unsealed(ctx)
		if err != nil {
			return err
		}
		if pubs > 0 {
			_, err = replay(ctx, tx, func(p article.Publication, content, chain string) (bool, error) {
				if p.ContentHash != "" {
					return false, nil
				}
				sealed++
				return true, tx.SealPublication(ctx, p.ID, content, chain)
			})
		}
		if err != nil || events == 0 {
			return err
		}
		return tx.WalkAudit(ctx, recordBatch, func(e store.AuditLink, chain string) (bool, error) {
			if e.Chain != "" {
				return false, nil
			}
			sealed++
			return true, tx.SealAudit(ctx, e.ID, chain)
		})
	})
	return sealed, err
}

// Verification is what Verify found.
type Verification struct {
	Publications, Events int
	// Head is the chain hash of the last publication and of the last audit
	// entry: note them somewhere Quire's database is not, and a later
	// Verify given them shows that nothing up to them changed.
	PublicationsHead, EventsHead string
	// Break describes the first row that does not match the record, or is
	// empty when every row does.
	Break string
}

// Verify recomputes every publication's content hash from the revision it
// published, and every chain hash of publications and audit entries, and
// reports the first row where the database no longer matches its record:
// a revision, publication or audit entry changed, removed or reordered,
// or a live article showing what its publications did not put live. Each
// of heads (chain hashes noted earlier) must still be in the record.
func (s *Service) Verify(ctx context.Context, heads ...string) (Verification, error) {
	var v Verification
	kept := map[string]bool{}
	for _, h := range heads {
		kept[h] = true
	}
	err := s.st.Read(ctx, func(tx *store.Store) error {
		replayed, err := replay(ctx, tx, func(p article.Publication, content, chain string) (bool, error) {
			v.Publications++
			where := fmt.Sprintf("publication %d (version %d of article %d)", p.ID, p.Version, p.ArticleID)
			switch {
			case p.ContentHash == "":
				v.Break = where + " is not sealed: it was written before this version of Quire after others were, or its hashes were removed"
			case p.ContentHash != content:
				v.Break = where + ": what it published no longer matches its content hash"
			case p.ChainHash != chain:
				v.Break = where + ": its chain hash does not follow from the publication before it"
			}
			delete(kept, p.ChainHash)
			v.PublicationsHead = p.ChainHash
			return v.Break == "", nil
		})
		if err != nil || v.Break != "" {
			return err
		}
		if v.Break, err = liveAsPublished(ctx, tx, replayed); err != nil || v.Break != "" {
			return err
		}
		return tx.WalkAudit(ctx, recordBatch, func(e store.AuditLink, chain string) (bool, error) {
			v.Events++
			if e.Chain != chain {
				// An unsealed entry has no chain hash and fails here too.
				v.Break = fmt.Sprintf("audit entry %d: it, or an entry before it, changed after it was recorded", e.ID)
			}
			delete(kept, e.Chain)
			v.EventsHead = e.Chain
			return v.Break == "", nil
		})
	})
	if err == nil && v.Break == "" {
		for h := range kept {
			v.Break = "the head " + h + " is nowhere in the record: rows up to it were changed or removed since it was noted"
			break
		}
	}
	return v, err
}

// liveAsPublished checks that every live article shows the revision and
// the dates its publications left it with, as replayed.
func liveAsPublished(ctx context.Context, tx *store.Store, replayed map[int64]*article.Article) (string, error) {
	live, err := tx.LiveArticles(ctx)
	if err != nil {
		return "", err
	}
	for _, a := range live {
		want := replayed[a.ID]
		switch {
		case want == nil || a.LiveRevisionID != want.LiveRevisionID:
			return fmt.Sprintf("article %d shows revision %d, which no publication put live last", a.ID, a.LiveRevisionID), nil
		case !a.PublishedAt.Equal(want.PublishedAt) || !a.UpdatedAt.Equal(want.UpdatedAt):
			return fmt.Sprintf("article %d shows Published and Updated dates its publications did not give it", a.ID), nil
		}
	}
	return "", nil
}

// replay walks every publication in the order written, recomputing what
// it published, and calls fn with that content hash and the chain hash the
// row should carry, until fn returns false. It returns each article's
// public state as the publications it walked left it. The chain runs on from each
// row's stored chain hash, so that one broken row is reported once, not
// again at every row after it; an unsealed row chains on from the hash
// sealing gives it.
func replay(ctx context.Context, tx *store.Store, fn func(p article.Publication, content, chain string) (bool, error)) (map[int64]*article.Article, error) {
	dates := map[int64]*article.Article{}
	previous := ""
	var after int64
	for {
		pubs, err := tx.PublicationsAfter(ctx, after, recordBatch)
		if err != nil || len(pubs) == 0 {
			return dates, err
		}
		ids := make([]int64, len(pubs))
		for i, p := range pubs {
			ids[i] = p.RevisionID
		}
		list, err := tx.RevisionsByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		revs := make(map[int64]article.Revision, len(list))
		for _, r := range list {
			revs[r.ID] = r
		}
		for _, p := range pubs {
			after = p.ID
			a := dates[p.ArticleID]
			if a == nil {
				a = &article.Article{}
				dates[p.ArticleID] = a
			}
			a.Record(p)
			content := contentOf(p, revs[p.RevisionID], a.PublishedAt, a.UpdatedAt).Hash()
			sealed := p.ContentHash
			if sealed == "" {
				sealed = content
			}
			chain := record.Chain(previous, sealed)
			if previous = p.ChainHash; previous == "" {
				previous = chain
			}
			if more, err := fn(p, content, chain); err != nil || !more {
				return dates, err
			}
		}
	}
}

// ExportAudit calls fn with every audit event at or after since, in the
// order written, read at one moment and a batch at a time.
func (s *Service) ExportAudit(ctx context.Context, since time.Time, fn func(audit.Event) error) error {
	return s.st.Read(ctx, func(tx *store.Store) error {
		var after int64
		for {
			events, err := tx.AuditAfter(ctx, since, after, recordBatch)
			if err != nil || len(events) == 0 {
				return err
			}
			for _, e := range events {
				if err := fn(e); err != nil {
					return err
				}
				after = e.ID
			}
		}
	})
}
