package markup

import (
	"regexp"
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Images in a body come from the network's media library only: Markdown
// naming /media/{id} becomes an <img> that the publishing service turns
// into a figure; an image on another site becomes a link to it, since
// loading it would tell that site who reads the article (and the pages'
// Content-Security-Policy refuses other origins' images anyway).

// libraryImage is the address Markdown names a library image by.
var libraryImage = regexp.MustCompile(`^/media/([1-9][0-9]{0,17})$`)

// LibraryImages finds the library images in sanitized body HTML, as the
// image renderer wrote them: the id, and the alt text as HTML.
var LibraryImages = regexp.MustCompile(`<img src="/media/([1-9][0-9]{0,17})" alt="([^"]*)"/?>`)

type imageRenderer struct{}

func (imageRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, renderImage)
}

func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	alt := altHTML(n, source)
	if libraryImage.Match(n.Destination) {
		_, _ = w.WriteString(`<img src="`)
		_, _ = w.Write(n.Destination)
		_, _ = w.WriteString(`" alt="`)
		_, _ = w.Write(alt)
		_, _ = w.WriteString(`">`)
		return ast.WalkSkipChildren, nil
	}
	dest := util.EscapeHTML(util.URLEscape(n.Destination, true))
	if len(alt) == 0 {
		alt = dest
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(dest)
	_, _ = w.WriteString(`">`)
	_, _ = w.Write(alt)
	_, _ = w.WriteString(`</a>`)
	return ast.WalkSkipChildren, nil
}

// altHTML is the text of an image's description, escaped for an
// attribute; the typographer's quotes arrive as entities already.
func altHTML(n ast.Node, source []byte) []byte {
	var out []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			// As goldmark writes text: backslash escapes and entities
			// resolved, then escaped once.
			v := util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(t.Segment.Value(source))))
			out = append(out, util.EscapeHTML(v)...)
			if t.SoftLineBreak() || t.HardLineBreak() {
				out = append(out, ' ')
			}
		case *ast.String:
			if t.IsRaw() || t.IsCode() {
				out = append(out, t.Value...)
			} else {
				out = append(out, util.EscapeHTML(t.Value)...)
			}
		default:
			out = append(out, altHTML(c, source)...)
		}
	}
	return out
}

// imagesIn lists the library images sanitized HTML shows, in order.
func imagesIn(html string) []int64 {
	var ids []int64
	for _, m := range LibraryImages.FindAllStringSubmatch(html, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	return ids
}
