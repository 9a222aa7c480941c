// Package markup turns an editor's Markdown into the sanitized HTML readers
// receive. It runs once, when a revision is saved, never on the read path.
package markup

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Renderer converts Markdown to sanitized HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	text   *bluemonday.Policy
}

// New returns a Renderer with GitHub-flavoured Markdown and typographic quotes,
// sanitized by bluemonday's user-generated-content policy.
func New() *Renderer {
	policy := bluemonday.UGCPolicy()
	// Links in an article are the newsroom's own editorial choices, not
	// untrusted comments, so they are not marked nofollow.
	policy.RequireNoFollowOnLinks(false)
	policy.RequireNoReferrerOnLinks(true)
	// Alt text is prose: quotes and dashes included (the UGC policy's
	// pattern would drop an alt with a quotation mark). It is escaped on
	// output like any attribute.
	policy.AllowAttrs("alt").OnElements("img")
	return &Renderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM, extension.Typographer),
			goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(imageRenderer{}, 100))),
		),
		policy: policy,
		text:   bluemonday.StrictPolicy(),
	}
}

// Rendered is the result of rendering one body.
type Rendered struct {
	HTML      string // sanitized, safe to send to a reader as is
	Text      string // the plain text readers see, for search and word counts
	WordCount int
	// Images are the library images the body shows, in order, by id.
	Images []int64
}

// Render converts source Markdown. Raw HTML in the source is dropped by
// goldmark and whatever survives is sanitized again, so the output is safe
// whatever an editor typed or posted. A body past the Limits is refused
// with a *TooComplexError before it is parsed.
func (r *Renderer) Render(source string) (Rendered, error) {
	if err := checkLimits(source); err != nil {
		return Rendered{}, err
	}
	// The HTML is refused as it grows past the limit, not once it is all
	// in memory: a short body of references to one long link would
	// otherwise render to gigabytes first.
	buf := cappedBuffer{max: MaxHTMLBytes}
	if err := r.md.Convert([]byte(source), &buf); errors.Is(err, errTooMuchHTML) || buf.over {
		return Rendered{}, &TooComplexError{fmt.Sprintf("The body renders to more than %d MiB of HTML; split it into several articles.", MaxHTMLBytes>>20)}
	} else if err != nil {
		return Rendered{}, fmt.Errorf("markup: render markdown: %w", err)
	}
	safe := r.policy.SanitizeBytes(buf.buf.Bytes())
	// Block boundaries become spaces so that words in adjacent paragraphs
	// are not glued together once the tags are gone.
	spaced := blockEnds.Replace(string(safe))
	text := strings.Join(strings.Fields(html.UnescapeString(r.text.Sanitize(spaced))), " ")
	return Rendered{HTML: string(safe), Text: text, WordCount: CountWords(text), Images: imagesIn(string(safe))}, nil
}

var errTooMuchHTML = errors.New("markup: too much HTML")

// cappedBuffer is a buffer that refuses to grow past max. It offers only
// Write, so that no other way of writing (ReadFrom, say) goes around it.
type cappedBuffer struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.over || b.buf.Len()+len(p) > b.max {
		b.over = true
		return 0, errTooMuchHTML
	}
	return b.buf.Write(p)
}

var blockEnds = strings.NewReplacer(
	"</p>", " </p>", "</li>", " </li>", "</td>", " </td>", "</th>", " </th>",
	"</h1>", " </h1>", "</h2>", " </h2>", "</h3>", " </h3>", "</h4>", " </h4>",
	"</h5>", " </h5>", "</h6>", " </h6>", "</pre>", " </pre>", "</blockquote>", " </blockquote>",
	"<br>", " <br>", "<br/>", " <br/>", "<hr>", " <hr>",
)

// CountWords counts whitespace-separated words in plain text.
func CountWords(text string) int {
	return len(strings.Fields(text))
}
