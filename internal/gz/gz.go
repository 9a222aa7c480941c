// Package gz decides when a response may be gzip-compressed and compresses
// bodies once, for responses that are sent many times.
package gz

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
)

// Accepts reports whether the client takes gzip and has not refused it
// with q=0.
func Accepts(r *http.Request) bool {
	// strings.SplitSeq, not Split: this runs on every cache hit, and a
	// slice per request is garbage to collect.
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// Compress returns body gzip-compressed: at the best ratio for a body
// that will be sent many times (the cost is paid once), at the default
// level for one sent once.
func Compress(body []byte, best bool) ([]byte, error) {
	level := gzip.DefaultCompression
	if best {
		level = gzip.BestCompression
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
