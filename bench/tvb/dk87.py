"""DK-87: every library model and coupling, with and without delays,
tvboc against TVB, time per step (issue 17, item 4).

    PYTHONPATH=.../tvb_library python3 bench/tvb/dk87.py TVBOC CONNECTOMES [--steps N] [--tvb-steps M]

TVBOC is a tvboc binary, CONNECTOMES the directory of the DesikanKilliany
CSVs (../shared/reference/tvbo/connectomes). For each case the script
writes a tvboc experiment (weights divided by their mean non-zero value,
delays at 3 mm/ms or none, Heun, dt 0.1 ms), compiles and runs it for N
steps and reads the binary's own time per step (its summary line: the step
loop only); TVB (tvb-library 2.11, float32 history as shipped) runs the
same model and coupling with its defaults for M steps after 20 warm-up
steps (numba compiles there), timing the loop over sim()'s output (Raw
monitor). Prints a Markdown table. Timing only: initial states differ
(TVB draws them), and tvboc runs with --allow-nonfinite.
"""
import argparse
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

# model, TVB class, tvboc coupling entries (input: (coupling, incoming
# states)), TVB coupling, coupling parameters (same in both)
CASES = [
    ("Generic2dOscillator", "Generic2dOscillator", {"c_glob": ["V"]}, "Linear", {"a": 0.0152}),
    ("Generic2dOscillator", "Generic2dOscillator", {"c_glob": ["V"]}, "Scaling", {"a": 0.0152}),
    ("Generic2dOscillator", "Generic2dOscillator", {"c_glob": ["V"]}, "Difference", {"a": 0.0152}),
    ("Generic2dOscillator", "Generic2dOscillator", {"c_glob": ["V"]}, "Sigmoidal", {}),
    # TVBO's HyperbolicTangent defaults a = b = 0 (no coupling), TVB's 1
    ("Generic2dOscillator", "Generic2dOscillator", {"c_glob": ["V"]}, "HyperbolicTangent", {"a": 1.0, "b": 1.0}),
    # TVBO's PreSigmoidal is TVB's static one (dynamic=False)
    ("Generic2dOscillator", "Generic2dOscillator", {"c_glob": ["V"]}, "PreSigmoidal", {}),
    ("Kuramoto", "Kuramoto", {"c_glob": ["theta"]}, "Kuramoto", {"a": 0.005}),
    ("JansenRit", "JansenRit", {"c_glob": ["y1", "y2"]}, "SigmoidalJansenRit", {}),
    ("Epileptor", "Epileptor", {"c_pop1": ["x1"], "c_pop2": ["x2"]}, "Difference", {"a": 0.001}),
    ("Epileptor2D", "Epileptor2D", {"c_pop": ["x1"]}, "Difference", {"a": 0.001}),
    ("Hopfield", "Hopfield", {"c_glob": ["x"]}, "Linear", {"a": 0.01}),
    ("LarterBreakspear", "LarterBreakspear", {"c_glob": ["V"]}, "HyperbolicTangent", {"a": 0.5}),
    ("MontbrioPazoRoxin", "MontbrioPazoRoxin", {"c_glob0": ["r"], "c_glob1": ["V"]}, "Linear", {"a": 0.01}),
    ("ReducedWongWang", "ReducedWongWang", {"c_pop0": ["S"]}, "Linear", {"a": 0.01}),
    ("ReducedWongWangExcInh", "ReducedWongWangExcInh", {"c_glob": ["S_e"]}, "Linear", {"a": 0.01}),
    ("SupHopf", "SupHopf", {"c_glob0": ["x"], "c_glob1": ["y"]}, "Difference", {"a": 0.01}),
    ("WilsonCowan", "WilsonCowan", {"c_glob": ["E"]}, "Linear", {"a": 0.01}),
]

ATLAS = "DesikanKilliany"


def tvboc_yaml(model, inputs, coupling, params, delays):
    lines = ["label: DK-87 %s %s %s" % (model, coupling, "delays" if delays else "no delays"),
             "dynamics: {iri: tvbo:%s}" % model,
             "network:",
             "  iri: tvbo:%s" % ATLAS,
             "  parameters: {conduction_speed: {value: 3.0}}",
             "  transforms:",
             "    - {name: weight, equation: {rhs: \"weight / mean(weight[weight > 0])\"}}",
             "  coupling:"]
    for name, states in inputs.items():
        ps = ", ".join("%s: {value: %r}" % kv for kv in params.items())
        lines.append("    %s: {iri: tvbo:%s, parameters: {%s}, incoming_states: [%s], delayed: %s}"
                     % (name, coupling, ps, ", ".join(states), "true" if delays else "false"))
    lines.append("integration: {method: heun, step_size: 0.1, duration: 1.0}")
    return "\n".join(lines) + "\n"


def tvboc_us(tvboc, data, model, inputs, coupling, params, delays, steps, tmp):
    path = os.path.join(tmp, "%s_%s_%d.yaml" % (model, coupling, delays))
    with open(path, "w") as f:
        f.write(tvboc_yaml(model, inputs, coupling, params, delays))
    binary = path[:-5]
    env = dict(os.environ, TVBOC_DATA=data)
    subprocess.run([tvboc, "compile", "-q", path, "-o", binary], check=True, env=env, capture_output=True)
    best = None
    for _ in range(3):
        r = subprocess.run([binary, "--duration", str(steps * 0.1), "--every", str(steps), "--allow-nonfinite",
                            "-o", os.path.join(tmp, "out.npy")], check=True, capture_output=True, text=True)
        # the summary line: "... in 375 ms wall, ..." for the step loop
        m = re.search(r"in ([0-9.]+) (ns|µs|ms|s) wall", r.stderr)
        us = float(m.group(1)) * {"ns": 1e-3, "µs": 1.0, "ms": 1e3, "s": 1e6}[m.group(2)] / steps
        best = us if best is None else min(best, us)
    return best


def tvb_us(cls, coupling, params, delays, steps, data):
    from tvb.simulator import coupling as cp, integrators, models, monitors, simulator
    from tvb.datatypes import connectivity
    w = np.loadtxt(os.path.join(data, ATLAS + "_weights.csv"), delimiter=",")
    l = np.loadtxt(os.path.join(data, ATLAS + "_lengths.csv"), delimiter=",")
    w = w / w[w > 0].mean()
    if not delays:
        l = np.zeros_like(l)
    c = connectivity.Connectivity(weights=w, tract_lengths=l, speed=np.array([3.0]),
                                  region_labels=np.array(["r%d" % i for i in range(len(w))]),
                                  centres=np.zeros((len(w), 3)))
    c.configure()
    kw = {k: np.array([v]) for k, v in params.items()}
    if coupling == "PreSigmoidal":
        kw["dynamic"] = False
    sim = simulator.Simulator(model=getattr(models, cls)(), connectivity=c, coupling=getattr(cp, coupling)(**kw),
                              integrator=integrators.HeunDeterministic(dt=0.1), monitors=(monitors.Raw(),))
    sim.configure()
    for _ in sim(simulation_length=20 * 0.1):
        pass
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in sim(simulation_length=steps * 0.1):
            pass
        us = (time.perf_counter() - t0) / steps * 1e6
        best = us if best is None else min(best, us)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("tvboc")
    p.add_argument("connectomes")
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--tvb-steps", type=int, default=500)
    args = p.parse_args()
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    tvboc, data = os.path.abspath(args.tvboc), os.path.abspath(args.connectomes)
    print("| model | coupling | delays | TVB µs/step | tvboc µs/step | tvboc vs TVB |")
    print("|---|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for model, cls, inputs, coupling, params in CASES:
            for delays in (False, True):
                row = "| %s | %s | %s | " % (model, coupling, "yes" if delays else "no")
                try:
                    t = tvb_us(cls, coupling, params, delays, args.tvb_steps, data)
                except Exception as e:  # a case TVB cannot run is reported, not fatal
                    t = None
                    row += "failed: %s | " % str(e).splitlines()[0][:60]
                else:
                    row += "%.1f | " % t
                try:
                    g = tvboc_us(tvboc, data, model, inputs, coupling, params, delays, args.steps, tmp)
                except subprocess.CalledProcessError as e:
                    print(row + "failed: %s | |" % (e.stderr.strip().splitlines() or ["?"])[0][:100])
                    sys.stdout.flush()
                    continue
                print(row + "%.2f | %s |" % (g, "%.0fx" % (t / g) if t else ""))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
