package layout

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONLDCannotCloseItsElement(t *testing.T) {
	doc := map[string]string{"name": "</script><script>alert(1)</script> <!-- \u2028 & >"}
	var b bytes.Buffer
	if err := jsonLD(doc).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	inner, ok := strings.CutPrefix(out, `<script type="application/ld+json">`)
	inner, ok2 := strings.CutSuffix(inner, "</script>")
	if !ok || !ok2 || strings.ContainsAny(inner, "<>&\u2028") {
		t.Fatalf("JSON-LD block %q", out)
	}
	var back map[string]string
	if err := json.Unmarshal([]byte(inner), &back); err != nil || back["name"] != doc["name"] {
		t.Errorf("the block reads back as %q, %v", back, err)
	}
}

func TestJSONLDRefusesText(t *testing.T) {
	for _, doc := range []any{`{"@type":"Thing"}`, []byte(`{"@type":"Thing"}`)} {
		var b bytes.Buffer
		if err := jsonLD(doc).Render(context.Background(), &b); err == nil || b.Len() != 0 {
			t.Errorf("jsonLD(%T) wrote %q, err %v; want an error and nothing written", doc, b.String(), err)
		}
	}
}
