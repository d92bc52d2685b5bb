/*
 * jr.c: the hand-written C baseline for benchmark workload W7, one
 * Jansen-Rit node (testdata/bench/jr_1.yaml; forward Euler, dt 0.1 ms,
 * 200,000 steps). It is bench/baseline/jr/main.go, whose package comment
 * is the specification, operation for operation, and writes the same
 * .npy file (t in seconds and the six states after every step).
 *
 *   gcc -O3 -march=native -ffp-contract=off -o jr jr.c -lm
 *   ./jr -o jr.npy
 *
 * glibc's exp and Go's differ in the last bit for some arguments, so the
 * trajectories agree closely but not bit for bit
 * (bench/baseline/equiv_test.go).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tvboc_npy.h"

#define STEPS 200000
#define DT 0.1
#define COLS 7

/* TVB's JansenRit defaults; volatile so that their products below round
 * at run time in double, as in the Go baseline. */
static volatile double A = 3.25, B = 22.0, a = 0.1, b = 0.05;
static volatile double v0 = 5.52, e0 = 0.0025, r = 0.56;
static volatile double J = 135.0, mu = 0.22;
static volatile double a1 = 1.0, a2 = 0.8, a3 = 0.25, a4 = 0.25;

int main(int argc, char **argv) {
	const char *out = "jr.npy";
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--o")) && i + 1 < argc) {
			out = argv[++i];
		} else if (!strncmp(argv[i], "-o=", 3)) {
			out = argv[i] + 3;
		} else {
			fprintf(stderr, "usage: jr [-o jr.npy]\n");
			return 2;
		}
	}
	int64_t start = now_ns();

	const double Aa = A * a, Bb = B * b, two_a = 2 * a, two_b = 2 * b, aa = a * a, bb = b * b;
	const double a1J = a1 * J, a2J = a2 * J, a3J = a3 * J, a4J = a4 * J;
	const double two_e0 = 2 * e0, rate = r, mid = v0, m = mu;
#define SIGM(v) (two_e0 / (1 + exp(rate * (mid - (v)))))

	double *data = calloc((size_t)(STEPS + 1) * COLS, sizeof *data);
	if (!data) {
		fprintf(stderr, "jr: out of memory\n");
		return 1;
	}
	double y0 = 0.1, y1 = 0.1, y2 = 0.1, y3 = 0.1, y4 = 0.1, y5 = 0.1;
	for (int c = 1; c < COLS; c++) {
		data[c] = 0.1;
	}
	for (int k = 0; k < STEPS; k++) {
		double s_pyr = SIGM(y1 - y2);
		double s_exc = SIGM(a1J * y0);
		double s_inh = SIGM(a3J * y0);
		double d3 = Aa * s_pyr - two_a * y3 - aa * y0;
		double d4 = Aa * (m + a2J * s_exc) - two_a * y4 - aa * y1;
		double d5 = Bb * (a4J * s_inh) - two_b * y5 - bb * y2;
		double n0 = y0 + DT * y3, n1 = y1 + DT * y4, n2 = y2 + DT * y5;
		y3 += DT * d3;
		y4 += DT * d4;
		y5 += DT * d5;
		y0 = n0, y1 = n1, y2 = n2;
		double *row = data + (size_t)(k + 1) * COLS;
		row[0] = (double)(k + 1) * 1e-4; /* t in seconds, as the runtime writes it */
		row[1] = y0, row[2] = y1, row[3] = y2, row[4] = y3, row[5] = y4, row[6] = y5;
	}
	int64_t sim = now_ns() - start;
	if (write_npy(out, data, STEPS + 1, COLS) != 0) {
		return 1;
	}
	int64_t total = now_ns() - start;
	printf("jr c: steps=%d y0=%.17g sim_ns=%lld write_ns=%lld\n", STEPS, y0, (long long)sim, (long long)(total - sim));
	free(data);
	return 0;
}
