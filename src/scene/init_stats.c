/* init_stats: the seven networks (core/initnorm) run together, spread over the
 * processors; each scheme's per-layer RMS lands in its row of the result. */
#include "scene/init_stats.h"

#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "core/timing.h"

void init_stats_free(init_stats *st)
{
    for (int a = 0; a < INITNORM_ACT_COUNT; a++) {
        free(st->res[a].act_rms);
        free(st->res[a].grad_rms);
    }
    memset(st, 0, sizeof *st);
}

const init_stats_result *init_stats_current(const init_stats *st)
{
    if ((unsigned)st->act >= INITNORM_ACT_COUNT) return NULL;
    const init_stats_result *r = &st->res[st->act];
    return r->valid || r->act_rms ? r : NULL;
}

int init_stats_compute(init_stats *st, const initnorm_cfg *cfg, unsigned schemes)
{
    initnorm_cfg c = initnorm_defaults(cfg);
    c.scheme = 0;
    if ((unsigned)c.act >= INITNORM_ACT_COUNT) return -1;
    unsigned all = (1u << INITNORM_SCHEME_COUNT) - 1;
    schemes = schemes ? schemes & all : all;
    st->act = c.act;
    init_stats_result *r = &st->res[c.act];
    if (r->valid && r->schemes == schemes && memcmp(&r->cfg, &c, sizeof c) == 0) return 0;

    int stride = c.layers + 1;
    free(r->act_rms);
    free(r->grad_rms);
    memset(r, 0, sizeof *r);
    r->cfg = c;
    r->schemes = schemes;
    r->act_rms = calloc((size_t)INITNORM_SCHEME_COUNT * stride, sizeof(double));
    r->grad_rms = calloc((size_t)INITNORM_SCHEME_COUNT * stride, sizeof(double));
    if (!r->act_rms || !r->grad_rms) return -1;
    initnorm_cfg cfgs[INITNORM_SCHEME_COUNT];
    int idx[INITNORM_SCHEME_COUNT], k = 0;
    for (int s = 0; s < INITNORM_SCHEME_COUNT; s++)
        if (schemes >> s & 1) {
            cfgs[k] = c;
            cfgs[k].scheme = s;
            idx[k++] = s;
        }
    int threads = st->threads;
    if (threads <= 0) {
        int ncpu = cpu_count();
        threads = ncpu > 16 ? 16 : ncpu;
    }
    double *a = malloc(sizeof *a * (size_t)k * stride), *g = malloc(sizeof *g * (size_t)k * stride);
    double t0 = os_now();
    int rc = a && g ? initnorm_run_many(cfgs, k, a, g, stride, threads) : -1;
    r->seconds = os_now() - t0;
    if (rc == 0)
        for (int i = 0; i < k; i++) {
            memcpy(r->act_rms + (size_t)idx[i] * stride, a + (size_t)i * stride, sizeof *a * stride);
            memcpy(r->grad_rms + (size_t)idx[i] * stride, g + (size_t)i * stride, sizeof *g * stride);
        }
    free(a);
    free(g);
    r->valid = rc == 0;
    return rc;
}

int init_stats_set(init_stats *st, initnorm_act act, int width, uint64_t seed)
{
    return init_stats_compute(st, &(initnorm_cfg){.act = act, .width = width, .seed = seed}, 0);
}
