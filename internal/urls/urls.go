// Package urls is the one place that knows Quire's public addresses, so
// that handlers and views never spell a path by hand.
package urls

import (
	"net/url"
	"strconv"
)

// Route patterns, as registered with the router.
const (
	HomePattern     = "/"
	ArticlePattern  = "/articles/:slug"
	CategoryPattern = "/categories/:slug"
	SubjectPattern  = "/subjects/:slug"
)

// Home is the front page.
func Home() string { return "/" }

// Article is the reader's page of the article with slug.
func Article(slug string) string { return "/articles/" + url.PathEscape(slug) }

// Category is the page listing a category's articles.
func Category(slug string) string { return "/categories/" + url.PathEscape(slug) }

// Subject is a subject's hub: the timeline of its life moments.
func Subject(slug string) string { return "/subjects/" + url.PathEscape(slug) }

// Page returns path showing page n of a listing; page 1 is path itself.
func Page(path string, n int) string {
	if n <= 1 {
		return path
	}
	return path + "?page=" + strconv.Itoa(n)
}

// Desk addresses.
const (
	LoginPattern      = "/login"
	LogoutPattern     = "/logout"
	SetupPattern      = "/setup"
	DeskPattern       = "/desk"
	UsersPattern      = "/users"
	UserRolePattern   = "/users/:id/role"
	UserActivePattern = "/users/:id/active"
	PasswordPattern   = "/password"
)

// Login is the login page.
func Login() string { return LoginPattern }

// Logout ends the session (POST).
func Logout() string { return LogoutPattern }

// Setup is the first-run page that creates the first admin.
func Setup() string { return SetupPattern }

// Desk is the dashboard.
func Desk() string { return DeskPattern }

// Users is the admin's account list.
func Users() string { return DeskPattern + UsersPattern }

// UserRole changes an account's role (POST).
func UserRole(id int64) string { return Users() + "/" + strconv.FormatInt(id, 10) + "/role" }

// UserActive deactivates or reactivates an account (POST).
func UserActive(id int64) string { return Users() + "/" + strconv.FormatInt(id, 10) + "/active" }

// Password is where the logged-in user changes their own password.
func Password() string { return DeskPattern + PasswordPattern }
