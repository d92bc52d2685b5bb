"""Make the TVB goldens of testdata/tvb/monitors (stimuli and monitors).

Run with TVB 2.11's library on the path (never committed here):

    PYTHONPATH=.../tvb_library python3 make_goldens.py

The experiments are the YAML files next to this script: Generic2dOscillator
(TVB defaults, V = W = 0.1 everywhere) on the 4-region connectome of
../tiny, Linear coupling of V, delays at 3 mm/ms. TVB's history, weights
and coupling sums are float32 (SparseHistory); they are switched to
float64 here, so the goldens are TVB's float64 reading of the model, the
one tvboc compiles by default. Each golden is a CSV (gzip): t in ms as TVB
stamps it, then <var>[<node>] columns of the first monitor's output; the
FC golden is numpy.corrcoef of the BOLD golden's columns
(bold_fc.csv.gz, no header).
"""
import gzip
import os
import sys

import numpy as np

import tvb.simulator.history as H
from tvb.simulator.descriptors import NDArray

for cls in (H.BaseHistory, H.DenseHistory, H.SparseHistory):
    for v in vars(cls).values():
        if isinstance(v, NDArray) and v.dtype == 'f':
            v.dtype = 'd'

from tvb.simulator import coupling, integrators, models, monitors, simulator
from tvb.datatypes import connectivity, equations, patterns

here = os.path.dirname(os.path.abspath(__file__))
tiny = os.path.join(here, "..", "tiny")


def gz(name):
    """A gzip text file without a time stamp: a rerun writes the same bytes."""
    import io
    return io.TextIOWrapper(gzip.GzipFile(os.path.join(here, name), "wb", mtime=0), encoding="ascii")


def conn():
    w = np.loadtxt(os.path.join(tiny, "tiny_weights.csv"), delimiter=",")
    l = np.loadtxt(os.path.join(tiny, "tiny_lengths.csv"), delimiter=",")
    c = connectivity.Connectivity(weights=w, tract_lengths=l, speed=np.array([3.0]),
                                  region_labels=np.array(["r%d" % i for i in range(len(w))]),
                                  centres=np.zeros((len(w), 3)))
    c.configure()
    return c


def run(name, integrator, monitor, length, stimulus=None, a=0.1):
    model = models.Generic2dOscillator(variables_of_interest=("V", "W"))
    c = conn()
    if stimulus is not None:
        stimulus.connectivity = c
    sim = simulator.Simulator(model=model, connectivity=c, coupling=coupling.Linear(a=np.array([a])),
                              integrator=integrator, monitors=(monitor,), stimulus=stimulus)
    sim.configure()
    # constant history and initial state 0.1 (initial_conditions would
    # pad a short history with random values, or move the step count)
    sim.history.buffer[:] = 0.1
    sim.current_state[:] = 0.1
    ((t, y),) = sim.run(simulation_length=length)
    nv = y.shape[1]
    names = ["t"] + ["%s[%d]" % (["V", "W"][v], n) for v in range(nv) for n in range(y.shape[2])]
    with gz(name + ".csv.gz") as f:
        f.write(",".join(names) + "\n")
        for k in range(len(t)):
            row = [repr(float(t[k]))] + [repr(float(y[k, v, n, 0])) for v in range(nv) for n in range(y.shape[2])]
            f.write(",".join(row) + "\n")
    print(name, y.shape)
    return t, y


def region_stimulus(temporal, weight):
    return patterns.StimuliRegion(temporal=temporal, weight=np.array(weight))


# stimuli: one per temporal equation and integrator
run("stim_pulse_heun", integrators.HeunDeterministic(dt=0.1), monitors.Raw(), 200.0,
    region_stimulus(equations.PulseTrain(parameters={"T": 42.0, "tau": 13.0, "amp": 0.5, "onset": 30.0}), [0.0, 1.0, 0.0, 0.5]))
run("stim_sine_euler", integrators.EulerDeterministic(dt=0.1), monitors.Raw(), 200.0,
    region_stimulus(equations.Sinusoid(parameters={"amp": 0.3, "frequency": 0.02}), [0.2, 0.0, 1.0, 0.0]))
run("stim_gauss_rk4", integrators.RungeKutta4thOrderDeterministic(dt=0.1), monitors.Raw(), 200.0,
    region_stimulus(equations.Gaussian(parameters={"amp": 2.0, "sigma": 15.0, "midpoint": 80.0, "offset": 0.0}), [1.0, 1.0, 0.0, 0.0]))

# monitors
run("subsample", integrators.HeunDeterministic(dt=0.1), monitors.SubSample(period=1.0), 100.0)
run("tavg", integrators.HeunDeterministic(dt=0.1), monitors.TemporalAverage(period=1.0), 100.0)
slow = region_stimulus(equations.PulseTrain(parameters={"T": 6000.0, "tau": 2000.0, "amp": 1.0, "onset": 1000.0}), [1.0, 0.0, 0.5, 0.0])
t, y = run("bold", integrators.HeunDeterministic(dt=0.5), monitors.Bold(period=500.0), 40000.0, slow)
for name, kernel, length in (("bold_gamma", equations.Gamma(parameters={"tau": 1.2, "n": 3.0, "factorial": 2.0, "a": 0.1}), 16000.0),
                             ("bold_dexp", equations.DoubleExponential(), 20000.0),
                             ("bold_mog", equations.MixtureOfGammas(), 20000.0)):
    run(name, integrators.HeunDeterministic(dt=0.5), monitors.Bold(period=500.0, hrf_kernel=kernel, hrf_length=length), 30000.0, slow)
fc = np.corrcoef(y[:, :, :, 0].reshape(len(t), -1).T)  # columns V[0..3], W[0..3]
with gz("bold_fc.csv.gz") as f:
    for row in fc:
        f.write(",".join(repr(float(v)) for v in row) + "\n")
