package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if c.Addr != ":8080" || c.Database != "./data/quire.db" || c.BaseURL != "http://localhost:8080" || !c.Demo || c.SecureCookies || c.PageCacheMB != 64 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   map[string]string
		check func(Config) bool
	}{
		{"base URL follows the port", map[string]string{"QUIRE_ADDR": ":9000"}, func(c Config) bool { return c.BaseURL == "http://localhost:9000" }},
		{"https base URL makes cookies secure", map[string]string{"QUIRE_BASE_URL": "https://history.example/"}, func(c Config) bool {
			return c.SecureCookies && c.BaseURL == "https://history.example"
		}},
		{"secure cookies can be forced off", map[string]string{"QUIRE_BASE_URL": "https://h.example", "QUIRE_SECURE_COOKIES": "false"}, func(c Config) bool { return !c.SecureCookies }},
		{"demo off", map[string]string{"QUIRE_DEMO": "false"}, func(c Config) bool { return !c.Demo }},
		{"page cache off", map[string]string{"QUIRE_PAGE_CACHE_MB": "0"}, func(c Config) bool { return c.PageCacheMB == 0 }},
		{"port zero is allowed", map[string]string{"QUIRE_ADDR": "127.0.0.1:0"}, func(c Config) bool { return c.Addr == "127.0.0.1:0" }},
		{"a PostgreSQL URL", map[string]string{"QUIRE_DATABASE": "postgres://quire:s3cret@db.internal:5432/hen?sslmode=require"}, func(c Config) bool {
			return c.DatabaseForLogs() == "postgres://quire:xxxxx@db.internal:5432/hen?sslmode=require"
		}},
		{"trusted proxies", map[string]string{"QUIRE_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7 ,::1"}, func(c Config) bool {
			return len(c.TrustedProxies) == 3 && c.TrustedProxies[1].String() == "192.0.2.7/32" && c.TrustedProxies[2].String() == "::1/128"
		}},
		{"no trusted proxies by default", nil, func(c Config) bool { return len(c.TrustedProxies) == 0 }},
		{"an SMTP URL is logged without its password", map[string]string{"QUIRE_SMTP_URL": "smtp://desk%40hen.example:s3cret@smtp.example:587"}, func(c Config) bool {
			return c.SMTPURL != "" && c.SMTPForLogs() == "smtp://desk%40hen.example:xxxxx@smtp.example:587"
		}},
		{"mail comes from the base URL's host", map[string]string{"QUIRE_BASE_URL": "https://history.example"}, func(c Config) bool {
			return c.MailFrom == "Quire <quire@history.example>" && c.SMTPURL == ""
		}},
		{"the profiler is off by default", nil, func(c Config) bool { return c.DebugAddr == "" }},
		{"the profiler on loopback", map[string]string{"QUIRE_DEBUG_ADDR": "127.0.0.1:6060"}, func(c Config) bool { return c.DebugAddr == "127.0.0.1:6060" }},
		{"a SQLite path is logged as it is", map[string]string{"QUIRE_DATABASE": "/var/lib/quire/hen.db"}, func(c Config) bool {
			return c.DatabaseForLogs() == "/var/lib/quire/hen.db"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if err != nil {
				t.Fatalf("Load() error = %v", err)
			}
			if !tt.check(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"demo not a boolean", map[string]string{"QUIRE_DEMO": "maybe"}, `QUIRE_DEMO must be true or false, not "maybe"`},
		{"address without port", map[string]string{"QUIRE_ADDR": "localhost"}, "QUIRE_ADDR must be host:port"},
		{"port out of range", map[string]string{"QUIRE_ADDR": ":70000"}, "invalid port"},
		{"relative base URL", map[string]string{"QUIRE_BASE_URL": "history.example"}, "QUIRE_BASE_URL must be an absolute http(s) address"},
		{"ftp base URL", map[string]string{"QUIRE_BASE_URL": "ftp://history.example"}, "QUIRE_BASE_URL"},
		{"unknown log level", map[string]string{"QUIRE_LOG_LEVEL": "loud"}, "QUIRE_LOG_LEVEL"},
		{"unknown log format", map[string]string{"QUIRE_LOG_FORMAT": "xml"}, "QUIRE_LOG_FORMAT"},
		{"negative page cache", map[string]string{"QUIRE_PAGE_CACHE_MB": "-1"}, "QUIRE_PAGE_CACHE_MB"},
		{"page cache not a number", map[string]string{"QUIRE_PAGE_CACHE_MB": "lots"}, "QUIRE_PAGE_CACHE_MB"},
		{"PostgreSQL URL without a database", map[string]string{"QUIRE_DATABASE": "postgres://quire:s3cret@db.internal:5432"}, "naming a host and a database"},
		{"PostgreSQL URL without a host", map[string]string{"QUIRE_DATABASE": "postgresql:///hen"}, "naming a host and a database"},
		{"a proxy that is not an address", map[string]string{"QUIRE_TRUSTED_PROXIES": "proxy.internal"}, "QUIRE_TRUSTED_PROXIES"},
		{"an SMTP URL of another scheme", map[string]string{"QUIRE_SMTP_URL": "http://quire:s3cret@smtp.example"}, "QUIRE_SMTP_URL must be smtp://"},
		{"an SMTP URL without a host", map[string]string{"QUIRE_SMTP_URL": "smtp://quire:s3cret@"}, "QUIRE_SMTP_URL"},
		{"a sender that is not an address", map[string]string{"QUIRE_MAIL_FROM": "the desk"}, "QUIRE_MAIL_FROM"},
		{"the profiler on every interface", map[string]string{"QUIRE_DEBUG_ADDR": ":6060"}, "QUIRE_DEBUG_ADDR must be a loopback address"},
		{"the profiler on a public address", map[string]string{"QUIRE_DEBUG_ADDR": "192.0.2.7:6060"}, "QUIRE_DEBUG_ADDR"},
		{"unreadable PostgreSQL URL", map[string]string{"QUIRE_DATABASE": "postgres://quire:s3cret@db internal:bad/hen"}, "QUIRE_DATABASE must be a postgres://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load() error = %v, want it to mention %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("Load() error %q repeats the password", err)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"QUIRE_DEMO": "x", "QUIRE_LOG_FORMAT": "y"}))
	if err == nil || !strings.Contains(err.Error(), "QUIRE_DEMO") || !strings.Contains(err.Error(), "QUIRE_LOG_FORMAT") {
		t.Errorf("Load() error = %v, want both problems", err)
	}
}
