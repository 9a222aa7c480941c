package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // network time zones work in a minimal container image

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/config"
	"github.com/quire-cms/quire/internal/demo"
	"github.com/quire-cms/quire/internal/gcpace"
	"github.com/quire-cms/quire/internal/generate"
	"github.com/quire-cms/quire/internal/hooks"
	"github.com/quire-cms/quire/internal/mailer"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/scheduler"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/web"
)

const usage = `Quire, an editorial CMS.

Usage:
  quire [serve]        run the web server (the default)
  quire migrate        apply database migrations and exit
  quire demo           load the HEN demo network into an empty database
  quire setup-link     print a new link to create the first admin (while there is none)
  quire backup FILE    write a consistent copy of the database to FILE
  quire generate --articles N [--seed S]
                       add N generated articles to a test database, for measuring
                       a large site (written without waiting for the disk)
  quire user add --email E --name N --role R
                       create an account (password read from standard input)
  quire user passwd --email E
                       set a new password (read from standard input)
  quire user role --email E --role R
                       give an account another role
  quire user reset-2fa --email E
                       turn off an account's two-factor login
  quire user list      list accounts
  quire verify [--head H]...
                       check the record: every publication against what it published,
                       the hash chains of publications and the audit log, and that each
                       head H noted earlier is still in them (exit 1 and the first break
                       if anything changed)
  quire audit export [--since YYYY-MM-DD] [--format jsonl|csv]
                       write the audit log to standard output, oldest first
  quire healthcheck    exit 0 if the server on QUIRE_ADDR answers /healthz (for containers)
  quire help           show this help

Configuration comes from environment variables:
`

// run is the whole program; main only supplies the process's context,
// arguments, environment and standard streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return nil
	case "serve", "migrate", "demo", "backup", "healthcheck", "user", "generate", "setup-link", "verify", "audit":
	default:
		printUsage(stderr)
		return fmt.Errorf("unknown command %q", cmd)
	}

	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cmd == "healthcheck" {
		return healthcheck(ctx, cfg)
	}
	logger := newLogger(cfg, stderr)
	st, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	post := mailer.NewPost(cfg.BaseURL)
	images := media.NewProcessor(int64(cfg.MaxImageMP)*1_000_000, media.DefaultBudget)
	svc := services{store: st, pub: publishing.New(st, markup.New()).Mailing(post).Linking(api.Links{Base: cfg.BaseURL}).Imaging(images),
		hooks: hooks.New(st), read: reading.New(st).Imaging(images), access: access.New(st).Mailing(post), post: post}
	// verify reads the record as it is; every other command first seals
	// the rows written before the record existed.
	if cmd != "verify" {
		if sealed, err := svc.pub.Seal(ctx); err != nil {
			return err
		} else if sealed > 0 {
			logger.Info("sealed the record of earlier publications and audit entries", "rows", sealed)
		}
	}

	switch cmd {
	case "migrate":
		fmt.Fprintln(stdout, "database is up to date:", cfg.DatabaseForLogs())
		return nil
	case "demo":
		return loadDemo(ctx, svc.pub, stdout)
	case "setup-link":
		printed, err := printSetupLink(ctx, svc.access, cfg, stdout)
		if err == nil && !printed {
			fmt.Fprintln(stdout, "Quire already has accounts: log in, or run quire user add to create one")
		}
		return err
	case "user":
		return userCommand(ctx, svc.access, args, stdin, stdout)
	case "generate":
		return generateCommand(ctx, svc, args, stdout)
	case "verify":
		return verifyCommand(ctx, svc.pub, args, stdout)
	case "audit":
		return auditCommand(ctx, svc.pub, args, stdout)
	case "backup":
		if len(args) != 1 {
			return errors.New("backup needs exactly one argument: the file to write")
		}
		if err := st.Backup(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "backup written to", args[0])
		return nil
	}
	return serve(ctx, cfg, svc, logger, stdout)
}

// services are the use cases on the opened database.
type services struct {
	store  *store.Store
	pub    *publishing.Service
	read   *reading.Service
	access *access.Service
	post   *mailer.Post
	hooks  *hooks.Service
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	for _, v := range config.Variables {
		fmt.Fprintf(w, "  %-22s %s (default %s)\n", v.Name, v.Meaning, v.ShownDefault())
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens the database and brings its schema up to date, as every
// command needs.
func openStore(ctx context.Context, cfg config.Config, logger *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(applied) > 0 {
		logger.Info("migrated database", "database", cfg.DatabaseForLogs(), "versions", applied)
	}
	return st, nil
}

func loadDemo(ctx context.Context, pub *publishing.Service, stdout io.Writer) error {
	loaded, err := demo.Load(ctx, pub, time.Now())
	if err != nil {
		return err
	}
	if !loaded {
		fmt.Fprintln(stdout, "the database already has content; demo not loaded")
		return nil
	}
	fmt.Fprintln(stdout, "loaded the History Editorial Network demo")
	return nil
}

// The heap may grow gcHeadroom past what is live before the collector
// runs, but not past the page cache's budget (or gcHeadroom, if larger)
// plus gcMargin, unless what is live leaves less than a quarter of itself
// under that (see gcpace), and Go's soft memory limit follows unless
// GOMEMLIMIT is set. When GOGC is set, Quire sets neither.
const gcHeadroom, gcMargin = 64 << 20, 32 << 20

// gcCeiling is the heap pacing keeps under, for a page cache of cacheMB.
func gcCeiling(cacheMB int) uint64 {
	return max(uint64(cacheMB)<<20, gcHeadroom) + gcMargin
}

func serve(ctx context.Context, cfg config.Config, svc services, logger *slog.Logger, stdout io.Writer) error {
	st := svc.store
	if cfg.Demo {
		loaded, err := demo.Load(ctx, svc.pub, time.Now())
		if err != nil {
			return err
		}
		if loaded {
			logger.Info("loaded demo content into the empty database (set QUIRE_DEMO=false to start empty)")
		}
	}
	if err := svc.pub.EnsureSettings(ctx); err != nil {
		return err
	}

	if printed, err := printSetupLink(ctx, svc.access, cfg, stdout); err != nil {
		return err
	} else if printed {
		logger.Info("no accounts yet: the link to create the first admin is printed on standard output")
	}

	var sender mailer.Sender
	if cfg.SMTPURL == "" {
		logger.Warn("QUIRE_SMTP_URL is not set: mail is not being sent; it waits in Desk → Outbox")
	} else {
		smtp, err := mailer.NewSMTP(cfg.SMTPURL, cfg.MailFrom, cfg.Host())
		if err != nil {
			return err
		}
		sender = smtp
		logger.Info("sending mail", "smtp", cfg.SMTPForLogs(), "from", cfg.MailFrom)
	}

	sessions, err := st.Sessions(10 * time.Minute)
	if err != nil {
		return err
	}
	defer sessions.StopCleanup()
	renditions, err := media.OpenCache(cfg.MediaCacheDir, int64(cfg.MediaCacheMB)<<20)
	if err != nil {
		return err
	}
	handler := web.New(web.Config{BaseURL: cfg.BaseURL, SecureCookies: cfg.SecureCookies, PageCacheBytes: int64(cfg.PageCacheMB) << 20,
		TrustedProxies: cfg.TrustedProxies, MailSent: sender != nil, MaxUploadBytes: int64(cfg.MaxUploadMB) << 20, Renditions: renditions},
		web.Services{DB: st, Publishing: svc.pub, Reading: svc.read, Access: svc.access, Hooks: svc.hooks}, sessions, logger)
	if cfg.DebugAddr != "" {
		_, stopProfiler, err := serveProfiler(cfg.DebugAddr, logger)
		if err != nil {
			return err
		}
		defer stopProfiler()
	}
	// The process's own environment, not the configuration's: it is the
	// one Go's runtime read GOGC and GOMEMLIMIT from. Set before Quire
	// says it is listening, so that whoever waits for that finds it set.
	if os.Getenv("GOGC") == "" {
		defer gcpace.Start(gcHeadroom, gcCeiling(cfg.PageCacheMB), os.Getenv("GOMEMLIMIT") == "")()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "Quire is listening on http://%s (public address %s)\n", displayAddr(ln.Addr()), cfg.BaseURL)
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "database", cfg.DatabaseForLogs())

	schedCtx, stopScheduler := context.WithCancel(ctx)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		scheduler.New(svc.pub, time.Second, logger).Run(schedCtx)
	}()
	hooksDone := make(chan struct{})
	go func() {
		defer close(hooksDone)
		build := hooks.Publications(svc.read, api.Links{Base: cfg.BaseURL})
		hooks.NewWorker(st, hooks.Client(cfg.WebhooksAllowPrivate), build, logger).Run(schedCtx, time.Second)
	}()
	mailDone := make(chan struct{})
	go func() {
		defer close(mailDone)
		mailer.NewWorker(st, svc.post, sender, logger).Run(schedCtx, time.Second)
	}()
	// The scheduler and the mail worker stop, and finish what they began,
	// before the database closes.
	defer func() { stopScheduler(); <-schedDone; <-mailDone; <-hooksDone }()
	// Other processes sharing the database reach this one's page cache
	// within half a second; changes made here empty it at once.
	go handler.WatchGeneration(schedCtx, 500*time.Millisecond)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// serveProfiler serves Go's profiler at addr (a loopback address, as
// config checks) on a listener of its own, so that the public handler and
// its middleware never see /debug/pprof/. It answers only requests naming
// a loopback host, so that a web page cannot reach it by pointing a name
// of its own at 127.0.0.1 (DNS rebinding), and profiles for a minute at
// most.
func serveProfiler(addr string, logger *slog.Logger) (listening string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen on QUIRE_DEBUG_ADDR %s: %w", addr, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return "", nil, fmt.Errorf("QUIRE_DEBUG_ADDR %s is not a loopback address here (%s)", addr, ln.Addr())
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	guard := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		ip := net.ParseIP(strings.Trim(host, "[]"))
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "the profiler answers only on a loopback host", http.StatusForbidden)
			return
		}
		if sec, err := strconv.Atoi(r.URL.Query().Get("seconds")); err == nil && sec > 60 {
			http.Error(w, "profile for 60 seconds at most", http.StatusBadRequest)
			return
		}
		mux.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: guard, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 90 * time.Second}
	logger.Warn("Go's profiler is answering", "addr", ln.Addr().String())
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Close() }, nil
}

// printSetupLink prints a one-time link to the first-run setup page while
// no account exists, and says whether it did. Whoever merely reaches /setup
// first gets nothing: the link is only here, on the server.
func printSetupLink(ctx context.Context, acc *access.Service, cfg config.Config, stdout io.Writer) (bool, error) {
	token, ok, err := acc.SetupLink(ctx)
	if err != nil || !ok {
		return false, err
	}
	fmt.Fprintf(stdout, "Quire has no accounts yet. Create the first admin at %s/setup?token=%s\n", cfg.BaseURL, token)
	return true, nil
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}

// healthcheck asks the local server for /healthz, so that a container image
// needs no curl or shell to be checked.
func healthcheck(ctx context.Context, cfg config.Config) error {
	_, port, _ := net.SplitHostPort(cfg.Addr)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %s", res.Status)
	}
	return nil
}

// generateCommand fills the database with a large generated network.
func generateCommand(ctx context.Context, svc services, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	articles := fs.Int("articles", 1000, "how many articles to add")
	seed := fs.Uint64("seed", 1, "the same seed makes the same site")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("generate: %w (usage: quire generate --articles N [--seed S])", err)
	}
	if *articles < 1 || *articles > 10_000_000 {
		return errors.New("generate: --articles must be from 1 to 10000000")
	}
	// A generated database can be made again, so it is written without
	// waiting for the disk at every commit.
	if err := svc.store.ForBulkLoad(ctx); err != nil {
		return err
	}
	res, err := generate.Run(ctx, svc.pub, svc.access, generate.Options{Articles: *articles, Seed: *seed, Progress: stdout})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %d articles with %d revisions in %s: %d live, %d unpublished, %d with a revision in review, %d scheduled\n",
		res.Articles, res.Revisions, res.Took.Round(time.Second), res.Live, res.Unpublished, res.Pending, res.Scheduled)
	return nil
}
