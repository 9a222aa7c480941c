package api_test

import (
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/article"
)

func TestCursorsRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 2, 13, 4, 5, 123456789, time.UTC)
	for _, c := range []api.Cursor{
		{Offset: 40},
		{Order: article.FeedNewest, After: article.FeedCursor{PublishedAt: at, ArticleID: 7}},
		{Order: article.FeedEvent, After: article.FeedCursor{EventDate: "1940-08-20", PublishedAt: at, ArticleID: 9}},
		{Order: article.FeedEvent, After: article.FeedCursor{EventDate: "~", PublishedAt: at, ArticleID: 9}},
	} {
		got, err := api.ParseCursor(c.String())
		if err != nil || got != c {
			t.Errorf("ParseCursor(%q) = %+v, %v; want %+v", c.String(), got, err, c)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add("bnwxNzcyNDU2MzQ1MDAwMDAwMDAwfDc")
	f.Add("ZXwxOTQwLTA4LTIwfDE3NzI0NTYzNDUwMDAwMDAwMDB8OQ")
	f.Add("c3w0MA")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := api.ParseCursor(s)
		if err != nil {
			return
		}
		// Whatever it accepts, it gives back.
		again, err := api.ParseCursor(c.String())
		if err != nil || again != c {
			t.Errorf("%q → %+v → %q → %+v, %v", s, c, c.String(), again, err)
		}
	})
}
