/*
 * ex2.c: the hand-written C baseline for benchmark workload W1, the seed
 * experiment (NeuroML Ex2: four Izhikevich-2003 cells driven by pulses
 * and a ramp, forward Euler, dt 5 us, 200 ms, v of every cell recorded
 * every step). It is bench/baseline/ex2/main.go operation for operation,
 * in SI units, and writes the same CSV: the same values, each in its
 * shortest round-trip form as Go's strconv writes it
 * (bench/spnet_test.go checks the files are identical).
 *
 *   gcc -O3 -march=native -ffp-contract=off -o ex2 ex2.c
 *   ./ex2 -o ex2.csv
 *
 * Go folds constant expressions such as 22*ms exactly at compile time,
 * so they are written here as the literals Go rounds them to (0.022);
 * -ffp-contract=off keeps GCC from fusing multiply-adds, which Go does
 * not do on amd64.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STEPS 40000
#define DT 5e-6
#define MV 1e-3
#define MS 1e-3

typedef struct {
	double a, b, c, d, v, u;
} cell;

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* shortest writes x in the shortest form that reads back as x, as Go's
 * strconv.AppendFloat(x, 'g', -1, 64) writes it for the magnitudes this
 * model produces (1e-4 and above use no exponent in both; larger than
 * 1e6 never occurs). It tries 15, 16 and 17 digits: %g drops trailing
 * zeros, so a value whose shortest form has fewer digits comes out of
 * %.15g in that form. C has no shortest-form printf, and glibc's %g is
 * far slower than Go's strconv, which dominates this program's time (see
 * BENCHMARKS.md); a table-driven shortest printer (Ryu) would remove it.
 * It returns the length written. */
static int shortest(char *buf, size_t size, double x) {
	int len = 0;
	for (int prec = 15; prec <= 17; prec++) {
		len = snprintf(buf, size, "%.*g", prec, x);
		if (strtod(buf, NULL) == x) {
			break;
		}
	}
	return len;
}

int main(int argc, char **argv) {
	const char *out = "ex2.csv";
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--o")) && i + 1 < argc) {
			out = argv[++i];
		} else if (!strncmp(argv[i], "-o=", 3)) {
			out = argv[i] + 3;
		} else {
			fprintf(stderr, "usage: ex2 [-o ex2.csv]\n");
			return 2;
		}
	}
	int64_t start = now_ns();
	cell cells[4] = {
		{.a = 0.02, .b = 0.2, .c = -50, .d = 2, .v = -0.07},
		{.a = 0.02, .b = 0.2, .c = -65, .d = 6, .v = -0.07},
		{.a = 0.02, .b = 0.2, .c = -55, .d = 4, .v = -0.07},
		{.a = 0.02, .b = -0.1, .c = -55, .d = 6, .v = -0.06},
	};
	for (int i = 0; i < 4; i++) {
		cells[i].u = cells[i].v * cells[i].b / MV;
	}
	double *data = malloc((size_t)(STEPS + 1) * 4 * sizeof *data);
	if (!data) {
		fprintf(stderr, "ex2: out of memory\n");
		return 1;
	}
	for (int i = 0; i < 4; i++) {
		data[i] = cells[i].v;
	}
	for (int k = 0; k < STEPS; k++) {
		double t = (double)(k + 1) * DT; /* inputs are read at the end of the step */
		double in[4] = {0, 0, 0, 0};
		if (t >= 0.022 && t < 2.022) {
			in[0] = 15;
		}
		if (t >= 0.02 && t < 2.02) {
			in[1] = 14;
			in[2] = 10;
		}
		in[3] = -32;
		if (t >= 0.03 && t < 0.2) {
			in[3] = -32 + 82 * (t - 0.03) / 0.17;
		}
		for (int i = 0; i < 4; i++) {
			cell *c = &cells[i];
			double v = c->v, u = c->u;
			c->v = v + DT * ((0.04 * v * v / MV + 5 * v + (140 - u + in[i]) * MV) / MS);
			c->u = u + DT * (c->a * (c->b * v / MV - u) / MS);
			if (c->v > 0.03) {
				c->v = c->c * MV;
				c->u += c->d;
			}
			data[(k + 1) * 4 + i] = c->v;
		}
	}
	int64_t sim = now_ns() - start;

	FILE *fp = fopen(out, "w");
	if (!fp) {
		perror(out);
		return 1;
	}
	static char buf[1 << 20];
	setvbuf(fp, buf, _IOFBF, sizeof buf);
	fputs("t,izBurst_pop[0]/v,izTonic_pop[0]/v,izMixed_pop[0]/v,izClass1_pop[0]/v\n", fp);
	char line[160];
	for (int k = 0; k <= STEPS; k++) {
		int n = shortest(line, 32, (double)k * DT);
		for (int i = 0; i < 4; i++) {
			line[n++] = ',';
			n += shortest(line + n, 32, data[k * 4 + i]);
		}
		line[n++] = '\n';
		fwrite(line, 1, n, fp);
	}
	if (fclose(fp) != 0) {
		perror(out);
		return 1;
	}
	int64_t total = now_ns() - start;
	printf("ex2 c: steps=%d sim_ns=%lld write_ns=%lld\n", STEPS, (long long)sim, (long long)(total - sim));
	return 0;
}
