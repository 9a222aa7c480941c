// Package assets embeds Quire's stylesheets, scripts and images and serves
// them under fingerprinted URLs that browsers may cache for a year.
package assets

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/quire-cms/quire/internal/gz"
)

//go:embed css img js
var files embed.FS

type asset struct {
	body        []byte
	contentType string
	etag        string
	gzipped     []byte // nil unless the type is text and compression pays
}

type catalog struct {
	byURL map[string]string // logical name → fingerprinted URL
	// byPath holds every asset under its fingerprinted path and its plain
	// one; the bool says whether the path carries the fingerprint.
	byPath map[string]servedAsset
}

type servedAsset struct {
	*asset
	immutable bool
}

// Prefix is where assets are served.
const Prefix = "/assets/"

// The catalog is derived once from the embedded files, which never change
// while the binary runs.
var load = sync.OnceValue(func() catalog {
	c := catalog{byURL: map[string]string{}, byPath: map[string]servedAsset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		fingerprinted := strings.TrimSuffix(name, ext) + "." + hash + ext
		a := &asset{body: body, contentType: mime.TypeByExtension(ext), etag: `"` + hash + `"`}
		if a.contentType == "" {
			a.contentType = http.DetectContentType(body)
		}
		if compressible(a.contentType) {
			if a.gzipped, err = gz.Compress(body, true); err != nil {
				return err
			}
		}
		c.byURL[name] = Prefix + fingerprinted
		c.byPath[fingerprinted] = servedAsset{a, true}
		c.byPath[name] = servedAsset{a, false}
		return nil
	})
	if err != nil {
		panic("assets: walk embedded files: " + err.Error())
	}
	return c
})

// URL returns the fingerprinted URL of an embedded asset such as
// "css/quire.css". It panics on an unknown name, which a test catches for
// every name the views use.
func URL(name string) string {
	u, ok := load().byURL[name]
	if !ok {
		panic("assets: no asset named " + name)
	}
	return u
}

// Handler serves assets below Prefix. Fingerprinted paths are cached for a
// year as immutable; plain paths (for anything that hard-codes them) only
// briefly, since their content can change with the next release.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := load().byPath[strings.TrimPrefix(r.URL.Path, Prefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		body, etag := a.body, a.etag
		if a.gzipped != nil {
			h.Set("Vary", "Accept-Encoding")
			if gz.Accepts(r) {
				body, etag = a.gzipped, strings.TrimSuffix(a.etag, `"`)+`-gz"`
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("ETag", etag)
		if a.immutable {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, max-age=300")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "svg") ||
		strings.Contains(contentType, "javascript") || strings.Contains(contentType, "json")
}
