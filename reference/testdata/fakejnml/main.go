// Command fakejnml stands in for jNeuroML in tests: run as
// `fakejnml FILE.xml -nogui`, it reads the LEMS file's Simulation (length,
// step) and OutputFile/OutputColumn elements and writes each named .dat
// file, relative to the working directory as jNeuroML does: time in
// seconds, then one plausible membrane-potential-like value per column.
//
// FAKEJNML_MODE changes its behaviour for error tests: "fail" exits 1
// with a Java-like message, "silent" writes nothing, "ragged" drops the
// last field of row 3, "nan" writes NaN in row 2, column 2.
package main

import (
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

type lems struct {
	Simulation struct {
		Length  string `xml:"length,attr"`
		Step    string `xml:"step,attr"`
		Outputs []struct {
			FileName string `xml:"fileName,attr"`
			Columns  []struct {
				Quantity string `xml:"quantity,attr"`
			} `xml:"OutputColumn"`
		} `xml:"OutputFile"`
	} `xml:"Simulation"`
}

func seconds(s string) float64 {
	s = strings.TrimSpace(s)
	scale := 1.0
	switch {
	case strings.HasSuffix(s, "ms"):
		s, scale = strings.TrimSuffix(s, "ms"), 1e-3
	case strings.HasSuffix(s, "s"):
		s = strings.TrimSuffix(s, "s")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fakejnml: bad time %q\n", s)
		os.Exit(3)
	}
	return v * scale
}

func main() {
	if len(os.Args) != 3 || os.Args[2] != "-nogui" {
		fmt.Fprintf(os.Stderr, "fakejnml: want FILE.xml -nogui, got %q\n", os.Args[1:])
		os.Exit(2)
	}
	mode := os.Getenv("FAKEJNML_MODE")
	if mode == "fail" {
		fmt.Println(" jNeuroML v0.0 (fake)")
		fmt.Println("org.lemsml.jlems.core.sim.ContentError: cannot parse the model")
		os.Exit(1)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var doc lems
	if err := xml.Unmarshal(data, &doc); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(" jNeuroML v0.0 (fake): simulating", os.Args[1])
	if mode == "silent" {
		return
	}
	dt, length := seconds(doc.Simulation.Step), seconds(doc.Simulation.Length)
	steps := int(math.Round(length / dt))
	for _, of := range doc.Simulation.Outputs {
		var b strings.Builder
		for k := 0; k <= steps; k++ {
			t := float64(k) * dt
			b.WriteString(strconv.FormatFloat(t, 'g', -1, 32))
			n := len(of.Columns)
			if mode == "ragged" && k == 3 {
				n--
			}
			for j := 0; j < n; j++ {
				v := -0.07 + 0.001*float64(j) + 0.005*math.Sin(2*math.Pi*10*t)
				s := strconv.FormatFloat(v, 'g', 7, 32)
				if mode == "nan" && k == 2 && j == 1 {
					s = "NaN"
				}
				b.WriteString("\t" + s)
			}
			b.WriteString("\n")
		}
		if err := os.MkdirAll(filepath.Dir(of.FileName), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := os.WriteFile(of.FileName, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
