"""Benchmark workload W2 in Brian2: Izhikevich's (2003) "spnet" network.

The same model, schedule and output as the hand-written baselines
(bench/baseline/spnet/main.go documents it), written the way a Brian2 user
would: thalamic input by run_regularly every 1 ms, on_pre "v_post += w"
without delay, Brian2's default schedule (state update, thresholds,
synapses, resets), forward Euler. Brian2 draws its own random numbers, so
spike trains agree with the baselines statistically, not spike for spike;
sparse targets are drawn without repeats (Brian2's sample()), where the
baselines allow repeats.

    python3 spnet.py --device cpp_standalone --n 1000 --seed 1 --out spikes.csv

Prints one key=value summary line for the benchmark harness: build_ns is
code generation plus compilation (cpp_standalone: device.build minus the
binary's run; runtime: network construction and run() minus the step
loop, since runtime mode generates and compiles code while the network is
built), sim_ns is Brian2's own
measure of the step loop (device._last_run_time).
"""

import argparse
import os
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", choices=["runtime", "cpp_standalone"], default="runtime")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--targets", type=int, default=-1,
                    help="random targets per cell; 0 = all-to-all; default all-to-all for n <= 1000, else 100")
    ap.add_argument("--T", type=int, default=1000, help="simulated time in ms")
    ap.add_argument("--out", default="-", help="spike CSV (t,index) to write; - for none")
    args = ap.parse_args()

    import brian2 as b2
    from brian2 import NeuronGroup, Synapses, SpikeMonitor, ms, defaultclock, prefs

    prefs.logging.console_log_level = "WARNING"
    setup = time.perf_counter()
    project = None
    if args.device == "cpp_standalone":
        # A fresh project directory per run: build_ns is then a full build.
        project = tempfile.mkdtemp(prefix="tvboc-brian2-")
        b2.set_device("cpp_standalone", directory=project, build_on_run=False)
    else:
        prefs.codegen.target = "cython"
    b2.seed(args.seed)

    n, k = args.n, args.targets
    if k < 0:
        k = 0 if n <= 1000 else 100
    ne = n * 4 // 5
    defaultclock.dt = 0.1 * ms

    G = NeuronGroup(n, """
        dv/dt = (0.04*v*v + 5*v + 140 - u + I)/ms : 1
        du/dt = a*(b*v - u)/ms : 1
        I : 1
        sigma : 1
        r : 1
        a : 1
        b : 1
        c : 1
        d : 1
        """, threshold="v >= 30", reset="v = c; u += d", method="euler")
    G.r = "rand()"
    exc, inh = G[:ne], G[ne:]
    exc.a, exc.b, exc.c, exc.d, exc.sigma = 0.02, 0.2, "-65 + 15*r*r", "8 - 6*r*r", 5
    inh.a, inh.b, inh.c, inh.d, inh.sigma = "0.02 + 0.08*r", "0.25 - 0.05*r", -65, 2, 2
    G.v = -65
    G.u = "b*v"
    # when="start": the input is redrawn at steps k % 10 == 0 before the
    # state update, as in the baselines.
    G.run_regularly("I = sigma*randn()", dt=1 * ms, when="start")

    S = Synapses(G, G, "w : 1", on_pre="v_post += w")
    if k == 0:
        S.connect()
        S.w["i < ne"] = "0.5*rand()"
        S.w["i >= ne"] = "-rand()"
    else:
        S.connect(j="t for t in sample(N_post, size=%d)" % k)
        S.w["i < ne"] = "5*rand()"
        S.w["i >= ne"] = "-10*rand()"
    mon = SpikeMonitor(G)

    duration = args.T * ms
    start = time.perf_counter()
    if args.device == "cpp_standalone":
        b2.run(duration, namespace={"ne": ne})
        b2.device.build(directory=project, compile=True, run=True, with_output=False)
        total = time.perf_counter() - start
        run_binary = b2.device.timers["run_binary"] or 0.0
        build = total - run_binary
    else:
        b2.run(duration, namespace={"ne": ne})
        # Runtime mode generates and compiles code as the network is built
        # (e.g. S.connect), so its build time starts with the construction.
        build = time.perf_counter() - setup - b2.device._last_run_time
    sim = b2.device._last_run_time

    start = time.perf_counter()
    # Spike times in the baselines' convention: the step after Brian2's
    # stamp (Brian2 stamps a spike with the start of its step).
    steps = (mon.t_[:] / float(defaultclock.dt) + 0.5).astype("int64") + 1
    idx = mon.i[:]
    if args.out != "-":
        with open(args.out, "w") as f:
            f.write("t,index\n")
            f.writelines("%d.%04d,%d\n" % (s // 10000, s % 10000, j) for s, j in zip(steps, idx))
    wrote = time.perf_counter() - start
    count = len(idx)
    rate = count / n / (args.T / 1000) if args.T > 0 else 0.0
    print("spnet brian2-%s: n=%d seed=%d steps=%d spikes=%d rate_hz=%.3f sim_ns=%d build_ns=%d write_ns=%d"
          % (args.device, n, args.seed, args.T * 10, count, rate, sim * 1e9, build * 1e9, wrote * 1e9))
    if project:
        import shutil
        shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
