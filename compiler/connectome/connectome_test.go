package connectome

import (
	"math"
	"strings"
	"testing"

	"github.com/tvboc/tvboc/compiler/expr"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src, wantErr string
		n                  int
	}{
		{"commas", "0,1\n2,0\n", "", 2},
		{"blanks", "0 1.5\n2e-1 0\n", "", 2},
		{"crlf and blank lines", "0,1\r\n\r\n1,0\r\n", "", 2},
		{"byte-order mark", "\ufeff0,1\n1,0\n", "", 2},
		{"not square", "0,1,2\n1,0,2\n", "f.csv:2: the connectome is not square: 2 rows of 3 values", 0},
		{"ragged", "0,1\n1\n", "f.csv:2:1: connectome row has 1 values, the first row has 2", 0},
		{"not a number", "0,1\n1,abc\n", `f.csv:2:3: connectome entry "abc" is not a finite number`, 0},
		{"nan", "0,nan\n1,0\n", `f.csv:1:3: connectome entry "nan" is not a finite number`, 0},
		{"empty", "\n", "the connectome file is empty", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse("f.csv", []byte(tt.src))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || m.N != tt.n {
				t.Fatalf("got %v, %v", m, err)
			}
		})
	}
}

// TestDelaySteps checks TVB's rounding: length / speed / dt to the nearest
// step, ties to even.
func TestDelaySteps(t *testing.T) {
	tests := []struct {
		length, speed, dt float64
		want              int
	}{
		{0, 3, 0.1, 0},
		{3, 3, 0.1, 10},
		{2.5, 1, 1, 2},     // tie: to even
		{3.5, 1, 1, 4},     // tie: to even
		{4.49, 1, 1, 4},    // below half
		{45, 3, 0.5, 30},   // whole
		{46.5, 3, 0.5, 31}, // 31 exactly
	}
	for _, tt := range tests {
		m := &Matrix{N: 2, Data: []float64{0, 1, 1, 0}}
		l := &Matrix{N: 2, Data: []float64{0, tt.length, tt.length, 0}}
		got := DelaySteps(Compress(m), l, tt.speed, tt.dt)
		want := int(math.RoundToEven(tt.length / tt.speed / tt.dt))
		if got[0] != want || got[1] != want {
			t.Errorf("length %g speed %g dt %g: %v, want %d", tt.length, tt.speed, tt.dt, got, want)
		}
		if tt.length/tt.speed/tt.dt == math.Trunc(tt.length/tt.speed/tt.dt)+0.5 && want%2 != 0 {
			t.Errorf("tie %g rounded to odd %d", tt.length/tt.speed/tt.dt, want)
		}
		if want != tt.want {
			t.Errorf("length %g: %d steps, want %d", tt.length, want, tt.want)
		}
	}
	if h := Horizon([]int{3, 0, 7, 2}); h != 8 {
		t.Errorf("Horizon = %d, want 8", h)
	}
}

// TestHistoryIndex checks the ring-buffer layout against a direct
// simulation of it: writing the state of step s to slot s % H and reading
// back the state of step k - d for every delay that fits.
func TestHistoryIndex(t *testing.T) {
	const n, horizon = 3, 5
	ring := make([]int, n*horizon)
	for k := 0; k < 20; k++ {
		for j := 0; j < n; j++ {
			ring[(k%horizon)*n+j] = k*10 + j // "state" of node j at step k
		}
		for d := 0; d < horizon && d <= k; d++ {
			for j := 0; j < n; j++ {
				if got := ring[HistoryIndex(k, d, j, n, horizon)]; got != (k-d)*10+j {
					t.Fatalf("k %d d %d j %d: read the state of %d, want %d", k, d, j, got, (k-d)*10+j)
				}
				// the kernel's form: base - (d*n - j), wrapped once
				at := (k%horizon)*n - (d*n - j)
				if at < 0 {
					at += horizon * n
				}
				if at != HistoryIndex(k, d, j, n, horizon) {
					t.Fatalf("kernel index %d, want %d", at, HistoryIndex(k, d, j, n, horizon))
				}
			}
		}
	}
}

func TestCompress(t *testing.T) {
	m := &Matrix{N: 3, Data: []float64{0, 2, 0, 1, 0, 3, 0, 0, 0}}
	s := Compress(m)
	if got, want := s.RowStart, []int{0, 1, 3, 3}; !equalInts(got, want) {
		t.Errorf("RowStart %v, want %v", got, want)
	}
	if got, want := s.Col, []int{1, 0, 2}; !equalInts(got, want) {
		t.Errorf("Col %v, want %v", got, want)
	}
	if s.Val[2] != 3 {
		t.Errorf("Val %v", s.Val)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTransforms(t *testing.T) {
	w := &Matrix{N: 2, Data: []float64{0, 2, 6, 0}}
	l := &Matrix{N: 2, Data: []float64{0, 10, 10, 0}}
	vars := map[string]*Matrix{"weight": w, "W": w, "length": l}
	tests := []struct {
		src     string
		want    []float64
		wantErr string
	}{
		{"weight / mean(weight[weight > 0])", []float64{0, 0.5, 1.5, 0}, ""},
		{"W / amax(W)", []float64{0, 1.0 / 3, 1, 0}, ""},
		{"weight / sum(weight)", []float64{0, 0.25, 0.75, 0}, ""},
		{"log(weight + 1)", []float64{0, math.Log(3), math.Log(7), 0}, ""},
		{"weight * (weight > 3)", []float64{0, 0, 6, 0}, ""},
		{"weight / amin(weight[weight > 0])", []float64{0, 1, 3, 0}, ""},
		{"length * 2", []float64{0, 20, 20, 0}, ""},
		{"weight[weight > 0]", nil, "a selection of entries, not a matrix"},
		{"mean(weight[weight > 9])", nil, "the selection is empty"},
		{"weight / strength", nil, `unknown name "strength"`},
	}
	for _, tt := range tests {
		n, err := expr.Parse(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		got, err := Apply(n, vars)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want %q", tt.src, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		for i := range tt.want {
			if math.Abs(got.Data[i]-tt.want[i]) > 1e-15 {
				t.Errorf("%s: %v, want %v", tt.src, got.Data, tt.want)
				break
			}
		}
	}
	if w.Data[1] != 2 {
		t.Error("Apply modified its input")
	}
}
