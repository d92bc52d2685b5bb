package runtime

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Column groups: which --record choice writes a column.
const (
	// GroupDefault marks a column that is written by default (--record v):
	// what TVBO records, the membrane potential v of every recorded cell.
	GroupDefault = "v"
	// GroupAll marks a column that is written only with --record all.
	GroupAll = "all"
)

// Record choices accepted by --record.
const (
	RecordDefault = "v"
	RecordAll     = "all"
	// RecordNone records no trace at all (population networks: spikes
	// only, written to -o).
	RecordNone = "none"
)

// Column describes one recorded quantity of the simulation.
type Column struct {
	// Name is the quantity as TVBO's LEMS rendering names it, e.g.
	// "izBurst_pop[0]/v"; it becomes the CSV header of the column.
	Name string
	// Unit is the SI unit symbol of the recorded values ("V", "A", "" for
	// dimensionless). It is documentation only: values are already in SI.
	Unit string
	// Group is GroupDefault ("v") or GroupAll ("all").
	Group string
	// Lazy marks a column the kernel computes only when it is written (a
	// derived variable, filled after the run): the recorder has room for
	// it only then (see NewRecorderFor). Lazy columns come last.
	Lazy bool
}

// Info is what the generator knows about the simulation it compiled: it is
// passed to [ParseFlags] and never changes at run time.
type Info struct {
	// Label says what the binary simulates, for --help and nothing else.
	Label string
	// Steps is the number of integration steps; the recording has
	// Steps+1 rows because row 0 is the initial state.
	Steps int
	// Dt is the integration time step in seconds.
	Dt float64
	// T0 is the time of row 0 in seconds: 0, or the end of a transient
	// the kernel ran but did not record, so t continues from it
	// (t = T0 + k*Dt).
	T0 float64
	// Columns lists every quantity the kernel records, in recorder order.
	Columns []Column
	// Seed is the experiment's random seed, the default of --seed.
	Seed uint64
	// JavaSeed, when not nil, says that the program draws LEMS's random()
	// from JRand, as jLEMS does, and is the seed jLEMS would use without
	// --seed: the experiment's seed, or jLEMS's 1234 when it has none.
	JavaSeed *int64
	// InitDraws is how many doubles jLEMS draws while it initializes the
	// model (JRandInit holds them for the initial values that use some).
	InitDraws int
	// Network says that the program draws a population network at
	// start-up and takes --network FILE to write it (NetworkDump).
	Network bool
	// Spikes says that the program records spikes (a population network
	// with a spiking population): --spikes FILE and --record none write
	// them.
	Spikes bool
	// Every says that the program takes --every N: it then writes every
	// Nth of its Steps+1 rows (Options.Every), N dividing Steps.
	Every bool
	// FC says that the program takes --fc FILE (Options.FC) without
	// --every: a whole-brain program with free parameters.
	FC bool
	// Duration, when set, lets --duration MS replace the duration the
	// program was compiled for: nothing in it depends on the duration at
	// compile time (a whole-brain program: no time-only inputs).
	Duration *DurationInfo
	// Streams says that a single run writes its rows to a file while it
	// goes (NewRunRecorder), so that its recording needs no memory to
	// hold it: ParseFlags then refuses only one it keeps whole (standard
	// output, a device, a link, or the runs of a sweep).
	Streams bool
}

// DurationInfo is what --duration needs to turn milliseconds into steps
// and rows: the step in ms, and the transient steps and the steps between
// recorded rows, which stay as compiled.
type DurationInfo struct {
	DtMS      float64
	Transient int
	Period    int
}

// Validate reports the first thing wrong with info. A generated program
// never fails it; the check exists so that a generator bug surfaces as a
// clear message instead of an index panic deep inside a writer.
func (info Info) Validate() error {
	if info.Steps < 0 {
		return fmt.Errorf("steps is %d, want 0 or more", info.Steps)
	}
	if math.IsNaN(info.Dt) || math.IsInf(info.Dt, 0) || info.Dt <= 0 {
		return fmt.Errorf("dt is %g s, want a finite positive number", info.Dt)
	}
	if math.IsNaN(info.T0) || math.IsInf(info.T0, 0) || info.T0 < 0 {
		return fmt.Errorf("t0 is %g s, want a finite number of at least 0", info.T0)
	}
	// The recorder is one flat slice of (Steps+1)*len(Columns) values.
	if len(info.Columns) > 0 && info.Steps >= math.MaxInt/len(info.Columns) {
		return fmt.Errorf("%d steps x %d columns do not fit in memory", info.Steps, len(info.Columns))
	}
	// Names are compared for duplicates up to maxCheckedNames columns: a
	// population of ten million cells has twenty million, generated
	// <pop>[i]/<state> and distinct by construction, and the map of them
	// took 20 s and 2 GB before the run could say anything.
	var seen map[string]int
	if len(info.Columns) <= maxCheckedNames {
		seen = make(map[string]int, len(info.Columns))
	}
	for i, c := range info.Columns {
		if err := checkColumnName(c.Name); err != nil {
			return fmt.Errorf("column %d: %w", i, err)
		}
		if j, dup := seen[c.Name]; dup {
			return fmt.Errorf("column %d: name %q is also column %d", i, c.Name, j)
		}
		if seen != nil {
			seen[c.Name] = i
		}
		if c.Group != GroupDefault && c.Group != GroupAll {
			return fmt.Errorf("column %d (%s): group is %q, want %q or %q", i, c.Name, c.Group, GroupDefault, GroupAll)
		}
		if i > 0 && info.Columns[i-1].Lazy && !c.Lazy {
			return fmt.Errorf("column %d (%s) follows a lazy column: lazy columns come last", i, c.Name)
		}
	}
	return nil
}

// maxCheckedNames is the most columns Validate compares for duplicates.
const maxCheckedNames = 100_000

// checkColumnName rejects names that would break the CSV header or the
// help listing. Commas and quotes are fine: the CSV header quotes them.
func checkColumnName(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	if name == "t" {
		return errors.New(`name "t" is reserved for the time column`)
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return fmt.Errorf("name %q contains a control character", name)
	}
	return nil
}
