package markup

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestRender(t *testing.T) {
	t.Parallel()
	r := New()
	tests := []struct {
		name      string
		source    string
		contains  []string
		excludes  []string
		wantWords int
	}{
		{
			name:      "paragraphs and emphasis",
			source:    "Trotsky was *exiled*.\n\nStalin remained.",
			contains:  []string{"<p>Trotsky was <em>exiled</em>.</p>", "<p>Stalin remained.</p>"},
			wantWords: 5,
		},
		{
			name:     "raw script is dropped",
			source:   "Hello <script>alert(1)</script> world",
			excludes: []string{"<script", "alert(1)</script>"},
		},
		{
			name:     "javascript link loses its href",
			source:   "[click](javascript:alert(1))",
			excludes: []string{"javascript:"},
		},
		{
			name:     "event handler in raw html is dropped",
			source:   "<img src=x onerror=alert(1)>",
			excludes: []string{"onerror"},
		},
		{
			name:     "safe links are kept",
			source:   "[Wikipedia](https://en.wikipedia.org/wiki/Leon_Trotsky)",
			contains: []string{`href="https://en.wikipedia.org/wiki/Leon_Trotsky"`},
		},
		{
			name:      "table from GFM",
			source:    "| a | b |\n|---|---|\n| 1 | 2 |",
			contains:  []string{"<table>", "<td>1</td>"},
			wantWords: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render(tt.source)
			if err != nil {
				t.Fatalf("Render() error = %v", err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(got.HTML, s) {
					t.Errorf("HTML %q does not contain %q", got.HTML, s)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(got.HTML, s) {
					t.Errorf("HTML %q contains %q", got.HTML, s)
				}
			}
			if tt.wantWords != 0 && got.WordCount != tt.wantWords {
				t.Errorf("WordCount = %d (text %q), want %d", got.WordCount, got.Text, tt.wantWords)
			}
		})
	}
}

func TestRenderTextSeparatesParagraphs(t *testing.T) {
	t.Parallel()
	got, err := New().Render("one\n\ntwo")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "one two" {
		t.Errorf("Text = %q, want %q", got.Text, "one two")
	}
}

// FuzzRender checks that no input makes the renderer fail or let active
// content through to readers.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"# Title\n\nBody *em* **strong**",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<img src=x onerror=alert(1)>",
		"```\n<script>\n```",
		"<svg/onload=alert(1)>",
		"<iframe src=//evil.example>",
		"[x](data:text/html;base64,PHNjcmlwdD4=)",
	} {
		f.Add(seed)
	}
	r := New()
	f.Fuzz(func(t *testing.T, source string) {
		got, err := r.Render(source)
		if err != nil {
			t.Fatalf("Render(%q) error = %v", source, err)
		}
		if problem := activeContent(got.HTML); problem != "" {
			t.Fatalf("Render(%q) = %q: %s", source, got.HTML, problem)
		}
	})
}

// activeContent parses HTML the way a browser would and reports the first
// element, event handler or URL that could run code.
func activeContent(fragment string) string {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return "unparsable output: " + err.Error()
	}
	var walk func(*html.Node) string
	walk = func(n *html.Node) string {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta", "link":
				return "element <" + n.Data + ">"
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" {
					return "attribute " + key
				}
				if key == "href" || key == "src" || key == "action" || key == "formaction" {
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:") {
						return "URL " + a.Val
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if p := walk(c); p != "" {
				return p
			}
		}
		return ""
	}
	for _, n := range nodes {
		if p := walk(n); p != "" {
			return p
		}
	}
	return ""
}

// article is a body of about 1,200 words with the Markdown an editor uses.
func article() string {
	para := "Leon Trotsky, a *key figure* in the Russian Revolution and a prominent opponent of Joseph Stalin, " +
		"was assassinated in Mexico in **August 1940**, as [the archive](https://archive.example/trotsky) shows; " +
		"the killing ended the last organised opposition to Stalin abroad and silenced his most articulate critic."
	var b strings.Builder
	for i := range 24 {
		if i%6 == 0 {
			b.WriteString("## A section heading\n\n")
		}
		b.WriteString(para + "\n\n")
	}
	return b.String()
}

// BenchmarkRender is the work a save does on its body: Markdown to HTML,
// sanitized, with plain text and a word count.
func BenchmarkRender(b *testing.B) {
	r, src := New(), article()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := r.Render(src); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImages(t *testing.T) {
	r := New()
	out, err := r.Render("![Tom &amp; \"Jerry\" *at* \\[home\\]](/media/12)\n\nText ![](/media/3) and ![a pixel](https://tracker.example/p.png) and ![](/media/0) and ![x](/media/4?a=1).")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<p><img src="/media/12" alt="Tom &amp; “Jerry” at [home]"></p>`,
		`<img src="/media/3" alt="">`,
		`<a href="https://tracker.example/p.png" rel="noreferrer">a pixel</a>`,
		`<a href="/media/0" rel="noreferrer">/media/0</a>`,
		`<a href="/media/4?a=1" rel="noreferrer">x</a>`,
	} {
		if !strings.Contains(out.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, out.HTML)
		}
	}
	if len(out.Images) != 2 || out.Images[0] != 12 || out.Images[1] != 3 {
		t.Errorf("Images = %v, want [12 3]", out.Images)
	}
}
