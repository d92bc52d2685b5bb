"""Benchmark workload W1 in Brian2: the seed experiment (NeuroML Ex2).

Four Izhikevich-2003 cells driven by pulses and a ramp, forward Euler,
dt 5 us, 200 ms, v of every cell recorded every step and written as CSV:
the model of bench/baseline/ex2/main.go in SI units, inputs read at the
end of the step (t + dt) as there. Brian2's StateMonitor records the state
at the start of each step, so the file has the 40000 rows t = 0 .. 199.995
ms (the baselines also write the final state, 40001 rows).

    python3 ex2.py --device cpp_standalone --out ex2.csv

Prints one key=value summary line for the benchmark harness (see
spnet.py for build_ns and sim_ns).
"""

import argparse
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", choices=["runtime", "cpp_standalone"], default="runtime")
    ap.add_argument("--out", default="-", help="CSV to write; - for none")
    args = ap.parse_args()

    import numpy as np
    import brian2 as b2
    from brian2 import NeuronGroup, StateMonitor, ms, mV, second, defaultclock, prefs

    prefs.logging.console_log_level = "WARNING"
    setup = time.perf_counter()
    project = None
    if args.device == "cpp_standalone":
        project = tempfile.mkdtemp(prefix="tvboc-brian2-")
        b2.set_device("cpp_standalone", directory=project, build_on_run=False)
    else:
        prefs.codegen.target = "cython"
    defaultclock.dt = 0.005 * ms

    # I = base + (height + slope (t' - ts)) on ts <= t' < te, t' = t + dt.
    G = NeuronGroup(4, """
        dv/dt = (0.04*v*v/mV + 5*v + (140 - u + I)*mV)/ms : volt
        du/dt = a*(b*v/mV - u)/ms : 1
        I = base + (height + slope*(t + dt - ts))*int(t + dt >= ts)*int(t + dt < te) : 1
        a : 1
        b : 1
        c : 1
        d : 1
        base : 1
        height : 1
        slope : 1/second
        ts : second
        te : second
        """, threshold="v > 30*mV", reset="v = c*mV; u += d", method="euler")
    G.a = [0.02, 0.02, 0.02, 0.02]
    G.b = [0.2, 0.2, 0.2, -0.1]
    G.c = [-50, -65, -55, -55]
    G.d = [2, 6, 4, 6]
    G.v = [-70, -70, -70, -60] * mV
    G.u = "b*v/mV"
    G.base = [0, 0, 0, -32]
    G.height = [15, 14, 10, 0]
    G.slope = [0, 0, 0, 82 / 0.170] / second
    G.ts = [22, 20, 20, 30] * ms
    G.te = [2022, 2020, 2020, 200] * ms
    mon = StateMonitor(G, "v", record=True)

    start = time.perf_counter()
    b2.run(200 * ms)
    if args.device == "cpp_standalone":
        b2.device.build(directory=project, compile=True, run=True, with_output=False)
        build = time.perf_counter() - start - (b2.device.timers["run_binary"] or 0.0)
    else:
        build = time.perf_counter() - setup - b2.device._last_run_time
    sim = b2.device._last_run_time

    start = time.perf_counter()
    if args.out != "-":
        table = np.column_stack([mon.t_[:]] + [mon.v_[i] for i in range(4)])
        np.savetxt(args.out, table, delimiter=",", fmt="%.17g", comments="",
                   header="t,izBurst_pop[0]/v,izTonic_pop[0]/v,izMixed_pop[0]/v,izClass1_pop[0]/v")
    wrote = time.perf_counter() - start
    print("ex2 brian2-%s: steps=%d sim_ns=%d build_ns=%d write_ns=%d"
          % (args.device, len(mon.t_[:]), sim * 1e9, build * 1e9, wrote * 1e9))
    if project:
        import shutil
        shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
