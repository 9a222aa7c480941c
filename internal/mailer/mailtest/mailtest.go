// Package mailtest runs a real SMTP server on the loopback interface for
// tests: Quire's mail goes through go-mail and a TCP connection exactly as
// it would to a mail provider, and arrives here parsed.
package mailtest

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one mail as the server received it.
type Message struct {
	From, To  string
	Subject   string
	MessageID string
	Text      string // the text/plain part
	HTML      string // the text/html part
}

// Link returns the first address in the text part that contains part, or
// "".
func (m Message) Link(part string) string {
	for _, u := range linkRE.FindAllString(m.Text, -1) {
		if strings.Contains(u, part) {
			return u
		}
	}
	return ""
}

var linkRE = regexp.MustCompile(`https?://[^\s>"]+`)

// Server is an SMTP server that keeps what it receives.
type Server struct {
	URL string // smtp://user:password@127.0.0.1:port

	srv *smtp.Server
	mu  sync.Mutex
	got []Message
	// refuse, while set, answers every message with a temporary failure.
	refuse bool
	// failEvery, when above zero, refuses every failEvery-th message.
	failEvery, seen int
	arrived         chan struct{}
}

// Start runs a server until the test ends. It asks for the user "quire"
// and the password "mail-secret".
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "smtp://quire:mail-secret@" + ln.Addr().String(), arrived: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true // loopback only
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// Refuse makes the server turn every message away (a 451) until called
// with false: a mail provider having a bad day.
func (s *Server) Refuse(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = on
}

// FailEvery makes the server turn away every n-th message (0: none).
func (s *Server) FailEvery(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failEvery = n
}

// Messages returns what arrived so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// To returns what arrived for addr.
func (s *Server) To(addr string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// Wait waits up to d for at least n messages, and returns them.
func (s *Server) Wait(t testing.TB, n int, d time.Duration) []Message {
	t.Helper()
	deadline := time.After(d)
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("waited %s for %d mails; %d arrived", d, n, len(s.Messages()))
		}
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s        *Server
	authed   bool
	from, to string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "quire" || pass != "mail-secret" {
			return errors.New("bad credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = to
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	s.seen++
	refused := s.refuse || (s.failEvery > 0 && s.seen%s.failEvery == 0)
	s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := parse(raw)
	if err != nil {
		return err
	}
	m.From, m.To = ss.from, ss.to
	s.mu.Lock()
	s.got = append(s.got, m)
	s.mu.Unlock()
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset()        {}
func (ss *session) Logout() error { return nil }

// parse reads a multipart/alternative mail into its parts.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return Message{}, err
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	m := Message{Subject: subject, MessageID: msg.Header.Get("Message-Id")}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		return Message{}, errors.New("not a multipart mail")
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			return Message{}, err
		}
		body, _ := io.ReadAll(p)
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			m.Text = string(body)
		case "text/html":
			m.HTML = string(body)
		}
	}
	return m, nil
}
