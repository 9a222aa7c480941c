package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// gormFinishers are the gorm calls that run a statement; their result
// carries the statement's error.
var gormFinishers = map[string]bool{
	"Scan": true, "Find": true, "Take": true, "First": true, "Last": true, "Count": true, "Pluck": true,
	"Exec": true, "Create": true, "Save": true, "Update": true, "Updates": true, "Delete": true, "Row": true, "Rows": true,
}

// TestEveryGormResultIsChecked: a statement whose result is dropped fails
// silently, so in the store every call that runs one must be used, as in
// `.Scan(&x).Error`. A call standing alone as a statement is an error.
func TestEveryGormResultIsChecked(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		for _, at := range droppedResults(t, name) {
			t.Errorf("%s: the result of a gorm call is dropped; check its .Error", at)
		}
	}
	// The check finds the mistake it is for.
	if got := droppedResults(t, "testdata/dropped.go.txt"); len(got) != 1 {
		t.Errorf("in testdata, found dropped results at %v, want the one Scan", got)
	}
}

// droppedResults lists where a file calls a gorm finisher as a statement
// of its own.
func droppedResults(t *testing.T, name string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if stmt, ok := n.(*ast.ExprStmt); ok {
			if call, ok := stmt.X.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && gormFinishers[sel.Sel.Name] {
					out = append(out, fset.Position(stmt.Pos()).String())
				}
			}
		}
		return true
	})
	return out
}
