/* initnorm: why initialization matters, measured. A deep MLP of equal-width layers
 * without biases, a_l = act(W_l a_{l-1}), is run forward on a batch of N(0,1)
 * inputs and backward from the loss sum(r * a_L) (r: fixed random signs, so the
 * error arriving at the top has mean 0 and RMS 1, like a fresh network's, and does not
 * depend on the weights), with its weights drawn by one of the lecture's schemes (variance 1/n, 2/n, 3/n, Xavier, Kaiming). The root mean square of
 * the activations and of their gradients at every layer shows whether the scheme
 * keeps them stable, lets them vanish or makes them explode. */
#ifndef OPTISCAPE_INITNORM_H
#define OPTISCAPE_INITNORM_H

#include <stdint.h>

typedef enum initnorm_act {
    INITNORM_RELU,      /* max(z, 0) */
    INITNORM_TANH,
    INITNORM_LINEAR,    /* identity */
    INITNORM_ACT_COUNT
} initnorm_act;

/* n = fan_in = fan_out = width. Gains are torch.nn.init.calculate_gain's: relu sqrt(2),
 * tanh 5/3, linear 1. */
typedef enum initnorm_scheme {
    INITNORM_VAR1N,             /* N(0, 1/n) */
    INITNORM_VAR2N,             /* N(0, 2/n) */
    INITNORM_VAR3N,             /* N(0, 3/n) */
    INITNORM_XAVIER_UNIFORM,    /* U(-a, a), a = sqrt(6 / (fan_in + fan_out)) (gain 1, torch's default) */
    INITNORM_XAVIER_NORMAL,     /* N(0, 2 / (fan_in + fan_out)) */
    INITNORM_KAIMING_UNIFORM,   /* U(-b, b), b = gain sqrt(3 / fan_in) */
    INITNORM_KAIMING_NORMAL,    /* N(0, gain^2 / fan_in) */
    INITNORM_SCHEME_COUNT
} initnorm_scheme;

#define INITNORM_MAX_LAYERS 1000
#define INITNORM_MAX_WIDTH 4096
#define INITNORM_MAX_BATCH 4096

typedef struct initnorm_cfg {
    int layers;               /* weight layers; 0: 50 */
    int width;                /* units per layer, inputs included; 0: 256 */
    int batch;                /* input samples; 0: 64 */
    initnorm_act act;         /* 0 is relu */
    initnorm_scheme scheme;   /* 0 is var1n */
    uint64_t seed;            /* 0 is a seed like any other */
} initnorm_cfg;

/* The configuration with its zero fields replaced by the defaults. */
initnorm_cfg initnorm_defaults(const initnorm_cfg *cfg);

/* Runs the network. act_rms[l] (l = 0..layers, so layers + 1 entries) is the root mean
 * square of a_l over the batch and the units (a_0: the inputs), sqrt(mean(a_l^2));
 * grad_rms[l] the same of d loss / d a_l (so grad_rms[layers] = 1). Either array may be
 * NULL. Values
 * that overflow become inf or NaN from there on. The same seed gives the same inputs
 * and, for every normal scheme, the same N(0,1) draws scaled by its standard
 * deviation (the uniform schemes share their U(-1,1) draws), so schemes are compared
 * on one network. Returns 0, or -1 when a size is out of range or memory runs out. */
int initnorm_run(const initnorm_cfg *cfg, double *act_rms, double *grad_rms);

/* k runs (one per configuration, e.g. one per scheme) on up to nthreads threads; run i
 * writes act_rms + i * stride and grad_rms + i * stride (stride >= its layers + 1).
 * The results do not depend on nthreads. Returns 0, or -1 if any run failed. */
int initnorm_run_many(const initnorm_cfg *cfgs, int k, double *act_rms, double *grad_rms,
                      int stride, int nthreads);

/* Layer l's weights (1 <= l <= layers) exactly as initnorm_run draws them:
 * w[i * width + j] for output unit i and input unit j (torch's Linear.weight layout),
 * from rng_seed(seed ^ l * 0x9e3779b97f4a7c15) in that order, std * rng_normal or
 * bound * (2 rng_uniform - 1). (The inputs are rng_seed(seed)'s first batch * width
 * rng_normal draws, sample by sample, and the loss's signs r the sign of its next
 * batch * width rng_next outputs: + when the top bit is set.) Returns 0 or -1. */
int initnorm_weights(const initnorm_cfg *cfg, int l, double *w);

/* The weight variance a scheme gives for an activation at width n (uniform U(-a, a)
 * has variance a^2 / 3). */
double initnorm_variance(initnorm_scheme s, initnorm_act act, int n);
double initnorm_gain(initnorm_act act);

/* Names: "relu", "tanh", "linear"; "var1n", ..., "kaiming_normal" (CLI and CSV), and a
 * label for legends ("Kaiming normal"). Parsing returns -1 for an unknown name. */
const char *initnorm_act_name(initnorm_act act);
const char *initnorm_scheme_name(initnorm_scheme s);
const char *initnorm_scheme_label(initnorm_scheme s);
int initnorm_act_parse(const char *s);
int initnorm_scheme_parse(const char *s);

#endif
