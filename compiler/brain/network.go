package brain

import (
	"fmt"
	"github.com/tvboc/tvboc/compiler/inputs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tvboc/tvboc/compiler/ast"
	"github.com/tvboc/tvboc/compiler/connectome"
	"github.com/tvboc/tvboc/compiler/diag"
	"github.com/tvboc/tvboc/compiler/expr"
	"github.com/tvboc/tvboc/compiler/ir"
	"github.com/tvboc/tvboc/compiler/library/tvbo"
	"github.com/tvboc/tvboc/compiler/limits"
	"github.com/tvboc/tvboc/compiler/load"
	"github.com/tvboc/tvboc/compiler/units"
)

// defaultSpeed is TVB's default conduction speed, mm/ms.
const defaultSpeed = 3.0

// network loads the connectome, applies the transforms and resolves every
// coupling function with its sparse weights and delays.
func (c *compiler) network() {
	net := c.exp.Network
	c.coupled = map[string]bool{}
	if net == nil || len(net.Nodes) > 0 {
		// one node, or a heterogeneous network compiled as one composite
		// node (hetero.go)
		c.p.Nodes = 1
		c.p.Horizon = 1
		c.p.History = make([]bool, len(c.m.states))
		return
	}
	weights, lengths := c.connectome(net)
	if weights == nil {
		return
	}
	c.p.Nodes = weights.N
	speed := defaultSpeed
	for _, p := range net.Parameters {
		switch p.Name.Value {
		case "conduction_speed", "speed":
			speed = p.Value.Value
			if u := p.Unit.Value; u != "" {
				// in mm/ms (= m/s), whatever speed unit it is written in:
				// 3000 mm_per_s ran as 3000 mm/ms, and mV was taken
				unit, err := units.Parse(u)
				mmPerMs, _ := units.Parse("mm/ms")
				if err == nil {
					speed, err = units.Convert(speed, unit, mmPerMs)
				}
				if err != nil {
					c.errorf(p.Unit.Pos, "conduction_speed is a speed, and %q is not a unit of speed", u).Hint = "write mm/ms (the same as m/s), or leave the unit out"
					return
				}
			}
			if !(speed > 0) || math.IsInf(speed, 0) {
				c.errorf(p.Name.Pos, "conduction_speed must be a positive number (mm/ms), got %g", speed)
				return
			}
		default:
			c.errorf(p.Name.Pos, "unknown network parameter %q", p.Name.Value).Hint = "network parameters: conduction_speed (mm/ms)"
		}
	}
	weightsSparse := connectome.Compress(weights)
	c.p.History = make([]bool, len(c.m.states))
	c.p.Horizon = 1
	for _, cp := range net.Couplings {
		bc := c.coupling(cp)
		if bc == nil {
			continue
		}
		bc.RowStart, bc.Col, bc.Weight = weightsSparse.RowStart, weightsSparse.Col, weightsSparse.Val
		// With TVB's float32 sums a pre-expression that reads both
		// sides stays per edge: the separated sums (of sin x_j and
		// cos x_j for Kuramoto) are much larger than their difference,
		// which float32 would swamp.
		if !c.opts.PerEdge && !(c.p.Float32 && dependsOn(bc.Pre) == depBoth) {
			bc.Terms, bc.Stored, _ = separate(bc.Pre)
		}
		// the delayed states: those the edges read, unless the coupling
		// keeps its own history of pre-values
		var histStates []int
		if bc.Stored == nil && readsSources(bc) {
			histStates = bc.Sources
		}
		if delayed(cp) && lengths != nil && c.free["speed"] != nil {
			// delays computed at run time from the free speed
			c.p.SpeedIdent = c.free["speed"].Ident
			bc.Length = make([]float64, len(bc.Col))
			for i := 0; i < weightsSparse.N; i++ {
				for n := weightsSparse.RowStart[i]; n < weightsSparse.RowStart[i+1]; n++ {
					bc.Length[n] = lengths.At(i, weightsSparse.Col[n])
				}
			}
			for _, s := range histStates {
				c.p.History[s] = true
			}
		} else if delayed(cp) && lengths != nil {
			// values per node and history slot, every slot twice (the
			// kernel's layout): the delayed states' rings, or the
			// coupling's own pre-value rings; counting one per state
			// estimated Kuramoto's history a quarter of its size
			slotValues := 2 * (len(histStates) + len(bc.Stored))
			if !c.delaysFit(cp, weightsSparse, lengths, speed, max(slotValues, 1)) {
				continue
			}
			d := connectome.DelaySteps(weightsSparse, lengths, speed, c.p.DtModel)
			if h := connectome.Horizon(d); h > 1 {
				bc.Delay = d
				c.p.Horizon = max(c.p.Horizon, h)
				for _, s := range histStates {
					c.p.History[s] = true
				}
			}
		}
		c.p.Couplings = append(c.p.Couplings, bc)
		c.p.Inputs = append(c.p.Inputs, bc.Input)
	}
}

// delaysFit reports whether the longest delay of a coupling, counted in
// float steps before any conversion to int, fits a history the program can
// hold and the int32 offsets the kernel indexes it with.
func (c *compiler) delaysFit(cp *ast.Coupling, w *connectome.Sparse, lengths *connectome.Matrix, speed float64, slotValues int) bool {
	longest := 0.0
	for i := 0; i < w.N; i++ {
		for n := w.RowStart[i]; n < w.RowStart[i+1]; n++ {
			longest = max(longest, lengths.At(i, w.Col[n]))
		}
	}
	steps := longest / speed / c.p.DtModel
	what := fmt.Sprintf("the longest delay (%g mm at %g mm/ms)", longest, speed)
	err := limits.History(what, steps+1, float64(w.N*8*slotValues))
	if err == nil && !(steps*float64(w.N) <= limits.MaxIndex) {
		err = fmt.Errorf("%s is %.4g steps: times %d nodes that is more than the limit of %d history offsets", what, steps, w.N, limits.MaxIndex)
	}
	if err != nil {
		c.errorf(cp.Name.Pos, "coupling %s: %v", cp.Name.Value, err).Hint = "check the tract lengths and conduction_speed, use a larger step (step_size, or --dt when it was given), or use delayed: false"
		return false
	}
	return true
}

// readsSources says whether the coupling's edges read the source nodes'
// states: not when its pre-expression, taken apart, only sums weights.
func readsSources(bc *ir.BrainCoupling) bool {
	if bc.Terms == nil {
		return true
	}
	for _, t := range bc.Terms {
		if t.Source != nil {
			return true
		}
	}
	return false
}

// delayed is the coupling's delayed key; TVB delays by default.
func delayed(cp *ast.Coupling) bool { return cp.Delayed == nil || *cp.Delayed }

// connectome finds, reads and transforms the weight and length matrices.
func (c *compiler) connectome(net *ast.BrainNetwork) (weights, lengths *connectome.Matrix) {
	needLengths := false
	for _, cp := range net.Couplings {
		if delayed(cp) {
			needLengths = true
		}
	}
	expDir := filepath.Dir(c.exp.File)
	read := func(ref ast.Str, what string) *connectome.Matrix {
		path := ref.Value
		if !filepath.IsAbs(path) {
			path = filepath.Join(expDir, path)
		}
		fi, err := inputs.Stat(path)
		switch {
		case err != nil:
			c.errorf(ref.Pos, "the %s file %s does not exist", what, path).Hint = "paths are relative to the experiment file"
			return nil
		case fi.IsDir():
			c.errorf(ref.Pos, "the %s file %s is a directory", what, path).Hint = "name the matrix file in it"
			return nil
		case !fi.Mode().IsRegular():
			// /dev/zero never ends: check's memory grew until it was killed
			c.errorf(ref.Pos, "the %s file %s is a device or a pipe, not a file", what, path).Hint = "save the matrix to a file and name that"
			return nil
		}
		m, err := connectome.ReadFile(path)
		if err != nil {
			c.errs.Add(err)
			return nil
		}
		return m
	}
	switch {
	case len(net.InlineWeights) > 0:
		weights = c.inlineMatrix(net.InlineWeights, net.InlinePos, "weights")
		if len(net.InlineLengths) > 0 {
			lengths = c.inlineMatrix(net.InlineLengths, net.InlinePos, "lengths")
		}
	case net.Descriptor != nil:
		weights, lengths = c.described(net.Descriptor, needLengths)
	case net.Weights.Value != "":
		weights = read(net.Weights, "weights")
		if net.Lengths.Value != "" {
			lengths = read(net.Lengths, "lengths")
		}
	case net.IRI.Value != "":
		weights, lengths = c.atlas(net.IRI, needLengths)
	case net.BIDSDir.Value != "":
		weights, lengths = c.atlas(bidsAtlas(net.BIDSDir), needLengths)
	case net.NumberOfNodes.Set:
		n := net.NumberOfNodes.Value
		if n < 1 || n != math.Trunc(n) {
			c.errorf(net.NumberOfNodes.Pos, "number_of_nodes must be a whole number of at least 1, got %g", n)
			return nil, nil
		}
		// the weights are a dense n x n matrix, even of zeros: 100,000
		// nodes asked for 80 GB and the Go runtime crashed
		if bytes := n * n * 8; bytes > limits.MaxArrayBytes {
			c.errorf(net.NumberOfNodes.Pos, "number_of_nodes %g makes a %g x %g weights matrix of %s, more than the %s a connectome may have (at most %d nodes)",
				n, n, n, limits.Bytes(bytes), limits.Bytes(limits.MaxArrayBytes), int(math.Sqrt(limits.MaxArrayBytes/8))).
				Hint = "simulate fewer nodes; uncoupled copies of one model behave alike, so a few show what many would"
			return nil, nil
		}
		weights = connectome.Zero(int(n))
	default:
		c.errorf(net.Pos, "the network names no connectome").
			Hint = "add iri: tvbo:DesikanKilliany, weights: FILE.csv (and lengths: FILE.csv), or number_of_nodes: N"
		return nil, nil
	}
	if weights == nil {
		return nil, nil
	}
	if net.NumberOfNodes.Set && (net.IRI.Value != "" || net.Weights.Value != "" || len(net.InlineWeights) > 0) && int(net.NumberOfNodes.Value) != weights.N {
		c.errorf(net.NumberOfNodes.Pos, "number_of_nodes is %g but the connectome has %d regions", net.NumberOfNodes.Value, weights.N)
	}
	if lengths != nil && lengths.N != weights.N {
		c.errorf(net.Pos, "the lengths matrix is %dx%d but the weights are %dx%d", lengths.N, lengths.N, weights.N, weights.N)
		return nil, nil
	}
	for _, t := range net.Transforms {
		if t.Equation == nil {
			continue
		}
		vars := map[string]*connectome.Matrix{}
		for _, n := range connectome.WeightNames {
			vars[n] = weights
		}
		if lengths != nil {
			for _, n := range connectome.LengthNames {
				vars[n] = lengths
			}
		}
		out, err := connectome.Apply(t.Equation.Node, vars)
		if err != nil {
			pos := t.Equation.Pos
			if te, ok := err.(*connectome.TransformError); ok {
				pos = t.Equation.PosOf(te.Pos)
			}
			c.errorf(pos, "transform %q: %v", t.Name.Value, err)
			return nil, nil
		}
		switch {
		case slices.Contains(connectome.WeightNames, t.Name.Value):
			weights = out
		case slices.Contains(connectome.LengthNames, t.Name.Value):
			lengths = out
		default:
			c.errorf(t.Name.Pos, "a transform replaces weight or length, not %q", t.Name.Value)
			return nil, nil
		}
	}
	for i, v := range weights.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			c.errorf(net.Pos, "weight (%d, %d) is %g after the transforms", i/weights.N, i%weights.N, v).
				Hint = "a transform divided by zero or took the log of zero; guard it, e.g. log(weight + 1)"
			return nil, nil
		}
	}
	if lengths != nil {
		for i, v := range lengths.Data {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				pos := net.Pos
				for _, ref := range []ast.Str{net.Lengths, net.IRI} {
					if ref.Value != "" {
						pos = ref.Pos
						break
					}
				}
				c.errorf(pos, "tract length (%d, %d) is %g; lengths must be finite and not negative", i/lengths.N, i%lengths.N, v)
				return nil, nil
			}
		}
	}
	return weights, lengths
}

// bidsAliases name the data-directory connectome of TVBO's BIDS
// connectome datasets: dk_average is TVBO's Desikan-Killiany average.
var bidsAliases = map[string]string{"dk_average": "DesikanKilliany"}

// bidsAtlas turns a network's bids_dir into the atlas the data directory
// holds: <last element>_weights.csv, or the alias's. tvboc does not read
// BIDS datasets themselves.
func bidsAtlas(dir ast.Str) ast.Str {
	name := filepath.Base(filepath.Clean(dir.Value))
	if a, ok := bidsAliases[name]; ok {
		name = a
	}
	return ast.Str{Value: tvbo.Prefix + name, Pos: dir.Pos}
}

// described reads the matrices of a TVBO network file. They are found by
// their file names (the file holds paths from the machine that wrote it):
// in the data directory first, then next to the network file. The
// matrices must have the file's number_of_regions.
func (c *compiler) described(d *ast.NetworkDescriptor, needLengths bool) (weights, lengths *connectome.Matrix) {
	dirs := []string{}
	if dir := c.dataDir(); dir != "" {
		dirs = append(dirs, dir)
	}
	dirs = append(dirs, filepath.Dir(d.File))
	find := func(ref ast.Str, what string, needed bool) *connectome.Matrix {
		if ref.Value == "" {
			if needed && what == "lengths" {
				c.errorf(d.Pos, "the network file %s names no lengths, which delayed coupling needs", d.File).
					Hint = "add lengths: <name>_lengths.csv to it, or set delayed: false on the coupling"
			}
			return nil // no weights is the loader's to say
		}
		base := filepath.Base(filepath.FromSlash(strings.ReplaceAll(ref.Value, "\\", "/")))
		for _, dir := range dirs {
			path := filepath.Join(dir, base)
			if _, err := inputs.Stat(path); err != nil {
				continue
			}
			m, err := connectome.ReadFile(path)
			if err != nil {
				c.errs.Add(err)
				return nil
			}
			return m
		}
		if needed {
			c.errorf(ref.Pos, "the %s file %s is in none of %s", what, base, strings.Join(dirs, ", ")).
				Hint = fmt.Sprintf("put it in the data directory (--data or %s) or next to the network file", DataEnv)
		}
		return nil
	}
	if weights = find(d.Weights, "weights", true); weights == nil {
		return nil, nil // one message: the lengths are looked for once the weights are found
	}
	lengths = find(d.Lengths, "lengths", needLengths)
	if weights == nil || (needLengths && lengths == nil) {
		return nil, nil
	}
	if d.Regions.Set && int(d.Regions.Value) != weights.N {
		c.errorf(d.Regions.Pos, "the network file says %g regions but its weights are %dx%d", d.Regions.Value, weights.N, weights.N).
			Hint = "the matrix file found by that name is another connectome's; check the data directory"
		return nil, nil
	}
	return weights, lengths
}

// dataDir is the directory of connectome files: the option, else the
// environment.
func (c *compiler) dataDir() string {
	if c.opts.DataDir != "" {
		return c.opts.DataDir
	}
	return os.Getenv(DataEnv)
}

// atlas reads <Atlas>_weights.csv and <Atlas>_lengths.csv from the data
// directory. When the data directory holds a TVBO network file of that
// name (<name>.yaml, also under networks/), the network is that file's.
func (c *compiler) atlas(iri ast.Str, needLengths bool) (weights, lengths *connectome.Matrix) {
	name := strings.TrimPrefix(iri.Value, tvbo.Prefix)
	dir := c.dataDir()
	for _, p := range []string{filepath.Join(dir, name+".yaml"), filepath.Join(dir, "networks", name+".yaml")} {
		if dir == "" {
			break
		}
		if _, err := inputs.Stat(p); err != nil {
			continue
		}
		d, err := load.NetworkDescriptorFile(p)
		if err != nil {
			c.errs.Add(err)
			return nil, nil
		}
		return c.described(d, needLengths)
	}
	if dir == "" {
		c.errorf(iri.Pos, "connectome %s needs a data directory", iri.Value).
			Hint = fmt.Sprintf("pass --data DIR or set %s to the directory holding %s_weights.csv and %s_lengths.csv", DataEnv, name, name)
		return nil, nil
	}
	wPath := filepath.Join(dir, name+"_weights.csv")
	if _, err := inputs.Stat(wPath); err != nil {
		c.errorf(iri.Pos, "connectome %s: no weights file %s", iri.Value, wPath).
			Hint = fmt.Sprintf("the data directory (--data or %s) must hold %s_weights.csv", DataEnv, name)
		return nil, nil
	}
	var err error
	if weights, err = connectome.ReadFile(wPath); err != nil {
		c.errs.Add(err)
		return nil, nil
	}
	lPath := filepath.Join(dir, name+"_lengths.csv")
	if _, statErr := inputs.Stat(lPath); statErr != nil {
		if needLengths {
			c.errorf(iri.Pos, "connectome %s: no tract lengths file %s, which delayed coupling needs", iri.Value, lPath).
				Hint = "add the file, or set delayed: false on the coupling"
			return nil, nil
		}
		return weights, nil
	}
	if lengths, err = connectome.ReadFile(lPath); err != nil {
		c.errs.Add(err)
		return nil, nil
	}
	return weights, lengths
}

// coupling resolves one coupling entry: the model input it feeds, the
// library function it starts from, its parameters, and its pre and post
// expressions over the incoming (source) and local (target) states.
func (c *compiler) coupling(cp *ast.Coupling) *ir.BrainCoupling {
	in := c.m.input(cp.Name.Value)
	var global []string
	for _, x := range c.m.inputs {
		if !x.Local {
			global = append(global, x.Name.Value)
		}
	}
	if (in == nil || in.Local) && len(global) == 1 && len(c.exp.Network.Couplings) == 1 {
		// TVBO names couplings freely (DelayedKuramotoCoupling); a model
		// with one global input has no doubt which one it feeds.
		in = c.m.input(global[0])
	}
	if in == nil || in.Local {
		c.errorf(cp.Name.Pos, "coupling %q matches no coupling input of %s", cp.Name.Value, c.m.name).
			Hint = fmt.Sprintf("name the coupling after the input it feeds: %s%s", strings.Join(global, ", "), closest(cp.Name.Value, global))
		return nil
	}
	if c.coupled[in.Name.Value] {
		c.errorf(cp.Name.Pos, "two couplings feed %q", cp.Name.Value)
		return nil
	}
	c.coupled[in.Name.Value] = true
	if !c.m.reads(in.Name.Value) {
		// computed every step and thrown away: a Linear coupling of
		// a = 100 into an input no equation names ran without a word
		c.p.Notes = append(c.p.Notes, fmt.Sprintf("%s: coupling %s feeds the input %s, which no equation of %s reads: it changes nothing", cp.Name.Pos, cp.Name.Value, in.Name.Value, c.m.name))
	}
	evaluation := cp.Evaluation
	if evaluation.Value == "" && c.exp.Integration != nil {
		evaluation = c.exp.Integration.Evaluation // the integration's default for every coupling
	}
	perStage := false
	switch ev := strings.ToLower(evaluation.Value); ev {
	case "", "per_step":
	case "per_stage":
		// recomputed at every stage of Heun and RK4 (nodeBody); with
		// Euler's single stage it is the same as per_step
		perStage = true
	default:
		c.errorf(evaluation.Pos, "unknown coupling_evaluation %q", evaluation.Value).
			Hint = "use per_step (TVB's: computed once per step, held through the stages) or per_stage (recomputed at every stage)"
		return nil
	}
	params := map[string]float64{}
	var pNames []string
	pre, post := cp.Pre, cp.Post
	if cp.IRI.Value != "" {
		lib, err := tvbo.Coupling(cp.IRI.Value)
		if err != nil {
			c.errs.Add(err)
			return nil
		}
		if lib == nil {
			c.errorf(cp.IRI.Pos, "unknown coupling function %q", cp.IRI.Value).
				Hint = "built-in coupling functions: " + strings.Join(tvbo.CouplingNames(), ", ")
			return nil
		}
		for _, p := range lib.Parameters {
			params[p.Name.Value] = p.Value.Value
			pNames = append(pNames, p.Name.Value)
		}
		if pre == nil {
			pre = lib.Pre
		}
		if post == nil {
			post = lib.Post
		}
	}
	for _, p := range cp.Parameters {
		if _, known := params[p.Name.Value]; cp.IRI.Value != "" && !known && (cp.Pre == nil && cp.Post == nil) {
			c.errorf(p.Name.Pos, "coupling function %s has no parameter %q", cp.IRI.Value, p.Name.Value).
				Hint = fmt.Sprintf("its parameters: %s%s", strings.Join(pNames, ", "), closest(p.Name.Value, pNames))
			continue
		}
		params[p.Name.Value] = p.Value.Value
	}
	if pre == nil {
		pre = &ast.Expr{Src: "x_j", Pos: cp.Pos, Node: &expr.Ident{Name: "x_j"}}
	}
	if post == nil {
		post = &ast.Expr{Src: "gx", Pos: cp.Pos, Node: &expr.Ident{Name: "gx"}}
	}
	stateList := func(list []ast.Str, what string) []int {
		var out []int
		for _, s := range list {
			i := c.m.state(s.Value)
			if i < 0 {
				c.errorf(s.Pos, "%s %q is not a state variable of %s", what, s.Value, c.m.name).
					Hint = fmt.Sprintf("state variables: %s%s", strings.Join(c.m.stateNames(), ", "), closest(s.Value, c.m.stateNames()))
				continue
			}
			out = append(out, i)
		}
		return out
	}
	bc := &ir.BrainCoupling{Input: in.Name.Value, PerStage: perStage}
	bc.Sources = stateList(cp.Incoming, "incoming state")
	if len(cp.Incoming) == 0 {
		for i, s := range c.m.states {
			if s.coupling {
				bc.Sources = append(bc.Sources, i)
			}
		}
	}
	bc.Targets = stateList(cp.Local, "local state")
	if len(cp.Local) == 0 {
		bc.Targets = append([]int(nil), bc.Sources...)
	}
	if len(bc.Sources) == 0 {
		c.errorf(cp.Name.Pos, "coupling %q reads no state: %s marks no coupling_variable", cp.Name.Value, c.m.name).
			Hint = "add incoming_states: [" + c.m.states[0].name + "]"
		return nil
	}
	// the pre expression: x_j, x_j[k], <state>_j at the source; x_i,
	// x_i[k], <state>_i at the target; coupling parameters.
	slot := func(list *[]int, state int) int {
		if k := slices.Index(*list, state); k >= 0 {
			return k
		}
		*list = append(*list, state)
		return len(*list) - 1
	}
	var bad bool
	bindPre := func(n expr.Node) expr.Node {
		switch x := n.(type) {
		case *expr.Index:
			id, ok := x.X.(*expr.Ident)
			k, isNum := x.Index.(*expr.Num)
			// children are rewritten first: x_j is already SourceIdent(0)
			if !ok || !isNum || (id.Name != ir.SourceIdent(0) && id.Name != ir.TargetIdent(0)) {
				return n
			}
			list, ident := bc.Sources, ir.SourceIdent
			if id.Name == ir.TargetIdent(0) {
				list, ident = bc.Targets, ir.TargetIdent
			}
			if k.Value < 0 || k.Value != math.Trunc(k.Value) || int(k.Value) >= len(list) {
				c.errorf(pre.PosOf(x.P), "%s has %d entries (the coupling's states), index %g is out of range", map[bool]string{true: "x_j", false: "x_i"}[id.Name == ir.SourceIdent(0)], len(list), k.Value)
				bad = true
				return n
			}
			return &expr.Ident{P: x.P, Name: ident(int(k.Value))}
		case *expr.Ident:
			switch {
			case x.Name == "x_j":
				return &expr.Ident{P: x.P, Name: ir.SourceIdent(0)}
			case x.Name == "x_i":
				return &expr.Ident{P: x.P, Name: ir.TargetIdent(0)}
			case strings.HasPrefix(x.Name, ir.SourceIdent(0)[:3]) || strings.HasPrefix(x.Name, ir.TargetIdent(0)[:3]):
				return n // already bound
			}
			if fp := c.free["coupling:"+cp.Name.Value+":"+x.Name]; fp != nil {
				return &expr.Ident{P: x.P, Name: fp.Ident}
			}
			if v, ok := params[x.Name]; ok {
				return &expr.Num{P: x.P, Value: v}
			}
			if s, ok := strings.CutSuffix(x.Name, "_j"); ok && c.m.state(s) >= 0 {
				return &expr.Ident{P: x.P, Name: ir.SourceIdent(slot(&bc.Sources, c.m.state(s)))}
			}
			if s, ok := strings.CutSuffix(x.Name, "_i"); ok && c.m.state(s) >= 0 {
				return &expr.Ident{P: x.P, Name: ir.TargetIdent(slot(&bc.Targets, c.m.state(s)))}
			}
			if v, ok := expr.Constants[x.Name]; ok {
				return &expr.Num{P: x.P, Value: v}
			}
			c.errorf(pre.PosOf(x.P), "unknown name %q in the pre_expression of coupling %q", x.Name, cp.Name.Value).
				Hint = "it may use x_j, x_i, x_j[k], <state>_j, <state>_i and the coupling's parameters"
			bad = true
		}
		return n
	}
	bc.Pre = fold(expr.Rewrite(pre.Node, bindPre))
	bc.Post = fold(expr.Rewrite(post.Node, func(n expr.Node) expr.Node {
		if x, ok := n.(*expr.Ident); ok {
			if x.Name == "gx" {
				return n
			}
			if fp := c.free["coupling:"+cp.Name.Value+":"+x.Name]; fp != nil {
				return &expr.Ident{P: x.P, Name: fp.Ident}
			}
			if v, ok := params[x.Name]; ok {
				return &expr.Num{P: x.P, Value: v}
			}
			if v, ok := expr.Constants[x.Name]; ok {
				return &expr.Num{P: x.P, Value: v}
			}
			c.errorf(post.PosOf(x.P), "unknown name %q in the post_expression of coupling %q", x.Name, cp.Name.Value).
				Hint = "it may use gx (the weighted sum) and the coupling's parameters"
			bad = true
		}
		return n
	}))
	// an operation of the coupling's parameters alone that is not finite
	// (Sigmoidal's sigma = 0 divides by zero) is refused at the
	// parameter the experiment sets, or at the coupling, not left to make
	// every run diverge
	for _, side := range []struct {
		e    *ast.Expr
		what string
	}{{pre, "pre_expression"}, {post, "post_expression"}} {
		if bad {
			break
		}
		at, why := expr.NonFinite(side.e.Node, func(name string) (float64, bool) {
			if c.free["coupling:"+cp.Name.Value+":"+name] != nil {
				return 0, false
			}
			v, ok := params[name]
			return v, ok
		})
		if at == nil {
			continue
		}
		bad = true
		pos := cp.Name.Pos
		for _, p := range cp.Parameters {
			if slices.Contains(expr.Idents(at), p.Name.Value) {
				pos = p.Name.Pos
				break
			}
		}
		c.errorf(pos, "coupling %q: %s in its %s %q", cp.Name.Value, why, side.what, side.e.Src).
			Hint = "change the parameter: no value may be infinite or NaN"
	}
	if bad {
		return nil
	}
	return bc
}

// Describe reads the matrices of a TVBO network file on its own (`tvboc
// check` of the file): found as an experiment naming it would find them,
// lengths included when the file names them.
func Describe(d *ast.NetworkDescriptor, opts Options) (weights, lengths *connectome.Matrix, err error) {
	c := &compiler{exp: &ast.BrainExperiment{File: d.File}, opts: opts}
	weights, lengths = c.described(d, d.Lengths.Value != "")
	if err := c.errs.Err(); err != nil {
		return nil, nil, err
	}
	return weights, lengths, nil
}

// inlineMatrix is a square matrix written out row by row in the
// experiment.
func (c *compiler) inlineMatrix(vals []float64, pos diag.Pos, what string) *connectome.Matrix {
	n := int(math.Round(math.Sqrt(float64(len(vals)))))
	if n*n != len(vals) {
		c.errorf(pos, "the %s hold %d values, which is no square matrix", what, len(vals)).Hint = "write N*N values, row by row"
		return nil
	}
	return &connectome.Matrix{N: n, Data: append([]float64(nil), vals...)}
}
