package compare

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// referenceDir is the shared reference material, found next to the project
// root; tests that need it skip where it is absent so a plain clone passes.
func referenceDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "reference")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("reference material not found at %s (../shared/reference from the project root): %v", dir, err)
	}
	return dir
}

func loadEx2(t *testing.T) *Table {
	t.Helper()
	path := filepath.Join(referenceDir(t), "golden", "tvbo_Ex2", "Ex2.csv.gz")
	tab, err := Load(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestGoldenEx2(t *testing.T) {
	ref := loadEx2(t)
	wantNames := []string{
		"izBurst_pop[0]/v", "izBurst_pop[0]/U", "izTonic_pop[0]/v", "izTonic_pop[0]/U",
		"izMixed_pop[0]/v", "izMixed_pop[0]/U", "izClass1_pop[0]/v", "izClass1_pop[0]/U",
	}
	if !slices.Equal(ref.Names, wantNames) || ref.Len() != 40001 || ref.T[1] != 5e-6 {
		t.Fatalf("names %q rows %d t[1] %v", ref.Names, ref.Len(), ref.T[1])
	}

	t.Run("itself", func(t *testing.T) {
		rep := mustCompare(t, ref, ref, Options{})
		if !rep.Pass || rep.Resampled {
			t.Errorf("pass %v resampled %v", rep.Pass, rep.Resampled)
		}
		for _, q := range rep.Quantities {
			if q.RMS != 0 || q.MaxAbs != 0 || q.MaxSpikeOffset != 0 || q.Corr != 1 || q.RefSpikes != q.SimSpikes {
				t.Errorf("%s: rms %v max %v offset %v corr %v spikes %d/%d", q.Name, q.RMS, q.MaxAbs, q.MaxSpikeOffset, q.Corr, q.RefSpikes, q.SimSpikes)
			}
			// Every cell of the seed experiment fires within its 0.2 s.
			if q.Spiking != strings.HasSuffix(q.Name, "/v") || (q.Spiking && q.RefSpikes == 0) {
				t.Errorf("%s: spiking %v with %d spikes", q.Name, q.Spiking, q.RefSpikes)
			}
		}
	})

	t.Run("perturbed izBurst v", func(t *testing.T) {
		sim := &Table{Names: ref.Names, T: ref.T, Cols: slices.Clone(ref.Cols), Source: "perturbed"}
		v := slices.Clone(ref.Column("izBurst_pop[0]/v"))
		lo, hi := minMax(v)
		for k := range v {
			v[k] += 0.005 * (hi - lo) // half a percent of the range, well below any spike drop
		}
		sim.Cols[0] = v
		rep := mustCompare(t, ref, sim, Options{})
		if rep.Pass || rep.Failed != 1 {
			t.Fatalf("pass %v failed %d, want exactly izBurst v to fail", rep.Pass, rep.Failed)
		}
		for _, q := range rep.Quantities {
			wantPass := q.Name != "izBurst_pop[0]/v"
			if q.Pass != wantPass {
				t.Errorf("%s: pass %v, want %v: %s", q.Name, q.Pass, wantPass, reasons(q))
			}
		}
		q := rep.Quantities[0]
		if q.RefSpikes != q.SimSpikes || !strings.Contains(reasons(q), "subthreshold RMS error 0.005 of the range") {
			t.Errorf("spikes %d/%d, reasons %q", q.RefSpikes, q.SimSpikes, reasons(q))
		}
	})

	t.Run("one spike one step late", func(t *testing.T) {
		// Move the reset of izTonic's third spike one step later: the
		// sample that was the reset repeats the last pre-reset value.
		sim := &Table{Names: ref.Names, T: ref.T, Cols: slices.Clone(ref.Cols), Source: "late"}
		i := ref.Index("izTonic_pop[0]/v")
		v := slices.Clone(ref.Cols[i])
		lo, hi := minMax(v)
		drops := DetectDrops(v, DefaultSpikeDropFraction*(hi-lo))
		k := drops[2]
		v[k+1], v[k] = v[k], v[k-1]
		sim.Cols[i] = v
		rep := mustCompare(t, ref, sim, Options{})
		q := rep.Quantities[i]
		if !q.Pass || math.Abs(q.MaxSpikeOffsetSteps-1) > 1e-6 || q.RMS != 0 {
			t.Errorf("pass %v offset %v steps rms %v: %s", q.Pass, q.MaxSpikeOffsetSteps, q.RMS, reasons(q))
		}
	})
}

// goldenSpikes are spike counts of golden traces, counted independently of
// this package (one-step drops over 5% of the range, well clear of both the
// smallest reset and the largest ordinary drop). The AdEx cells are the
// hard case: their resets drop only 21-35% of the range.
var goldenSpikes = map[string]int{
	"iaf_v.dat iafTauPop[0]/v":                 8,
	"iaf_v.dat iafTauRefPop[0]/v":              7,
	"iaf_v.dat iafPop[0]/v":                    9,
	"iaf_v.dat iafRefPop[0]/v":                 8,
	"ex14.dat pop_IF_curr_exp[0]/v":            12,
	"ex14.dat pop_IF_cond_alpha[0]/v":          12,
	"ex14.dat pop_EIF_cond_exp_isfa_ista[0]/v": 5,
	"ex14.dat pop_HH_cond_exp[0]/v":            0, // shows its peaks: no resets
	"ex20_v.dat iafPop1[0]/v":                  4,
	"Ex2.auto.dat izpopBurst[0]/v":             29,
	"Ex2.auto.dat izpopTonic[0]/v":             9,
	"Ex2.auto.dat izpopMixed[0]/v":             8,
	"adEx_2burst.dat adExPop1[0]/v":            18,
	"adEx_4burst.dat adExPop2[0]/v":            22,
	"adEx_chaos.dat adExPop3[0]/v":             20,
	"adEx_rebound.dat adExPop4[0]/v":           3,
	"hh_v.dat hhpop[0]/v":                      0,
	"Ex13.auto.dat iafCells/0/iaf/v":           2,
}

// TestGoldenDatFiles loads every jLEMS output listed in the reference
// goldens' columns.txt files and compares each with itself: the loader must
// read every one, and spike detection must behave on real traces.
func TestGoldenDatFiles(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(referenceDir(t), "golden", "LEMS_NML2_*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Skip("no LEMS_NML2_* golden directories")
	}
	if testing.Short() {
		dirs = dirs[:1]
	}
	seen := make(map[string]bool)
	for _, dir := range dirs {
		entries, err := ReadColumnsFile(filepath.Join(dir, ColumnsFileName))
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(dir), err)
			continue
		}
		for _, e := range entries {
			t.Run(filepath.Base(dir)+"/"+e.File, func(t *testing.T) {
				path := filepath.Join(dir, e.File+".gz")
				if _, err := os.Stat(path); err != nil {
					path = filepath.Join(dir, e.File)
				}
				tab, err := Load(path, LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(tab.Names, e.Names) || (e.Rows > 0 && tab.Len() != e.Rows) {
					t.Fatalf("names %q rows %d, want %q %d", tab.Names, tab.Len(), e.Names, e.Rows)
				}
				rep := mustCompare(t, tab, tab, Options{})
				if !rep.Pass {
					t.Errorf("does not match itself: %s", rep.Summary())
				}
				for _, q := range rep.Quantities {
					key := e.File + " " + q.Name
					if want, ok := goldenSpikes[key]; ok {
						seen[key] = true
						if !q.Spiking || q.RefSpikes != want {
							t.Errorf("%s: spiking %v, %d spikes, want %d", q.Name, q.Spiking, q.RefSpikes, want)
						}
					}
				}
			})
		}
	}
	if !testing.Short() {
		for key := range goldenSpikes {
			if !seen[key] {
				t.Errorf("expected spike count for %q, but no golden has that quantity", key)
			}
		}
	}
}
