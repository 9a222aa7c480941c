package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/store/storetest"
)

// startQuire runs the real program, as `quire serve`, on a free port with a
// database in a temporary folder, and returns its address.
func startQuire(t *testing.T, env map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{"QUIRE_ADDR": "127.0.0.1:0", "QUIRE_DATABASE": storetest.Location(t, filepath.Join(dir, "data", "quire.db")), "QUIRE_LOG_LEVEL": "warn",
		"QUIRE_MEDIA_CACHE_DIR": filepath.Join(dir, "data", "media-cache")}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), w, io.Discard)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run() after shutdown = %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("quire did not shut down within 15s")
		}
	})

	addr := make(chan string, 1)
	token := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`listening on (http://\S+)`)
		link := regexp.MustCompile(`/setup\?token=(\S+)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := link.FindStringSubmatch(sc.Text()); m != nil {
				token <- m[1]
			}
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		select {
		case tok := <-token:
			setupTokens.Store(a, tok)
		default:
		}
		return a
	case err := <-done:
		t.Fatalf("quire exited before listening: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("quire did not start listening within 30s")
	}
	return ""
}

// setupTokens holds, by address, the setup token each server printed.
var setupTokens sync.Map

// setupLink is the first-run setup link the server at base printed.
func setupLink(t *testing.T, base string) string {
	t.Helper()
	tok, ok := setupTokens.Load(base)
	if !ok {
		t.Fatalf("the server at %s printed no setup link", base)
	}
	return "/setup?token=" + tok.(string)
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestServeEndToEnd(t *testing.T) {
	base := startQuire(t, nil)
	for _, tt := range []struct{ path, contains string }{
		{"/healthz", "ok"},
		{"/readyz", "ready"},
		{"/", "Trotsky&#39;s Assassination Ends Stalin&#39;s Opposition"},
		{"/articles/trotskys-assassination-ends-stalins-opposition", "Updated By: <strong>History Editorial Network (HEN)</strong>"},
	} {
		status, body := fetch(t, base+tt.path)
		if status != http.StatusOK || !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s = %d, want 200 containing %q", tt.path, status, tt.contains)
		}
	}
}

func TestHealthcheckCommand(t *testing.T) {
	base := startQuire(t, nil)
	getenv := func(k string) string {
		if k == "QUIRE_ADDR" {
			return ":" + base[strings.LastIndexByte(base, ':')+1:]
		}
		return ""
	}
	if err := run(context.Background(), []string{"healthcheck"}, getenv, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Errorf("healthcheck against a running server = %v", err)
	}
	closed := func(k string) string {
		if k == "QUIRE_ADDR" {
			return "127.0.0.1:1"
		}
		return ""
	}
	if err := run(context.Background(), []string{"healthcheck"}, closed, strings.NewReader(""), io.Discard, io.Discard); err == nil {
		t.Error("healthcheck against nothing succeeded")
	}
}

func TestServeWithoutDemoStartsEmpty(t *testing.T) {
	base := startQuire(t, map[string]string{"QUIRE_DEMO": "false"})
	status, body := fetch(t, base+"/")
	if status != http.StatusOK || strings.Contains(body, "Trotsky") || !strings.Contains(body, "Nothing has been published yet.") {
		t.Errorf("GET / = %d; want an empty front page", status)
	}
}

func TestBadConfigurationIsExplained(t *testing.T) {
	var stderr bytes.Buffer
	getenv := func(k string) string {
		return map[string]string{"QUIRE_DEMO": "sometimes", "QUIRE_BASE_URL": "history.example"}[k]
	}
	err := run(context.Background(), []string{"serve"}, getenv, strings.NewReader(""), io.Discard, &stderr)
	if err == nil {
		t.Fatal("run() with bad configuration succeeded")
	}
	for _, want := range []string{`QUIRE_DEMO must be true or false, not "sometimes"`, "QUIRE_BASE_URL must be an absolute http(s) address"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) || !strings.Contains(stderr.String(), "quire migrate") {
		t.Errorf("run(frobnicate) = %v, usage %q", err, stderr.String())
	}
}

func TestMigrateDemoAndBackup(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"QUIRE_DATABASE": storetest.Location(t, filepath.Join(dir, "quire.db"))}
	getenv := func(k string) string { return vars[k] }
	cmd := func(args ...string) string {
		t.Helper()
		var stdout bytes.Buffer
		if err := run(context.Background(), args, getenv, strings.NewReader(""), &stdout, io.Discard); err != nil {
			t.Fatalf("quire %v: %v", args, err)
		}
		return stdout.String()
	}
	if out := cmd("migrate"); !strings.Contains(out, "up to date") {
		t.Errorf("migrate said %q", out)
	}
	if out := cmd("migrate"); !strings.Contains(out, "up to date") {
		t.Errorf("second migrate said %q", out)
	}
	if out := cmd("demo"); !strings.Contains(out, "loaded") {
		t.Errorf("demo said %q", out)
	}
	if out := cmd("demo"); !strings.Contains(out, "already has content") {
		t.Errorf("second demo said %q", out)
	}
	backup := filepath.Join(dir, "backup.db")
	if storetest.Postgres() {
		err := run(context.Background(), []string{"backup", backup}, getenv, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("backup on PostgreSQL = %v, want it to point to pg_dump", err)
		}
		return
	}
	cmd("backup", backup)
	if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	// The copy is a working Quire database with the demo in it.
	vars["QUIRE_DATABASE"] = backup
	if out := cmd("demo"); !strings.Contains(out, "already has content") {
		t.Errorf("backup lacks the demo content: %q", out)
	}
	err := run(context.Background(), []string{"backup", backup}, getenv, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file = %v", err)
	}
}

func TestUserCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quire.db")
	db := storetest.Location(t, path)
	getenv := func(k string) string {
		return map[string]string{"QUIRE_DATABASE": db}[k]
	}
	cmd := func(stdin string, args ...string) (string, error) {
		var stdout bytes.Buffer
		err := run(context.Background(), args, getenv, strings.NewReader(stdin), &stdout, io.Discard)
		return stdout.String(), err
	}
	out, err := cmd("a long enough passphrase\n", "user", "add", "--email", "Ed@HEN.example", "--name", "Ed Editor", "--role", "editor")
	if err != nil || !strings.Contains(out, "created editor account for Ed Editor <ed@hen.example>") {
		t.Fatalf("user add = %q, %v", out, err)
	}
	refusals := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"duplicate email", "a long enough passphrase\n", []string{"user", "add", "--email", "ed@hen.example", "--name", "Again", "--role", "editor"}, "already exists"},
		{"unknown role", "a long enough passphrase\n", []string{"user", "add", "--email", "x@hen.example", "--name", "X", "--role", "owner"}, `Unknown role "owner"`},
		{"short password", "short\n", []string{"user", "add", "--email", "y@hen.example", "--name", "Y", "--role", "editor"}, "at least 12 characters"},
		{"no password", "", []string{"user", "add", "--email", "z@hen.example", "--name", "Z", "--role", "editor"}, "no password on standard input"},
		{"missing flags", "", []string{"user", "add", "--email", "z@hen.example"}, "needs --email, --name and --role"},
		{"passwd for nobody", "a long enough passphrase\n", []string{"user", "passwd", "--email", "nobody@hen.example"}, "no account"},
		{"role for nobody", "", []string{"user", "role", "--email", "nobody@hen.example", "--role", "admin"}, "no account"},
		{"role without a role", "", []string{"user", "role", "--email", "ed@hen.example"}, "needs --email and --role"},
		{"reset-2fa for nobody", "", []string{"user", "reset-2fa", "--email", "nobody@hen.example"}, "no account"},
		{"reset-2fa without an email", "", []string{"user", "reset-2fa"}, "needs --email"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			_, err := cmd(r.stdin, r.args...)
			if err == nil || !strings.Contains(err.Error(), r.want) {
				t.Errorf("error = %v, want it to say %q", err, r.want)
			}
		})
	}
	if out, err := cmd("another long passphrase\n", "user", "passwd", "--email", "ed@hen.example"); err != nil || !strings.Contains(out, "password changed") {
		t.Errorf("user passwd = %q, %v", out, err)
	}
	if out, err := cmd("", "user", "role", "--email", "ed@hen.example", "--role", "admin"); err != nil || !strings.Contains(out, "ed@hen.example is now admin") {
		t.Errorf("user role = %q, %v", out, err)
	}
	out, err = cmd("", "user", "list")
	if err != nil || !strings.Contains(out, "ed@hen.example") || !strings.Contains(out, "admin") || !strings.Contains(out, "active") || !strings.Contains(out, "TWO-FACTOR") {
		t.Errorf("user list = %q, %v", out, err)
	}
	// Ed turns on two-factor and loses his phone; the shell turns it off.
	st := storetest.Open(t, path)
	acc := access.New(st)
	ed, _, err := st.AccountByEmail(context.Background(), "ed@hen.example")
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := acc.BeginTwoFactor(context.Background(), ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(secret, time.Now())
	if _, err := acc.ConfirmTwoFactor(context.Background(), ed.ID, code); err != nil {
		t.Fatal(err)
	}
	if out, err := cmd("", "user", "reset-2fa", "--email", "ed@hen.example"); err != nil || !strings.Contains(out, "two-factor login is off for ed@hen.example") {
		t.Errorf("user reset-2fa = %q, %v", out, err)
	}
	if a, _ := acc.Get(context.Background(), ed.ID); a.TwoFactor {
		t.Error("two-factor is still on")
	}
}

// TestScheduleGoesLiveOnceAcrossRestartAndTwoProcesses: a publication
// scheduled while no Quire is running goes live once two servers on the
// same database start, and only one of them publishes it.
func TestScheduleGoesLiveOnceAcrossRestartAndTwoProcesses(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "quire.db")
	st := storetest.Open(t, dbPath)
	e := publishingtest.On(t, st)
	a, rev := e.Create("Stalin Signs the Pact")
	e.Approve(a.ID, rev.ID)
	if err := e.Pub.Schedule(ctx, e.Editor, a.ID, rev.ID, article.Change{}, time.Now().Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	env := map[string]string{"QUIRE_DATABASE": storetest.Location(t, dbPath)}
	first, second := startQuire(t, env), startQuire(t, env)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if code, _ := fetch(t, second+"/articles/stalin-signs-the-pact"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduled article did not go live")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if code, _ := fetch(t, first+"/articles/stalin-signs-the-pact"); code != http.StatusOK {
		t.Errorf("the other server answers %d", code)
	}
	time.Sleep(2 * time.Second) // both schedulers have ticked again since
	check := storetest.Open(t, dbPath)
	pubs, err := check.Publications(ctx, a.ID)
	if err != nil || len(pubs) != 1 {
		t.Fatalf("publications = %+v, %v; want exactly one", pubs, err)
	}
}

// TestAPublishReachesEveryProcessesCache: two servers share a database and
// have the article page cached; a publication made by a third process shows
// on both without a restart.
func TestAPublishReachesEveryProcessesCache(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "quire.db")
	env := map[string]string{"QUIRE_DATABASE": storetest.Location(t, dbPath)}
	servers := []string{startQuire(t, env), startQuire(t, env)}
	const page = "/articles/trotskys-assassination-ends-stalins-opposition"
	for _, s := range servers {
		fetch(t, s+page)
		if res, err := http.Get(s + page); err != nil || res.Header.Get("X-Quire-Cache") != "hit" {
			t.Fatalf("the article is not cached on %s: %v %v", s, res.Header, err)
		} else {
			res.Body.Close()
		}
	}

	e := publishingtest.On(t, storetest.Open(t, dbPath))
	rev := retitle(t, e, "Trotsky Is Assassinated in Mexico")
	published := time.Now()
	if _, err := e.Pub.Publish(ctx, e.Editor, 1, rev.ID, article.Change{}, published); err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		for {
			if _, body := fetch(t, s+page); strings.Contains(body, "Trotsky Is Assassinated in Mexico") {
				t.Logf("%s shows the new title %v after the publication", s, time.Since(published).Round(time.Millisecond))
				break
			}
			if time.Since(published) > 10*time.Second {
				t.Fatalf("%s still serves the old page", s)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// TestServeBoundsTheHeap: quire serve sets Go's soft memory limit to the
// heap's ceiling and the collector's headroom (224 MB with a 128 MB page
// cache, while what is live stays under four fifths of the ceiling), and
// puts back the one it found when it stops. Not parallel: the limit is
// the process's.
func TestServeBoundsTheHeap(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: quire serve leaves the limit alone")
	}
	found := debug.SetMemoryLimit(-1)
	t.Run("serving", func(t *testing.T) {
		startQuire(t, map[string]string{"QUIRE_PAGE_CACHE_MB": "128"})
		want := int64(128+32+64) << 20
		if got := debug.SetMemoryLimit(-1); got != want {
			t.Errorf("memory limit while serving = %d, want %d", got, want)
		}
	}) // the subtest's cleanup stops the server
	if got := debug.SetMemoryLimit(-1); got != found {
		t.Errorf("memory limit after serving = %d, want the %d found before", got, found)
	}
}
