package web

import "github.com/quire-cms/quire/internal/pagecache"

// CachedPage is the page the cache holds under key, as a hit would find it.
func (s *Server) CachedPage(key string) (pagecache.Page, bool) {
	return s.pages.Get(key)
}
