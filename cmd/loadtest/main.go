// Command loadtest measures Quire's reader pages against nginx serving the
// same bytes, on one machine, in one run: it builds Quire, generates (or
// reuses) databases of the sizes asked for, starts Quire with its page
// cache on and off, starts nginx with a saved copy of the article page, runs
// wrk against each with the same connections and duration, and prints
// requests/s, latency percentiles and ratios. The desk scenarios load the
// dashboard and an article's desk pages as a logged-in editor. A mixed
// scenario publishes a new revision through the desk every second while
// readers load the page.
// Everything it starts listens on loopback and is stopped when it ends.
//
//	go run ./cmd/loadtest -sizes 1000,100000
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/generate"
)

const (
	seedSlug = "trotskys-assassination-ends-stalins-opposition"
	password = "load test passphrase"
)

type options struct {
	sizes       []int
	dataDir     string
	duration    time.Duration
	connections int
	threads     int
	searchQuery string
	searchRare  string
	searchConns int
	only        *regexp.Regexp // the scenarios to run; nil runs all
	profileDir  string         // where Quire's CPU profiles go; empty takes none
}

// wants reports whether the scenario named name is to be run.
func (o options) wants(name string) bool { return o.only == nil || o.only.MatchString(name) }

func main() {
	var o options
	var sizes string
	flag.StringVar(&sizes, "sizes", "1000,100000", "comma-separated numbers of generated articles to measure")
	flag.StringVar(&o.dataDir, "data", "data/load", "folder for the generated databases, reused between runs")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each wrk run lasts")
	flag.IntVar(&o.connections, "connections", 64, "wrk connections")
	flag.IntVar(&o.threads, "threads", 2, "wrk threads")
	flag.StringVar(&o.searchQuery, "search", "treaty", "a common word to search for (in about 90% of generated articles)")
	flag.StringVar(&o.searchRare, "search-rare", "assassination", "a rare word to search for (in the demo article only)")
	flag.IntVar(&o.searchConns, "search-connections", 2, "wrk connections for the search scenario, where the target is latency (one per core here)")
	only := flag.String("only", "", "run only the scenarios whose names match this regular expression (nginx's always runs)")
	flag.StringVar(&o.profileDir, "profile", "", "save a CPU profile of Quire during each of its scenarios into this folder (read them with go tool pprof)")
	serveFile := flag.String("serve-bytes", "", "(internal) serve this file's bytes as Go's baseline, on -serve-addr")
	serveAddr := flag.String("serve-addr", "", "(internal) where the baseline listens")
	serveBare := flag.Bool("serve-bare", false, "(internal) the baseline sends the body with two headers, not Quire's")
	flag.Parse()
	if *serveFile != "" {
		if err := serveBaseline(*serveFile, *serveAddr, *serveBare); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest baseline:", err)
			os.Exit(1)
		}
		return
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "loadtest: bad size %q\n", s)
			os.Exit(2)
		}
		o.sizes = append(o.sizes, n)
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			fmt.Fprintf(os.Stderr, "loadtest: bad -only: %v\n", err)
			os.Exit(2)
		}
		o.only = re
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// result is one wrk run.
type result struct {
	Scenario string  `json:"-"`
	Requests int     `json:"requests"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_us"`
	P95      float64 `json:"p95_us"`
	P99      float64 `json:"p99_us"`
	Errors   int     `json:"errors"`
	Non2xx   int     `json:"non2xx"`
}

func run(ctx context.Context, o options, out io.Writer) error {
	for _, tool := range []string{"wrk", "nginx", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed (on Debian: apt-get install -y wrk nginx-light)", tool)
		}
	}
	work, err := os.MkdirTemp("", "quire-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// nginx's workers drop root and must be able to read the saved page.
	if err := os.Chmod(work, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(work, "quire")
	fmt.Fprintln(out, "building quire…")
	build := exec.CommandContext(ctx, "go", "build", "-tags", "sqlite_fts5", "-o", bin, "./cmd/quire")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := os.MkdirAll(o.dataDir, 0o750); err != nil {
		return err
	}
	lua := filepath.Join(work, "report.lua")
	if err := os.WriteFile(lua, []byte(reportLua), 0o644); err != nil {
		return err
	}

	all := map[int][]result{}
	for _, n := range o.sizes {
		db, err := prepareDatabase(ctx, bin, o.dataDir, n, out)
		if err != nil {
			return err
		}
		results, err := measure(ctx, o, n, bin, db, work, lua, out)
		if err != nil {
			return err
		}
		all[n] = results
		printResults(out, n, results)
	}
	if len(o.sizes) > 1 {
		printScaling(out, o.sizes[0], o.sizes[len(o.sizes)-1], all)
	}
	return nil
}

// prepareDatabase returns the database with n generated articles, making it
// (with the demo network and two load-test accounts) if it does not exist.
func prepareDatabase(ctx context.Context, bin, dir string, n int, out io.Writer) (string, error) {
	db, err := filepath.Abs(filepath.Join(dir, fmt.Sprintf("quire-%d.db", n)))
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(db); err == nil {
		fmt.Fprintf(out, "reusing %s (%.0f MB)\n", db, float64(fi.Size())/(1<<20))
		return db, nil
	}
	fmt.Fprintf(out, "generating %d articles into %s…\n", n, db)
	start := time.Now()
	env := append(os.Environ(), "QUIRE_DATABASE="+db+".tmp", "QUIRE_LOG_LEVEL=warn")
	steps := [][]string{
		{"demo"},
		{"generate", "--articles", strconv.Itoa(n)},
		{"user", "add", "--email", "load-editor@quire.invalid", "--name", "Load Editor", "--role", "editor"},
		{"user", "add", "--email", "load-reviewer@quire.invalid", "--name", "Load Reviewer", "--role", "reviewer"},
	}
	for _, args := range steps {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, out, os.Stderr
		cmd.Stdin = strings.NewReader(password + "\n")
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("quire %s: %w", strings.Join(args, " "), err)
		}
	}
	// Only a complete database gets the final name, so an interrupted run
	// is not reused.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(db+".tmp"+suffix, db+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	if fi, err := os.Stat(db); err == nil {
		fmt.Fprintf(out, "generated in %s: %.0f MB\n", time.Since(start).Round(time.Second), float64(fi.Size())/(1<<20))
	}
	return db, nil
}

// process is a server this run started.
type process struct {
	cmd       *exec.Cmd
	addr      string
	debugAddr string // where Quire's profiler answers
	tempDir   string // removed when it stops
}

func (p *process) stop() {
	if p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
		}
	}
	if p.tempDir != "" {
		os.RemoveAll(p.tempDir)
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func startQuire(ctx context.Context, bin, db string, cacheMB int) (*process, error) {
	mediaCache, err := os.MkdirTemp("", "quire-load-media-")
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	debugAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, "serve")
	// Each server has a rendition cache of its own, as on its own machine.
	cmd.Env = append(os.Environ(), "QUIRE_DATABASE="+db, "QUIRE_ADDR="+addr, "QUIRE_LOG_LEVEL=error",
		"QUIRE_PAGE_CACHE_MB="+strconv.Itoa(cacheMB), "QUIRE_BASE_URL=http://"+addr, "QUIRE_DEBUG_ADDR="+debugAddr,
		"QUIRE_MEDIA_CACHE_DIR="+mediaCache)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, addr: addr, debugAddr: debugAddr, tempDir: mediaCache}
	if err := waitFor(ctx, "http://"+addr+"/healthz"); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

func startNginx(ctx context.Context, work string, files map[string]response) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	root := filepath.Join(work, "nginx")
	for _, d := range []string{"html", "logs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return nil, err
		}
	}
	// Each file is sent with the headers Quire sent it with: the same
	// bytes, not a body with nginx's few headers.
	var locations strings.Builder
	for path, r := range files {
		file := filepath.Join(root, "html", filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(file, []byte(r.body), 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintf(&locations, "  location = %s {\n    default_type %s;\n", nginxString(path), nginxString(r.header.Get("Content-Type")))
		for name, values := range sameHeaders(r.header, true) {
			for _, v := range values {
				if strings.Contains(v, "$") {
					return nil, fmt.Errorf("header %s of %s: nginx would read $ as a variable", name, path)
				}
				fmt.Fprintf(&locations, "    add_header %s %s always;\n", name, nginxString(v))
			}
		}
		locations.WriteString("  }\n")
	}
	conf := fmt.Sprintf(`worker_processes auto;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path %[1]s/tmp; proxy_temp_path %[1]s/tmp; fastcgi_temp_path %[1]s/tmp; uwsgi_temp_path %[1]s/tmp; scgi_temp_path %[1]s/tmp;
  default_type text/html;
  keepalive_requests 1000000;
  server {
  listen %[2]s; root %[1]s/html; etag on;
%[3]s  }
}
`, root, addr, locations.String())
	confPath := filepath.Join(root, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "nginx", "-c", confPath, "-p", root)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, addr: addr}
	if err := waitFor(ctx, "http://"+addr+"/articles/"+seedSlug); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

// nginxString quotes s for nginx's configuration.
func nginxString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// deepPage follows the article list's next links n times and returns the
// address of the page it reaches.
func deepPage(addr string, n int) (string, error) {
	path := "/api/v1/articles"
	for range n {
		body, err := get("http://" + addr + path)
		if err != nil {
			return "", err
		}
		var page struct{ Next *string }
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			return "", err
		}
		if page.Next == nil {
			break
		}
		u, err := url.Parse(*page.Next)
		if err != nil {
			return "", err
		}
		path = u.RequestURI()
	}
	return path, nil
}

// serveBaseline is Go's ceiling for a cache hit: a bare net/http handler
// writing the same response from memory (the headers in the file beside
// the body's), under the same server timeouts Quire sets.
func serveBaseline(file, addr string, bare bool) error {
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	// Its headers prepared once, as Quire's page cache prepares them;
	// bare, the body with two headers and no length, as the simplest
	// handler sends it (chunked, since it is longer than net/http's
	// buffer).
	header := http.Header{"Content-Type": {"application/json"}, "Etag": {`"baseline"`}}
	if !bare {
		raw, err := os.ReadFile(file + ".headers")
		if err != nil {
			return err
		}
		header = http.Header{}
		if err := json.Unmarshal(raw, &header); err != nil {
			return err
		}
		header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	srv := &http.Server{Addr: addr, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 120 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			for name, values := range header {
				h[name] = values
			}
			w.Write(body)
		})}
	return srv.ListenAndServe()
}

// startBaseline runs serveBaseline in a process of its own, as Quire and
// nginx run.
func startBaseline(ctx context.Context, work string, r response, bare bool) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	file := filepath.Join(work, fmt.Sprintf("baseline-bare-%t.json", bare))
	if err := os.WriteFile(file, []byte(r.body), 0o644); err != nil {
		return nil, err
	}
	headers, err := json.Marshal(sameHeaders(r.header, false))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(file+".headers", headers, 0o644); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-serve-bytes", file, "-serve-addr", addr, "-serve-bare="+strconv.FormatBool(bare))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, addr: addr}
	if err := waitFor(ctx, "http://"+addr+"/"); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

func waitFor(ctx context.Context, u string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(u); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer within a minute", u)
}

func get(u string) (string, error) {
	r, err := fetch(u)
	return r.body, err
}

// response is what a server sent: its body and its headers.
type response struct {
	body   string
	header http.Header
}

// fetch asks for u uncompressed, as wrk does, so that the headers are
// those wrk is sent.
func fetch(u string) (response, error) {
	res, err := identity.Get(u)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return response{}, fmt.Errorf("GET %s: %s", u, res.Status)
	}
	return response{string(b), res.Header}, err
}

// fetchHit asks for u twice and returns the second response: from a
// server with its page cache on, a hit, as wrk's are.
func fetchHit(u string) (response, error) {
	if _, err := fetch(u); err != nil {
		return response{}, err
	}
	return fetch(u)
}

var identity = &http.Client{Transport: &http.Transport{DisableCompression: true}}

// sameHeaders are the headers of a response of Quire's that the servers it
// is compared with send too, so that they send the same bytes: all but
// those every server makes for itself (the date, the length, a request's
// id) and those nginx makes its own of (type, validators).
func sameHeaders(h http.Header, forNginx bool) http.Header {
	out := h.Clone()
	for _, own := range []string{"Date", "Content-Length", "X-Request-Id"} {
		out.Del(own)
	}
	if forNginx {
		for _, own := range []string{"Content-Type", "Etag", "Last-Modified"} {
			out.Del(own)
		}
	}
	return out
}

// measure runs every scenario against one database.
func measure(ctx context.Context, o options, size int, bin, db, work, lua string, out io.Writer) ([]result, error) {
	cached, err := startQuire(ctx, bin, db, 64)
	if err != nil {
		return nil, err
	}
	defer cached.stop()
	uncached, err := startQuire(ctx, bin, db, 0)
	if err != nil {
		return nil, err
	}
	defer uncached.stop()
	article := "/articles/" + seedSlug
	page, err := fetchHit("http://" + cached.addr + article)
	if err != nil {
		return nil, err
	}
	apiArticle := "/api/v1/articles/" + seedSlug
	apiBody, err := fetchHit("http://" + cached.addr + apiArticle)
	if err != nil {
		return nil, err
	}
	// A generated article with a lead image, one without, and one of the
	// lead image's renditions, from the home page's cards.
	withLead, withoutLead, rendition, err := illustratedPages("http://" + cached.addr)
	if err != nil {
		return nil, err
	}
	renditionBody, err := fetchHit("http://" + cached.addr + rendition)
	if err != nil {
		return nil, err
	}
	nginx, err := startNginx(ctx, work, map[string]response{article: page, apiArticle: apiBody, rendition: renditionBody})
	if err != nil {
		return nil, err
	}
	defer nginx.stop()
	baseline, err := startBaseline(ctx, work, apiBody, false)
	if err != nil {
		return nil, err
	}
	defer baseline.stop()
	bare, err := startBaseline(ctx, work, apiBody, true)
	if err != nil {
		return nil, err
	}
	defer bare.stop()

	search := "/search?q=" + url.QueryEscape(o.searchQuery)
	searchRare := "/search?q=" + url.QueryEscape(o.searchRare)
	// The crawler asks for articles uniformly at random over the whole
	// archive, as the sitemap lists them, from the server with its page
	// cache on: almost every request misses it.
	crawler, err := crawlerScript(cached.addr, work)
	if err != nil {
		return nil, err
	}
	// The seed article's first version, and the moment between its
	// publication and now that the TimeGate resolves to it.
	asOf := "Accept-Datetime: " + time.Now().UTC().Add(-time.Hour).Format(http.TimeFormat)
	scenarios := []struct {
		name, addr, path string
		conns            int
		headers          []string
		script           string // wrk's Lua script, if not the report alone
	}{
		{"nginx: the same article bytes", nginx.addr, article, o.connections, nil, ""},
		{"article, cache on", cached.addr, article, o.connections, nil, ""},
		{"article, cache off", uncached.addr, article, o.connections, nil, ""},
		{"version 1, cache on", cached.addr, article + "/versions/1", o.connections, nil, ""},
		{"version 1, cache off", uncached.addr, article + "/versions/1", o.connections, nil, ""},
		{"TimeGate (Accept-Datetime)", cached.addr, article, o.connections, []string{asOf}, ""},
		{"home, cache off", uncached.addr, "/", o.connections, nil, ""},
		{"subject timeline, cache off", uncached.addr, "/subjects/joseph-stalin", o.connections, nil, ""},
		{"category page, cache off", uncached.addr, "/categories/politics", o.connections, nil, ""},
		{"contributor page, cache off", uncached.addr, "/contributors/" + generate.FirstContributor, o.connections, nil, ""},
		{"crawler: random articles, cache on", cached.addr, "/", o.connections, nil, crawler},
		{fmt.Sprintf("search common word, %d conns", o.searchConns), uncached.addr, search, o.searchConns, nil, ""},
		{fmt.Sprintf("search rare word, %d conns", o.searchConns), uncached.addr, searchRare, o.searchConns, nil, ""},
		{"nginx: the same rendition bytes", nginx.addr, rendition, o.connections, nil, ""},
		{"image rendition, cached on disk", cached.addr, rendition, o.connections, nil, ""},
		{"article with lead image, cache off", uncached.addr, withLead, o.connections, nil, ""},
		{"article without image, cache off", uncached.addr, withoutLead, o.connections, nil, ""},
		{"nginx: the same API article bytes", nginx.addr, apiArticle, o.connections, nil, ""},
		{"Go baseline: the same API response", baseline.addr, apiArticle, o.connections, nil, ""},
		{"Go baseline: the API body, bare", bare.addr, apiArticle, o.connections, nil, ""},
		{"API article, cache on", cached.addr, apiArticle, o.connections, nil, ""},
		{"API article, cache off", uncached.addr, apiArticle, o.connections, nil, ""},
		{"API article list, cache off", uncached.addr, "/api/v1/articles", o.connections, nil, ""},
		{"API subject timeline, cache off", uncached.addr, "/api/v1/articles?subject=joseph-stalin&order=event", o.connections, nil, ""},
		{"API list page 40, cache off", uncached.addr, "", o.connections, nil, ""},
	}
	// A page deep in the archive, by its cursor: the keyset costs what the
	// first page does.
	deep, err := deepPage(cached.addr, 40)
	if err != nil {
		return nil, err
	}
	scenarios[len(scenarios)-1].path = deep
	var results []result
	for i, s := range scenarios {
		if i > 0 && !o.wants(s.name) {
			continue // nginx, first, is what every ratio is to
		}
		fmt.Fprintf(out, "  %-32s ", s.name)
		oo := o
		oo.connections = s.conns
		var profiled func() error
		for _, p := range []*process{cached, uncached} {
			if o.profileDir != "" && p.addr == s.addr {
				profiled = profile(ctx, o, p, filepath.Join(o.profileDir, fmt.Sprintf("%d-%s.prof", size, fileName(s.name))))
			}
		}
		script := lua
		if s.script != "" {
			script = s.script
		}
		r, err := runWrk(ctx, oo, script, "http://"+s.addr+s.path, s.headers...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}

		if profiled != nil {
			if err := profiled(); err != nil {
				return nil, fmt.Errorf("%s: profile: %w", s.name, err)
			}
		}
		r.Scenario = s.name
		fmt.Fprintf(out, "%8.0f req/s\n", r.RPS)
		results = append(results, r)
		if s.script == crawler {
			if rss, hwm, err := memory(cached.cmd.Process.Pid); err == nil {
				fmt.Fprintf(out, "  memory after the crawl: %.0f MB resident now, %.0f MB at most\n", rss, hwm)
			}
		}
	}

	if o.wants("uploads: 12-megapixel photographs") {
		if err := uploadRun(ctx, bin, db, out); err != nil {
			return nil, fmt.Errorf("uploads: %w", err)
		}
	}

	desk, err := deskRun(ctx, o, lua, uncached.addr, out)
	if err != nil {
		return nil, fmt.Errorf("desk pages: %w", err)
	}
	results = append(results, desk...)

	if o.wants("editors: readers while 12 editors type") {
		if err := editorsRun(ctx, o, lua, bin, db, cached.addr, out); err != nil {
			return nil, fmt.Errorf("editors run: %w", err)
		}
	}
	if !o.wants("mixed: readers while publishing") {
		return results, nil
	}
	fmt.Fprintf(out, "  %-32s ", "mixed: publishing every second")
	mixed, pub, err := mixedRun(ctx, o, lua, cached.addr)
	if err != nil {
		return nil, fmt.Errorf("mixed run: %w", err)
	}
	fmt.Fprintf(out, "%8.0f req/s\n", mixed.RPS)
	results = append(results, mixed)
	fmt.Fprintf(out, "  publishing under load: %d publications, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed; readers saw each within %.0f ms (worst)\n",
		pub.count, pub.p50, pub.p99, pub.max, pub.failed, pub.visibleWorst)
	if rss, hwm, err := memory(cached.cmd.Process.Pid); err == nil {
		fmt.Fprintf(out, "  memory of the cache-on server: %.0f MB resident now, %.0f MB at most\n", rss, hwm)
	}
	return results, nil
}

// crawlerScript writes a wrk script that asks for the articles the sitemap
// at addr lists, uniformly at random, and returns its path.
func crawlerScript(addr, work string) (string, error) {
	var paths []string
	pages := []string{"http://" + addr + "/sitemap.xml"}
	for len(pages) > 0 {
		body, err := get(pages[0])
		if err != nil {
			return "", err
		}
		pages = pages[1:]
		for _, m := range regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllStringSubmatch(body, -1) {
			u, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				return "", err
			}
			switch {
			case u.Path == "/sitemap.xml":
				pages = append(pages, "http://"+addr+u.RequestURI())
			case strings.HasPrefix(u.Path, "/articles/"):
				paths = append(paths, u.Path)
			}
		}
	}
	if len(paths) == 0 {
		return "", errors.New("the sitemap lists no article")
	}
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "%q,\n", p)
	}
	b.WriteString(`}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
init = function(args)
  math.randomseed(os.time() * 100 + seed)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
`)
	b.WriteString(reportLua)
	file := filepath.Join(work, "crawler.lua")
	return file, os.WriteFile(file, []byte(b.String()), 0o644)
}

// profile starts taking a CPU profile of p for most of one wrk run, into
// file; the function returned waits for it.
func profile(ctx context.Context, o options, p *process, file string) func() error {
	seconds := max(1, int(o.duration.Seconds())-2)
	done := make(chan error, 1)
	go func() {
		time.Sleep(time.Second) // past wrk's first connections
		done <- func() error {
			res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", p.debugAddr, seconds))
			if err != nil {
				return err
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("GET profile: %s", res.Status)
			}
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				return err
			}
			f, err := os.Create(file)
			if err != nil {
				return err
			}
			if _, err := io.Copy(f, res.Body); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}()
	}()
	return func() error {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// fileName turns a scenario's name into a file name.
func fileName(name string) string {
	return strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(name), "-"), "-")
}

func runWrk(ctx context.Context, o options, lua, target string, headers ...string) (result, error) {
	args := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.connections), "-d", o.duration.String(), "--timeout", "5s", "-s", lua}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	cmd := exec.CommandContext(ctx, "wrk", append(args, target)...)
	b, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w", err)
	}
	m := regexp.MustCompile(`(?m)^RESULT (\{.*\})$`).FindSubmatch(b)
	if m == nil {
		return result{}, fmt.Errorf("wrk printed no result:\n%s", b)
	}
	var r result
	return r, json.Unmarshal(m[1], &r)
}

// deskRun loads the desk's busiest pages as a logged-in editor: the
// dashboard, the seed article's overview, history, edit form and review
// page. The desk is never cached, so each request reads the database.
func deskRun(ctx context.Context, o options, lua, addr string, out io.Writer) ([]result, error) {
	base := "http://" + addr
	editor, err := login(base, "load-editor@quire.invalid")
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(base)
	var cookies []string
	for _, c := range editor.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	const article = "/desk/articles/1"
	var results []result
	for _, s := range []struct{ name, path string }{
		{"desk: dashboard", "/desk"},
		{"desk: article overview", article},
		{"desk: history", article + "/history"},
		{"desk: edit form", article + "/edit"},
		{"desk: review page", article + "/review"},
	} {
		if !o.wants(s.name) {
			continue
		}
		fmt.Fprintf(out, "  %-32s ", s.name)
		r, err := runWrk(ctx, o, lua, base+s.path, "Cookie: "+strings.Join(cookies, "; "))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		r.Scenario = s.name
		fmt.Fprintf(out, "%8.0f req/s\n", r.RPS)
		results = append(results, r)
	}
	return results, nil
}

// publishing is what the mixed run's editor saw.
type publishing struct {
	count, failed          int
	p50, p99, max          float64 // milliseconds, for the Publish request
	visibleWorst           float64 // milliseconds from Publish's answer to a reader seeing the new title
	latencies, visibleList []float64
}

// mixedRun loads the article with wrk while an editor and a reviewer, in
// their own sessions, save, submit, approve and publish a new revision of
// it every second through the desk.
func mixedRun(ctx context.Context, o options, lua, addr string) (result, publishing, error) {
	base := "http://" + addr
	editor, err := login(base, "load-editor@quire.invalid")
	if err != nil {
		return result{}, publishing{}, err
	}
	reviewer, err := login(base, "load-reviewer@quire.invalid")
	if err != nil {
		return result{}, publishing{}, err
	}
	type wrkDone struct {
		r   result
		err error
	}
	done := make(chan wrkDone, 1)
	go func() {
		r, err := runWrk(ctx, o, lua, base+"/articles/"+seedSlug)
		done <- wrkDone{r, err}
	}()
	var pub publishing
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	start := time.Now()
	for k := 1; time.Since(start) < o.duration-time.Second; k++ {
		<-tick.C
		title := fmt.Sprintf("Trotsky's Assassination Ends Stalin's Opposition (update %d at %s)", k, time.Now().Format("15:04:05.000"))
		took, err := publishRevision(base, editor, reviewer, title)
		if err != nil {
			pub.failed++
			fmt.Fprintln(os.Stderr, "publish:", err)
			continue
		}
		published := time.Now()
		pub.count++
		pub.latencies = append(pub.latencies, float64(took.Microseconds())/1000)
		for {
			body, err := get(base + "/articles/" + seedSlug)
			if err == nil && strings.Contains(body, strings.ReplaceAll(title, "'", "&#39;")) {
				break
			}
			if time.Since(published) > 10*time.Second {
				pub.failed++
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		pub.visibleList = append(pub.visibleList, float64(time.Since(published).Microseconds())/1000)
	}
	w := <-done
	if w.err != nil {
		return result{}, pub, w.err
	}
	w.r.Scenario = "mixed: readers while publishing"
	pub.p50, pub.p99, pub.max = percentile(pub.latencies, 50), percentile(pub.latencies, 99), percentile(pub.latencies, 100)
	pub.visibleWorst = percentile(pub.visibleList, 100)
	return w.r, pub, nil
}

// Editors typing: how often the article form's script keeps unsaved text
// and says the form is open, and how many editors type at once.
const (
	typists       = 12
	keepEvery     = 15 * time.Second
	presenceEvery = 30 * time.Second
	previewEvery  = 5 * time.Second // a pause in typing
	saveEvery     = 15 * time.Second
	typingFor     = 45 * time.Second
)

// editorsRun loads the cached article with wrk twice for typingFor: alone,
// then while twelve editors, each in their own session on their own
// article, keep unsaved text every 15 s, say the form is open every 30 s
// and ask for the live preview every 5 s, as the form's script does. It reports the readers' throughput both
// times and the helpers' latencies.
func editorsRun(ctx context.Context, o options, lua, bin, db, addr string, out io.Writer) error {
	base := "http://" + addr
	env := append(os.Environ(), "QUIRE_DATABASE="+db, "QUIRE_LOG_LEVEL=error")
	var editors []*session
	var forms []url.Values
	for i := range typists {
		email := fmt.Sprintf("load-typist-%02d@quire.invalid", i+1)
		add := exec.CommandContext(ctx, bin, "user", "add", "--email", email, "--name", fmt.Sprintf("Typist %d", i+1), "--role", "editor")
		add.Env, add.Stdin = env, strings.NewReader(password+"\n")
		_ = add.Run() // already there when the database is reused
		ed, err := login(base, email)
		if err != nil {
			return err
		}
		page := fmt.Sprintf("/desk/articles/%d/edit", i+2)
		form, err := ed.form(page, page)
		if err != nil {
			return err
		}
		editors, forms = append(editors, ed), append(forms, form)
	}
	oo := o
	oo.duration = typingFor
	fmt.Fprintf(out, "  %-32s ", "readers alone, 45 s")
	alone, err := runWrk(ctx, oo, lua, base+"/articles/"+seedSlug)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%8.0f req/s\n", alone.RPS)

	var mu sync.Mutex
	var keeps, presences, previews, saves []float64
	failed := 0
	post := func(ed *session, path string, v url.Values, into *[]float64) {
		start := time.Now()
		res, err := ed.client.PostForm(base+path, v)
		took := float64(time.Since(start).Microseconds()) / 1000
		mu.Lock()
		defer mu.Unlock()
		if err != nil || res.StatusCode != http.StatusOK {
			failed++
		} else {
			*into = append(*into, took)
		}
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
	typing, stop := context.WithTimeout(ctx, typingFor)
	defer stop()
	var wg sync.WaitGroup
	for i, ed := range editors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			article := fmt.Sprintf("/desk/articles/%d", i+2)
			presence := url.Values{"_csrf": forms[i]["_csrf"], "base": forms[i]["base"]}
			// Staggered, as twelve people do not type in step.
			lag := time.Duration(i) * keepEvery / typists
			keep, seen, look := time.NewTimer(lag), time.NewTimer(lag/2), time.NewTimer(lag/3)
			save := time.NewTimer(lag + saveEvery/2)
			for k := 1; ; k++ {
				select {
				case <-typing.Done():
					return
				case <-save.C:
					// Save a revision, as the Save button does, then go on
					// typing on the form it leads back to.
					took, err := ed.submit(article+"/edit", article+"/edit", url.Values{"change_note": {"load test"},
						"body": {forms[i].Get("body") + fmt.Sprintf("\n\nSaved paragraph %d.", k)}})
					form, ferr := ed.form(article+"/edit", article+"/edit")
					mu.Lock()
					if err != nil || ferr != nil {
						failed++
					} else {
						saves = append(saves, float64(took.Microseconds())/1000)
						forms[i] = form
						presence = url.Values{"_csrf": form["_csrf"], "base": form["base"]}
					}
					mu.Unlock()
					save.Reset(saveEvery)
				case <-keep.C:
					v := maps.Clone(forms[i])
					v.Set("body", v.Get("body")+fmt.Sprintf("\n\nTyped paragraph %d.", k))
					post(ed, article+"/scratch", v, &keeps)
					keep.Reset(keepEvery)
				case <-seen.C:
					post(ed, article+"/presence", presence, &presences)
					seen.Reset(presenceEvery)
				case <-look.C:
					post(ed, "/desk/articles/preview", forms[i], &previews)
					look.Reset(previewEvery)
				}
			}
		}()
	}
	fmt.Fprintf(out, "  %-32s ", "editors: readers while 12 editors type")
	with, err := runWrk(ctx, oo, lua, base+"/articles/"+seedSlug)
	wg.Wait()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%8.0f req/s (%.2f× alone)\n", with.RPS, with.RPS/alone.RPS)
	fmt.Fprintf(out, "  autosave: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms; presence: %d, p99 %.1f ms; preview: %d, p99 %.1f ms; %d failed\n",
		len(keeps), percentile(keeps, 50), percentile(keeps, 99), percentile(keeps, 100), len(presences), percentile(presences, 99),
		len(previews), percentile(previews, 99), failed)
	fmt.Fprintf(out, "  saving a revision: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		len(saves), percentile(saves, 50), percentile(saves, 99), percentile(saves, 100))
	return nil
}

func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

type session struct {
	client *http.Client
	base   string
}

func login(base, email string) (*session, error) {
	jar, _ := cookiejar.New(nil)
	s := &session{base: base, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	_, err := s.submit("/login", "/login", url.Values{"email": {email}, "password": {password}})
	return s, err
}

// form fetches page and returns its first form's fields, with their values.
func (s *session) form(page, action string) (url.Values, error) {
	res, err := s.client.Get(s.base + page)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		return nil, err
	}
	f := doc.Find(`form[action="` + action + `"]`).First()
	if f.Length() == 0 {
		return nil, fmt.Errorf("no form posting to %s on %s", action, page)
	}
	// As a browser submits it: every named control in page order, repeated
	// names (the credits' rows) each time.
	v := url.Values{}
	f.Find("input, textarea, select").Each(func(_ int, in *goquery.Selection) {
		name, ok := in.Attr("name")
		if !ok {
			return
		}
		switch {
		case goquery.NodeName(in) == "textarea":
			v.Add(name, in.Text())
		case goquery.NodeName(in) == "select":
			opt := in.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = in.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", ""))
		case in.AttrOr("type", "") == "checkbox" || in.AttrOr("type", "") == "radio":
			if _, on := in.Attr("checked"); on {
				v.Add(name, in.AttrOr("value", "on"))
			}
		default:
			v.Add(name, in.AttrOr("value", ""))
		}
	})
	return v, nil
}

// submit posts the form on page to action, with changes, and expects the
// desk's redirect.
func (s *session) submit(page, action string, changes url.Values) (time.Duration, error) {
	v, err := s.form(page, action)
	if err != nil {
		return 0, err
	}
	for k, vals := range changes {
		v[k] = vals
	}
	s.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { s.client.CheckRedirect = nil }()
	start := time.Now()
	res, err := s.client.PostForm(s.base+action, v)
	took := time.Since(start)
	if err != nil {
		return took, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		b, _ := io.ReadAll(bufio.NewReader(io.LimitReader(res.Body, 400)))
		return took, fmt.Errorf("POST %s: %s %s", action, res.Status, b)
	}
	return took, nil
}

// publishRevision saves a new title for the seed article, submits it, has
// it approved and publishes it, and says how long Publish took.
func publishRevision(base string, editor, reviewer *session, title string) (time.Duration, error) {
	const article = "/desk/articles/1"
	if _, err := editor.submit(article+"/edit", article+"/edit", url.Values{"title": {title}, "change_note": {"load test"}}); err != nil {
		return 0, err
	}
	if _, err := editor.submit(article, article+"/submit", nil); err != nil {
		return 0, err
	}
	if _, err := reviewer.submit(article+"/review", article+"/review", url.Values{"decision": {"approve"}}); err != nil {
		return 0, err
	}
	return editor.submit(article, article+"/publish", nil)
}

// memory reads a process's resident and peak resident set, in megabytes.
func memory(pid int) (rss, hwm float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm, nil
}

func printResults(out io.Writer, n int, results []result) {
	fmt.Fprintf(out, "\n%d generated articles (plus the demo article):\n", n)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\treq/s\tp50 ms\tp95 ms\tp99 ms\terrors\tvs nginx\t")
	nginx := results[0].RPS
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%.2f×\t\n", r.Scenario, r.RPS, r.P50/1000, r.P95/1000, r.P99/1000, r.Errors+r.Non2xx, r.RPS/nginx)
	}
	tw.Flush()
	fmt.Fprintln(out)
}

// printScaling compares each scenario's throughput at the largest size with
// the smallest: 1.25× slower or better is the target.
func printScaling(out io.Writer, small, large int, all map[int][]result) {
	fmt.Fprintf(out, "scaling from %d to %d articles:\n", small, large)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tp50 ratio\treq/s ratio\t")
	for i, r := range all[large] {
		s := all[small][i]
		fmt.Fprintf(tw, "%s\t%.2f×\t%.2f×\t\n", r.Scenario, r.P50/s.P50, s.RPS/r.RPS)
	}
	tw.Flush()
}

// reportLua makes wrk print its summary as one JSON line.
const reportLua = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"rps":%.2f,"p50_us":%d,"p95_us":%d,"p99_us":%d,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
`
