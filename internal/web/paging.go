package web

import (
	"strconv"

	"github.com/quire-cms/quire/internal/apperr"
)

// page is one page of a numbered list: reader listings, search results,
// the desk's article list and audit log.
type page struct {
	N, Size, Pages int
}

// pageOf reads a page number as a query string gives it ("" is page 1).
// Anything but a whole number from 1 is not found; the answer does not
// repeat what was asked for, so nobody can put words on the site's pages.
func pageOf(raw string, size int) (page, error) {
	if raw == "" {
		return page{N: 1, Size: size, Pages: 1}, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 1_000_000 {
		return page{}, apperr.Errorf(apperr.NotFound, "There is no such page of this list; pages are numbered from 1.")
	}
	return page{N: n, Size: size, Pages: 1}, nil
}

// Offset is how many items come before the page.
func (p page) Offset() int { return (p.N - 1) * p.Size }

// counted sets how many pages total items make, and refuses a page past the
// end as not found.
func (p page) counted(total int) (page, error) {
	p.Pages = max(1, (total+p.Size-1)/p.Size)
	if p.N > p.Pages {
		return p, apperr.Errorf(apperr.NotFound, "This list has only %d page(s).", p.Pages)
	}
	return p, nil
}

// links are the addresses of the previous and next pages, empty at either
// end; at gives the address of page k.
func (p page) links(at func(k int) string) (prev, next string) {
	if p.N > 1 {
		prev = at(p.N - 1)
	}
	if p.N < p.Pages {
		next = at(p.N + 1)
	}
	return prev, next
}
