#ifndef TS_DESIGN_PLAN_H
#define TS_DESIGN_PLAN_H
/* Designs whose points are computed when they are asked for, so that a sweep's
 * memory does not grow with its number of points (design.c):
 *   - grid: point i from the digits of i (no state);
 *   - Sobol: x_{i+1} by walking gsl_qrng_sobol forward from where a cursor
 *     stands (the sequence cannot be entered at an index);
 *   - Saltelli: the block of base row i / (d + 2), from that row's Sobol point;
 *   - Latin hypercube: the per-dimension permutations are kept (4 bytes per
 *     point and dimension, O(n d)), and a cursor redraws the jitter inside
 *     each stratum from the generator state saved after each dimension's
 *     shuffle.
 * Every point is a function of its index alone: the same bytes for any order
 * of asking, any number of threads, processes, shards or resumes, and the
 * same values as the arrays of design.h. A plan is immutable once built and
 * may be shared by threads; a cursor is one thread's position in it. */
#include <stddef.h>
#include <stdint.h>
#include <tradesim/design.h>

typedef struct ts_design_plan ts_design_plan;
typedef struct ts_design_cursor ts_design_cursor;

/* The designs of design.h, same arguments and checks; Sobol starts at x_1
 * (skip 1). LHS needs n <= 4294967295 (permutations of 32-bit indices).
 * *out is freed with ts_design_plan_free(). */
int ts_design_plan_grid(ts_design_plan **out, int d, const int *levels, ts_error *err);
int ts_design_plan_lhs(ts_design_plan **out, size_t n, int d, uint32_t seed, ts_error *err);
int ts_design_plan_sobol(ts_design_plan **out, size_t n, int d, ts_error *err);
int ts_design_plan_saltelli(ts_design_plan **out, size_t n, int d, ts_error *err);
void ts_design_plan_free(ts_design_plan *p);

size_t ts_design_plan_points(const ts_design_plan *p);
int ts_design_plan_dims(const ts_design_plan *p);

/* A position in plan p (which must outlive it); freed with ts_design_cursor_free(). */
int ts_design_cursor_alloc(ts_design_cursor **out, const ts_design_plan *p, ts_error *err);
void ts_design_cursor_free(ts_design_cursor *c);
/* Generator steps the cursor needs to reach point i (0: at hand, or a grid). */
size_t ts_design_cursor_distance(const ts_design_cursor *c, size_t i);
/* Point i < ts_design_plan_points(p) into u[0 .. d-1], in [0, 1]. */
void ts_design_point(ts_design_cursor *c, size_t i, double *u);

#endif
