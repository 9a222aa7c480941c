package gz

import (
	"bytes"
	"compress/gzip"
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
	z, err := Compress(body, true)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(zr)
	if !bytes.Equal(back, body) || len(z) >= len(body)/10 {
		t.Errorf("round trip ok=%v, %d → %d bytes", bytes.Equal(back, body), len(body), len(z))
	}
}
