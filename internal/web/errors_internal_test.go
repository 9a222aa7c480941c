package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// A request whose client went away is not answered, nor logged as a
// failure, whichever of the errors that follow from it a handler returns.
func TestErrorsOfAClientThatWentAwayAreNotFailures(t *testing.T) {
	e := echo.New()
	for _, err := range []error{
		context.Canceled,
		fmt.Errorf("store: read the publications of article 1: %w", sql.ErrTxDone),
	} {
		ctx, cancel := context.WithCancel(context.Background())
		req := httptest.NewRequest(http.MethodGet, "/articles/a/versions/1", nil).WithContext(ctx)
		c := e.NewContext(req, httptest.NewRecorder())
		if clientGone(err, c) {
			t.Errorf("%v: the client is still there, yet it counts as gone", err)
		}
		cancel()
		if !clientGone(err, c) {
			t.Errorf("%v, after the client went away, counts as a failure", err)
		}
	}
	// A request that timed out, rather than one whose client left, is a
	// failure to report.
	expired, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	timedOut := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil).WithContext(expired), httptest.NewRecorder())
	if clientGone(fmt.Errorf("store: %w", sql.ErrTxDone), timedOut) {
		t.Error("a request that timed out counts as the client going away")
	}
	// A real failure is one, even when the client has left meanwhile.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx), httptest.NewRecorder())
	if clientGone(errors.New("store: disk I/O error"), c) {
		t.Error("a disk error counts as the client going away")
	}
}
