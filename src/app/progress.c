/* progress: see progress.h. Everything the signal handler touches is a fixed-size
 * static array filled before the handler can need it; it calls only
 * async-signal-safe functions (kill, waitpid, unlink, write, _exit). */
#include "app/progress.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GUARD_SLOTS 8
#define GUARD_PATH 4352

static char guard_path[GUARD_SLOTS][GUARD_PATH];
static volatile sig_atomic_t guard_used[GUARD_SLOTS];
static volatile pid_t guard_child;
static void (*volatile guard_fn)(void);
static char job_msg[200];
static size_t job_msg_len;
static int installed;

static struct {
    char cmd[64];
    char unit[32];
    double total, t0, last;
    int shown, tty;
} job;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void on_signal(int sig)
{
    (void)sig;
    pid_t c = guard_child;
    if (c > 0) {
        /* SIGTERM first, so a compiler removes its own temporary files (its group:
           cc's own children too), then SIGKILL if it has not gone within a second */
        kill(-c, SIGTERM);
        kill(c, SIGTERM);
        int gone = 0;
        for (int k = 0; k < 100 && !gone; k++) {
            pid_t w = waitpid(c, NULL, WNOHANG);
            gone = w == c || (w < 0 && errno != EINTR);
            if (!gone) {
                struct timespec ts = {0, 10000000};
                nanosleep(&ts, NULL);
            }
        }
        if (!gone) {
            kill(c, SIGKILL);
            while (waitpid(c, NULL, 0) < 0 && errno == EINTR) {}
        }
        /* whatever of its group it started as it went down */
        kill(-c, SIGKILL);
    }
    void (*fn)(void) = guard_fn;
    if (fn) fn();
    /* the newest first: a folder's files before the folder */
    for (int i = GUARD_SLOTS - 1; i >= 0; i--)
        if (guard_used[i] && unlink(guard_path[i]) != 0) rmdir(guard_path[i]);
    ssize_t w = write(STDERR_FILENO, job_msg, job_msg_len);
    (void)w;
    _exit(JOB_EXIT_INTERRUPTED);
}

void job_guard_begin(const char *cmd)
{
    int n = snprintf(job_msg, sizeof job_msg, "%soptiscape %s: interrupted; nothing was left behind\n",
                     isatty(STDERR_FILENO) ? "\r\033[K" : "", cmd);
    job_msg_len = n < 0 ? 0 : (size_t)n >= sizeof job_msg ? sizeof job_msg - 1 : (size_t)n;
    if (installed) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    installed = 1;
}

void job_begin(const char *cmd, const char *unit, double total)
{
    job_guard_begin(cmd);
    snprintf(job.cmd, sizeof job.cmd, "%s", cmd);
    snprintf(job.unit, sizeof job.unit, "%s", unit);
    job.total = total > 0 ? total : 1;
    job.t0 = now();
    job.last = 0;
    job.shown = 0;
    job.tty = isatty(STDERR_FILENO);
}

/* 1234567 -> "1.23 M" */
static void human(double v, char *buf, size_t len)
{
    if (v >= 1e9) snprintf(buf, len, "%.3g G", v / 1e9);
    else if (v >= 1e6) snprintf(buf, len, "%.3g M", v / 1e6);
    else if (v >= 1e3) snprintf(buf, len, "%.3g k", v / 1e3);
    else snprintf(buf, len, "%.3g", v);
}

void job_progress(double done)
{
    if (!job.tty) return;
    double t = now() - job.t0;
    if (t < 1.0 || t - job.last < 0.25) return;
    job.last = t;
    double rate = done / t, left = rate > 0 ? (job.total - done) / rate : 0;
    char r[32];
    human(rate, r, sizeof r);
    fprintf(stderr, "\r\033[Koptiscape %s: %3.0f%%  %s%s/s  %.0f s left", job.cmd,
            100.0 * done / job.total, r, job.unit, left < 0 ? 0 : left + 0.5);
    fflush(stderr);
    job.shown = 1;
}

void job_wipe(void)
{
    if (job.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

void job_end(void)
{
    if (job.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    job.shown = 0;
    job.tty = 0;
}

int job_guard_file(const char *path)
{
    size_t n = strlen(path);
    if (n >= GUARD_PATH) return -1;
    /* the lowest free slot above every used one, so removal runs newest first */
    int top = 0;
    for (int i = 0; i < GUARD_SLOTS; i++)
        if (guard_used[i]) top = i + 1;
    for (int i = top; i < GUARD_SLOTS; i++)
        if (!guard_used[i]) {
            memcpy(guard_path[i], path, n + 1);
            guard_used[i] = 1;
            return i;
        }
    return -1;
}

void job_unguard_file(int slot)
{
    if (slot >= 0 && slot < GUARD_SLOTS) guard_used[slot] = 0;
}

void job_guard_child(pid_t pid) { guard_child = pid; }

void job_on_interrupt(void (*fn)(void)) { guard_fn = fn; }
