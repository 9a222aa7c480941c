package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"
	"github.com/pressly/goose/v3"

	"github.com/quire-cms/quire/internal/article"
)

// A revision's body is kept three ways (Markdown for the desk, HTML for
// readers, plain text for search and comparison), each compressed as one
// zstd frame: stored plain they were three quarters of a 100,000-article
// database. The plain text's opening is also kept as it is, for listings
// and page descriptions, which then never decompress anything.

// excerptRunes is how much of the plain text the excerpt keeps.
const excerptRunes = 400

// maxBody bounds what one compressed column may decompress to: far above
// any body the editor accepts, so only a damaged row meets it.
const maxBody = 64 << 20

var codec = sync.OnceValues(func() (*zstd.Encoder, *zstd.Decoder) {
	// EncodeAll and DecodeAll may be called from many goroutines at once.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		panic("store: zstd encoder: " + err.Error()) // constant options
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxBody), zstd.WithDecoderConcurrency(0))
	if err != nil {
		panic("store: zstd decoder: " + err.Error())
	}
	return enc, dec
})

// pack compresses s; an empty s is an empty value, never NULL.
func pack(s string) []byte {
	enc, _ := codec()
	return enc.EncodeAll([]byte(s), make([]byte, 0, len(s)/3+16))
}

func unpack(b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil // not read (an outer join's NULL)
	}
	_, dec := codec()
	buf := scratch.Get().(*[]byte)
	out, err := dec.DecodeAll(b, (*buf)[:0])
	if err != nil {
		return "", fmt.Errorf("store: a revision body does not decompress: %w", err)
	}
	// The string is the only copy made: readers' pages decompress a body
	// each, and a fresh buffer per body was a tenth of what they allocate.
	text := string(out)
	if cap(out) <= maxScratch {
		*buf = out
		scratch.Put(buf)
	}
	return text, nil
}

// scratch holds buffers bodies decompress into; one grown past maxScratch
// by a rare long body is left to the collector rather than kept.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

const maxScratch = 1 << 20

// excerpt is the opening of a body's plain text.
func excerpt(text string) string {
	if utf8.RuneCountInString(text) <= excerptRunes {
		return text
	}
	n := 0
	for i := range text {
		if n == excerptRunes {
			return text[:i]
		}
		n++
	}
	return text
}

// textRecord is a revision's body as stored.
type textRecord struct {
	RevisionID int64 `gorm:"primaryKey;autoIncrement:false"`
	Markdown   []byte
	HTML       []byte `gorm:"column:html"`
	Plain      []byte
	Excerpt    string
}

func (textRecord) TableName() string { return "revision_texts" }

// textColumns are the columns of a textRecord.
var textColumns = []string{"revision_id", "markdown", "html", "plain", "excerpt"}

func newTextRecord(revisionID int64, rev article.Revision) textRecord {
	return textRecord{RevisionID: revisionID, Markdown: pack(rev.BodyMarkdown), HTML: pack(rev.BodyHTML),
		Plain: pack(rev.BodyText), Excerpt: excerpt(rev.BodyText)}
}

// fill sets the parts of rev's body that were read: the whole plain text
// if it was, else the excerpt.
func (t textRecord) fill(rev *article.Revision) error {
	var err error
	if rev.BodyMarkdown, err = unpack(t.Markdown); err != nil {
		return err
	}
	if rev.BodyHTML, err = unpack(t.HTML); err != nil {
		return err
	}
	if rev.BodyText, err = unpack(t.Plain); err != nil {
		return err
	}
	if t.Plain == nil {
		rev.BodyText = t.Excerpt
	}
	return nil
}

// moveBodies is migration 20: every body from revision_bodies (three
// plain TEXT columns) to revision_texts, compressed, and revision_bodies
// dropped with its triggers. It is Go, not SQL, because SQL cannot
// compress; it reads in batches so that memory stays flat however large
// the database.
func moveBodies(placeholders func(string) string) *goose.Migration {
	up := func(ctx context.Context, tx *sql.Tx) error {
		insert, err := tx.PrepareContext(ctx, placeholders(
			"INSERT INTO revision_texts (revision_id, markdown, html, plain, excerpt) VALUES (?, ?, ?, ?, ?)"))
		if err != nil {
			return err
		}
		defer insert.Close()
		for last := int64(-1); ; {
			rows, err := tx.QueryContext(ctx, placeholders(`SELECT revision_id, body_markdown, body_html, body_text
				FROM revision_bodies WHERE revision_id > ? ORDER BY revision_id LIMIT ?`), last, moveBatch)
			if err != nil {
				return err
			}
			var recs []textRecord
			for rows.Next() {
				var id int64
				var rev article.Revision
				if err := rows.Scan(&id, &rev.BodyMarkdown, &rev.BodyHTML, &rev.BodyText); err != nil {
					rows.Close()
					return err
				}
				recs = append(recs, newTextRecord(id, rev))
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if len(recs) == 0 {
				break
			}
			for _, r := range recs {
				if _, err := insert.ExecContext(ctx, r.RevisionID, r.Markdown, r.HTML, r.Plain, r.Excerpt); err != nil {
					return fmt.Errorf("move the body of revision %d: %w", r.RevisionID, err)
				}
			}
			last = recs[len(recs)-1].RevisionID
		}
		_, err = tx.ExecContext(ctx, "DROP TABLE revision_bodies")
		return err
	}
	// Going back below 20 would need the plain table again; migration 19's
	// way down drops the compressed one. Refused rather than losing every
	// body.
	down := func(context.Context, *sql.Tx) error {
		return errors.New("store: migration 20 (compressed bodies) cannot be undone; restore a backup taken before the upgrade")
	}
	return goose.NewGoMigration(20, &goose.GoFunc{RunTx: up}, &goose.GoFunc{RunTx: down})
}

// moveBatch is how many bodies migration 20 holds in memory at once.
var moveBatch = 500
