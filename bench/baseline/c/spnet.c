/*
 * spnet.c: the hand-written C baseline for benchmark workload W2,
 * Izhikevich's (2003) "spnet" network. It is the same program as the Go
 * baseline bench/baseline/spnet/main.go, whose package comment is the
 * specification (model, order of random draws, step order, output): for
 * the same flags the two write byte-identical spike files
 * (bench/spnet_test.go checks it).
 *
 *   gcc -O3 -march=native -ffp-contract=off -o spnet spnet.c -lm
 *   ./spnet -n 1000 -seed 1 -o spikes.csv
 *
 * -ffp-contract=off keeps GCC from fusing a*b+c into one FMA instruction:
 * Go never fuses on amd64 by default, and a fused Euler step rounds
 * differently (the W1 traces differ within 300 steps), so that a spike
 * train could differ at any time.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tvboc_rng.h"

#define DT 0.1      /* ms */
#define REDRAW 10   /* steps per thalamic window (1 ms) */
#define THRESHOLD 30.0
#define STEPS_PER_MS 10

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *xmalloc(size_t n) {
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "spnet: out of memory\n");
		exit(1);
	}
	return p;
}

/* flag returns the value of -name VALUE or -name=VALUE (one or two dashes)
 * at argv[*i], advancing *i, or NULL when argv[*i] is not that flag. */
static const char *flag(int argc, char **argv, int *i, const char *name) {
	const char *a = argv[*i];
	if (a[0] != '-') {
		return NULL;
	}
	a += (a[1] == '-') ? 2 : 1;
	size_t len = strlen(name);
	if (strncmp(a, name, len) != 0) {
		return NULL;
	}
	if (a[len] == '=') {
		return a + len + 1;
	}
	if (a[len] == 0 && *i + 1 < argc) {
		return argv[++*i];
	}
	return NULL;
}

int main(int argc, char **argv) {
	long n = 1000, targets = -1, ms = 1000;
	double we = 5, wi = -10; /* sparse weights: we*rand excitatory, wi*rand inhibitory */
	uint64_t seed = 1;
	const char *out = "spikes.csv";
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = flag(argc, argv, &i, "n"))) {
			n = strtol(v, NULL, 10);
		} else if ((v = flag(argc, argv, &i, "seed"))) {
			seed = strtoull(v, NULL, 10);
		} else if ((v = flag(argc, argv, &i, "targets"))) {
			targets = strtol(v, NULL, 10);
		} else if ((v = flag(argc, argv, &i, "T"))) {
			ms = strtol(v, NULL, 10);
		} else if ((v = flag(argc, argv, &i, "we"))) {
			we = strtod(v, NULL);
		} else if ((v = flag(argc, argv, &i, "wi"))) {
			wi = strtod(v, NULL);
		} else if ((v = flag(argc, argv, &i, "o"))) {
			out = v;
		} else {
			fprintf(stderr, "usage: spnet [-n N] [-seed S] [-targets K] [-T ms] [-we W] [-wi W] [-o spikes.csv|-]\n");
			return 2;
		}
	}
	if (n < 1 || ms < 0 || targets < -1) {
		fprintf(stderr, "spnet: -n must be >= 1, -T and -targets >= 0\n");
		return 2;
	}
	long K = targets;
	if (K < 0) {
		K = n > 1000 ? 100 : 0;
	}
	long ne = n * 4 / 5;
	long steps = ms * STEPS_PER_MS;

	/* Network construction: draw groups 1 (parameters) and 2 (weights). */
	int64_t built = now_ns();
	tvboc_rng rng;
	tvboc_rng_seed(&rng, seed);
	double *a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
	double *c = xmalloc(n * sizeof *c), *d = xmalloc(n * sizeof *d);
	double *v = xmalloc(n * sizeof *v), *u = xmalloc(n * sizeof *u);
	double *in = xmalloc(n * sizeof *in), *sig = xmalloc(n * sizeof *sig);
	for (long i = 0; i < n; i++) {
		double x = tvboc_rng_float64(&rng);
		if (i < ne) {
			a[i] = 0.02, b[i] = 0.2, c[i] = -65 + 15 * x * x, d[i] = 8 - 6 * x * x;
			sig[i] = 5;
		} else {
			a[i] = 0.02 + 0.08 * x, b[i] = 0.25 - 0.05 * x, c[i] = -65, d[i] = 2;
			sig[i] = 2;
		}
		v[i] = -65;
		u[i] = b[i] * v[i];
	}
	double *w;
	int32_t *tgt = NULL;
	if (K == 0) {
		w = xmalloc((size_t)n * n * sizeof *w);
		for (long i = 0; i < n; i++) {
			double scale = i < ne ? 0.5 : -1;
			for (long j = 0; j < n; j++) {
				w[i * n + j] = scale * tvboc_rng_float64(&rng);
			}
		}
	} else {
		w = xmalloc((size_t)n * K * sizeof *w);
		tgt = xmalloc((size_t)n * K * sizeof *tgt);
		for (long i = 0; i < n; i++) {
			double scale = i < ne ? we : wi;
			for (long s = i * K; s < (i + 1) * K; s++) {
				tgt[s] = (int32_t)((double)n * tvboc_rng_float64(&rng));
				w[s] = scale * tvboc_rng_float64(&rng);
			}
		}
	}

	built = now_ns() - built;

	int32_t *fired = xmalloc(n * sizeof *fired);
	size_t cap = 1 << 16, len = 0; /* spikes as (step, index) pairs */
	int32_t *spikes = xmalloc(cap * sizeof *spikes);

	int64_t start = now_ns();
	for (long k = 0; k < steps; k++) {
		if (k % REDRAW == 0) {
			for (long i = 0; i < n; i++) {
				in[i] = sig[i] * tvboc_rng_normal(&rng);
			}
		}
		for (long i = 0; i < n; i++) {
			double vi = v[i], ui = u[i];
			v[i] = vi + DT * (0.04 * vi * vi + 5 * vi + 140 - ui + in[i]);
			u[i] = ui + DT * (a[i] * (b[i] * vi - ui));
		}
		long nf = 0;
		for (long i = 0; i < n; i++) {
			if (v[i] >= THRESHOLD) {
				fired[nf++] = (int32_t)i;
				if (len + 2 > cap) {
					cap *= 2;
					spikes = realloc(spikes, cap * sizeof *spikes);
					if (!spikes) {
						fprintf(stderr, "spnet: out of memory\n");
						return 1;
					}
				}
				spikes[len++] = (int32_t)(k + 1);
				spikes[len++] = (int32_t)i;
			}
		}
		if (nf == 0) {
			continue;
		}
		if (K == 0) {
			for (long f = 0; f < nf; f++) {
				const double *row = w + (size_t)fired[f] * n;
				for (long j = 0; j < n; j++) {
					v[j] += row[j];
				}
			}
		} else {
			for (long f = 0; f < nf; f++) {
				const int32_t *tg = tgt + (size_t)fired[f] * K;
				const double *ws = w + (size_t)fired[f] * K;
				for (long s = 0; s < K; s++) {
					v[tg[s]] += ws[s];
				}
			}
		}
		for (long f = 0; f < nf; f++) {
			long i = fired[f];
			v[i] = c[i];
			u[i] += d[i];
		}
	}
	int64_t sim = now_ns() - start;

	start = now_ns();
	if (strcmp(out, "-") != 0) {
		FILE *fp = fopen(out, "w");
		if (!fp) {
			perror(out);
			return 1;
		}
		static char buf[1 << 20];
		setvbuf(fp, buf, _IOFBF, sizeof buf);
		fputs("t,index\n", fp);
		for (size_t p = 0; p < len; p += 2) {
			/* t from the integer step (1 step = 1e-4 s): exact, and the
			 * same bytes as the Go baseline. */
			fprintf(fp, "%d.%04d,%d\n", spikes[p] / 10000, spikes[p] % 10000, spikes[p + 1]);
		}
		if (fclose(fp) != 0) {
			perror(out);
			return 1;
		}
	}
	int64_t wrote = now_ns() - start;
	size_t count = len / 2;
	double rate = ms > 0 ? (double)count / (double)n / ((double)ms / 1000) : 0;
	printf("spnet c: n=%ld seed=%llu steps=%ld spikes=%zu rate_hz=%.3f sim_ns=%lld write_ns=%lld construct_ns=%lld\n",
	       n, (unsigned long long)seed, steps, count, rate, (long long)sim, (long long)wrote, (long long)built);
	return 0;
}
