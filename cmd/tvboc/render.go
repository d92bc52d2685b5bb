package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/tvboc/tvboc/compiler"
	"github.com/tvboc/tvboc/compiler/inputs"
	"github.com/tvboc/tvboc/gen/build"
	"github.com/tvboc/tvboc/render/lems"
)

// renderCmd groups the renderings of an experiment for other tools.
func renderCmd(stdout, stderr io.Writer) *cobra.Command {
	c := &cobra.Command{
		Use:   "render FORMAT exp.yaml",
		Short: "Render an experiment for another tool (lems: jNeuroML's LEMS XML)",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{fmt.Errorf("render needs a format: tvboc render lems exp.yaml")}
			}
			return usageError{fmt.Errorf("unknown render format %q (known: lems)", args[0])}
		},
		RunE: func(cmd *cobra.Command, args []string) error { return nil },
	}
	c.AddCommand(renderLEMSCmd(stdout, stderr))
	return c
}

func renderLEMSCmd(stdout, stderr io.Writer) *cobra.Command {
	var out string
	var seed seedFlag
	c := &cobra.Command{
		Use:   "lems exp.yaml [-o file.xml]",
		Short: "Render an experiment as a LEMS simulation file for jNeuroML",
		Long: `Render an experiment as the LEMS XML TVBO would hand to jNeuroML: the
NeuroML core types it uses, one population per cell dynamics
(<dynamics>_pop), an explicitInput per input edge (an inputList with inputW
where the edge has a weight), a projection per synapse edge group
(electricalProjection for gap junctions, continuousProjection for graded
synapses), and a Simulation that writes every state variable of every
recorded cell to results/<dynamics>.dat. Cells written with extends: get a
ComponentType per level. A single-node neural-mass experiment becomes a
ComponentType of the model in a population of one (jNeuroML integrates it
with Euler whatever the experiment's method); a network of nodes one
ComponentType holding every node (V_n0, V_n1, ..., the coupling inputs
written out from the compiled weights, conduction delays as delay lines
of StateVariables shifted every step), a heterogeneous network its
composite node; state boundaries become OnConditions. Explored parameters
render at their values in the YAML. A population network of NeuroML cells
(size: N) renders cell by cell from the network its seed draws: tvboc
builds the binary (as tvboc run does, through the cache) and asks it for
the network (--network), then writes a component per distinct set of
per-cell values and a connectionWD per synapse; columns keep the binary's
names (<node id>[i]/v); --seed N renders the network that seed draws. Refused, with the reason: noise, and populations
written as equations (their spikes add to v directly: a delta synapse,
which no NeuroML synapse is).

  tvboc render lems ex2.yaml -o ex2.lems.xml
  jnml ex2.lems.xml -nogui`,
		Args: oneExperiment,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "" && out != "-" {
				if err := checkOutput(out, args[0]); err != nil {
					return err
				}
			}
			stop := inputs.Record()
			doc, err := renderLEMS(args[0], stderr, seed.value(cmd))
			read := stop()
			if err != nil {
				return err
			}
			if out != "" && out != "-" {
				if err := refuseClashes([][2]string{{"-o", out}}, inputs.Paths(read)); err != nil {
					return err
				}
			}
			if out == "" || out == "-" {
				_, err = stdout.Write(doc.XML)
				return err
			}
			return writeFileAtomic(out, doc.XML, 0o644)
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the LEMS file to `FILE` instead of standard output")
	seed.add(c)
	return c
}

// seedFlag is --seed of the commands that render a population network.
type seedFlag struct{ n uint64 }

func (s *seedFlag) add(c *cobra.Command) {
	c.Flags().Uint64Var(&s.n, "seed", 0, "population networks: render the network this seed `N` draws (default: the experiment's seed, as the binary's --seed)")
}

// value is the seed given, or nil when --seed was not.
func (s *seedFlag) value(c *cobra.Command) *uint64 {
	if !c.Flags().Changed("seed") {
		return nil
	}
	return &s.n
}

// renderLEMS checks an experiment and renders it as LEMS. A population
// network is compiled and its binary asked for the network the seed draws
// (--network), which is then rendered cell by cell (lems.RenderPopulation);
// seed, when set, replaces the experiment's, and only population networks
// take one (nothing else draws when it is rendered).
func renderLEMS(path string, stderr io.Writer, seed *uint64) (*lems.Document, error) {
	r, err := compiler.Check(path)
	if err != nil {
		return nil, err
	}
	if seed != nil && r.PopAST == nil {
		return nil, usageError{fmt.Errorf("--seed chooses the network a population network (size: N) draws; %s draws none when rendered", path)}
	}
	switch {
	case r.PopAST != nil:
		return lems.RenderPopulationFile(path, build.Options{Stderr: stderr}, seed)
	case r.BrainAST != nil:
		doc, err := lems.RenderBrain(r.BrainAST, r.Brain)
		if err == nil {
			for _, o := range r.BrainAST.Observations {
				// the LEMS file records the states every step; a
				// monitor that computes something else from them was
				// dropped without a word
				if m := o.Monitor.Value; m == "Bold" || m == "TemporalAverage" {
					fmt.Fprintf(stderr, "tvboc: note: %s: monitor %s is not rendered: LEMS has no %s, and the LEMS file records the raw states every step (compare them with the binary's, not with its %s rows)\n",
						o.Monitor.Pos, m, map[string]string{"Bold": "haemodynamic kernel", "TemporalAverage": "averaging over a period"}[m], m)
				}
			}
		}
		return doc, err
	case r.AST == nil:
		return nil, lems.ErrWholeBrain
	}
	return lems.Render(r.AST, r.Model)
}
