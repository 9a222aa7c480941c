package audit

import "testing"

func TestEveryActionHasALabel(t *testing.T) {
	t.Parallel()
	for a, l := range labels {
		if l == "" || l == string(a) {
			t.Errorf("%s has no label", a)
		}
	}
	if got := Action("future.action").Label(); got != "future.action" {
		t.Errorf("unknown action label = %q, want it as stored", got)
	}
}
