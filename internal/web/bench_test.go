package web_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/quire-cms/quire/internal/web"
)

// BenchmarkArticlePage serves the seed article over real HTTP, from the
// page cache and rendered afresh each time.
func BenchmarkArticlePage(b *testing.B) {
	for _, mode := range []struct {
		name  string
		bytes int64
	}{{"cache on", 8 << 20}, {"cache off", 0}} {
		b.Run(mode.name, func(b *testing.B) {
			e := newEnvWith(b, web.Config{BaseURL: baseURL, PageCacheBytes: mode.bytes})
			url := e.srv.URL + "/articles/" + seedSlug
			client := e.srv.Client()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					res, err := client.Get(url)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
		})
	}
}
