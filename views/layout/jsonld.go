package layout

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/a-h/templ"
)

// jsonLD writes doc as a JSON-LD data block, encoded straight into the
// page: marshalled to a string and then joined to its tags, a NewsArticle
// was copied three times on every uncached article page. encoding/json
// escapes <, > and & (and U+2028, U+2029), so the text cannot close the
// element.
func jsonLD(doc any) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		switch doc.(type) {
		case string, []byte:
			// Text already marshalled would be sent as one JSON string.
			return fmt.Errorf("layout: a JSON-LD document must be given as a value, not as %T", doc)
		}
		if _, err := io.WriteString(w, `<script type="application/ld+json">`); err != nil {
			return err
		}
		if err := json.NewEncoder(w).Encode(doc); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</script>`)
		return err
	})
}
