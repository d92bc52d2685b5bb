/*
 * ex26.c: the hand-written C baseline for benchmark workload W6, TVBO's
 * NeuroML Ex26 (twelve Hodgkin-Huxley cells with weighted chemical,
 * electrical and graded synapses; forward Euler, dt 5 us, 300 ms). It is
 * bench/baseline/ex26/main.go, whose package comment is the
 * specification, operation for operation, and writes the same .npy file
 * (t and v of every cell after every step).
 *
 *   gcc -O3 -march=native -ffp-contract=off -o ex26 ex26.c -lm
 *   ./ex26 -o ex26.npy
 *
 * The one difference from Go is exp: glibc's and Go's differ in the last
 * bit for some arguments, so the traces are not bit for bit the Go
 * baseline's; the spikes are the same and the traces agree to far below
 * a microvolt (bench/baseline/equiv_test.go).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tvboc_npy.h"

#define STEPS 60000
#define DT 5e-6
#define CELLS 12
#define COLS (CELLS + 1)
#define PULSE_ON 19999
#define PULSE_OFF 39999
#define AMP 6.800000000000001e-11

#define AREA 1.0000000939925984e-09
#define CM 1.0000000939925984e-11
#define GL_AREA 3.0000002819777946e-09
#define GNA 1200.0
#define GK 360.0
#define ENA 0.05
#define EK (-0.077)
#define EL (-0.0543)
#define THRESH (-0.02)
#define MSCALE (-0.018000000000000002)

#define EXP_DECAY 0.002
#define DELAY_STEPS 4000
#define RING_LEN (2 * DELAY_STEPS + 1)
#define GRADED_K 25.0
#define GRADED_VTH (-0.035)
#define GRADED_DEL 0.005
#define GRADED_MIN 0.0001

static const double exp_g[3] = {2.0000000000000003e-10, 1.0000000000000002e-10, 4.0000000000000007e-10};
static const double gap_g[3] = {1e-10, 5e-11, 2e-10};
static const double graded_g[3] = {1.0000000000000002e-10, 5.000000000000001e-11, 2.0000000000000003e-10};
static const double pulse_w[3] = {1, 0.5, 2};

typedef struct {
	double m, h, n, v;
	bool spiking;
} cell;

static inline double exp_linear(double rate, double x) {
	if (fabs(x) >= 0.001) {
		return rate * x / (1 - exp(-x));
	}
	return rate * (1 + x / 2 + x * x / 12);
}

static inline double relax(double q, double a, double b) {
	double s = a + b;
	double inf = a / s, tau = 1 / s;
	return q + DT * ((inf - q) / tau);
}

static inline void step(cell *c, double i_ext) {
	double v = c->v;
	double d65 = v + 0.065;
	double am = exp_linear(1000, (v + 0.04) / 0.01);
	double bm = 4000 * exp(d65 / MSCALE);
	double ah = 70 * exp(d65 / -0.02);
	double bh = 1000 / (1 + exp(-((v + 0.035) / 0.01)));
	double an = exp_linear(100, (v + 0.055) / 0.01);
	double bn = 125 * exp(d65 / -0.08);
	double m = c->m, h = c->h, n = c->n;
	double n2 = n * n;
	double i_l = GL_AREA * (EL - v);
	double i_na = AREA * (GNA * (m * m * m * h)) * (ENA - v);
	double i_k = AREA * (GK * (n2 * n2)) * (EK - v);
	c->m = relax(m, am, bm);
	c->h = relax(h, ah, bh);
	c->n = relax(n, an, bn);
	c->v = v + DT * ((i_l + i_na + i_k + i_ext) / CM);
}

int main(int argc, char **argv) {
	const char *out = "ex26.npy";
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--o")) && i + 1 < argc) {
			out = argv[++i];
		} else if (!strncmp(argv[i], "-o=", 3)) {
			out = argv[i] + 3;
		} else {
			fprintf(stderr, "usage: ex26 [-o ex26.npy]\n");
			return 2;
		}
	}
	int64_t start = now_ns();

	cell cs[CELLS];
	double v0 = -0.065, d65 = v0 + 0.065;
	double am = exp_linear(1000, (v0 + 0.04) / 0.01), bm = 4000 * exp(d65 / MSCALE);
	double ah = 70 * exp(d65 / -0.02), bh = 1000 / (1 + exp(-((v0 + 0.035) / 0.01)));
	double an = exp_linear(100, (v0 + 0.055) / 0.01), bn = 125 * exp(d65 / -0.08);
	for (int i = 0; i < CELLS; i++) {
		cs[i] = (cell){.m = am / (am + bm), .h = ah / (ah + bh), .n = an / (an + bn), .v = v0};
	}
	double g[3] = {0, 0, 0}, s[3] = {0, 0, 0};
	static bool ring[RING_LEN];
	int spikes = 0;

	double *data = calloc((size_t)(STEPS + 1) * COLS, sizeof *data);
	if (!data) {
		fprintf(stderr, "ex26: out of memory\n");
		return 1;
	}
	for (int i = 0; i < CELLS; i++) {
		data[1 + i] = cs[i].v;
	}
	double i_ext[CELLS];
	for (int k = 0; k < STEPS; k++) {
		double pulse = (k >= PULSE_ON && k < PULSE_OFF) ? AMP : 0.0;
		double v[CELLS];
		for (int i = 0; i < CELLS; i++) {
			v[i] = cs[i].v;
		}
		double inf = 1 / (1 + exp((GRADED_VTH - v[0]) / GRADED_DEL));
		double gap = 0.0;
		for (int j = 0; j < 3; j++) {
			gap += gap_g[j] * (v[6 + j] - v[0]);
			i_ext[3 + j] = g[j] * -v[3 + j];
			i_ext[6 + j] = gap_g[j] * (v[0] - v[6 + j]);
			i_ext[9 + j] = graded_g[j] * s[j] * -v[9 + j];
		}
		i_ext[0] = pulse * pulse_w[0] + gap;
		i_ext[1] = pulse * pulse_w[1];
		i_ext[2] = pulse * pulse_w[2];
		for (int i = 0; i < CELLS; i++) {
			step(&cs[i], i_ext[i]);
		}
		for (int j = 0; j < 3; j++) {
			g[j] += DT * (-g[j] / EXP_DECAY);
			if (1 - inf > GRADED_MIN) {
				s[j] += DT * ((inf - s[j]) / ((1 - inf) / GRADED_K));
			} else if (1 - inf < GRADED_MIN) {
				s[j] = inf;
			}
		}
		bool spiked = false;
		for (int i = 0; i < CELLS; i++) {
			cell *c = &cs[i];
			if (c->v > THRESH && !c->spiking) {
				c->spiking = true;
				spikes++;
				spiked = spiked || i == 0;
			}
			if (c->v < THRESH) {
				c->spiking = false;
			}
		}
		if (spiked) {
			g[0] += exp_g[0];
		}
		if (ring[(k + RING_LEN - DELAY_STEPS) % RING_LEN]) {
			g[1] += exp_g[1];
		}
		if (ring[(k + RING_LEN - 2 * DELAY_STEPS) % RING_LEN]) {
			g[2] += exp_g[2];
		}
		ring[k % RING_LEN] = spiked;

		double *row = data + (size_t)(k + 1) * COLS;
		row[0] = (double)(k + 1) * DT;
		for (int i = 0; i < CELLS; i++) {
			row[1 + i] = cs[i].v;
		}
	}
	int64_t sim = now_ns() - start;
	if (write_npy(out, data, STEPS + 1, COLS) != 0) {
		return 1;
	}
	int64_t total = now_ns() - start;
	printf("ex26 c: steps=%d spikes=%d sim_ns=%lld write_ns=%lld\n", STEPS, spikes, (long long)sim, (long long)(total - sim));
	free(data);
	return 0;
}
