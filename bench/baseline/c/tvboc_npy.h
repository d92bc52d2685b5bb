/*
 * tvboc_npy.h: what the exp-heavy C baselines (ex15.c, ex26.c, jr.c) share:
 * a monotonic clock in nanoseconds and a writer of a rows x cols float64
 * matrix as NumPy's .npy format 1.0, the header padded so that the data
 * starts at a multiple of 64 bytes, as the tvboc runtime writes it.
 */
#ifndef TVBOC_NPY_H
#define TVBOC_NPY_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_npy(const char *path, const double *data, int rows, int cols) {
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		perror(path);
		return -1;
	}
	char dict[128];
	int len = snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", rows, cols);
	int pad = (64 - (10 + len + 1) % 64) % 64;
	uint16_t hlen = (uint16_t)(len + pad + 1);
	unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hlen & 0xff), (unsigned char)(hlen >> 8)};
	fwrite(pre, 1, sizeof pre, fp);
	fwrite(dict, 1, (size_t)len, fp);
	for (int i = 0; i < pad; i++) {
		fputc(' ', fp);
	}
	fputc('\n', fp);
	/* x86-64 is little-endian, as '<f8' asks */
	fwrite(data, sizeof *data, (size_t)rows * (size_t)cols, fp);
	if (fclose(fp) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

#endif
