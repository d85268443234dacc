/* sched: learning-rate schedules, with torch.optim.lr_scheduler's semantics where
 * torch has the same schedule (including its recursive, step-by-step arithmetic),
 * and an optional linear warm-up. */
#ifndef OPTISCAPE_SCHED_H
#define OPTISCAPE_SCHED_H

#include <stddef.h>

typedef enum sched_kind {
    SCHED_CONSTANT,
    SCHED_STEP,      /* lr * gamma^floor(t / step_size)        (StepLR) */
    SCHED_EXP,       /* lr * gamma^t                          (ExponentialLR) */
    SCHED_INVSQRT,   /* lr / sqrt(t + 1)                      (the lecture's decay) */
    SCHED_COSINE,    /* eta_min + (lr - eta_min)(1 + cos(pi t / t_max)) / 2 (CosineAnnealingLR) */
    SCHED_COUNT
} sched_kind;

typedef struct sched_desc {
    sched_kind kind;
    long step_size;
    double gamma;
    long t_max;
    double eta_min;
    long warmup;     /* 0: none */
} sched_desc;

typedef struct sched_info {
    const char *name;
    const char *keys;
    const char *summary;
} sched_info;

const sched_info *sched_info_of(sched_kind k);
sched_desc sched_defaults(sched_kind k);
int sched_parse(const char *spec, sched_desc *out, char *err, size_t errlen);
void sched_format(const sched_desc *d, char *buf, size_t len);

/* A running schedule: sched_lr gives the rate for update t (t = 0 first), and must
 * be called with t = 0, 1, 2... in order (torch's schedulers are recursive). */
typedef struct sched_state {
    sched_desc d;
    double base_lr;
    long t;          /* next t expected */
    double lr;       /* last lr returned */
} sched_state;

void sched_start(sched_state *s, const sched_desc *d, double base_lr);
double sched_next(sched_state *s);   /* lr for update s->t, then t advances */

#endif
