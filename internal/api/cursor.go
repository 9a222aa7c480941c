package api

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/article"
)

// Cursor is where a page of a list ended: the keys of its last article in
// the list's order, or how many search results came before.
type Cursor struct {
	Order  article.FeedOrder
	After  article.FeedCursor
	Offset int // of a search's results
}

// ErrBadCursor is any cursor this API did not make.
var ErrBadCursor = errors.New("not a cursor this API gave out")

// String is the cursor as the next link carries it: opaque, URL-safe.
func (c Cursor) String() string {
	var raw string
	switch {
	case c.Order == "":
		raw = "s|" + strconv.Itoa(c.Offset)
	case c.Order == article.FeedEvent:
		raw = "e|" + c.After.EventDate + "|" + strconv.FormatInt(c.After.PublishedAt.UnixNano(), 10) + "|" + strconv.FormatInt(c.After.ArticleID, 10)
	default:
		raw = "n|" + strconv.FormatInt(c.After.PublishedAt.UnixNano(), 10) + "|" + strconv.FormatInt(c.After.ArticleID, 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor reads a cursor String made.
func ParseCursor(s string) (Cursor, error) {
	if len(s) > 200 {
		return Cursor{}, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, ErrBadCursor
	}
	parts := strings.Split(string(b), "|")
	num := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n >= 0
	}
	switch {
	case parts[0] == "s" && len(parts) == 2:
		n, ok := num(parts[1])
		if !ok || n > 1<<20 {
			break
		}
		return Cursor{Offset: int(n)}, nil
	case parts[0] == "n" && len(parts) == 3:
		at, ok1 := num(parts[1])
		id, ok2 := num(parts[2])
		if !ok1 || !ok2 || id == 0 {
			break
		}
		return Cursor{Order: article.FeedNewest, After: article.FeedCursor{PublishedAt: time.Unix(0, at).UTC(), ArticleID: id}}, nil
	case parts[0] == "e" && len(parts) == 4:
		at, ok1 := num(parts[2])
		id, ok2 := num(parts[3])
		_, dated := article.ParseDate(parts[1])
		if !ok1 || !ok2 || id == 0 || (!dated && parts[1] != "~") {
			break
		}
		return Cursor{Order: article.FeedEvent, After: article.FeedCursor{EventDate: parts[1], PublishedAt: time.Unix(0, at).UTC(), ArticleID: id}}, nil
	}
	return Cursor{}, ErrBadCursor
}
