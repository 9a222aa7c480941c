package mailer

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/urls"
	letters "github.com/quire-cms/quire/views/mail"
)

// Notice is something that happened to a revision that people may want to
// hear of.
type Notice struct {
	Kind      mail.Kind
	ArticleID int64
	Slug      string // where readers find it, once live
	Title     string
	Revision  int
	Actor     string // who did it; empty for Quire itself
	Comment   string // the reviewer's comment
	Summary   string // what the revision changes, in a line
	Reason    string // why a scheduled publication failed
}

// Notify writes the notice to each of to, as they chose: at once, held
// for their daily digest, or not at all. Inactive accounts and the actor
// themselves hear nothing; nobody hears twice. A nil post notifies
// nobody.
func (p *Post) Notify(ctx context.Context, tx *store.Store, n Notice, actorID int64, to []account.Account, now time.Time) error {
	if p == nil {
		return nil
	}
	seen := map[int64]bool{actorID: true}
	for _, a := range to {
		if seen[a.ID] || !a.Active || a.ID == 0 {
			continue
		}
		seen[a.ID] = true
		choices, err := tx.NotificationChoices(ctx, a.ID)
		if err != nil {
			return err
		}
		status := mail.Pending
		switch choices[n.Kind] {
		case mail.Off:
			continue
		case mail.DailyDigest:
			status = mail.Held
		}
		if err := p.put(ctx, tx, n.Kind, a, p.letter(n, a), status, now); err != nil {
			return fmt.Errorf("mailer: notify %s: %w", n.Kind, err)
		}
	}
	return nil
}

func (p *Post) letter(n Notice, to account.Account) letters.Letter {
	who := n.Actor
	if who == "" {
		who = account.SystemName
	}
	rev := "revision " + strconv.Itoa(n.Revision) + " of “" + n.Title + "”"
	l := letters.Letter{
		Greeting: "Hello " + to.Name + ",",
		Action:   letters.Link{Label: "Open the article", URL: p.link(urls.DeskArticle(n.ArticleID))},
		Footer:   "You get these mails as " + to.Email + ". Choose which, and how often, on your Account page: " + p.link(urls.Account()),
	}
	switch n.Kind {
	case mail.Submitted:
		l.Subject = "Review requested: " + n.Title
		l.Paragraphs = []string{who + " submitted " + rev + " for review."}
		l.Action = letters.Link{Label: "Review it", URL: p.link(urls.Review(n.ArticleID))}
	case mail.Approved:
		l.Subject = "Approved: " + n.Title
		l.Paragraphs = []string{who + " approved " + rev + ". It is ready to publish."}
	case mail.ChangesRequested:
		l.Subject = "Changes requested: " + n.Title
		l.Paragraphs = []string{who + " asked for changes to " + rev + "."}
	case mail.Published:
		l.Subject = "Published: " + n.Title
		l.Paragraphs = []string{who + " published " + rev + "; readers see it now."}
		if n.Actor == "" {
			l.Paragraphs = []string{"R" + rev[1:] + " went live as scheduled."}
		}
		l.Action = letters.Link{Label: "Read it on the site", URL: p.link(urls.Article(n.Slug))}
	case mail.ScheduleFailed:
		l.Subject = "Scheduled publication failed: " + n.Title
		l.Paragraphs = []string{"The scheduled publication of " + rev + " did not go live: " + n.Reason,
			"Readers still see what they saw before. Publish it by hand or schedule it again."}
	}
	if n.Summary != "" {
		l.Paragraphs = append(l.Paragraphs, n.Summary)
	}
	if n.Comment != "" {
		l.Quote, l.QuoteBy = n.Comment, who
	}
	return l
}
