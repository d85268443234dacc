/* progress: what a long command-line job owes its user. A progress line on stderr
 * (percent, rate, time left), shown only when stderr is a terminal and the job has
 * run for a second, redrawn at most a few times a second and wiped at the end; and
 * Ctrl+C (SIGINT, also SIGTERM and SIGHUP): the job's temporary files are removed,
 * its helper process (ffmpeg) is killed, files it already made and registered are
 * removed, one line says so, and the process exits with status 130. */
#ifndef OPTISCAPE_PROGRESS_H
#define OPTISCAPE_PROGRESS_H

#include <sys/types.h>

#define JOB_EXIT_INTERRUPTED 130

/* Begin a job of total units (named unit, e.g. "frames", "particle-steps") for
 * command cmd ("render", "bench swarm"); installs the interrupt handler. */
void job_begin(const char *cmd, const char *unit, double total);
/* done units of total are finished. Cheap: call it as often as convenient. */
void job_progress(double done);
/* Wipe the progress line (it comes back at the next job_progress): before a note on
 * stderr in the middle of the job. */
void job_wipe(void);
/* The job is over: the progress line is wiped, the handler stays (files may still be
 * written) until job_end_guard. */
void job_end(void);

/* Removed on an interrupt: a temporary file or (empty by then) folder, its path
 * copied; the newest first. Returns a slot for job_unguard_file, or -1 when every
 * slot is taken. Only the interrupt handler removes anything. */
int job_guard_file(const char *path);
void job_unguard_file(int slot);
/* Stopped (SIGTERM, then SIGKILL after a second; its process group too, when it leads
 * one) and reaped on an interrupt, before the files are removed. */
void job_guard_child(pid_t pid);
/* Called on an interrupt after the child is gone and before the files are removed;
 * must be async-signal-safe (unlink, no stdio, no malloc). NULL: none. */
void job_on_interrupt(void (*fn)(void));

/* Install the handlers without a progress line (for jobs that only write files). */
void job_guard_begin(const char *cmd);

#endif
