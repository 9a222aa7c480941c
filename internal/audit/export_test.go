package audit

import "testing"

func TestCellDefusesFormulas(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Trotsky Exiled":              "Trotsky Exiled",
		"=HYPERLINK(\"http://x\")":    "'=HYPERLINK(\"http://x\")",
		"+1":                          "'+1",
		"@SUM(A1)":                    "'@SUM(A1)",
		"Draft Secret;=1+1;-2+3":      "Draft Secret;'=1+1;'-2+3",
		"See, =HYPERLINK(CHAR(104))":  "See, '=HYPERLINK(CHAR(104))",
		"a line\n=1+1":                "a line\n'=1+1",
		"a well-known fact; 1-2 days": "a well-known fact; 1-2 days",
		"":                            "",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}
