package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/quire-cms/quire/internal/mailer/mailtest"
	"github.com/quire-cms/quire/internal/media/mediatest"
	"github.com/quire-cms/quire/internal/store/storetest"
)

// chromium finds a Chromium or Chrome binary. In CI (CI=true) a missing
// browser fails the test: end-to-end tests must never skip silently there.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	const how = "Chromium is needed for browser tests: on Debian, apt-get install -y chromium"
	if os.Getenv("CI") == "true" {
		t.Fatal(how)
	}
	t.Skip(how)
	return ""
}

// browser is one headless Chromium with its own profile, driving Quire by
// the labels and button names a person uses.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("window-size", "1280,900"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	// A person leaving a form with unkept changes answers the browser's
	// "leave page?" question; these tests always leave.
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}); err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, ctx: ctx, base: base}
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser at %s: %v", b.location(), err)
	}
}

func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

func (b *browser) visit(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

// labelled finds the control whose <label> reads label.
func labelled(label string) chromedp.Search {
	return chromedp.Search(`//*[@id=//label[normalize-space()="` + label + `"]/@for]`)
}

// fill types value into the control labelled label.
func (b *browser) fill(label, value string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(labelled(label)), chromedp.SetValue(labelled(label), value))
}

// press clicks the button named name and waits for the next page to show
// the element matching waitFor.
func (b *browser) press(name, waitFor string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="`+name+`"]`)), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

// text is the visible text of the first element matching css.
func (b *browser) text(css string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("read %s at %s: %v", css, b.location(), err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func (b *browser) login(email, password string) {
	b.t.Helper()
	b.visit("/login")
	b.fill("Email", email)
	b.fill("Password", password)
	b.press("Log in", `[data-testid="current-user"]`)
}

func (b *browser) logout() {
	b.t.Helper()
	// The login page's own heading: the page being left may have a primary
	// button too, and reading it while it goes fails.
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="Log out"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Log in to the desk"]`)))
}

// TestBrowserSetupAccountsLoginLogout: a new admin sets Quire up in the
// browser and invites an editor and a reviewer by mail (a real SMTP
// server on loopback); each opens the link from their mail, chooses a
// password and is in. The reviewer turns on two-factor login with a code
// computed from the secret the page shows, logs out, logs in with
// password and code, then resets the password by mail. A wrong password
// is refused with a message.
func TestBrowserSetupAccountsLoginLogout(t *testing.T) {
	smtp := mailtest.Start(t)
	base := startQuire(t, map[string]string{"QUIRE_SMTP_URL": smtp.URL, "QUIRE_MAIL_FROM": "HEN desk <desk@hen.example>"})
	b := newBrowser(t, base)

	b.visit("/desk")
	if got := b.text(`[data-testid="needs-link"]`); !strings.Contains(got, "setup link") {
		t.Fatalf("first visit to the desk shows %q, want to be told about the setup link", got)
	}
	b.visit(setupLink(t, base))
	if got := b.text("h1"); got != "Welcome to Quire" {
		t.Fatalf("the setup link shows %q, want the setup page", got)
	}
	b.fill("Name", "Ada Admin")
	b.fill("Email", "ada@hen.example")
	b.fill("Password", "a long admin passphrase")
	b.press("Create admin account", `[data-testid="current-user"]`)
	if got := b.text(`[data-testid="current-user"]`); got != "Ada Admin Admin" {
		t.Errorf("logged in as %q", got)
	}

	people := []struct{ name, email, role, shows string }{
		{"Ed Editor", "ed@hen.example", "editor", "Ed Editor Editor"},
		{"Rita Reviewer", "rita@hen.example", "reviewer", "Rita Reviewer Reviewer"},
	}
	for _, person := range people {
		b.visit("/desk/users")
		b.fill("Email", person.email)
		b.fill("Name", person.name)
		b.fill("Role", person.role)
		b.press("Send invitation", ".flash")
		if got := b.text(".flash"); !strings.Contains(got, person.email) {
			t.Errorf("after inviting %s the page says %q", person.email, got)
		}
	}
	b.logout()
	smtp.Wait(t, 2, 20*time.Second)

	for _, person := range people {
		got := smtp.To(person.email)
		if len(got) != 1 || got[0].Subject != "You are invited to the History Editorial Network desk" {
			t.Fatalf("mail to %s: %+v", person.email, got)
		}
		p := newBrowser(t, base)
		p.visit(pathOf(t, got[0].Link("/invitation?token=")))
		p.fill("Password", "a long enough passphrase")
		p.press("Accept invitation", `[data-testid="current-user"]`)
		if got := p.text(`[data-testid="current-user"]`); got != person.shows {
			t.Errorf("after accepting, logged in as %q, want %q", got, person.shows)
		}
		p.logout()
	}

	b.fill("Email", "ed@hen.example")
	b.fill("Password", "not the passphrase")
	b.press("Log in", `[data-testid="form-error"]`)
	if got := b.text(`[data-testid="form-error"]`); got != "The email or password is incorrect." {
		t.Errorf("failed login says %q", got)
	}
	b.login("ed@hen.example", "a long enough passphrase")
	if got := b.text("h1"); got != "Dashboard" {
		t.Errorf("after login the page is %q, want the dashboard", got)
	}
	b.logout()

	// Rita turns on two-factor login.
	b.login("rita@hen.example", "a long enough passphrase")
	b.do(chromedp.Click(chromedp.Search(`//nav//a[normalize-space()="Account"]`)), chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Account"]`)))
	b.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="Set up two-factor login"]`)), chromedp.WaitVisible(labelled("Code")))
	secret := b.text(`[data-testid="totp-secret"]`)
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.fill("Code", code)
	b.press("Turn on two-factor login", `[data-testid="recovery-codes"]`)
	recovery := strings.Fields(b.text(`[data-testid="recovery-codes"]`))
	if len(recovery) != 10 {
		t.Fatalf("%d recovery codes shown", len(recovery))
	}
	b.logout()

	b.fill("Email", "rita@hen.example")
	b.fill("Password", "a long enough passphrase")
	b.press("Log in", `form[action="/login/code"]`)
	// The code just used is spent; the app's next one is good.
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	b.fill("Code", next)
	b.press("Verify", `[data-testid="current-user"]`)
	if got := b.text(`[data-testid="current-user"]`); got != "Rita Reviewer Reviewer" {
		t.Errorf("after the code, logged in as %q", got)
	}
	b.logout()

	// Rita forgot her password.
	b.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="Forgot your password?"]`)), chromedp.WaitVisible(labelled("Email")))
	b.fill("Email", "rita@hen.example")
	b.press("Send reset link", `[data-testid="reset-sent"]`)
	// Her invitation, the notice that two-factor was turned on, the link.
	smtp.Wait(t, 4, 20*time.Second)
	var subjects []string
	for _, m := range smtp.To("rita@hen.example") {
		subjects = append(subjects, m.Subject)
	}
	if want := []string{"You are invited to the History Editorial Network desk", "Security notice: a change to your account", "Reset your password"}; !slices.Equal(subjects, want) {
		t.Fatalf("mail to rita: %q, want %q", subjects, want)
	}
	b.visit(pathOf(t, smtp.To("rita@hen.example")[2].Link("/reset-password?token=")))
	b.fill("New password", "a brand new passphrase")
	b.press("Set new password", `[data-testid="notice"]`)
	b.fill("Email", "rita@hen.example")
	b.fill("Password", "a brand new passphrase")
	b.press("Log in", `form[action="/login/code"]`)
	b.fill("Code", recovery[0])
	b.press("Verify", `[data-testid="current-user"]`)
	if got := b.text(`[data-testid="current-user"]`); got != "Rita Reviewer Reviewer" {
		t.Errorf("after the reset and a recovery code, logged in as %q", got)
	}
}

// pathOf is the path and query of a link from a mail, to open on the
// test's own server.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || link == "" {
		t.Fatalf("link %q: %v", link, err)
	}
	return u.RequestURI()
}

// newEditor logs a fresh browser in as an account made from the command line.
func newEditor(t *testing.T, base, email string) *browser {
	t.Helper()
	b := newBrowser(t, base)
	b.login(email, "a long enough passphrase")
	return b
}

func addAccount(t *testing.T, dbPath, email, role string) {
	t.Helper()
	getenv := func(k string) string { return map[string]string{"QUIRE_DATABASE": dbPath}[k] }
	args := []string{"user", "add", "--email", email, "--name", strings.Split(email, "@")[0], "--role", role}
	if err := run(context.Background(), args, getenv, strings.NewReader("a long enough passphrase\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserAuthoring: an editor creates an article, saves it twice,
// compares two revisions and restores the first; then two editors edit at
// once and the second gets the conflict page without losing a word.
func TestBrowserAuthoring(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	addAccount(t, dbPath, "eva@hen.example", "editor")
	ed := newEditor(t, base, "ed@hen.example")

	ed.visit("/desk/articles")
	ed.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="New article"]`)), chromedp.WaitVisible(labelled("Title")))
	ed.fill("Title", "Trotsky Expelled from the Party")
	ed.fill("Body", "In November 1927 Trotsky was expelled from the party.")
	ed.fill("Event date", "1927-11-12")
	ed.do(chromedp.Click(chromedp.Search(`//label[normalize-space()="Politics"]/input`)))
	ed.fill("Change note", "first draft")
	ed.press("Save draft", `[data-testid="state"]`)
	if got := ed.text(`[data-testid="state"]`); got != "Draft" {
		t.Errorf("state after the first save = %q", got)
	}
	articleURL := ed.location()

	for i, body := range []string{
		"In November 1927 Trotsky was expelled from the Communist Party.",
		"In November 1927 Trotsky was expelled from the Communist Party, then exiled.",
	} {
		ed.do(chromedp.Click(chromedp.Search(`//nav[@aria-label="Article"]//a[normalize-space()="Edit"]`)), chromedp.WaitVisible(labelled("Body")))
		ed.fill("Body", body)
		ed.fill("Change note", "edit "+string(rune('1'+i)))
		ed.press("Save draft", `.flash`)
	}

	ed.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="History"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="history"]`)))
	ed.do(
		chromedp.Click(chromedp.CSS(`input[name="from"][value="1"]`)),
		chromedp.Click(chromedp.CSS(`input[name="to"][value="3"]`)),
	)
	ed.press("Compare", `[data-testid="diff"]`)
	if got := ed.text(`[data-testid="diff"] ins`); !strings.Contains(got, "Communist") {
		t.Errorf("comparison inserts %q, want the new words", got)
	}

	ed.visit(strings.TrimPrefix(articleURL, base) + "/revisions/1")
	ed.press("Restore this revision", `.flash`)
	if got := ed.text(".flash"); !strings.Contains(got, "Restored revision 1 as new draft revision 4") {
		t.Errorf("after restore: %q", got)
	}
	ed.visit(strings.TrimPrefix(articleURL, base) + "/preview")
	if got := ed.text(`[data-testid="body"]`); got != "In November 1927 Trotsky was expelled from the party." {
		t.Errorf("preview after restore shows %q", got)
	}

	// Two editors open the same article; the second to save gets a conflict.
	eva := newEditor(t, base, "eva@hen.example")
	edit := strings.TrimPrefix(articleURL, base) + "/edit"
	ed.visit(edit)
	eva.visit(edit)
	ed.fill("Body", "Ed's version of events.")
	ed.press("Save draft", `.flash`)
	eva.fill("Body", "Eva's careful rewrite that must not be lost.")
	eva.press("Save draft", `[data-testid="conflict"]`)
	ctx, cancel := context.WithTimeout(eva.ctx, 10*time.Second)
	defer cancel()
	kept, err := chromedp.Run(ctx, chromedp.Value(labelled("Body")))
	if err != nil || kept != "Eva's careful rewrite that must not be lost." {
		t.Fatalf("conflict page Body = %q, %v", kept, err)
	}
	eva.press("Save draft", `.flash`)
	eva.visit(strings.TrimPrefix(articleURL, base) + "/preview")
	if got := eva.text(`[data-testid="body"]`); got != "Eva’s careful rewrite that must not be lost." {
		t.Errorf("after saving on top, preview shows %q", got)
	}
}

// attr is the attribute name of the first element matching css.
func (b *browser) attr(css, name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	attrs, err := chromedp.Run(ctx, chromedp.Attributes(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("read %s of %s at %s: %v", name, css, b.location(), err)
	}
	return attrs[name]
}

// pressUntilState clicks the button named name and waits for the article's
// state badge to read state.
func (b *browser) pressUntilState(name, state string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="`+name+`"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="state"][normalize-space()="`+state+`"]`)))
}

// pressUntilFlash clicks the button named name and waits for the next
// page's one-time message to contain text.
func (b *browser) pressUntilFlash(name, text string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="`+name+`"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(@class, "flash")][contains(., "`+text+`")]`)))
}

// follow clicks the link reading label and waits for waitFor.
func (b *browser) follow(label, waitFor string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="`+label+`"]`)), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

// readerDates are the machine-readable Published and Updated moments.
func (b *browser) readerDates() (published, updated string) {
	b.t.Helper()
	return b.attr(`[data-testid="dates"] time:first-of-type`, "datetime"), b.attr(`[data-testid="dates"] time:last-of-type`, "datetime")
}

// TestBrowserReviewAndPublishLoop drives the whole workflow by labels and
// button names: an editor writes and submits; the editor cannot approve; a
// reviewer requests changes; the editor fixes and resubmits; the reviewer
// approves; the editor publishes; a reader sees it; an update waits for
// review while readers keep the live text; a minor correction moves no date.
func TestBrowserReviewAndPublishLoop(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	addAccount(t, dbPath, "rita@hen.example", "reviewer")
	const title = "Trotsky Exiled to Alma-Ata"
	const public = "/articles/trotsky-exiled-to-alma-ata"

	// The editor writes and submits.
	ed := newEditor(t, base, "ed@hen.example")
	ed.visit("/desk")
	ed.follow("New article", "#f-title")
	ed.fill("Title", title)
	ed.fill("Body", "Trotsky was exiled to Alma-Ata.")
	ed.do(chromedp.Click(chromedp.Search(`//label[normalize-space()="Politics"]/input`)))
	ed.fill("Change note", "First draft")
	ed.press("Save draft", `[data-testid="state"]`)
	article := strings.TrimPrefix(ed.location(), base)
	ed.pressUntilState("Submit for review", "In review")

	// The same editor cannot approve.
	ed.visit(article + "/review")
	if got := ed.text(`[data-testid="why-not"]`); !strings.Contains(got, "Only reviewers and admins") {
		t.Errorf("the editor's review page says %q", got)
	}

	// The reviewer finds it on the dashboard and requests changes.
	rita := newEditor(t, base, "rita@hen.example")
	rita.visit("/desk")
	rita.follow(title, `[data-testid="diff"]`)
	rita.fill("Comment", "Say where Alma-Ata is.")
	rita.pressUntilState("Request changes", "Changes requested")

	// The editor sees the comment, fixes it and resubmits.
	ed.visit("/desk")
	ed.follow(title, `[data-testid="reviews"]`)
	if got := ed.text(`[data-testid="reviews"] blockquote`); got != "Say where Alma-Ata is." {
		t.Errorf("the editor sees the comment %q", got)
	}
	ed.follow("Edit", "#f-body")
	ed.fill("Body", "Trotsky was exiled to Alma-Ata, in Kazakhstan.")
	ed.fill("Change note", "Said where Alma-Ata is")
	ed.pressUntilState("Save draft", "Draft")
	ed.pressUntilState("Submit for review", "In review")

	// The reviewer approves; the editor publishes.
	rita.visit("/desk")
	rita.follow(title, `[data-testid="diff"]`)
	if got := rita.text(`[data-testid="diff"]`); !strings.Contains(got, "Kazakhstan") {
		t.Errorf("the review shows %q", got)
	}
	rita.pressUntilState("Approve", "Approved")
	ed.visit(article)
	ed.pressUntilState("Publish", "Live")

	// A reader without cookies sees it, with correct dates. Each look is a
	// new reader: one browser would rightly reuse its cached copy for the
	// page's max-age.
	newReader := func() *browser {
		r := newBrowser(t, base)
		r.visit(public)
		return r
	}
	reader := newReader()
	if got := reader.text(`[data-testid="body"]`); got != "Trotsky was exiled to Alma-Ata, in Kazakhstan." {
		t.Errorf("the reader sees %q", got)
	}
	published, updated := reader.readerDates()
	if published == "" || published != updated {
		t.Errorf("first publication: Published %q, Updated %q", published, updated)
	}

	// The editor edits the live article; the reader still sees the old text.
	ed.follow("Edit", "#f-body")
	ed.fill("Body", "Trotsky was exiled to Alma-Ata, in Kazakhstan, in January 1928.")
	ed.fill("Change note", "Added the date of the exile")
	ed.pressUntilState("Save draft", "Live · changes pending")
	reader = newReader()
	if got := reader.text(`[data-testid="body"]`); got != "Trotsky was exiled to Alma-Ata, in Kazakhstan." {
		t.Errorf("during review the reader sees %q", got)
	}

	// After approval and publishing the reader sees the new text; Updated
	// moved, Published did not, and the update log says why.
	ed.pressUntilFlash("Submit for review", "Submitted for review")
	rita.visit(article + "/review")
	rita.pressUntilState("Approve", "Live · changes pending")
	ed.visit(article)
	ed.pressUntilState("Publish", "Live")
	reader = newReader()
	if got := reader.text(`[data-testid="body"]`); !strings.Contains(got, "January 1928") {
		t.Errorf("after the update the reader sees %q", got)
	}
	p2, u2 := reader.readerDates()
	if p2 != published || u2 == updated {
		t.Errorf("after an update: Published %s → %s, Updated %s → %s", published, p2, updated, u2)
	}
	if got := reader.text(`[data-testid="updates"]`); !strings.Contains(got, "Added the date of the exile") {
		t.Errorf("the Updates note says %q", got)
	}

	// A minor correction moves neither date.
	ed.follow("Edit", "#f-body")
	ed.fill("Body", "Trotsky was exiled to Alma-Ata, Kazakhstan, in January 1928.")
	ed.fill("Change note", "Comma")
	ed.pressUntilState("Save draft", "Live · changes pending")
	ed.pressUntilFlash("Submit for review", "Submitted for review")
	rita.visit(article + "/review")
	rita.pressUntilState("Approve", "Live · changes pending")
	ed.visit(article)
	ed.do(chromedp.Click(labelled("Minor correction")))
	ed.pressUntilState("Publish", "Live")
	reader = newReader()
	if got := reader.text(`[data-testid="body"]`); !strings.Contains(got, "Alma-Ata, Kazakhstan") {
		t.Errorf("after the correction the reader sees %q", got)
	}
	if p3, u3 := reader.readerDates(); p3 != p2 || u3 != u2 {
		t.Errorf("a minor correction moved the dates: %s/%s → %s/%s", p2, u2, p3, u3)
	}
}

// TestBrowserReaderBrowsesAndSearches: a reader goes from the home page to
// a category, to the article, to a subject's timeline, and searches from
// the masthead.
func TestBrowserReaderBrowsesAndSearches(t *testing.T) {
	base := startQuire(t, nil)
	r := newBrowser(t, base)
	r.visit("/")
	r.follow("Politics", `[data-testid="articles"]`)
	r.follow("Trotsky's Assassination Ends Stalin's Opposition", `[data-testid="dates"]`)
	r.follow("Explore the Life Moments of Joseph Stalin", `[data-testid="timeline"]`)
	if got := r.text("h1"); got != "Life Moments of Joseph Stalin" {
		t.Errorf("hub heading = %q", got)
	}
	r.fill("Search articles", `"Trotsky's" NEAR assassin*`)
	r.press("Search", `[data-testid="result-count"]`)
	if got := r.text(`[data-testid="result-count"]`); !strings.HasPrefix(got, "1 result for") {
		t.Errorf("search says %q", got)
	}
	if got := r.text(`[data-testid="results"] mark`); got == "" {
		t.Error("no highlighted words in the results")
	}
}

// TestBrowserCorrection: an editor publishes a correction to the live demo
// article; a reader sees it at the top, follows "What changed", reads
// version 1 as it was, and finds the correction in the log.
func TestBrowserCorrection(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	addAccount(t, dbPath, "rita@hen.example", "reviewer")
	const public = "/articles/trotskys-assassination-ends-stalins-opposition"
	const note = "An earlier version did not say when Trotsky died."

	ed := newEditor(t, base, "ed@hen.example")
	ed.visit("/desk/articles/1")
	ed.follow("Edit", "#f-body")
	ed.do(chromedp.SetValue(labelled("Body"), "Trotsky died the next day, 21 August 1940."))
	ed.fill("Change note", "Added the day of his death")
	ed.pressUntilState("Save draft", "Live · changes pending")
	ed.pressUntilFlash("Submit for review", "Submitted for review")
	rita := newEditor(t, base, "rita@hen.example")
	rita.visit("/desk/articles/1/review")
	rita.pressUntilState("Approve", "Live · changes pending")

	ed.visit("/desk/articles/1")
	ed.do(chromedp.SetValue(labelled("Kind of change"), "correction"))
	ed.fill("Change note", note)
	ed.pressUntilState("Publish", "Live")

	reader := newBrowser(t, base)
	reader.visit(public)
	if got := reader.text(`[data-testid="corrections"]`); !strings.HasPrefix(got, "Correction, ") || !strings.Contains(got, note) {
		t.Errorf("the top of the article says %q", got)
	}
	reader.follow("What changed", `[data-testid="diff"]`)
	if got := reader.text(`[data-testid="diff"] ins`); !strings.Contains(got, "21 August 1940") {
		t.Errorf("What changed shows %q inserted", got)
	}
	reader.follow("version 1", `[data-testid="version-banner"]`)
	if got := reader.text(`[data-testid="version-banner"]`); !strings.Contains(got, "This is the version published on") {
		t.Errorf("the banner says %q", got)
	}
	if got := reader.text(`[data-testid="body"]`); strings.Contains(got, "21 August 1940") {
		t.Errorf("version 1 shows the corrected text: %q", got)
	}
	reader.follow("Corrections", `[data-testid="corrections-log"]`)
	if got := reader.text(`[data-testid="corrections-log"]`); !strings.Contains(got, note) || !strings.Contains(got, "Trotsky") {
		t.Errorf("the corrections log says %q", got)
	}
}

// source is the text of the first element matching css as the page has
// it, whether shown (and however styled) or not.
func (b *browser) source(css string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("read %s at %s: %v", css, b.location(), err)
	}
	return strings.TrimSpace(s)
}

// choose picks the option reading option in the select labelled label.
func (b *browser) choose(label, option string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	xpath := `//select[@id=//label[normalize-space()="` + label + `"]/@for]/option[normalize-space()="` + option + `"]`
	attrs, err := chromedp.Run(ctx, chromedp.Attributes(chromedp.Search(xpath)))
	if err != nil {
		b.t.Fatalf("no option %q in %q at %s: %v", option, label, b.location(), err)
	}
	b.do(chromedp.SetValue(labelled(label), attrs["value"]))
}

// TestBrowserContributorsAndCredits: an editor adds three contributors,
// credits two writers and a fact-checker, reorders the writers, and the
// article goes through review; a reader sees the byline in order and who
// approved it, follows a writer to their page, and the feed and JSON-LD
// name them.
func TestBrowserContributorsAndCredits(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	addAccount(t, dbPath, "rita@hen.example", "reviewer")

	ed := newEditor(t, base, "ed@hen.example")
	ed.visit("/desk")
	ed.follow("Contributors", `[role="search"]`)
	for _, name := range []string{"Ada Lovelace", "Bo Yang", "Cy Twombly"} {
		ed.follow("New contributor", "#f-name")
		ed.fill("Name", name)
		ed.fill("Short bio", name+" writes on the history of computing.")
		ed.fill("Affiliation", "Analytical Society")
		ed.fill("Profile links", "https://www.wikidata.org/wiki/"+strings.ReplaceAll(name, " ", "_"))
		ed.pressUntilFlash("Save contributor", "Saved the contributor "+name)
	}

	ed.visit("/desk/articles/new")
	ed.fill("Title", "The Analytical Engine")
	ed.fill("Body", "Notes on the engine and its programme.")
	ed.do(chromedp.Click(chromedp.Search(`//label[normalize-space()="Politics"]/input`)))
	ed.choose("Credit 1: contributor", "Ada Lovelace")
	ed.choose("Credit 2: contributor", "Bo Yang")
	ed.choose("Credit 3: contributor", "Cy Twombly")
	ed.choose("Credit 3: role", "Fact-check")
	ed.fill("Change note", "First draft")
	ed.pressUntilState("Save draft", "Draft")
	article := strings.TrimPrefix(ed.location(), base)

	// Bo goes first: the order numbers rearrange the rows.
	ed.follow("Edit", "#f-body")
	ed.fill("Credit 1: order", "2")
	ed.fill("Credit 2: order", "1")
	ed.fill("Change note", "Bo leads")
	ed.pressUntilState("Save draft", "Draft")
	ed.follow("Edit", "#f-body")
	if got := ed.source(`#f-credit-1-contributor option:checked`); got != "Bo Yang" {
		t.Errorf("after reordering, credit 1 is %q", got)
	}
	ed.visit(article + "/compare?from=1&to=2")
	if got := ed.source(`[data-testid="diff"]`); !strings.Contains(got, "Credits") {
		t.Errorf("the comparison does not show the credits changing: %q", got)
	}
	ed.visit(article)
	ed.pressUntilState("Submit for review", "In review")
	rita := newEditor(t, base, "rita@hen.example")
	rita.visit(article + "/review")
	rita.pressUntilState("Approve", "Approved")
	ed.visit(article)
	ed.pressUntilState("Publish", "Live")

	reader := newBrowser(t, base)
	reader.visit("/articles/the-analytical-engine")
	if got := reader.text(`[data-testid="byline"]`); got != "By Bo Yang and Ada Lovelace · Fact-check: Cy Twombly" {
		t.Errorf("the byline reads %q", got)
	}
	if got := reader.text(`[data-testid="review"]`); !strings.HasPrefix(got, "Reviewed by rita · approved revision 2 on ") {
		t.Errorf("the review line reads %q", got)
	}
	ld := reader.source(`script[type="application/ld+json"]`)
	if !strings.Contains(ld, `"author":[{"@type":"Person"`) || strings.Index(ld, "Bo Yang") > strings.Index(ld, "Ada Lovelace") {
		t.Errorf("JSON-LD authors: %s", ld)
	}
	reader.follow("Ada Lovelace", `[data-testid="profile"]`)
	if got := reader.text("h1"); got != "Ada Lovelace" {
		t.Errorf("the contributor page is headed %q", got)
	}
	if got := reader.source(`[data-testid="roles"]`); got != "Written by" {
		t.Errorf("the contributor page says Ada did %q", got)
	}
	res, err := http.Get(base + "/contributors/ada-lovelace/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !regexp.MustCompile(`<author>\s*<name>Bo Yang</name>[^!]*<author>\s*<name>Ada Lovelace</name>[^!]*<contributor>\s*<name>Cy Twombly</name>`).Match(feed) {
		t.Errorf("the contributor's feed does not credit them: %s", feed)
	}
}

// TestBrowserUnsavedChangesAreKept: text typed and kept in the background
// survives a closed browser: a new one, after login, restores it all, or
// discards it.
func TestBrowserUnsavedChangesAreKept(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	ed := newEditor(t, base, "ed@hen.example")
	ed.visit("/desk/articles/1/edit")
	ed.fill("Title", "Trotsky's Assassination, Rewritten")
	ed.do(chromedp.Click(labelled("Body")), chromedp.SendKeys(labelled("Body"), " A paragraph typed and never saved."))
	ed.do(chromedp.Click(chromedp.Search(`//label[normalize-space()="Biography"]/input`)))
	ed.do(chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="autosave-status"][starts-with(normalize-space(), "Unsaved changes kept at")]`)))
	typed, biography := ed.value("Body"), ed.checked(`//label[normalize-space()="Biography"]/input`)
	if !strings.Contains(typed, "A paragraph typed and never saved.") {
		t.Fatalf("the Body does not hold what was typed: %q", typed)
	}

	// Another browser, as after a crash: the form offers the kept changes.
	again := newEditor(t, base, "ed@hen.example")
	again.visit("/desk/articles/1/edit")
	again.press("Restore unsaved changes", `[data-testid="unsaved"]`)
	if got := again.value("Title"); got != "Trotsky's Assassination, Rewritten" {
		t.Errorf("restored Title = %q", got)
	}
	if got := again.value("Body"); strings.ReplaceAll(got, "\r\n", "\n") != strings.ReplaceAll(typed, "\r\n", "\n") {
		t.Errorf("the restored Body is not what was typed")
	}
	if again.checked(`//label[normalize-space()="Biography"]/input`) != biography {
		t.Error("the restored form lost the change to Biography")
	}
	// Discard them: the form is the saved revision again, and offers nothing.
	again.visit("/desk/articles/1/edit")
	again.pressUntilFlash("Discard them", "Discarded the unsaved changes")
	if got := again.value("Title"); got != "Trotsky's Assassination Ends Stalin's Opposition" {
		t.Errorf("after discarding, Title = %q", got)
	}
	if got := again.count(`[data-testid="kept"]`); got != 0 {
		t.Error("discarded changes are still offered")
	}
}

// TestBrowserSaveAfterTheSessionEnded: the session cookie disappears while
// an editor types; Save draft asks them to log in and brings them back to
// the form, unsaved, with everything typed; Save draft then saves it.
func TestBrowserSaveAfterTheSessionEnded(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	ed := newEditor(t, base, "ed@hen.example")
	ed.visit("/desk/articles/1/edit")
	ed.do(chromedp.SetValue(labelled("Body"), "Written while the session ran out."))
	ed.fill("Change note", "Typed after lunch")
	// The form's own requests (presence, kept text) may still be on their
	// way and bring the cookie back: end the session, let them land, and
	// end it again.
	for range 2 {
		if _, err := chromedp.Call(ed.ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: "quire_session", URL: base}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
	}
	ed.press("Save draft", `[data-testid="carried"]`)
	ed.fill("Email", "ed@hen.example")
	ed.fill("Password", "a long enough passphrase")
	ed.press("Log in", `[data-testid="unsaved"]`)
	if got := ed.value("Body"); got != "Written while the session ran out." {
		t.Errorf("after login the Body holds %q", got)
	}
	ed.pressUntilFlash("Save draft", "Saved revision 2")
	ed.visit("/desk/articles/1/preview")
	if got := ed.text(`[data-testid="body"]`); got != "Written while the session ran out." {
		t.Errorf("the saved revision reads %q", got)
	}
}

// TestBrowserTwoEditorsAtOnce: each sees the other has the form open; when
// one saves, the other is told before saving.
func TestBrowserTwoEditorsAtOnce(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ana@hen.example", "editor")
	addAccount(t, dbPath, "bo@hen.example", "editor")
	ana := newEditor(t, base, "ana@hen.example")
	bo := newEditor(t, base, "bo@hen.example")
	ana.visit("/desk/articles/1/edit")
	bo.visit("/desk/articles/1/edit")
	bo.do(chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="presence"][contains(., "ana is also editing")]`)))
	// Ana's page asks again every 30 s, and whenever she comes back to it.
	time.Sleep(5 * time.Second)
	ana.focus()
	ana.do(chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="presence"][contains(., "bo is also editing")]`)))

	bo.do(chromedp.SetValue(labelled("Body"), "Bo's version."))
	bo.pressUntilFlash("Save draft", "Saved revision 2")
	time.Sleep(5 * time.Second)
	ana.focus()
	ana.do(chromedp.WaitVisible(chromedp.CSS(`[data-testid="newer-revision"]`)))
	if got := ana.text(`[data-testid="newer-revision"]`); !strings.HasPrefix(got, "Revision 2 was saved by bo at ") || !strings.Contains(got, "see what changed") {
		t.Errorf("Ana is told %q", got)
	}
}

// TestBrowserLivePreview: the word count and the preview follow the Body
// as it is typed.
func TestBrowserLivePreview(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	ed := newEditor(t, base, "ed@hen.example")
	ed.visit("/desk/articles/new")
	ed.fill("Title", "A preview")
	ed.do(chromedp.Click(labelled("Body")), chromedp.SendKeys(labelled("Body"), "One two three."),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="word-count"][normalize-space()="3 words · 1 min read"]`)))
	ed.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="Show preview"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="live-preview"]//p[normalize-space()="One two three."]`)))
	ed.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="Bold"]`)), chromedp.SendKeys(labelled("Body"), " Four five."),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="live-preview"]//strong`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="word-count"][normalize-space()="5 words · 1 min read"]`)))
	if got := ed.text(`[data-testid="slug-address"]`); got != "Address: /articles/a-preview" {
		t.Errorf("the slug's address reads %q", got)
	}
}

// value is the current value of the control labelled label.
func (b *browser) value(label string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(labelled(label)))
	if err != nil {
		b.t.Fatalf("read %s at %s: %v", label, b.location(), err)
	}
	return v
}

// checked reports whether the checkbox at xpath is ticked.
func (b *browser) checked(xpath string) bool {
	b.t.Helper()
	return eval(b, chromedp.JavascriptAttribute[bool](chromedp.Search(xpath), "checked"))
}

// count is how many elements match css.
func (b *browser) count(css string) int {
	b.t.Helper()
	return eval(b, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(css)+`).length`))
}

// focus tells the page its window came back into focus, as when a person
// returns to the tab.
func (b *browser) focus() {
	b.t.Helper()
	eval(b, chromedp.Evaluate[bool](`window.dispatchEvent(new Event('focus'))`))
}

func eval[T any](b *browser, action chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		b.t.Fatalf("browser at %s: %v", b.location(), err)
	}
	return v
}

// TestBrowserLeadImage: an editor uploads a photograph with its alt text
// and credit, sets the focal point by clicking it, makes it an article's
// lead image, and the article goes through review; a reader sees the
// figure with its caption and credit, the image loads, and the page's
// social tags and structured data carry it, while no public byte carries
// the photograph's GPS tags.
func TestBrowserLeadImage(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	addAccount(t, dbPath, "rita@hen.example", "reviewer")
	photo := filepath.Join(t.TempDir(), "study.jpg")
	if err := os.WriteFile(photo, mediatest.WithEXIF(mediatest.JPEG(1600, 1000), 1), 0o600); err != nil {
		t.Fatal(err)
	}

	ed := newEditor(t, base, "ed@hen.example")
	ed.visit("/desk")
	ed.follow("Media", "#f-file")
	ed.do(chromedp.SetUploadFiles(labelled("File"), []string{photo}))
	ed.fill("Alt text", "Trotsky's desk, with books and a lamp")
	ed.fill("Caption", "The study in Coyoacán.")
	ed.fill("Credit", "Photo: Museo Casa de León Trotsky")
	ed.fill("Licence", "CC BY-SA 4.0")
	ed.pressUntilFlash("Upload", "Uploaded the image.")
	item := strings.TrimPrefix(ed.location(), base)
	id := item[strings.LastIndexByte(item, '/')+1:]

	// A click on the preview moves the focal point where it lands.
	ed.do(chromedp.WaitVisible(chromedp.CSS("img.preview")), chromedp.ScrollIntoView(chromedp.CSS("img.preview")))
	box := eval(ed, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector("img.preview").getBoundingClientRect(); return [r.left, r.top, r.width, r.height] })()`))
	ed.do(chromedp.MouseClickXY(box[0]+box[2]*0.8, box[1]+box[3]*0.3))
	if across, down := ed.value("Across (%)"), ed.value("Down (%)"); across != "80" || down != "30" {
		t.Errorf("after clicking the preview, the focal point is %s%%, %s%%; want 80%%, 30%%", across, down)
	}
	ed.pressUntilFlash("Save details", "Saved the image's details.")

	ed.follow("Articles", "h1")
	ed.follow("New article", "#f-title")
	ed.fill("Title", "Trotsky's Study")
	ed.fill("Body", "Trotsky worked here until August 1940.")
	ed.do(chromedp.SetValue(labelled("Lead image"), id))
	ed.fill("Change note", "First draft")
	ed.press("Save draft", `[data-testid="state"]`)
	article := strings.TrimPrefix(ed.location(), base)
	ed.pressUntilState("Submit for review", "In review")

	rita := newEditor(t, base, "rita@hen.example")
	rita.visit(article + "/review")
	rita.pressUntilState("Approve", "Approved")
	ed.visit(article)
	ed.pressUntilState("Publish", "Live")

	reader := newBrowser(t, base)
	reader.visit("/articles/trotskys-study")
	if got := reader.text(`[data-testid="lead-image"] figcaption`); got != "The study in Coyoacán. Photo: Museo Casa de León Trotsky / CC BY-SA 4.0" {
		t.Errorf("caption = %q", got)
	}
	if alt := reader.attr(`[data-testid="lead-image"] img`, "alt"); alt != "Trotsky's desk, with books and a lamp" {
		t.Errorf("alt = %q", alt)
	}
	if !eval(reader, chromedp.Poll[bool](`(() => { const i = document.querySelector('[data-testid="lead-image"] img'); return i.complete && i.naturalWidth > 0 })()`,
		chromedp.WithPollingTimeout(15*time.Second))) {
		t.Fatal("the lead image did not load in the reader's browser")
	}
	og := reader.attr(`meta[property="og:image"]`, "content")
	if !strings.Contains(og, "/media/"+id+"/") || !strings.HasSuffix(og, "/1200x675-80-30.jpg") ||
		reader.attr(`meta[name="twitter:card"]`, "content") != "summary_large_image" {
		t.Errorf("og:image = %q", og)
	}
	ld := eval(reader, chromedp.Evaluate[string](`document.querySelector('script[type="application/ld+json"]').textContent`))
	for _, want := range []string{`"ImageObject"`, `1200x1200-80-30.jpg`, `1200x900-80-30.jpg`, `"creditText":"Photo: Museo Casa de León Trotsky"`} {
		if !strings.Contains(ld, want) {
			t.Errorf("JSON-LD lacks %s: %s", want, ld)
		}
	}
	thumb := reader.attr(`[data-testid="lead-image"] img`, "src")
	for _, u := range []string{base + og[strings.Index(og, "/media/"):], base + thumb} {
		if _, body := fetch(t, u); strings.Contains(body, mediatest.Secret) || strings.Contains(body, "GPS") {
			t.Errorf("%s carries the photograph's metadata", u)
		}
	}

	// With the script, an image pasted into the upload form is its file.
	ed.visit("/desk/media")
	ed.fill("Alt text", "A pasted picture")
	pasted := eval(ed, chromedp.Evaluate[int](`(() => {
		const bytes = Uint8Array.from(atob("`+base64.StdEncoding.EncodeToString(mediatest.PNG(64, 48))+`"), c => c.charCodeAt(0));
		const data = new DataTransfer();
		data.items.add(new File([bytes], "pasted.png", {type: "image/png"}));
		document.querySelector("form[data-max-upload-mb]").dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
		return document.getElementById("f-file").files.length;
	})()`))
	if pasted != 1 {
		t.Fatalf("after pasting an image the form holds %d files", pasted)
	}
	ed.pressUntilFlash("Upload", "Uploaded the image.")
}

// TestBrowserOversizedLeadImageKeepsTheText: without JavaScript, an editor
// writes an article and chooses a lead image over the upload limit; the
// browser gets the 413 page (not a reset connection) with the text typed.
func TestBrowserOversizedLeadImageKeepsTheText(t *testing.T) {
	dbPath := storetest.Location(t, filepath.Join(t.TempDir(), "quire.db"))
	base := startQuire(t, map[string]string{"QUIRE_DATABASE": dbPath, "QUIRE_MAX_UPLOAD_MB": "1"})
	addAccount(t, dbPath, "ed@hen.example", "editor")
	big := filepath.Join(t.TempDir(), "big.jpg")
	if err := os.WriteFile(big, append(mediatest.JPEG(64, 64), make([]byte, 3<<20)...), 0o600); err != nil {
		t.Fatal(err)
	}
	ed := newEditor(t, base, "ed@hen.example")
	if _, err := chromedp.Call(ed.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	ed.visit("/desk/articles/new")
	ed.fill("Title", "Typed with care")
	ed.fill("Body", "Three paragraphs an editor would hate to lose.")
	ed.do(chromedp.SetUploadFiles(labelled("Upload a lead image"), []string{big}))
	ed.press("Save draft", `#f-lead-file-error`)
	if got := ed.text(`#f-lead-file-error`); !strings.Contains(got, "upload limit of 1 MB") {
		t.Errorf("the file's error says %q", got)
	}
	if got := ed.value("Body"); got != "Three paragraphs an editor would hate to lose." {
		t.Errorf("after the refusal the Body holds %q", got)
	}
	if got := ed.value("Title"); got != "Typed with care" {
		t.Errorf("after the refusal the Title holds %q", got)
	}
}
