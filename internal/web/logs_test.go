package web

import "testing"

func TestLogsKeepNoMailedToken(t *testing.T) {
	for in, want := range map[string]string{
		"/reset-password?token=ABC123":  "/reset-password?token=REDACTED",
		"/invitation?x=1&token=ABC&y=2": "/invitation?x=1&token=REDACTED&y=2",
		"/articles/a-token=b":           "/articles/a-token=b",
		"/search?q=token":               "/search?q=token",
	} {
		if got := withoutSecrets(in); got != want {
			t.Errorf("withoutSecrets(%q) = %q, want %q", in, got, want)
		}
	}
}
