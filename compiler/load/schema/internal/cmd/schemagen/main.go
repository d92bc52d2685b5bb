// Command schemagen writes package schema's tables (tables.go) from TVBO's
// LinkML schema; `go generate ./compiler/load/schema` runs it.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tvboc/tvboc/compiler/load/schema/internal/schemagen"
)

func main() {
	in := flag.String("schema", "../../../../shared/reference/tvbo/schema/tvbo_datamodel.yaml", "TVBO's LinkML schema")
	out := flag.String("o", "tables.go", "the Go file to write")
	flag.Parse()
	src, err := os.ReadFile(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
	code, err := schemagen.Generate(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, code, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}
