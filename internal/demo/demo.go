// Package demo loads the History Editorial Network and its first article
// into an empty database, the way WordPress and Ghost ship a first post.
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/workflow"
)

//go:embed trotsky.md
var trotskyBody string

// Network is the demo network, HEN.
var Network = publisher.Settings{
	Name:           "History Editorial Network",
	ShortName:      "HEN",
	Attribution:    "History Editorial Network (HEN)",
	Tagline:        "The moments that made the twentieth century, told with their sources.",
	TimeZone:       "UTC",
	WordsPerMinute: 200,
	ShowReview:     true,
}

// errNotEmpty aborts the loading transaction without it being a failure.
var errNotEmpty = errors.New("demo: database already has content")

// Load fills an empty database with the demo network, its categories and
// subjects, and the seed article, which goes through review like any
// other (Quire itself submits and approves it, as content that was reviewed
// where it came from) and is published at now. It reports whether it
// loaded anything; a database with any content is left untouched. The
// whole load is one transaction, so two processes starting together cannot
// both load it, and a failure leaves nothing half-made.
func Load(ctx context.Context, pub *publishing.Service, now time.Time) (bool, error) {
	// The demo's people did nothing anyone needs to hear of.
	err := pub.Silent().Atomically(ctx, func(tx *publishing.Service) error {
		empty, err := tx.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if !empty {
			return errNotEmpty
		}
		return load(ctx, tx, now)
	})
	if errors.Is(err, errNotEmpty) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	return true, nil
}

func load(ctx context.Context, tx *publishing.Service, now time.Time) error {
	quire := workflow.System
	if err := tx.SaveSettings(ctx, quire, Network); err != nil {
		return err
	}
	var categories []int64
	for _, c := range []article.Category{
		{Slug: "politics", Name: "Politics", Description: "Power, parties and the people who fought over them."},
		{Slug: "biography", Name: "Biography", Description: "Lives that shaped their century."},
	} {
		created, err := tx.SaveCategory(ctx, c)
		if err != nil {
			return err
		}
		categories = append(categories, created.ID)
	}
	var subjects []int64
	for _, s := range []article.Subject{
		{Slug: "joseph-stalin", Name: "Joseph Stalin", HubTitle: "Life Moments of Joseph Stalin",
			Description: "General Secretary of the Communist Party of the Soviet Union from 1922 until his death in 1953."},
		{Slug: "leon-trotsky", Name: "Leon Trotsky", HubTitle: "Life Moments of Leon Trotsky",
			Description: "Revolutionary, founder of the Red Army, and Stalin's most prominent opponent."},
	} {
		created, err := tx.SaveSubject(ctx, s)
		if err != nil {
			return err
		}
		subjects = append(subjects, created.ID)
	}
	draft, err := tx.Prepare(ctx, article.Draft{
		Title:          "Trotsky's Assassination Ends Stalin's Opposition",
		Body:           trotskyBody,
		CategoryIDs:    categories,
		SubjectIDs:     subjects,
		EventDate:      "1940-08-20",
		ReferenceTitle: "Assassination of Leon Trotsky",
		ReferenceURL:   "https://en.wikipedia.org/wiki/Assassination_of_Leon_Trotsky",
		Attribution:    Network.Attribution,
		ReadingMinutes: "4", // as the HEN page shows it
		ChangeNote:     "First publication",
	})
	if err != nil {
		return err
	}
	a, rev, err := tx.Create(ctx, quire, draft)
	if err != nil {
		return err
	}
	if err := tx.Submit(ctx, quire, a.ID, rev.ID); err != nil {
		return err
	}
	if err := tx.Review(ctx, quire, a.ID, rev.ID, workflow.Approve, "Loaded as reviewed demo content."); err != nil {
		return err
	}
	_, err = tx.Publish(ctx, quire, a.ID, rev.ID, article.Change{}, now)
	return err
}
