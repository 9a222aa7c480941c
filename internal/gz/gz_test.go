package gz

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"testing"
)

func TestAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   bool
	}{
		{"gzip", true},
		{"br, gzip;q=0.8", true},
		{"GZIP", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"br, deflate", false},
		{"", false},
		{"identity", false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", tt.header)
		if got := Accepts(r); got != tt.want {
			t.Errorf("Accepts(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestCompressRoundTrips(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("Trotsky was exiled. "), 500)
	for _, best := range []bool{true, false} {
		for range 3 { // the compressors are reused
			z, err := Compress(body, best)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(z))
			if err != nil {
				t.Fatal(err)
			}
			back, _ := io.ReadAll(zr)
			if !bytes.Equal(back, body) || len(z) >= len(body)/10 {
				t.Errorf("best=%v: round trip ok=%v, %d → %d bytes", best, bytes.Equal(back, body), len(body), len(z))
			}
		}
	}
}

// BenchmarkCompress compresses a reader page's worth of HTML at each level.
func BenchmarkCompress(b *testing.B) {
	var page bytes.Buffer
	for i := range 200 {
		fmt.Fprintf(&page, "<p class=\"x\">In %d, after months of pressure, the treaty was signed as the press looked on.</p>\n", 1900+i)
	}
	for _, best := range []bool{true, false} {
		b.Run(fmt.Sprintf("best=%v", best), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compress(page.Bytes(), best); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
