package store_test

import (
	"testing"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
)

func BenchmarkDeskView(b *testing.B) {
	e := publishingtest.New(b)
	a, _ := e.Create("Benchmarked")
	for _, c := range []struct {
		name  string
		parts article.DeskParts
	}{{"header", article.DeskParts{}}, {"whole", article.DeskParts{HeadBody: true, LiveBody: true, Taxonomy: true, Reviews: true}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Store.DeskView(b.Context(), a.ID, c.parts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("article", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.Store.Article(b.Context(), a.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("revisions", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.Store.Revisions(b.Context(), a.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
