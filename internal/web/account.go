package web

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/pquerna/otp"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// accountForms are the Account page's forms, each as it comes back or
// fresh.
type accountForms struct {
	password, notifications *desk.Form
}

// showAccount is the logged-in person's own page.
func (s *Server) showAccount(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, accountForms{})
}

func (s *Server) renderAccount(c echo.Context, status int, forms accountForms) error {
	ctx := c.Request().Context()
	me, _ := currentUser(c)
	p := desk.AccountPage{Email: me.Email, Role: me.Role.Label(), TwoFactor: me.TwoFactor}
	p.Password = desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}
	if forms.password != nil {
		p.Password = *forms.password
	}
	if forms.notifications != nil {
		p.Notifications = *forms.notifications
	} else {
		choices, err := s.access.NotificationChoices(ctx, me.ID)
		if err != nil {
			return err
		}
		p.Notifications = desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}
		for k, ch := range choices {
			p.Notifications.Values[string(k)] = string(ch)
		}
	}
	p.Notifications.Choices = map[string][]desk.Choice{}
	for _, k := range mail.Notifications {
		for _, ch := range mail.Choices {
			p.Notifications.Choices[string(k)] = append(p.Notifications.Choices[string(k)],
				desk.Choice{Value: string(ch), Label: ch.Label(), Checked: p.Notifications.Value(string(k)) == string(ch)})
		}
	}
	return renderPrivate(c, status, desk.Account(s.shell(c, "Account", urls.Account()), p))
}

// toAccount sends the old Password page's visitors to the Account page.
func (s *Server) toAccount(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, urls.Account())
}

// changePassword changes one's own password. Other sessions end; this one
// continues under a new token.
func (s *Server) changePassword(c echo.Context) error {
	me, _ := currentUser(c)
	a, err := s.access.ChangePassword(c.Request().Context(), me.ID, c.FormValue(account.FieldCurrentPassword), c.FormValue(account.FieldNewPassword), c.RealIP())
	if apperr.CodeOf(err) == apperr.Invalid {
		f := formFrom(c, err, desk.PasswordFields)
		return s.renderAccount(c, http.StatusUnprocessableEntity, accountForms{password: &f})
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, a); err != nil {
		return err
	}
	s.flash(c, "Your password has been changed. Other sessions have been logged out.")
	return c.Redirect(http.StatusSeeOther, urls.Account())
}

// saveNotifications keeps one's notification choices.
func (s *Server) saveNotifications(c echo.Context) error {
	me, _ := currentUser(c)
	choices := map[mail.Kind]mail.Choice{}
	for _, k := range mail.Notifications {
		if v := c.FormValue(string(k)); v != "" {
			choices[k] = mail.Choice(v)
		}
	}
	err := s.access.SaveNotificationChoices(c.Request().Context(), me.ID, choices)
	if apperr.CodeOf(err) == apperr.Invalid {
		f := formFrom(c, err, desk.NotificationFields())
		return s.renderAccount(c, http.StatusUnprocessableEntity, accountForms{notifications: &f})
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved your notification choices.")
	return c.Redirect(http.StatusSeeOther, urls.Account())
}

// showTwoFactor shows the secret being set up, making one if there is
// none: a page that only ever changes the visitor's own unconfirmed
// secret.
func (s *Server) showTwoFactor(c echo.Context) error {
	return s.renderTwoFactor(c, http.StatusOK, desk.Form{CSRF: csrfToken(c), Values: map[string]string{}})
}

func (s *Server) renderTwoFactor(c echo.Context, status int, f desk.Form) error {
	ctx := c.Request().Context()
	me, _ := currentUser(c)
	if me.TwoFactor {
		left, err := s.access.RecoveryCodesLeft(ctx, me.ID)
		if err != nil {
			return err
		}
		p := desk.TwoFactorPage{Form: f, On: true, RecoveryCodesLeft: left, Required: s.twoFactorRequired(c, me)}
		return renderPrivate(c, status, desk.TwoFactor(s.shell(c, "Two-factor login", urls.Account()), p))
	}
	uri, secret, err := s.access.PendingTwoFactor(ctx, me.ID)
	if err == nil && uri == "" {
		uri, secret, err = s.access.BeginTwoFactor(ctx, me.ID)
	}
	if err != nil {
		return err
	}
	qr, err := qrCode(uri)
	if err != nil {
		return err
	}
	p := desk.TwoFactorPage{Form: f, QR: qr, Secret: secret, Required: s.twoFactorRequired(c, me)}
	return renderPrivate(c, status, desk.TwoFactor(s.shell(c, "Set up two-factor login", urls.Account()), p))
}

// qrCode renders an otpauth:// URL as a PNG QR code in a data: URL, made
// here so that the secret never leaves the server for a QR service.
func qrCode(uri string) (string, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes()), nil
}

// confirmTwoFactor turns two-factor login on with the first code, and
// shows the recovery codes once.
func (s *Server) confirmTwoFactor(c echo.Context) error {
	me, _ := currentUser(c)
	codes, err := s.access.ConfirmTwoFactor(c.Request().Context(), me.ID, c.FormValue(account.FieldCode))
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderTwoFactor(c, http.StatusUnprocessableEntity, formFrom(c, err, desk.CodeFields))
	}
	if err != nil {
		return err
	}
	me.TwoFactor = true
	c.Set(userKey, me)
	return s.showRecoveryCodes(c, codes)
}

func (s *Server) showRecoveryCodes(c echo.Context, codes []string) error {
	p := desk.TwoFactorPage{RecoveryCodes: codes}
	return renderPrivate(c, http.StatusOK, desk.TwoFactor(s.shell(c, "Two-factor login is on", urls.Account()), p))
}

// newRecoveryCodes replaces one's recovery codes, confirmed with the
// password, and shows the new ones.
func (s *Server) newRecoveryCodes(c echo.Context) error {
	me, _ := currentUser(c)
	codes, err := s.access.NewRecoveryCodes(c.Request().Context(), me.ID, c.FormValue(account.FieldCurrentPassword), c.RealIP())
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderTwoFactor(c, http.StatusUnprocessableEntity, formFrom(c, err, desk.TwoFactorManageFields))
	}
	if err != nil {
		return err
	}
	return s.showRecoveryCodes(c, codes)
}

// turnOffTwoFactor turns one's two-factor login off, with the password.
func (s *Server) turnOffTwoFactor(c echo.Context) error {
	me, _ := currentUser(c)
	err := s.access.TurnOffTwoFactor(c.Request().Context(), me.ID, c.FormValue(account.FieldCurrentPassword), c.RealIP())
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderTwoFactor(c, http.StatusUnprocessableEntity, formFrom(c, err, desk.TwoFactorManageFields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Two-factor login is off. Logging in asks for your password only.")
	return c.Redirect(http.StatusSeeOther, urls.Account())
}

// twoFactorMissing reports whether the network requires two-factor login
// of a, who has not set it up.
func (s *Server) twoFactorMissing(c echo.Context, a account.Account) bool {
	return !a.TwoFactor && s.twoFactorRequired(c, a)
}

// twoFactorRequired reports whether the network requires two-factor login
// of a's role.
func (s *Server) twoFactorRequired(c echo.Context, a account.Account) bool {
	m, err := s.site(c)
	return err == nil && m.net.TwoFactorRule().Requires(a.Role)
}

// requireTwoFactor keeps the desk closed to someone the network requires
// two-factor login of until they set it up: every desk page leads to the
// setup page.
func (s *Server) requireTwoFactor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, ok := currentUser(c)
		if !ok || !s.twoFactorMissing(c, a) || c.Path() == urls.DeskPattern+urls.TwoFactorPattern {
			return next(c)
		}
		if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
			return apperr.Errorf(apperr.Forbidden, "Your network requires two-factor login for %s accounts: set it up first.", a.Role.Label())
		}
		return c.Redirect(http.StatusSeeOther, urls.TwoFactor())
	}
}

// outboxPage is how many mails the outbox shows at a time.
const outboxPage = 50

// showOutbox lists the mail Quire sent or is waiting to send.
func (s *Server) showOutbox(c echo.Context) error {
	ctx := c.Request().Context()
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	msgs, more, err := s.access.Outbox(ctx, max(before, 0), outboxPage)
	if err != nil {
		return err
	}
	counts, err := s.access.MailCounts(ctx)
	if err != nil {
		return err
	}
	p := desk.OutboxPage{CSRF: csrfToken(c), Sending: s.cfg.MailSent}
	for _, st := range []struct {
		status mail.Status
		label  string
	}{{mail.Pending, "Waiting"}, {mail.Held, "Held for a digest"}, {mail.Sent, "Sent"}, {mail.Failed, "Failed"}} {
		p.Counts = append(p.Counts, desk.Option{Label: st.label, Value: strconv.Itoa(counts[st.status])})
	}
	for _, m := range msgs {
		row := desk.MailRow{ID: m.ID, Created: s.deskTime(c, m.CreatedAt), Kind: m.Kind.Label(), To: m.To, Subject: m.Subject,
			Attempts: m.Attempts, LastError: m.LastError, Text: m.Text, SentAt: s.deskTimeOr(c, m.SentAt, "")}
		switch {
		case m.Kind == mail.PasswordReset:
			// A reset link is its recipient's alone, delivered or not:
			// with it an admin could become anyone. Without mail, an
			// admin resets a password with quire user passwd.
			row.Text = secretQuery.ReplaceAllString(row.Text, "${1}(for its recipient only)")
		case m.Status == mail.Sent || m.Status == mail.Digested:
			// An invitation that waits can be handed over by hand; one
			// that arrived is its recipient's.
			row.Text = secretQuery.ReplaceAllString(row.Text, "${1}(delivered to its recipient)")
		}
		row.Status, row.StatusClass = mailStatus(m.Status)
		if m.Status == mail.Failed {
			row.RetryURL = urls.OutboxRetry(m.ID)
		}
		p.Mail = append(p.Mail, row)
	}
	if more && len(msgs) > 0 {
		p.OlderURL = urls.Outbox() + "?before=" + strconv.FormatInt(msgs[len(msgs)-1].ID, 10)
	}
	return renderPrivate(c, http.StatusOK, desk.Outbox(s.shell(c, "Outbox", urls.Outbox()), p))
}

func mailStatus(st mail.Status) (label, class string) {
	switch st {
	case mail.Sent:
		return "Sent", "ok"
	case mail.Failed:
		return "Failed", "warn"
	case mail.Held:
		return "Held for a digest", "muted"
	case mail.Digested:
		return "In a digest", "muted"
	}
	return "Waiting", "muted"
}

// retryMail sends a failed mail again.
func (s *Server) retryMail(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := idParam(c, "There is no such mail.")
	if err != nil {
		return err
	}
	m, err := s.access.RetryMail(c.Request().Context(), me, id)
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.flashBack(c, err, urls.Outbox())
	}
	if err != nil {
		return err
	}
	s.flash(c, "“"+m.Subject+"” to "+m.To+" is waiting to be sent again.")
	return c.Redirect(http.StatusSeeOther, urls.Outbox())
}
