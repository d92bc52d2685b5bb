package expr

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// referenceDir holds real TVBO files; it lives outside the repository, so
// the test skips where it is absent.
const referenceDir = "../../../shared/reference"

// expressionKeys are the YAML keys whose string values are expressions.
// "definition" is deliberately absent: in TVBO it is a parameter's prose
// description ("Angular frequency."), as every occurrence in the
// reference files shows. "lhs" is absent too: it holds SymPy's
// "Derivative(x, t)" or LaTeX such as "X_{t+1}", which name the target
// rather than compute a value.
var expressionKeys = map[string]bool{
	"rhs":             true,
	"condition":       true,
	"expression":      true, // Piecewise-like "conditionals" lists
	"equation":        true, // a bare string means {rhs: ...}
	"pre_expression":  true,
	"post_expression": true,
}

// referenceGaps are the parse errors that TVBO's database still provokes,
// each with what it is; every other error fails the test, and a gap that
// no longer occurs fails it too, so the list can only shrink honestly.
var referenceGaps = map[string]string{
	`unknown function "Sigm"`:  "a function declared in the document's functions: section",
	`unknown function "F_E"`:   "a function declared in the study's functions: section",
	`unknown function "F_I"`:   "a function declared in the study's functions: section",
	`unknown function "Sum"`:   "a SymPy summation over index ranges",
	`unknown function "r_E"`:   "a delayed state written as a call, r(t - d)",
	`unknown function "r_I"`:   "a delayed state written as a call, r(t - d)",
	`unexpected character "#"`: "a block of Python statements, not an expression",
	`unexpected character "∞"`: "∞ inside a name",
}

// knownGap returns the key of referenceGaps that err matches, or "".
func knownGap(err error) string {
	for gap := range referenceGaps {
		if strings.Contains(err.Error(), gap) {
			return gap
		}
	}
	return ""
}

// referenceExpression is one expression string found in a reference file.
type referenceExpression struct {
	where       string // file:line
	src         string
	assignments bool // under an "affect" key: ';'-separated assignments
}

func TestReferenceExpressions(t *testing.T) {
	if _, err := os.Stat(referenceDir); err != nil {
		t.Skipf("reference files not available (%v); skipping", err)
	}
	var found []referenceExpression
	err := filepath.WalkDir(referenceDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		exprs, err := expressionsInFile(path)
		if err != nil {
			return err
		}
		found = append(found, exprs...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A walk that silently finds nothing would make this test pass for
	// the wrong reason; the reference set has well over a hundred.
	if len(found) < 100 {
		t.Fatalf("found only %d expressions under %s; the extraction is broken", len(found), referenceDir)
	}
	assignments := 0
	gapsSeen := map[string]int{}
	for _, e := range found {
		if e.assignments {
			assignments++
			if _, err := ParseAssignments(e.src); err != nil {
				t.Errorf("%s: affect %q: %v", e.where, e.src, err)
			}
			continue
		}
		n, err := Parse(e.src)
		if err != nil {
			if gap := knownGap(err); gap != "" {
				gapsSeen[gap]++
				t.Logf("%s: not an expression tvboc reads yet (%s): %v", e.where, referenceGaps[gap], err)
				continue
			}
			t.Errorf("%s: %q: %v", e.where, e.src, err)
			continue
		}
		checkRoundTrip(t, n)
	}
	for gap, reason := range referenceGaps {
		if gapsSeen[gap] == 0 {
			t.Errorf("listed gap %q (%s) no longer occurs in the reference files: remove it from referenceGaps", gap, reason)
		}
	}
	if assignments == 0 {
		t.Errorf("found no affect strings; the extraction of affects is broken")
	}
	t.Logf("parsed %d expressions and %d affects", len(found)-assignments, assignments)
}

func expressionsInFile(path string) ([]referenceExpression, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []referenceExpression
	dec := yaml.NewDecoder(f)
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		collectExpressions(path, &doc, "", false, &out)
	}
}

// collectExpressions walks node, whose map key is key, and records the
// scalars under expression keys. underAffect is set below an "affect"
// key, where every expression string is an assignment list.
func collectExpressions(path string, node *yaml.Node, key string, underAffect bool, out *[]referenceExpression) {
	switch node.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range node.Content {
			collectExpressions(path, c, key, underAffect, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			k := node.Content[i].Value
			collectExpressions(path, node.Content[i+1], k, underAffect || k == "affect", out)
		}
	case yaml.ScalarNode:
		if !expressionKeys[key] && !(underAffect && key == "affect") {
			return
		}
		switch node.Tag {
		case "!!str", "!!int", "!!float": // "rhs: 0" is an expression too
		default:
			return
		}
		*out = append(*out, referenceExpression{
			where:       path + ":" + strconv.Itoa(node.Line),
			src:         node.Value,
			assignments: underAffect,
		})
	}
}
