/*
 * ex15.c: the hand-written C baseline for benchmark workload W8, TVBO's
 * NeuroML Ex15 (one granule cell, seven channels and a calcium pool;
 * forward Euler, dt 1 us, 700 ms). It is bench/baseline/ex15/main.go,
 * whose package comment is the specification, operation for operation,
 * and writes the same .npy file (t and v after every step).
 *
 *   gcc -O3 -march=native -ffp-contract=off -o ex15 ex15.c -lm
 *   ./ex15 -o ex15.npy
 *
 * glibc's exp and Go's differ in the last bit for some arguments, so the
 * traces are not bit for bit the Go baseline's: the same spikes, the
 * traces within a microvolt (bench/baseline/equiv_test.go).
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

#define STEPS 700000
#define DT 1e-6
#define COLS 2
#define PULSE_ON 99999
#define PULSE_OFF 599999
#define AMP 1.0000000000000001e-11

#define AREA 3.1415926535897923e-10
#define CM 3.1415926535897923e-12
#define Q10 4.99999999990152

#define GL_AREA 1.0368292482422e-10
#define G_NAF 557.2270000000001
#define G_KDR 88.9691
#define G_H 0.3090506
#define G_CAHVA 9.084216000000001
#define G_KA 11.4567
#define G_KCA 179.811
#define E_L (-0.065)
#define E_NA 0.055
#define E_K (-0.09)
#define E_H (-0.042)
#define E_CA 0.08

#define POOL_SCALE 5.007301402639604e-12
#define CA_REST 7.549999999999999e-05
#define CA_TAU 0.01
#define THRESH 0.0
#define V0 (-0.065)

typedef struct {
	double naf_m, naf_h, kdr_m, kdr_h, h_n, ca_m, ca_h, ka_m, ka_h, kca_m;
} gates;

static inline double exp_linear(double rate, double x) {
	if (fabs(x) >= 0.001) {
		return rate * x / (1 - exp(-x));
	}
	return rate * (1 + x / 2 + x * x / 12);
}

static inline double rate_tau(double a, double b, double floor_) {
	if (a + b == 0) {
		return 0;
	}
	if (1 / (a + b) < floor_) {
		return floor_;
	}
	return 1 / (a + b);
}

static inline void targets(double v, double ca, gates *inf, gates *tau) {
	double d29 = v + 0.028999999999999998;
	double a = 1500 * exp(d29 / 0.012345679), b = 1500 * exp(d29 / -0.0151515);
	inf->naf_m = a / (a + b), tau->naf_m = rate_tau(a, b, 5e-05) / Q10;
	double d40 = v + 0.04;
	a = 120 * exp(d40 / -0.01123596), b = 120 * exp(d40 / 0.01123596);
	inf->naf_h = a / (a + b), tau->naf_h = rate_tau(a, b, 0.000225) / Q10;

	double V = v - 0.01;
	a = 170 * exp(73 * (V + 0.038)), b = 170 * exp(-18 * (V + 0.038));
	inf->kdr_m = a / (a + b), tau->kdr_m = 1 / ((a + b) * Q10);
	a = 0.76;
	if (!(V > -0.046)) {
		a = 0.7 + 0.065 * exp(-80 * (V + 0.046));
	}
	b = 1.1 / (1 + exp(-80.7 * (V + 0.044)));
	inf->kdr_h = a / (a + b), tau->kdr_h = 1 / ((a + b) * Q10);

	double d65 = v + 0.065;
	a = 0.8 * exp(d65 / -0.01100110011), b = 0.8 * exp(d65 / 0.01100110011);
	inf->h_n = a / (a + b), tau->h_n = 1 / ((a + b) * Q10);

	a = 1600 / (1 + exp(-((v - 0.015) / 0.01388888889)));
	b = exp_linear(100, (v - 0.0011000000000000003) / -0.005);
	inf->ca_m = a / (a + b), tau->ca_m = 1 / ((a + b) * Q10);
	if (V < -0.06) {
		a = 5, b = 0;
	} else {
		double e = exp(-50 * (V + 0.06));
		a = 5 * e, b = 5 - 5 * e;
	}
	inf->ca_h = a / (a + b), tau->ca_h = 1 / ((a + b) * Q10);

	inf->ka_m = 1 / (1 + exp(-((v + 0.036699999999999997) / 0.0198)));
	tau->ka_m = 0.00041 * exp((V + 0.0435) / -0.0428) + 0.000167;
	inf->ka_h = 1 / (1 + exp(-((v + 0.0688) / -0.0084)));
	tau->ka_h = 0.001 * (10.8 + 0.03 * V * 1000 + 1 / (57.9 * exp(V * 0.127 * 1000) + 0.000134 * exp(V * -59.0)));

	a = 2500 / (1 + 0.0015 * exp(-85 * V) / ca);
	b = 1500 / (1 + ca / (0.00015 * exp(-77 * V)));
	inf->kca_m = a / (a + b), tau->kca_m = 1 / ((a + b) * Q10);
}

static inline double relax(double q, double inf, double tau) { return q + DT * ((inf - q) / tau); }

int main(int argc, char **argv) {
	const char *out = "ex15.npy";
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--o")) && i + 1 < argc) {
			out = argv[++i];
		} else if (!strncmp(argv[i], "-o=", 3)) {
			out = argv[i] + 3;
		} else {
			fprintf(stderr, "usage: ex15 [-o ex15.npy]\n");
			return 2;
		}
	}
	int64_t start = now_ns();

	double v = V0, ca = CA_REST;
	gates g, inf, tau;
	targets(v, ca, &g, &tau); /* every gate starts at its steady state */
	bool spiking = false;
	int spikes = 0;

	double *data = calloc((size_t)(STEPS + 1) * COLS, sizeof *data);
	if (!data) {
		fprintf(stderr, "ex15: out of memory\n");
		return 1;
	}
	data[1] = v;
	for (int k = 0; k < STEPS; k++) {
		double pulse = (k >= PULSE_ON && k < PULSE_OFF) ? AMP : 0.0;
		targets(v, ca, &inf, &tau);
		double m3 = g.naf_m * g.naf_m * g.naf_m;
		double kdr2 = g.kdr_m * g.kdr_m;
		double ka3 = g.ka_m * g.ka_m * g.ka_m;
		double i_ca = AREA * (G_CAHVA * (g.ca_m * g.ca_m * g.ca_h)) * (E_CA - v);
		double i_l = GL_AREA * (E_L - v);
		double i_na = AREA * (G_NAF * (m3 * g.naf_h)) * (E_NA - v);
		double i_kdr = AREA * (G_KDR * (kdr2 * kdr2 * g.kdr_h)) * (E_K - v);
		double i_h = AREA * (G_H * g.h_n) * (E_H - v);
		double i_ka = AREA * (G_KA * (ka3 * g.ka_h)) * (E_K - v);
		double i_kca = AREA * (G_KCA * g.kca_m) * (E_K - v);
		double i_channels = i_l + i_na + i_kdr + i_h + i_ca + i_ka + i_kca;

		g.naf_m = relax(g.naf_m, inf.naf_m, tau.naf_m);
		g.naf_h = relax(g.naf_h, inf.naf_h, tau.naf_h);
		g.kdr_m = relax(g.kdr_m, inf.kdr_m, tau.kdr_m);
		g.kdr_h = relax(g.kdr_h, inf.kdr_h, tau.kdr_h);
		g.h_n = relax(g.h_n, inf.h_n, tau.h_n);
		g.ca_m = relax(g.ca_m, inf.ca_m, tau.ca_m);
		g.ca_h = relax(g.ca_h, inf.ca_h, tau.ca_h);
		g.ka_m = relax(g.ka_m, inf.ka_m, tau.ka_m);
		g.ka_h = relax(g.ka_h, inf.ka_h, tau.ka_h);
		g.kca_m = relax(g.kca_m, inf.kca_m, tau.kca_m);
		ca += DT * (i_ca / POOL_SCALE - (ca - CA_REST) / CA_TAU);
		if (ca < 0) {
			ca = 0;
		}
		v += DT * ((i_channels + pulse) / CM);
		if (v > THRESH && !spiking) {
			spiking = true;
			spikes++;
		}
		if (v < THRESH) {
			spiking = false;
		}
		data[(size_t)(k + 1) * COLS] = (double)(k + 1) * DT;
		data[(size_t)(k + 1) * COLS + 1] = v;
	}
	int64_t sim = now_ns() - start;
	if (write_npy(out, data, STEPS + 1, COLS) != 0) {
		return 1;
	}
	int64_t total = now_ns() - start;
	printf("ex15 c: steps=%d spikes=%d sim_ns=%lld write_ns=%lld\n", STEPS, spikes, (long long)sim, (long long)(total - sim));
	free(data);
	return 0;
}
