// Command tvboc-plot draws tvboc's figures. `tvboc plot` and `tvboc run
// --plot` start it with the tables on its standard input (package plot's
// request) and read the PNG or SVG from its standard output; it is a
// program of its own so that gonum's plot, which parses its fonts when it
// starts, is not part of every start of tvboc. Install it next to tvboc
// (make build, or go install github.com/tvboc/tvboc/cmd/...).
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/tvboc/tvboc/plot"
	"github.com/tvboc/tvboc/plot/figure"
)

const usage = `tvboc-plot draws the figures of tvboc plot and tvboc run --plot: tvboc
starts it with the tables on standard input and reads the figure from
standard output. Run those commands instead; tvboc finds tvboc-plot next
to itself, on PATH, or at $TVBOC_PLOT.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "tvboc-plot takes no arguments (got %q)\n\n%s", args[0], usage)
		return 2
	}
	req, err := plot.ReadRequest(stdin)
	if err == nil {
		var img []byte
		if img, err = figure.Draw(req); err == nil {
			if _, err = stdout.Write(img); err == nil {
				return 0
			}
		}
	}
	fmt.Fprintln(stderr, err)
	return 1
}
