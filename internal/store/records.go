package store

import (
	"database/sql"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/record"
)

// Records are rows as gorm reads and writes them. They stay in this
// package: every method takes and returns domain types.

type networkRecord struct {
	ID               int64
	Name             string
	ShortName        string
	Attribution      string
	Tagline          string
	TimeZone         string
	WordsPerMinute   int
	ShowReview       bool
	RequireTwoFactor string
	CacheGeneration  int64
	UpdatedAt        time.Time
}

func (networkRecord) TableName() string { return "networks" }

func (r networkRecord) domain() publisher.Settings {
	return publisher.Settings{
		Name: r.Name, ShortName: r.ShortName, Attribution: r.Attribution, Tagline: r.Tagline,
		TimeZone: r.TimeZone, WordsPerMinute: r.WordsPerMinute, ShowReview: r.ShowReview, UpdatedAt: r.UpdatedAt,
		RequireTwoFactor: account.TwoFactorRule(r.RequireTwoFactor),
	}
}

type categoryRecord struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	CreatedAt   time.Time
}

func (categoryRecord) TableName() string { return "categories" }

func (r categoryRecord) domain() article.Category {
	return article.Category{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description}
}

type subjectRecord struct {
	ID          int64
	Slug        string
	Name        string
	HubTitle    string
	Description string
	CreatedAt   time.Time
}

func (subjectRecord) TableName() string { return "subjects" }

func (r subjectRecord) domain() article.Subject {
	return article.Subject{ID: r.ID, Slug: r.Slug, Name: r.Name, HubTitle: r.HubTitle, Description: r.Description}
}

type articleRecord struct {
	ID               int64
	Slug             string
	State            string
	HeadRevisionID   sql.NullInt64
	LiveRevisionID   sql.NullInt64
	FirstPublishedAt sql.NullTime
	LastUpdatedAt    sql.NullTime
	CreatedBy        sql.NullInt64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (articleRecord) TableName() string { return "articles" }

// fields are where a row of articleColumns scans to.
func (r *articleRecord) fields() []any {
	return []any{&r.ID, &r.Slug, &r.State, &r.HeadRevisionID, &r.LiveRevisionID, &r.FirstPublishedAt,
		&r.LastUpdatedAt, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt}
}

func (r articleRecord) domain() article.Article {
	return article.Article{
		ID: r.ID, Slug: r.Slug, State: article.State(r.State), CreatedBy: r.CreatedBy.Int64,
		HeadRevisionID: r.HeadRevisionID.Int64, LiveRevisionID: r.LiveRevisionID.Int64,
		PublishedAt: r.FirstPublishedAt.Time, UpdatedAt: r.LastUpdatedAt.Time, CreatedAt: r.CreatedAt, ChangedAt: r.UpdatedAt,
	}
}

func newArticleRecord(a article.Article) articleRecord {
	return articleRecord{
		ID: a.ID, Slug: a.Slug, State: string(a.State), CreatedBy: nullable(a.CreatedBy),
		HeadRevisionID: nullable(a.HeadRevisionID), LiveRevisionID: nullable(a.LiveRevisionID),
		FirstPublishedAt: nullTime(a.PublishedAt), LastUpdatedAt: nullTime(a.UpdatedAt),
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.ChangedAt.UTC(),
	}
}

type revisionRecord struct {
	ID                     int64
	ArticleID              int64
	Number                 int
	ParentID               sql.NullInt64
	AuthorID               sql.NullInt64
	CreatedAt              time.Time
	Slug                   string
	Title                  string
	Dek                    string
	EventDate              sql.NullString
	ReferenceTitle         string
	ReferenceURL           string `gorm:"column:reference_url"`
	Attribution            string
	WordCount              int
	ReadingMinutes         int
	ReadingMinutesOverride sql.NullInt64
	ChangeNote             string
	Status                 string
	Links                  string // formatLinks
	LeadMediaID            sql.NullInt64
	LeadAlt                string
	LeadCaption            string
	LeadCredit             string
	LeadSourceURL          string `gorm:"column:lead_source_url"`
	LeadLicence            string
}

func (revisionRecord) TableName() string { return "revisions" }

// nullRevision is a revisionRecord from an outer join.
type nullRevision struct {
	ID, ArticleID, Number, ParentID, AuthorID                 sql.NullInt64
	CreatedAt                                                 sql.NullTime
	Slug, Title, Dek, EventDate, ReferenceTitle, ReferenceURL sql.NullString
	Attribution                                               sql.NullString
	WordCount, ReadingMinutes, ReadingMinutesOverride         sql.NullInt64
	ChangeNote, Status, Links                                 sql.NullString
	LeadMediaID                                               sql.NullInt64
	LeadAlt, LeadCaption, LeadCredit                          sql.NullString
	LeadSourceURL, LeadLicence                                sql.NullString
}

// fields are where a row of revisionColumns scans to.
func (r *nullRevision) fields() []any {
	return []any{&r.ID, &r.ArticleID, &r.Number, &r.ParentID, &r.AuthorID, &r.CreatedAt, &r.Slug, &r.Title, &r.Dek,
		&r.EventDate, &r.ReferenceTitle, &r.ReferenceURL, &r.Attribution,
		&r.WordCount, &r.ReadingMinutes, &r.ReadingMinutesOverride, &r.ChangeNote, &r.Status, &r.Links,
		&r.LeadMediaID, &r.LeadAlt, &r.LeadCaption, &r.LeadCredit, &r.LeadSourceURL, &r.LeadLicence}
}

func (r nullRevision) domain() article.Revision {
	return revisionRecord{ID: r.ID.Int64, ArticleID: r.ArticleID.Int64, Number: int(r.Number.Int64), ParentID: r.ParentID,
		AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.Time, Slug: r.Slug.String, Title: r.Title.String, Dek: r.Dek.String,
		EventDate: r.EventDate, ReferenceTitle: r.ReferenceTitle.String, ReferenceURL: r.ReferenceURL.String,
		Attribution: r.Attribution.String, WordCount: int(r.WordCount.Int64), ReadingMinutes: int(r.ReadingMinutes.Int64),
		ReadingMinutesOverride: r.ReadingMinutesOverride, ChangeNote: r.ChangeNote.String, Status: r.Status.String,
		LeadMediaID: r.LeadMediaID, LeadAlt: r.LeadAlt.String, LeadCaption: r.LeadCaption.String, LeadCredit: r.LeadCredit.String,
		LeadSourceURL: r.LeadSourceURL.String, LeadLicence: r.LeadLicence.String}.domain()
}

func newRevisionRecord(rev article.Revision) revisionRecord {
	r := revisionRecord{
		ArticleID: rev.ArticleID, Number: rev.Number,
		ParentID: nullable(rev.ParentID), AuthorID: nullable(rev.AuthorID), CreatedAt: rev.CreatedAt,
		Slug: rev.Slug, Title: rev.Title, Dek: rev.Dek,
		ReferenceTitle: rev.Reference.Title, ReferenceURL: rev.Reference.URL,
		Attribution: rev.Attribution, WordCount: rev.WordCount, ReadingMinutes: rev.ReadingMinutes,
		ReadingMinutesOverride: nullable(int64(rev.ReadingMinutesOverride)),
		ChangeNote:             rev.ChangeNote, Status: string(rev.Status),
		LeadMediaID: nullable(rev.Lead.MediaID), LeadAlt: rev.Lead.Alt, LeadCaption: rev.Lead.Caption, LeadCredit: rev.Lead.Credit,
		LeadSourceURL: rev.Lead.SourceURL, LeadLicence: rev.Lead.Licence,
	}
	if !rev.EventDate.IsZero() {
		r.EventDate = sql.NullString{String: rev.EventDate.Format(article.DateLayout), Valid: true}
	}
	return r
}

func (r revisionRecord) domain() article.Revision {
	rev := article.Revision{
		ID: r.ID, ArticleID: r.ArticleID, Number: r.Number,
		ParentID: r.ParentID.Int64, AuthorID: r.AuthorID.Int64, CreatedAt: r.CreatedAt,
		Slug: r.Slug, Title: r.Title, Dek: r.Dek,
		Reference:   article.Reference{Title: r.ReferenceTitle, URL: r.ReferenceURL},
		Attribution: r.Attribution, WordCount: r.WordCount, ReadingMinutes: r.ReadingMinutes,
		ReadingMinutesOverride: int(r.ReadingMinutesOverride.Int64),
		ChangeNote:             r.ChangeNote, Status: article.Status(r.Status),
		Lead: article.Lead{MediaID: r.LeadMediaID.Int64, Alt: r.LeadAlt, Caption: r.LeadCaption, Credit: r.LeadCredit,
			SourceURL: r.LeadSourceURL, Licence: r.LeadLicence},
	}
	if d, ok := article.ParseDate(r.EventDate.String); ok {
		rev.EventDate = d
	}
	return rev
}

type publicationRecord struct {
	ID          int64
	ArticleID   int64
	RevisionID  int64
	PublishedBy sql.NullInt64
	PublishedAt time.Time
	Minor       bool
	Kind        string
	Note        string
	Version     int
	ContentHash string
	ChainHash   string
}

func (publicationRecord) TableName() string { return "publications" }

func (r publicationRecord) domain() article.Publication {
	return article.Publication{ID: r.ID, ArticleID: r.ArticleID, RevisionID: r.RevisionID, PublishedBy: r.PublishedBy.Int64,
		PublishedAt: r.PublishedAt, Minor: r.Minor, Kind: article.ChangeKind(r.Kind), Note: r.Note, Version: r.Version,
		ContentHash: r.ContentHash, ChainHash: r.ChainHash}
}

type auditRecord struct {
	ID         int64
	At         time.Time
	ActorID    sql.NullInt64
	Action     string
	ArticleID  sql.NullInt64
	RevisionID sql.NullInt64
	Detail     string
	ChainHash  string
}

func (auditRecord) TableName() string { return "audit_events" }

func newAuditRecord(e audit.Entry) auditRecord {
	return auditRecord{At: record.Moment(e.At), ActorID: nullable(e.ActorID), Action: string(e.Action),
		ArticleID: nullable(e.ArticleID), RevisionID: nullable(e.RevisionID), Detail: e.Detail}
}

// event is what the record hashes of an audit row.
func (r auditRecord) event() record.Event {
	return record.Event{At: record.Time(r.At), Actor: r.ActorID.Int64, Action: r.Action, Article: r.ArticleID.Int64,
		Revision: r.RevisionID.Int64, Detail: r.Detail}
}

type reviewRecord struct {
	ID         int64
	RevisionID int64
	ReviewerID sql.NullInt64 // NULL for Quire itself
	Decision   string
	Comment    string
	CreatedAt  time.Time
}

func (reviewRecord) TableName() string { return "reviews" }

type scheduleRecord struct {
	ID         int64
	ArticleID  int64
	RevisionID int64
	PublishAt  time.Time
	Minor      bool
	Kind       string
	Note       string
	State      string
	CreatedBy  sql.NullInt64
	CreatedAt  time.Time
	ClaimedBy  sql.NullString
	ClaimedAt  sql.NullTime
	Failure    string
}

func (scheduleRecord) TableName() string { return "schedules" }

func (r scheduleRecord) domain() article.Schedule {
	return article.Schedule{ID: r.ID, ArticleID: r.ArticleID, RevisionID: r.RevisionID, PublishAt: r.PublishAt,
		Change: article.Change{Minor: r.Minor, Kind: article.ChangeKind(r.Kind), Note: r.Note}, State: article.ScheduleState(r.State), CreatedBy: r.CreatedBy.Int64, CreatedAt: r.CreatedAt,
		Failure: r.Failure, EndedAt: r.ClaimedAt.Time}
}
