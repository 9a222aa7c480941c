// Package generate fills a database with a large, realistic network for
// measuring Quire: articles with several revisions each, categories,
// subjects and event dates, some unpublished, some with drafts pending
// review, one or two scheduled. It goes through the same use cases as the
// desk (prepare, save, submit, approve, publish), so a generated site is one
// the desk could have made.
package generate

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/workflow"
)

// batchSize articles are written per transaction.
const batchSize = 1000

// Options says how much to generate.
type Options struct {
	Articles int
	Seed     uint64    // the same seed makes the same site
	Now      time.Time // publications are spread over the ten years before
	Progress io.Writer // gets a progress line, rewritten in place; may be nil
}

// Result counts what was made.
type Result struct {
	Articles, Revisions, Live, Unpublished, Pending, Scheduled int
	Took                                                       time.Duration
}

// Run generates opts.Articles articles through pub into a migrated
// database. It adds to whatever the database holds, creating the network,
// categories, subjects and two accounts (which cannot log in, through acc)
// if they are missing.
func Run(ctx context.Context, pub *publishing.Service, acc *access.Service, opts Options) (Result, error) {
	start := time.Now()
	if opts.Now.IsZero() {
		opts.Now = start
	}
	// Generated people did nothing anyone needs to hear of.
	pub = pub.Silent()
	if err := pub.EnsureSettings(ctx); err != nil {
		return Result{}, err
	}
	n, err := pub.Settings(ctx)
	if err != nil {
		return Result{}, err
	}
	cats, subs, err := taxonomy(ctx, pub)
	if err != nil {
		return Result{}, err
	}
	editor, reviewer, err := staff(ctx, acc)
	if err != nil {
		return Result{}, err
	}
	people, err := contributors(ctx, pub, workflow.Actor{ID: editor.ID, Role: editor.Role})
	if err != nil {
		return Result{}, err
	}
	g := &generator{pub: pub, cats: cats, subs: subs, people: people, attribution: n.Attribution,
		editor: workflow.Actor{ID: editor.ID, Role: editor.Role}, reviewer: workflow.Actor{ID: reviewer.ID, Role: reviewer.Role}, now: opts.Now}
	if opts.Articles > 0 {
		if g.images, err = pictures(ctx, pub, g.editor, opts.Seed); err != nil {
			return Result{}, err
		}
	}

	// Articles are prepared (Markdown rendered and sanitized) on two cores
	// while this goroutine writes, as the server renders a save before its
	// transaction. Cancelling stops the preparers when writing fails.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	plans := make(chan plan, 2*batchSize)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range opts.Articles {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	var prepErr error
	var once sync.Once
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, err := g.plan(ctx, opts.Seed, i)
				if err != nil {
					once.Do(func() { prepErr = err; cancel() })
					return
				}
				select {
				case plans <- p:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(plans) }()

	var res Result
	batch := make([]plan, 0, batchSize)
	flush := func() error {
		err := pub.Atomically(ctx, func(tx *publishing.Service) error {
			for _, p := range batch {
				if err := g.write(ctx, tx, p, &res); err != nil {
					return fmt.Errorf("generate article %d: %w", p.index, err)
				}
			}
			return nil
		})
		batch = batch[:0]
		if opts.Progress != nil {
			rate := float64(res.Articles) / time.Since(start).Seconds()
			fmt.Fprintf(opts.Progress, "\rgenerated %d of %d articles (%d revisions), %.0f articles/s   ", res.Articles, opts.Articles, res.Revisions, rate)
		}
		return err
	}
	for p := range plans {
		batch = append(batch, p)
		if len(batch) == batchSize {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	if opts.Progress != nil {
		fmt.Fprintln(opts.Progress)
	}
	if prepErr != nil {
		return res, prepErr
	}
	res.Took = time.Since(start)
	return res, ctx.Err()
}

type generator struct {
	pub              *publishing.Service
	attribution      string
	cats             []article.Category
	subs             []article.Subject
	people           []article.Contributor
	editor, reviewer workflow.Actor
	now              time.Time
	// images are the library's generated photographs; about a third of
	// the articles lead with one.
	images []media.Item
}

// fate is what happens to an article after its first publication.
type fate int

const (
	stayLive fate = iota
	unpublished
	pendingDraft // a newer revision waits for review
	neverPublished
	scheduled
)

// plan is one article, prepared: its revisions in order and its fate.
type plan struct {
	index     int
	revisions []publishing.Prepared
	minor     []bool // per revision after the first: published as a minor correction
	updated   bool   // the newest revision went live as an update after the first publication
	published time.Time
	fate      fate
}

func (g *generator) plan(ctx context.Context, seed uint64, i int) (plan, error) {
	rng := mrand.New(mrand.NewPCG(seed, uint64(i)))
	p := plan{index: i, published: g.now.Add(-time.Duration(rng.Int64N(int64(10 * 365 * 24 * time.Hour))))}
	switch x := rng.IntN(100); {
	case i == 0:
		p.fate = scheduled // one, so that the scheduler has something to do
	case x < 4:
		p.fate = unpublished
	case x < 14:
		p.fate = pendingDraft
	case x < 18:
		p.fate = neverPublished
	}
	subject := g.subs[rng.IntN(len(g.subs))]
	year := 1900 + rng.IntN(100)
	event := time.Date(year, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	title := fmt.Sprintf("%s %s %s", subject.Name, pick(rng, verbs), pick(rng, objects))
	d := article.Draft{
		Title:          title,
		Slug:           article.Slugify(title) + "-" + strconv.Itoa(i+1),
		Dek:            sentence(rng, subject.Name),
		Body:           body(rng, subject.Name, year, 5+rng.IntN(6)),
		CategoryIDs:    []int64{g.cats[rng.IntN(len(g.cats))].ID},
		SubjectIDs:     []int64{subject.ID},
		EventDate:      event.Format(article.DateLayout),
		ReferenceTitle: subject.Name + " in the archives, " + strconv.Itoa(year),
		ReferenceURL:   "https://archive.example/" + subject.Slug + "/" + strconv.Itoa(year),
		Attribution:    g.attribution,
		ChangeNote:     "First draft",
	}
	if rng.IntN(3) == 0 {
		d.CategoryIDs = append(d.CategoryIDs, g.cats[rng.IntN(len(g.cats))].ID)
	}
	if rng.IntN(4) == 0 {
		d.SubjectIDs = append(d.SubjectIDs, g.subs[rng.IntN(len(g.subs))].ID)
	}
	d.Credits = g.credits(seed, i)
	if len(g.images) > 0 && rng.IntN(3) == 0 {
		it := g.images[rng.IntN(len(g.images))]
		d.LeadImage = strconv.FormatInt(it.ID, 10)
		d.LeadCaption = subject.Name + ", " + strconv.Itoa(year) + "."
	}
	revisions := 1 + rng.IntN(4)
	if p.fate == pendingDraft {
		revisions = max(2, revisions)
	}
	p.updated = revisions > 1 && rng.IntN(3) == 0
	for k := range revisions {
		if k > 0 {
			d.Body += "\n\n" + paragraph(rng, subject.Name, year)
			d.ChangeNote = pick(rng, changeNotes)
			p.minor = append(p.minor, rng.IntN(3) == 0)
		}
		rev, err := g.pub.Prepare(ctx, d)
		if err != nil {
			return p, err
		}
		p.revisions = append(p.revisions, rev)
	}
	return p, nil
}

// write saves a planned article revision by revision, each reviewed by
// someone other than its author and published as an update.
func (g *generator) write(ctx context.Context, tx *publishing.Service, p plan, res *Result) error {
	a, first, err := tx.Create(ctx, g.editor, p.revisions[0])
	if err != nil {
		return err
	}
	res.Articles++
	res.Revisions++
	approve := func(rev article.Revision) error {
		if err := tx.Submit(ctx, g.editor, a.ID, rev.ID); err != nil {
			return err
		}
		return tx.Review(ctx, g.reviewer, a.ID, rev.ID, workflow.Approve, "")
	}
	approveAndPublish := func(rev article.Revision, minor bool, at time.Time) error {
		if err := approve(rev); err != nil {
			return err
		}
		_, err := tx.Publish(ctx, g.editor, a.ID, rev.ID, article.Change{Minor: minor}, at)
		return err
	}
	switch p.fate {
	case neverPublished:
		return nil
	case scheduled:
		if err := approve(first); err != nil {
			return err
		}
		res.Scheduled++
		return tx.Schedule(ctx, g.editor, a.ID, first.ID, article.Change{}, g.now.Add(365*24*time.Hour))
	}
	// Earlier drafts are saved one on another; the newest of them is
	// reviewed and published. An article that was updated since went
	// through review again for its update, and one with a pending draft has
	// that draft in review.
	head, drafts := first, len(p.revisions)
	if p.fate == pendingDraft || len(p.minor) > 0 && p.updated {
		drafts--
	}
	for k := 1; k < drafts; k++ {
		saved, err := tx.Save(ctx, g.editor, a.ID, k, p.revisions[k])
		if err != nil {
			return err
		}
		head = saved.Revision
		res.Revisions++
	}
	if err := approveAndPublish(head, false, p.published); err != nil {
		return err
	}
	at := p.published
	if drafts < len(p.revisions) {
		last, err := tx.Save(ctx, g.editor, a.ID, drafts, p.revisions[drafts])
		if err != nil {
			return err
		}
		res.Revisions++
		if p.fate == pendingDraft {
			res.Pending++
			res.Live++ // its published revision stays live meanwhile
			return tx.Submit(ctx, g.editor, a.ID, last.Revision.ID)
		}
		at = at.Add(time.Duration(1+len(p.revisions)) * 24 * time.Hour)
		if err := approveAndPublish(last.Revision, p.minor[len(p.minor)-1], at); err != nil {
			return err
		}
	}
	if p.fate == unpublished {
		res.Unpublished++
		return tx.Unpublish(ctx, g.editor, a.ID, at.Add(time.Hour))
	}
	res.Live++
	return nil
}

// credits are article i's: one or two writers for most, often a
// researcher or fact-checker too, and none for one in five. They come
// from a source of their own, so that a seed makes the same articles as
// before credits existed.
func (g *generator) credits(seed uint64, i int) []article.CreditInput {
	rng := mrand.New(mrand.NewPCG(seed^0xc4ed175, uint64(i)))
	if rng.IntN(5) == 0 {
		return nil
	}
	var out []article.CreditInput
	add := func(role article.Role) {
		id := strconv.FormatInt(g.people[rng.IntN(len(g.people))].ID, 10)
		for _, c := range out {
			if c.ContributorID == id && c.Role == string(role) {
				return
			}
		}
		out = append(out, article.CreditInput{ContributorID: id, Role: string(role)})
	}
	add(article.WrittenBy)
	if rng.IntN(3) == 0 {
		add(article.WrittenBy)
	}
	if rng.IntN(2) == 0 {
		add(article.Roles[1+rng.IntN(len(article.Roles)-1)])
	}
	return out
}

// FirstContributor is the slug of the first contributor the generator
// credits, whose page the load script measures.
var FirstContributor = article.Slugify(contributorNames[0])

// contributors returns the generator's contributors, creating those that
// are missing.
func contributors(ctx context.Context, pub *publishing.Service, editor workflow.Actor) ([]article.Contributor, error) {
	var out []article.Contributor
	for _, name := range contributorNames {
		c, err := pub.ContributorBySlug(ctx, article.Slugify(name))
		if apperr.CodeOf(err) == apperr.NotFound {
			c, err = pub.SaveContributor(ctx, editor, article.Contributor{Name: name, Affiliation: "Generated University",
				Bio: name + " writes on the twentieth century.", Links: []string{"https://people.example/" + article.Slugify(name)}})
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// taxonomy returns the categories and subjects, creating the generator's
// own where they are missing.
func taxonomy(ctx context.Context, pub *publishing.Service) ([]article.Category, []article.Subject, error) {
	have, err := pub.Categories(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range categoryNames {
		c := article.Category{Name: name, Slug: article.Slugify(name)}
		if !hasSlug(have, c.Slug, func(c article.Category) string { return c.Slug }) {
			if _, err := pub.SaveCategory(ctx, c); err != nil {
				return nil, nil, err
			}
		}
	}
	subs, err := pub.Subjects(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range subjectNames {
		s := article.Subject{Name: name, Slug: article.Slugify(name)}
		if !hasSlug(subs, s.Slug, func(s article.Subject) string { return s.Slug }) {
			if _, err := pub.SaveSubject(ctx, s); err != nil {
				return nil, nil, err
			}
		}
	}
	cats, err := pub.Categories(ctx)
	if err != nil {
		return nil, nil, err
	}
	subs, err = pub.Subjects(ctx)
	return cats, subs, err
}

func hasSlug[T any](items []T, slug string, slugOf func(T) string) bool {
	for _, it := range items {
		if slugOf(it) == slug {
			return true
		}
	}
	return false
}

// staff returns the generator's editor and reviewer, creating them with
// a random password nobody keeps, so nobody can log in as them.
func staff(ctx context.Context, acc *access.Service) (editor, reviewer account.Account, err error) {
	all, err := acc.List(ctx)
	if err != nil {
		return
	}
	get := func(email, name string, role account.Role) (account.Account, error) {
		for _, a := range all {
			if a.Email == email {
				return a, nil
			}
		}
		return acc.Create(ctx, 0, account.New{Email: email, Name: name, Role: string(role), Password: rand.Text()})
	}
	if editor, err = get("generator-editor@quire.invalid", "Generated Editor", account.Editor); err != nil {
		return
	}
	reviewer, err = get("generator-reviewer@quire.invalid", "Generated Reviewer", account.Reviewer)
	return
}

func pick(rng *mrand.Rand, words []string) string { return words[rng.IntN(len(words))] }

func sentence(rng *mrand.Rand, who string) string {
	return fmt.Sprintf("%s %s %s, %s %s.", pick(rng, openers), who, pick(rng, verbs), pick(rng, objects), pick(rng, clauses))
}

func paragraph(rng *mrand.Rand, who string, year int) string {
	var b strings.Builder
	for k := range 4 + rng.IntN(4) {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sentence(rng, who))
		if rng.IntN(5) == 0 {
			fmt.Fprintf(&b, " By %d, *%s* %s.", year+rng.IntN(10), pick(rng, objects), pick(rng, clauses))
		}
	}
	return b.String()
}

func body(rng *mrand.Rand, who string, year, paragraphs int) string {
	parts := make([]string, 0, paragraphs+1)
	for k := range paragraphs {
		if k == paragraphs/2 {
			parts = append(parts, "## "+strings.ToUpper(pick(rng, objects)[:1])+pick(rng, objects)[1:])
		}
		parts = append(parts, paragraph(rng, who, year))
	}
	return strings.Join(parts, "\n\n")
}

var (
	categoryNames = []string{"Politics", "Biography", "War", "Diplomacy", "Economy", "Science", "Culture", "Revolution", "Empire", "Society"}
	subjectNames  = []string{"Joseph Stalin", "Leon Trotsky", "Vladimir Lenin", "Winston Churchill", "Franklin D. Roosevelt",
		"Charles de Gaulle", "Mao Zedong", "Mahatma Gandhi", "Nelson Mandela", "Rosa Luxemburg", "Kemal Atatürk",
		"Jawaharlal Nehru", "Ho Chi Minh", "Golda Meir", "Konrad Adenauer", "Eleanor Roosevelt", "Marie Curie",
		"Albert Einstein", "Nikita Khrushchev", "Fidel Castro", "Josip Broz Tito", "Indira Gandhi", "Haile Selassie",
		"Clement Attlee", "Woodrow Wilson", "Georges Clemenceau", "Sun Yat-sen", "Emmeline Pankhurst", "Lech Wałęsa", "Václav Havel"}
	contributorNames = []string{"Alma Reyes", "Boris Kaplan", "Chen Wei", "Dana Okafor", "Emil Novak", "Farah Haddad", "Greta Lind",
		"Hiro Tanaka", "Ines Moreau", "Jonas Berg", "Kavya Rao", "Leo Fischer", "Maya Cohen", "Nikos Pappas", "Olga Ivanova",
		"Pablo Ortiz", "Qiu Lan", "Rosa Amari", "Sven Dahl", "Tariq Aziz", "Uma Patel", "Viktor Horvat", "Wanda Nowak",
		"Xavier Dubois", "Yara Silva", "Zofia Krol", "Amir Saleh", "Bea Lopez", "Carl Jensen", "Dora Szabo"}
	verbs   = []string{"signs", "rejects", "negotiates", "announces", "abandons", "defends", "reforms", "survives", "denounces", "launches", "ends", "wins"}
	objects = []string{"the treaty", "a five-year plan", "the armistice", "the new constitution", "an uprising", "the general strike",
		"a trade agreement", "the purge", "the election", "the blockade", "a secret protocol", "the reform programme"}
	openers = []string{"In the spring,", "Within weeks,", "Against the advice of his ministers,", "After months of pressure,", "Historians agree that", "According to the minutes,"}
	clauses = []string{"which changed the balance of power", "as the press looked on", "despite fierce opposition", "to the surprise of allies",
		"with consequences felt for decades", "while the economy faltered", "as letters in the archive show"}
	changeNotes = []string{"Corrected a date", "Added archival source", "Clarified the opening", "Fixed a typo", "Expanded the background", "Updated after new research"}
)
