/* cli: parsing of the scene options shared by the subcommands (--landscape, --expr,
 * --optimizer, --start, --view, --schedule, --noise, --seed, --scene) and the helpers every
 * subcommand uses to refuse bad input with one clear line and exit status 2. */
#ifndef OPTISCAPE_CLI_H
#define OPTISCAPE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "core/landscape.h"
#include "core/sim.h"
#include "scene/scenefile.h"

#define CLI_MAX_RUNNERS 16

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_BAD_INPUT = 2 };


typedef struct cli_scene {
    landscape ls;
    int have_landscape;
    optim_desc opt[CLI_MAX_RUNNERS];
    int nopt;
    sched_desc sched;
    double start[2];
    int have_start;
    double view[4];
    int have_view;
    double noise;
    uint64_t seed;
    int batch;                    /* --batch B: minibatches of B samples (0: the full loss) */
    int shuffle;                  /* --shuffle 0|1: a new order every epoch (default 1) */
    /* --scene FILE: what the file gave. Options after it override it: a later
     * --optimizer replaces the file's runners, a later --landscape its landscape (and
     * the file's start and view with it); --schedule, --noise and --seed override
     * the runners' own values too. */
    scene_run_opts over[CLI_MAX_RUNNERS];   /* a scene file's [runner] schedule, noise, seed */
    int ls_from_scene, opt_from_scene, start_from_scene, view_from_scene;
    scene_doc *doc;               /* the whole file (title, captions, play, display,
                                     class, labels), owned; NULL without --scene */
} cli_scene;

void cli_scene_init(cli_scene *sc);
void cli_scene_free(cli_scene *sc);

/* If argv[*i] is a scene option, consume it (and its value) and return 1; return
 * 0 if it is not one; -1 with a message in err if it is malformed. */
int cli_scene_option(cli_scene *sc, int argc, char **argv, int *i, char *err, size_t errlen);

/* Fill what the user left out: landscape start and view. */
void cli_scene_finish(cli_scene *sc);
/* -1 with a message when --batch is given for a landscape without data. */
int cli_scene_check_batch(const cli_scene *sc, char *err, size_t errlen);

/* The runner description of optimizer k of the scene. */
runner_desc cli_runner_desc(const cli_scene *sc, int k);

/* Option value: for "--name value" or "--name=value" at argv[*i]. Returns 1 and
 * sets *val when argv[*i] is this option; 0 if not; -1 (message) if the value is
 * missing, or if the option was already taken from this argv (only --optimizer,
 * --scheme and --scene may repeat: every other option has one value). */
int cli_take(const char *name, int argc, char **argv, int *i, const char **val,
             char *err, size_t errlen);

/* Print "optiscape CMD: msg" on stderr and return EXIT_BAD_INPUT. */
int cli_bad(const char *cmd, const char *fmt, ...);
/* Flushes stdout after a command printed its result: EXIT_OK, or EXIT_RUNTIME with
   "optiscape CMD: writing the output failed" on stderr (a full disk, a closed pipe). */
int cli_stdout_done(const char *cmd);

/* The parsers of every option: numbers are spec_number's (decimal, no blanks, no hex,
 * no inf or nan, finite), counts spec_int's; 0, or -1 leaving *out untouched. */
int cli_parse_count(const char *s, long lo, long hi, long *out);
int cli_parse_number(const char *s, double lo, double hi, double *out);
/* Digits only, 0 .. 2^64 - 1. */
int cli_parse_seed(const char *s, uint64_t *out);
/* "X,Y" within the divergence box (|x|, |y| <= SIM_DIVERGE_BOX): 0, -1 malformed,
 * -2 outside the box. */
int cli_parse_point(const char *s, double out[2]);
/* "X0,X1,Y0,Y1" within the box: 0, -1 malformed, -2 outside, -3 not X0 < X1, Y0 < Y1. */
int cli_parse_view(const char *s, double out[4]);
/* --camera YAW,PITCH[,ZOOM]: strict numbers, each within its range (yaw within
 * +-CLI_YAW_MAX degrees); 0, or -1 with the message in err. */
#define CLI_YAW_MAX 3600.0
int cli_check_camera(const char *opt, const char *v, char *err, size_t errlen);
/* An output file named by option opt: 0, or EXIT_BAD_INPUT having said why (the name
 * is empty or longer than CLI_MAX_PATH, it is a directory, it exists and force is 0
 * (a dangling link counts), its folder is missing). */
#define CLI_MAX_PATH 4000
int cli_out_check(const char *cmd, const char *opt, const char *path, int force);
/* Is there anything at path (a dangling symbolic link counts)? */
int cli_out_exists(const char *path);
/* 0 when path is a regular file; -1 with why ("a FIFO", "No such file...") if not. */
int cli_regular_file(const char *path, char *why, size_t len);
/* on|off (or 1|0) for option opt; 0, or EXIT_BAD_INPUT having said what was wrong
 * as "optiscape CMD: ..." (cmd NULL for the window). */
int cli_onoff(const char *cmd, const char *opt, const char *v, int *out);
/* --theme dark|light: *light = 0 or 1; 0, or EXIT_BAD_INPUT with the message. */
int cli_theme(const char *cmd, const char *v, int *light);
int cli_parse_size(const char *s, int *w, int *h);   /* "WxH" */
int cli_parse_shift(const char *s, double out[2]);  /* "S" (S, S) or "SX,SY"; 0 or -1 */

/* ---- option tables --------------------------------------------------------------
 * A command lists its options once, as an array of cli_opt ending in {NULL}, and
 * cli_parse takes argv against it: every option as "--name value" or "--name=value"
 * (a flag alone), each value parsed by the one parser of its kind, and every refusal
 * one line "optiscape CMD: --name: expected WHAT, got 'VALUE'" with exit status 2. */
typedef enum cli_kind {
    CLI_FLAG,       /* no value: *(int *)dst = 1; exactly "--name", and may repeat */
    CLI_LONG,       /* a whole number from lo to hi, into long */
    CLI_INT,        /* the same into int */
    CLI_DOUBLE,     /* a finite number from lo to hi, into double */
    CLI_STRING,     /* the text itself, into const char * (which starts NULL: a second is refused) */
    CLI_SEED,       /* 0 .. 2^64 - 1, into uint64_t */
    CLI_SIZE,       /* WxH, width into *(int *)dst and height into *(int *)dst2 */
    CLI_SHIFT,      /* S or SX,SY, into double[2] */
    CLI_VIEW,       /* X0,X1,Y0,Y1 within the divergence box, into double[4] */
    CLI_ONOFF,      /* on|off|1|0, into int */
    CLI_THEME,      /* dark|light, into int (1: light) */
    CLI_CMAP,       /* viridis|cividis|light, into int (a style_cmap) */
    CLI_CUSTOM,     /* check alone parses it */
} cli_kind;

#define CLI_QUOTE 0   /* show: the value through quote() */

typedef struct cli_opt cli_opt;
/* After a value is parsed (or, for CLI_CUSTOM, instead): 0, or -1 with the whole
 * message in err (without "optiscape CMD: "), or -1 with err left empty for the
 * option's usual "expected ..." message. */
typedef int (*cli_check_fn)(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen);

struct cli_opt {
    const char *name;             /* "--steps" */
    cli_kind kind;
    void *dst;
    double lo, hi;                /* the range of CLI_LONG, CLI_INT and CLI_DOUBLE */
    /* What a refusal says was expected: for the numbers the noun before "from LO to
     * HI" (default "a whole number", "a number"), else the whole phrase (defaults
     * for CLI_SEED, CLI_SHIFT, CLI_ONOFF, CLI_THEME and CLI_CMAP). */
    const char *expect;
    int show;                     /* the value in a refusal: at most this many bytes, or CLI_QUOTE */
    int *given;                   /* set to 1 once the option is taken (or NULL) */
    cli_check_fn check;
    void *dst2;                   /* CLI_SIZE's height */
};

typedef struct cli_parser {
    const char *cmd;              /* "optiscape CMD: " of every refusal (NULL: "optiscape: ") */
    const cli_opt *opts;          /* ends with an entry whose name is NULL */
    void (*help)(void);           /* what -h and --help print (NULL: they are not options) */
    const char *unknown;          /* the refusal of anything else: a format with one %s */
    int unknown_quoted;           /* 1: that %s is quote(arg); 0: the argument itself */
    cli_scene *scene;             /* the scene options go into it (NULL: none are taken) */
    const char *const *scene_only;   /* only these scene options (NULL-ended; NULL: all) */
    void (*on_scene)(void *user, const char *arg);   /* after each scene option taken */
    void *user;                   /* for check and on_scene */
} cli_parser;

#define CLI_HELP (-1)
/* Takes every argument: 0, CLI_HELP after printing the help, or EXIT_BAD_INPUT after
 * printing the one line that says what was wrong. */
int cli_parse(const cli_parser *p, int argc, char **argv);

/* A command that read its options into sc stops here when rc is not 0: sc freed,
 * its exit status (EXIT_OK after --help, else rc). */
int cli_stop(cli_scene *sc, int rc);

/* The colour maps by name: a style_cmap, or -1. */
int cli_cmap(const char *v);
/* A check for an output file that must end in .png: "--out: 'NAME' must end in .png". */
int cli_check_png(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen);

#endif
