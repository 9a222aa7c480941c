package mailer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/quire-cms/quire/internal/mail"
)

// Sender hands one message to a mail server.
type Sender interface {
	Send(ctx context.Context, m mail.Message) error
}

// SMTP sends through one SMTP server.
type SMTP struct {
	opts []gomail.Option
	host string
	from string
	// domain names the site in Message-IDs.
	domain string
}

// sendTimeout bounds one message's conversation with the server.
const sendTimeout = 10 * time.Second

// NewSMTP returns a sender for an smtp:// (STARTTLS) or smtps:// (TLS
// from the start) URL, with the user and password it carries, sending
// from from. STARTTLS is required unless the server is on this machine's
// loopback, so that a password never crosses a network in the clear.
// messageDomain names the site in each message's Message-ID.
func NewSMTP(raw, from, messageDomain string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		// The URL is not quoted: it may hold a password.
		return nil, errors.New("QUIRE_SMTP_URL must be smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465")
	}
	host := u.Hostname()
	opts := []gomail.Option{gomail.WithTimeout(sendTimeout)}
	port := 587
	ip := net.ParseIP(host)
	// A relay on this machine (a local Postfix, a test server) may speak
	// plain text; the password never leaves the machine then.
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	auth := gomail.SMTPAuthAutoDiscover
	switch {
	case u.Scheme == "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	case loopback:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		auth = gomail.SMTPAuthPlain
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, errors.New("QUIRE_SMTP_URL has an invalid port")
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if user := u.User.Username(); user != "" {
		password, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(user), gomail.WithPassword(password))
	}
	if _, err := gomail.NewClient(host, opts...); err != nil {
		return nil, fmt.Errorf("QUIRE_SMTP_URL: %w", err)
	}
	return &SMTP{opts: opts, host: host, from: from, domain: messageDomain}, nil
}

// Send delivers m over a connection of its own: a failed or stuck
// conversation touches no other message.
func (s *SMTP) Send(ctx context.Context, m mail.Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(m.Subject)
	// The same id on every attempt lets a mail server drop a duplicate
	// from a retry whose first try did arrive.
	msg.SetMessageIDWithValue("quire-" + strconv.FormatInt(m.ID, 10) + "." + strconv.FormatInt(m.CreatedAt.Unix(), 10) + "@" + s.domain)
	msg.SetDateWithValue(time.Now())
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	return c.DialAndSendWithContext(ctx, msg)
}
