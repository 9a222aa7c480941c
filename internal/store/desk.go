package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/article"
)

// The desk's read model: an article with everything its desk pages show,
// and the lists of articles the desk filters and queues.

// DeskView reads an article with its newest and live revisions and its
// pending schedule in one query, then the parts asked for. Run it inside
// Read so that every part is of one moment.
func (s *Store) DeskView(ctx context.Context, articleID int64, parts article.DeskParts) (article.DeskView, error) {
	body := func(want bool, alias string) string {
		if !want {
			return "NULL AS " + alias + "_markdown, NULL AS " + alias + "_html, NULL AS " + alias + "_plain, NULL AS " + alias + "_excerpt"
		}
		return prefixed(alias+"b", alias+"_", textColumns[1:])
	}
	var row struct {
		Article    articleRecord  `gorm:"embedded;embeddedPrefix:a_"`
		Head       revisionRecord `gorm:"embedded;embeddedPrefix:h_"`
		Live       revisionRecord `gorm:"embedded;embeddedPrefix:l_"`
		HBody      nullText       `gorm:"embedded;embeddedPrefix:h_"`
		LBody      nullText       `gorm:"embedded;embeddedPrefix:l_"`
		HeadAuthor *string
		LiveAuthor *string
		Schedule   nullSchedule `gorm:"embedded;embeddedPrefix:s_"`
		SchedBy    *string
		Failed     nullSchedule `gorm:"embedded;embeddedPrefix:f_"`
	}
	err := s.read(ctx).Raw(`SELECT `+prefixed("a", "a_", articleColumns)+`, `+prefixed("h", "h_", revisionColumns)+`, `+
		prefixed("l", "l_", revisionColumns)+`, `+body(parts.HeadBody, "h")+`, `+body(parts.LiveBody, "l")+`,
			hu.name AS head_author, lu.name AS live_author, `+prefixed("s", "s_", scheduleColumns)+`, su.name AS sched_by,
			`+prefixed("f", "f_", scheduleColumns)+`
		FROM articles a
		JOIN revisions h ON h.id = a.head_revision_id
		LEFT JOIN revisions l ON l.id = a.live_revision_id
		LEFT JOIN revision_texts hb ON hb.revision_id = h.id
		LEFT JOIN revision_texts lb ON lb.revision_id = l.id
		LEFT JOIN accounts hu ON hu.id = h.author_id
		LEFT JOIN accounts lu ON lu.id = l.author_id
		LEFT JOIN schedules s ON s.article_id = a.id AND s.state = '`+string(article.SchedulePending)+`'
		LEFT JOIN accounts su ON su.id = s.created_by
		LEFT JOIN schedules f ON f.id = (SELECT MAX(id) FROM schedules
			WHERE article_id = a.id AND revision_id = a.head_revision_id AND state = '`+string(article.ScheduleFailed)+`')
		WHERE a.id = `+intParam, articleID).Take(&row).Error
	if err != nil {
		return article.DeskView{}, found(err, "find article %d", articleID)
	}
	v := article.DeskView{Article: row.Article.domain(), Head: row.Head.domain()}
	if err := row.HBody.fill(&v.Head); err != nil {
		return article.DeskView{}, err
	}
	v.Head.AuthorName = nameOr(row.HeadAuthor)
	if row.Article.LiveRevisionID.Valid {
		v.Live = row.Live.domain()
		if err := row.LBody.fill(&v.Live); err != nil {
			return article.DeskView{}, err
		}
		v.Live.AuthorName = nameOr(row.LiveAuthor)
	}
	if row.Schedule.ID.Valid {
		v.HasSchedule = true
		v.Schedule = row.Schedule.domain()
		v.Schedule.ScheduledBy = nameOr(row.SchedBy)
		if v.Schedule.RevisionID == v.Head.ID {
			v.Schedule.RevisionNumber, v.Schedule.Title = v.Head.Number, v.Head.Title
		}
	}
	if row.Failed.ID.Valid {
		v.HasFailed = true
		v.Failed = row.Failed.domain()
		v.Failed.RevisionNumber, v.Failed.Title = v.Head.Number, v.Head.Title
	}
	if parts.Taxonomy {
		revs, links := []*article.Revision{&v.Head}, []string{row.Head.Links}
		if v.Live.ID != 0 && v.Live.ID != v.Head.ID {
			revs, links = append(revs, &v.Live), append(links, row.Live.Links)
		}
		if err := s.attachTaxonomy(ctx, revs, links); err != nil {
			return article.DeskView{}, err
		}
		if v.Live.ID == v.Head.ID {
			v.Live.Categories, v.Live.Subjects, v.Live.Credits = v.Head.Categories, v.Head.Subjects, v.Head.Credits
		}
	}
	if parts.Reviews {
		if v.Reviews, err = s.Reviews(ctx, articleID); err != nil {
			return article.DeskView{}, err
		}
	}
	return v, nil
}

// nullText is a revision's body from an outer join, or not asked for.
type nullText struct {
	Markdown []byte
	HTML     []byte `gorm:"column:html"`
	Plain    []byte
	Excerpt  sql.NullString
}

func (t nullText) fill(rev *article.Revision) error {
	return textRecord{Markdown: t.Markdown, HTML: t.HTML, Plain: t.Plain, Excerpt: t.Excerpt.String}.fill(rev)
}

// nullSchedule is a schedule from an outer join.
type nullSchedule struct {
	ID         sql.NullInt64
	ArticleID  sql.NullInt64
	RevisionID sql.NullInt64
	PublishAt  sql.NullTime
	Minor      sql.NullBool
	Kind       sql.NullString
	Note       sql.NullString
	State      sql.NullString
	CreatedBy  sql.NullInt64
	CreatedAt  sql.NullTime
	ClaimedAt  sql.NullTime
	Failure    sql.NullString
}

func (r nullSchedule) domain() article.Schedule {
	return article.Schedule{ID: r.ID.Int64, ArticleID: r.ArticleID.Int64, RevisionID: r.RevisionID.Int64, PublishAt: r.PublishAt.Time,
		Change: article.Change{Minor: r.Minor.Bool, Kind: article.ChangeKind(r.Kind.String), Note: r.Note.String},
		State:  article.ScheduleState(r.State.String), CreatedBy: r.CreatedBy.Int64, CreatedAt: r.CreatedAt.Time,
		EndedAt: r.ClaimedAt.Time, Failure: r.Failure.String}
}

var scheduleColumns = []string{"id", "article_id", "revision_id", "publish_at", "minor", "kind", "note", "state", "created_by", "created_at", "claimed_at", "failure"}

// deskStateSQL derives the desk state of an article (a) from its public
// state and its head revision (h), as article.StateOf does; a test holds
// the two to agreeing on every state.
const deskStateSQL = `CASE
	WHEN a.state = 'unpublished' THEN 'unpublished'
	WHEN a.state = 'scheduled' THEN 'scheduled'
	WHEN a.state = 'live' AND a.head_revision_id = a.live_revision_id THEN 'live'
	WHEN a.state = 'live' THEN 'live_pending'
	ELSE h.status END`

// deskRow is what the desk lists show of an article.
type deskRow struct {
	ID           int64
	Slug         string
	State        string
	HeadID       int64
	LiveID       sql.NullInt64
	Title        string
	HeadNumber   int
	HeadStatus   string
	HeadAuthorID sql.NullInt64
	ChangedAt    time.Time
	ChangedBy    *string
	LiveNumber   sql.NullInt64
	Queue        string
}

const deskRowColumns = `a.id, a.slug, a.state, a.head_revision_id AS head_id, a.live_revision_id AS live_id,
	h.title, h.number AS head_number, h.status AS head_status, h.author_id AS head_author_id,
	h.created_at AS changed_at, u.name AS changed_by, l.number AS live_number`

const deskRowFrom = `articles a JOIN revisions h ON h.id = a.head_revision_id
	LEFT JOIN revisions l ON l.id = a.live_revision_id
	LEFT JOIN accounts u ON u.id = h.author_id`

func (r deskRow) domain() article.DeskRow {
	a := article.Article{ID: r.ID, Slug: r.Slug, State: article.State(r.State), HeadRevisionID: r.HeadID, LiveRevisionID: r.LiveID.Int64}
	status := article.Status(r.HeadStatus)
	return article.DeskRow{Article: a, Title: r.Title, HeadNumber: r.HeadNumber, HeadStatus: status,
		State: article.StateOf(a, status), ChangedAt: r.ChangedAt, ChangedBy: nameOr(r.ChangedBy),
		LiveNumber: int(r.LiveNumber.Int64), HeadAuthorID: r.HeadAuthorID.Int64}
}

// DeskArticles lists articles for the desk, most recently changed first,
// and says how many match in all.
func (s *Store) DeskArticles(ctx context.Context, f article.DeskFilter) ([]article.DeskRow, int, error) {
	q := s.read(ctx).Table(deskRowFrom)
	if f.State != "" {
		q = q.Where("("+deskStateSQL+") = "+textParam, string(f.State))
	}
	if f.AuthorID != 0 {
		q = q.Where("h.author_id = "+intParam, f.AuthorID)
	}
	if f.HeadStatus != "" {
		q = q.Where("h.status = "+textParam, string(f.HeadStatus))
	}
	for _, word := range strings.Fields(f.Query) {
		q = q.Where("lower(h.title) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(word))+"%")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: count desk articles: %w", err)
	}
	var rows []deskRow
	err := q.Select(deskRowColumns).Order("h.created_at DESC, a.id DESC").Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: list desk articles: %w", err)
	}
	out := make([]article.DeskRow, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, int(total), nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Queues lists, in one query, what waits for the account me on the
// dashboard: at most limit articles per queue, newest change first.
// Reviewers (canReview) also get others' revisions waiting for review.
func (s *Store) Queues(ctx context.Context, me int64, canReview bool, limit int) (article.Queues, error) {
	// Each queue is read from the revisions' status indexes, newest first,
	// keeping head revisions only, so that it reads its few newest rows
	// however many articles wait in it.
	queue := func(name, where string) string {
		return `SELECT * FROM (SELECT ` + deskRowColumns + `, '` + name + `' AS queue
			FROM revisions h JOIN articles a ON a.id = h.article_id AND a.head_revision_id = h.id
			LEFT JOIN revisions l ON l.id = a.live_revision_id LEFT JOIN accounts u ON u.id = h.author_id
			WHERE ` + where + ` ORDER BY h.created_at DESC, a.id DESC LIMIT @limit) ` + name
	}
	var rows []deskRow
	err := s.read(ctx).Raw(queue("returned", "h.status = 'changes_requested' AND h.author_id = @me")+`
		UNION ALL `+queue("approved", "h.status = 'approved'")+`
		UNION ALL `+queue("drafts", "h.status = 'draft' AND h.author_id = @me")+`
		UNION ALL `+queue("review", "h.status = 'in_review' AND @review AND h.author_id IS DISTINCT FROM @me")+`
		ORDER BY changed_at DESC, id DESC`,
		sql.Named("me", me), sql.Named("review", canReview), sql.Named("limit", limit)).Scan(&rows).Error
	if err != nil {
		return article.Queues{}, fmt.Errorf("store: read the dashboard's queues: %w", err)
	}
	var q article.Queues
	into := map[string]*[]article.DeskRow{"returned": &q.Returned, "approved": &q.Approved, "drafts": &q.Drafts, "review": &q.ToReview}
	for _, r := range rows {
		*into[r.Queue] = append(*into[r.Queue], r.domain())
	}
	return q, nil
}
