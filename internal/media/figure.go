package media

import (
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/urls"
)

// URL is the address of one rendition of the image.
func (it Item) URL(v Variant) string { return urls.Rendition(it.ID, it.Tag, v.Name()) }

// Picture is an image at the widths a page may need, WebP first, sized so
// that it takes its place before it loads.
type Picture struct {
	WebP, JPEG    string // srcset values
	Src           string // the JPEG fallback
	Width, Height int
}

// Picture lists the image's scaled renditions, up to its own width.
func (it Item) Picture() Picture {
	p := Picture{Width: it.Width, Height: it.Height}
	var webp, jpg []string
	for _, w := range Widths {
		sw, _ := Scaled(w, OutJPEG).Size(it.Width, it.Height)
		webp = append(webp, it.URL(Scaled(w, OutWebP))+" "+strconv.Itoa(sw)+"w")
		jpg = append(jpg, it.URL(Scaled(w, OutJPEG))+" "+strconv.Itoa(sw)+"w")
		if p.Src == "" || w <= 960 {
			p.Src = it.URL(Scaled(w, OutJPEG))
		}
		if w >= it.Width {
			break // the rest would be the same size
		}
	}
	p.WebP, p.JPEG = strings.Join(webp, ", "), strings.Join(jpg, ", ")
	return p
}

// BodySizes is how wide a body image is shown: the article's measure on
// a wide screen, the screen less its margins on a phone.
const BodySizes = "(min-width: 45rem) 42rem, calc(100vw - 2.5rem)"

// Illustrate turns the library images of a sanitized body into figures:
// an image alone in its paragraph becomes a figure with its caption and
// credit, one within text a picture. Alt text comes from the Markdown, or
// from the library when the Markdown gives none; a decorative image has
// none unless the Markdown gives it one. Items must hold every image the
// body shows. The HTML is written
// once, when the revision is saved, and kept with it.
func Illustrate(body string, items map[int64]Item) (string, []article.ImageUse) {
	var uses []article.ImageUse
	var b strings.Builder
	last := 0
	for _, m := range markup.LibraryImages.FindAllStringSubmatchIndex(body, -1) {
		id, _ := strconv.ParseInt(body[m[2]:m[3]], 10, 64)
		it := items[id]
		alt := body[m[4]:m[5]]
		decorative := it.Decorative && alt == ""
		if alt == "" && !decorative {
			alt = html.EscapeString(it.Alt)
		}
		uses = append(uses, article.ImageUse{MediaID: id, Alt: html.UnescapeString(alt), Decorative: decorative})
		start, end := m[0], m[1]
		alone := strings.HasSuffix(body[last:start], "<p>") && strings.HasPrefix(body[end:], "</p>")
		if alone {
			start, end = start-len("<p>"), end+len("</p>")
		}
		b.WriteString(body[last:start])
		if alone {
			writeFigure(&b, it, alt)
		} else {
			writePicture(&b, it, alt, `data-media="`+strconv.FormatInt(id, 10)+`"`)
		}
		last = end
	}
	if uses == nil {
		return body, nil
	}
	b.WriteString(body[last:])
	return b.String(), uses
}

func writeFigure(b *strings.Builder, it Item, alt string) {
	b.WriteString(`<figure class="figure" data-media="` + strconv.FormatInt(it.ID, 10) + `">`)
	writePicture(b, it, alt, "")
	if caption := CaptionHTML(it.Caption, it.Credit, it.SourceURL, it.Licence); caption != "" {
		b.WriteString("<figcaption>" + caption + "</figcaption>")
	}
	b.WriteString("</figure>")
}

func writePicture(b *strings.Builder, it Item, alt, attrs string) {
	p := it.Picture()
	b.WriteString("<picture")
	if attrs != "" {
		b.WriteString(" " + attrs)
	}
	b.WriteString(`><source type="image/webp" srcset="` + html.EscapeString(p.WebP) + `" sizes="` + BodySizes + `">`)
	b.WriteString(`<img src="` + html.EscapeString(p.Src) + `" srcset="` + html.EscapeString(p.JPEG) + `" sizes="` + BodySizes +
		`" width="` + strconv.Itoa(p.Width) + `" height="` + strconv.Itoa(p.Height) + `" alt="` + alt + `" loading="lazy" decoding="async"></picture>`)
}

// CaptionHTML is a figure's caption followed by its credit line ("Photo:
// … / Source / Licence", as given), escaped; empty when there is neither.
func CaptionHTML(caption, credit, sourceURL, licence string) string {
	var line []string
	if credit != "" {
		line = append(line, html.EscapeString(credit))
	}
	if sourceURL != "" {
		line = append(line, `<a href="`+html.EscapeString(sourceURL)+`" rel="noreferrer">Source</a>`)
	}
	if licence != "" {
		line = append(line, html.EscapeString(licence))
	}
	out := html.EscapeString(caption)
	if len(line) > 0 {
		if out != "" {
			out += " "
		}
		out += `<span class="credit">` + strings.Join(line, " / ") + `</span>`
	}
	return out
}

// Withdrawn replaces, in a body illustrated by Illustrate, the images an
// admin withdrew with a note saying so: the revision keeps them, readers
// no longer see them.
func Withdrawn(body string, gone func(id int64) bool) string {
	if !strings.Contains(body, `data-media="`) {
		return body
	}
	var b strings.Builder
	rest := body
	for {
		i := strings.Index(rest, ` data-media="`)
		if i < 0 {
			break
		}
		open := strings.LastIndexByte(rest[:i], '<')
		numStart := i + len(` data-media="`)
		numEnd := strings.IndexByte(rest[numStart:], '"')
		if open < 0 || numEnd < 0 {
			break
		}
		id, _ := strconv.ParseInt(rest[numStart:numStart+numEnd], 10, 64)
		tag, _, _ := strings.Cut(rest[open+1:i], " ")
		closing := "</" + tag + ">"
		end := strings.Index(rest[i:], closing)
		if end < 0 {
			break
		}
		end += i + len(closing)
		b.WriteString(rest[:open])
		if gone(id) {
			if tag == "figure" {
				b.WriteString(`<figure class="figure withdrawn"><p>This image has been withdrawn.</p></figure>`)
			} else {
				b.WriteString(`<span class="withdrawn">(image withdrawn)</span>`)
			}
		} else {
			b.WriteString(rest[open:end])
		}
		rest = rest[end:]
	}
	b.WriteString(rest)
	return b.String()
}

// hotlinked is another site's image in a body saved before bodies took
// images from the library only.
var hotlinked = regexp.MustCompile(`<img src="(https?://[^"]*)"(?: alt="([^"]*)")?[^>]*>`)

// Unhotlinked turns other sites' images in a body into links to them, as
// Markdown naming one is rendered now: pages load no image from another
// site.
func Unhotlinked(body string) string {
	return hotlinked.ReplaceAllStringFunc(body, func(img string) string {
		m := hotlinked.FindStringSubmatch(img)
		text := m[2]
		if text == "" {
			text = m[1]
		}
		return `<a href="` + m[1] + `" rel="noreferrer">` + text + `</a>`
	})
}
