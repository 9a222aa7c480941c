// Package config reads Quire's configuration from environment variables,
// with defaults that work on a laptop, and checks it before anything starts.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/quire-cms/quire/db"
)

// Config is everything Quire reads from its environment.
type Config struct {
	Addr          string     // QUIRE_ADDR: where to listen
	Database      string     // QUIRE_DATABASE: SQLite file path or postgres:// URL
	BaseURL       string     // QUIRE_BASE_URL: public address, for canonical links and feeds
	Demo          bool       // QUIRE_DEMO: load the demo network into an empty database
	SecureCookies bool       // QUIRE_SECURE_COOKIES: mark cookies Secure (default: base URL is https)
	LogLevel      slog.Level // QUIRE_LOG_LEVEL: debug, info, warn or error
	LogFormat     string     // QUIRE_LOG_FORMAT: text or json
	// PageCacheMB is QUIRE_PAGE_CACHE_MB: megabytes of rendered reader
	// pages kept in memory; 0 turns the page cache off.
	PageCacheMB int
	// TrustedProxies is QUIRE_TRUSTED_PROXIES: the networks of the reverse
	// proxies whose X-Forwarded-For names the client. Empty: the client is
	// whoever connects.
	TrustedProxies []*net.IPNet
	// SMTPURL is QUIRE_SMTP_URL: the mail server, with its user and
	// password; empty keeps mail in the outbox.
	SMTPURL string
	// MailFrom is QUIRE_MAIL_FROM: the sender of Quire's mail.
	MailFrom string
	// WebhooksAllowPrivate is QUIRE_WEBHOOKS_ALLOW_PRIVATE: webhooks may
	// reach loopback and private addresses (an intranet, tests).
	WebhooksAllowPrivate bool
	// DebugAddr is QUIRE_DEBUG_ADDR: where Go's profiler listens, on a
	// loopback address only; empty turns it off.
	DebugAddr string
	// MaxUploadMB is QUIRE_MAX_UPLOAD_MB: the largest image file accepted.
	MaxUploadMB int
	// MaxImageMP is QUIRE_MAX_IMAGE_MP: the most megapixels an image may
	// declare, checked before it is decoded.
	MaxImageMP int
	// MediaCacheMB is QUIRE_MEDIA_CACHE_MB: megabytes of image renditions
	// kept on disk, in MediaCacheDir.
	MediaCacheMB  int
	MediaCacheDir string // QUIRE_MEDIA_CACHE_DIR
	ShutdownGrace time.Duration
}

// Variable describes one environment variable, for the README, --help and
// Load, which takes every default from here.
type Variable struct {
	Name    string
	Default string // the value used when the variable is unset
	Meaning string
	// Derived describes a default that Load works out from other
	// variables; Default is empty then.
	Derived string
}

// ShownDefault is the default as --help and the README state it.
func (v Variable) ShownDefault() string {
	if v.Derived != "" {
		return v.Derived
	}
	return v.Default
}

// Variables lists every variable Quire reads, in the order of the README table.
var Variables = []Variable{
	{Name: "QUIRE_ADDR", Default: ":8080", Meaning: "address to listen on (host:port; port 0 picks a free port)"},
	{Name: "QUIRE_DATABASE", Default: "./data/quire.db", Meaning: "SQLite database file (its folder is created if missing), or a postgres://user:password@host:port/database URL"},
	{Name: "QUIRE_BASE_URL", Derived: "http://localhost:<port>", Meaning: "public address of the site, used in canonical links, feeds and cookies"},
	{Name: "QUIRE_DEMO", Default: "true", Meaning: "load the HEN demo network and article into an empty database"},
	{Name: "QUIRE_SECURE_COOKIES", Derived: "true when QUIRE_BASE_URL is https", Meaning: "send cookies only over https"},
	{Name: "QUIRE_LOG_LEVEL", Default: "info", Meaning: "debug, info, warn or error"},
	{Name: "QUIRE_LOG_FORMAT", Default: "text", Meaning: "text or json"},
	{Name: "QUIRE_PAGE_CACHE_MB", Default: "64", Meaning: "megabytes of rendered reader pages kept in memory; 0 turns the page cache off"},
	{Name: "QUIRE_TRUSTED_PROXIES", Derived: "none", Meaning: "comma-separated addresses or CIDR networks of reverse proxies whose X-Forwarded-For header names the client"},
	{Name: "QUIRE_SMTP_URL", Derived: "none: mail waits in Desk → Outbox", Meaning: "mail server as smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465"},
	{Name: "QUIRE_MAIL_FROM", Derived: "Quire <quire@host of QUIRE_BASE_URL>", Meaning: "sender address of Quire's mail"},
	{Name: "QUIRE_WEBHOOKS_ALLOW_PRIVATE", Default: "false", Meaning: "let webhooks reach loopback, private and link-local addresses (an intranet); refused by default"},
	{Name: "QUIRE_MAX_UPLOAD_MB", Default: "20", Meaning: "largest image file an editor may upload, in megabytes"},
	{Name: "QUIRE_MAX_IMAGE_MP", Default: "60", Meaning: "most megapixels an uploaded image may have; larger ones are refused from their header, before decoding"},
	{Name: "QUIRE_MEDIA_CACHE_MB", Default: "512", Meaning: "megabytes of image renditions kept on disk (least recently used go first); safe to delete at any time"},
	{Name: "QUIRE_MEDIA_CACHE_DIR", Derived: "media-cache beside the SQLite file; ./data/media-cache with PostgreSQL", Meaning: "folder of the image rendition cache, one per instance"},
	{Name: "QUIRE_DEBUG_ADDR", Derived: "none: off", Meaning: "loopback address (such as 127.0.0.1:6060) where Go's profiler answers at /debug/pprof/, for measuring Quire under load"},
}

func defaultOf(name string) string {
	for _, v := range Variables {
		if v.Name == name {
			return v.Default
		}
	}
	panic("config: no variable " + name)
}

// Load reads the configuration through getenv, fills in defaults and
// validates it. The error lists every problem, each naming its variable.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	// get returns the variable's value, or its default from Variables
	// (or def, for a default derived from other variables).
	get := func(name string, def ...string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		if len(def) > 0 {
			return def[0]
		}
		return defaultOf(name)
	}
	boolean := func(name string, def ...string) bool {
		raw := get(name, def...)
		v, err := strconv.ParseBool(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s must be true or false, not %q", name, raw))
		}
		return v
	}

	// whole reads a whole number from lo to hi.
	whole := func(name string, lo, hi int) int {
		raw := get(name)
		n, err := strconv.Atoi(raw)
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Errorf("%s must be a whole number from %d to %d, not %q", name, lo, hi, raw))
		}
		return n
	}

	c := Config{
		Addr:          get("QUIRE_ADDR"),
		Database:      get("QUIRE_DATABASE"),
		Demo:          boolean("QUIRE_DEMO"),
		LogFormat:     get("QUIRE_LOG_FORMAT"),
		ShutdownGrace: 10 * time.Second,
	}

	_, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		errs = append(errs, fmt.Errorf("QUIRE_ADDR must be host:port such as :8080 or 127.0.0.1:8080, not %q", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("QUIRE_ADDR has an invalid port %q (use 0 to 65535)", port))
	}

	c.BaseURL = strings.TrimRight(get("QUIRE_BASE_URL", "http://localhost:"+defaultPort(port)), "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		errs = append(errs, fmt.Errorf("QUIRE_BASE_URL must be an absolute http(s) address such as https://history.example, not %q", c.BaseURL))
	}
	c.SecureCookies = boolean("QUIRE_SECURE_COOKIES", strconv.FormatBool(strings.HasPrefix(c.BaseURL, "https://")))

	if err := c.LogLevel.UnmarshalText([]byte(get("QUIRE_LOG_LEVEL"))); err != nil {
		errs = append(errs, fmt.Errorf("QUIRE_LOG_LEVEL must be debug, info, warn or error, not %q", getenv("QUIRE_LOG_LEVEL")))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("QUIRE_LOG_FORMAT must be text or json, not %q", c.LogFormat))
	}
	rawCache := get("QUIRE_PAGE_CACHE_MB")
	if c.PageCacheMB, err = strconv.Atoi(rawCache); err != nil || c.PageCacheMB < 0 || c.PageCacheMB > 65536 {
		errs = append(errs, fmt.Errorf("QUIRE_PAGE_CACHE_MB must be a whole number of megabytes from 0 (off) to 65536, not %q", rawCache))
	}
	c.MaxUploadMB = whole("QUIRE_MAX_UPLOAD_MB", 1, 1024)
	c.MaxImageMP = whole("QUIRE_MAX_IMAGE_MP", 1, 1000)
	c.MediaCacheMB = whole("QUIRE_MEDIA_CACHE_MB", 1, 1<<20)
	c.MediaCacheDir = get("QUIRE_MEDIA_CACHE_DIR", "data/media-cache")
	if _, ok := c.postgres(); !ok && strings.TrimSpace(getenv("QUIRE_MEDIA_CACHE_DIR")) == "" {
		c.MediaCacheDir = filepath.Join(filepath.Dir(c.Database), "media-cache")
	}
	for _, raw := range strings.Split(getenv("QUIRE_TRUSTED_PROXIES"), ",") {
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		if !strings.Contains(raw, "/") {
			if ip := net.ParseIP(raw); ip != nil && ip.To4() != nil {
				raw += "/32"
			} else {
				raw += "/128"
			}
		}
		_, network, err := net.ParseCIDR(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("QUIRE_TRUSTED_PROXIES must list addresses or CIDR networks such as 10.0.0.0/8, not %q", raw))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, network)
	}
	c.SMTPURL = strings.TrimSpace(getenv("QUIRE_SMTP_URL"))
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			// Not quoted: the value may hold a password.
			errs = append(errs, errors.New("QUIRE_SMTP_URL must be smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465"))
		}
	}
	c.MailFrom = get("QUIRE_MAIL_FROM", "Quire <quire@"+c.Host()+">")
	c.WebhooksAllowPrivate = boolean("QUIRE_WEBHOOKS_ALLOW_PRIVATE")
	// The profiler shows what the process is doing and can be made to
	// spend CPU: never on an address anyone else may reach.
	if c.DebugAddr = strings.TrimSpace(getenv("QUIRE_DEBUG_ADDR")); c.DebugAddr != "" {
		if host, _, err := net.SplitHostPort(c.DebugAddr); err != nil || !isLoopback(host) {
			errs = append(errs, fmt.Errorf("QUIRE_DEBUG_ADDR must be a loopback address such as 127.0.0.1:6060, not %q", c.DebugAddr))
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		errs = append(errs, fmt.Errorf("QUIRE_MAIL_FROM must be an address such as \"HEN desk <desk@history.example>\", not %q", c.MailFrom))
	}
	if strings.ContainsRune(c.Database, 0) {
		errs = append(errs, errors.New("QUIRE_DATABASE contains a NUL byte"))
	} else if u, ok := c.postgres(); ok && (u == nil || u.Host == "" || strings.Trim(u.Path, "/") == "") {
		// Not quoted: the value may hold a password.
		errs = append(errs, errors.New("QUIRE_DATABASE must be a postgres://user:password@host:port/database URL naming a host and a database"))
	}

	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// postgres reports whether Database is a PostgreSQL URL, and parses it
// (nil if it does not parse).
func (c Config) postgres() (*url.URL, bool) {
	if !db.IsPostgres(c.Database) {
		return nil, false
	}
	u, err := url.Parse(c.Database)
	if err != nil {
		return nil, true
	}
	return u, true
}

// Host is the host name of the public address: the site's name in mail
// addresses and Message-IDs.
func (c Config) Host() string {
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// SMTPForLogs is SMTPURL fit to log or print: without its password.
func (c Config) SMTPForLogs() string {
	u, err := url.Parse(c.SMTPURL)
	if err != nil {
		return "(unreadable SMTP URL)"
	}
	return u.Redacted()
}

// DatabaseForLogs is Database fit to log or print: a PostgreSQL URL loses
// its password.
func (c Config) DatabaseForLogs() string {
	u, ok := c.postgres()
	switch {
	case !ok:
		return c.Database
	case u == nil:
		return "(unreadable PostgreSQL URL)"
	}
	return u.Redacted()
}

func defaultPort(port string) string {
	if port == "" || port == "0" {
		return "8080"
	}
	return port
}
