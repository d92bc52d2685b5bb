package reference

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ColumnsFromLEMS names the columns of a jNeuroML .dat file from the LEMS
// file that produced it: the quantities of the OutputFile whose fileName
// has the .dat file's base name (a .gz suffix ignored), in column order.
func ColumnsFromLEMS(lemsPath, datPath string) ([]string, error) {
	f, err := os.Open(lemsPath)
	if err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	defer f.Close()
	files, err := outputFiles(f, lemsPath)
	if err != nil {
		return nil, err
	}
	want := strings.TrimSuffix(filepath.Base(datPath), ".gz")
	var listed []string
	for _, of := range files {
		if filepath.Base(filepath.FromSlash(of.fileName)) == want {
			if len(of.quantities) == 0 {
				return nil, fmt.Errorf("reference: %s: OutputFile %s lists no OutputColumn", lemsPath, of.fileName)
			}
			return of.quantities, nil
		}
		listed = append(listed, of.fileName)
	}
	if len(listed) == 0 {
		return nil, fmt.Errorf("reference: %s has no OutputFile", lemsPath)
	}
	return nil, fmt.Errorf("reference: %s has no OutputFile named %s (it has %s)", lemsPath, want, strings.Join(listed, ", "))
}

type outputFileSpec struct {
	fileName   string
	quantities []string
}

// outputFiles reads the OutputFile/OutputColumn elements of a LEMS file,
// wherever they are nested.
func outputFiles(r io.Reader, source string) ([]outputFileSpec, error) {
	dec := xml.NewDecoder(r)
	var files []outputFileSpec
	var current *outputFileSpec
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			return nil, fmt.Errorf("reference: %s:%d: not well-formed XML: %v", source, line, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "OutputFile":
				files = append(files, outputFileSpec{fileName: attrValue(el, "fileName")})
				current = &files[len(files)-1]
			case "OutputColumn":
				if current != nil {
					current.quantities = append(current.quantities, attrValue(el, "quantity"))
				}
			}
		case xml.EndElement:
			if el.Name.Local == "OutputFile" {
				current = nil
			}
		}
	}
	return files, nil
}

func attrValue(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
