/*
 * progress.c - one progress line on stderr, redrawn in place, for dbdump and dbrestore.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dbc.h"

struct dbc_progress {
    bool on;             /* drawing at all */
    bool drawn;          /* a line is on screen */
    const char *verb;    /* "dumping", "restoring" */
    double t0, last;     /* start, last redraw (monotonic seconds) */
    uint64_t total;      /* rows expected, 0 unknown */
    char table[160];     /* current table, or the connections' rows (dbc_progress_connections) */
    bool label;          /* table is a label: no per-table count */
    int64_t table_est;   /* its estimate */
    uint64_t table_row0; /* rows done when it started */
};

dbc_progress *dbc_progress_active;

double dbc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int dbc_progress_create(dbc_progress **out, int mode, const char *verb)
{
    dbc_progress *p = calloc(1, sizeof *p);
    if (!p)
        return DBF_ENOMEM;
    p->on = mode > 0 || (mode == 0 && dbc_verbosity >= 1 && isatty(STDERR_FILENO));
    p->verb = verb;
    p->t0 = dbc_now();
    p->table_est = -1;
    *out = p;
    return 0;
}

void dbc_progress_total(dbc_progress *p, uint64_t rows_estimate)
{
    if (p)
        p->total = rows_estimate;
}

static void human(char *out, size_t cap, double b)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024.0 && u < 4) {
        b /= 1024.0;
        u++;
    }
    snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", b, units[u]);
}

static void draw(dbc_progress *p, uint64_t rows, uint64_t a, uint64_t b)
{
    double el = dbc_now() - p->t0;
    double rate = el > 0 ? (double)rows / el : 0;
    char ha[32], hb[32], eta[32] = "";
    human(ha, sizeof ha, (double)a);
    human(hb, sizeof hb, (double)b);
    if (p->total > rows && rate > 0) {
        double s = (double)(p->total - rows) / rate;
        snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)(s / 60), (int)s % 60);
    } else if (p->total > 0) {
        snprintf(eta, sizeof eta, ", ETA 0:00");
    }
    char tbl[64] = "";
    if (p->table[0] && !p->label) {
        uint64_t tr = rows - p->table_row0;
        if (p->table_est > 0)
            snprintf(tbl, sizeof tbl, " %llu/%lld", (unsigned long long)tr,
                     (long long)p->table_est);
        else
            snprintf(tbl, sizeof tbl, " %llu", (unsigned long long)tr);
    }
    char out[48] = "";
    if (b > 0)
        snprintf(out, sizeof out, ", %s out", hb);
    fprintf(stderr, "\r\033[K%s: %s %.60s%s | %llu rows, %s in%s, %.0f rows/s%s",
            dbc_progname, p->verb, p->table, tbl, (unsigned long long)rows, ha, out, rate, eta);
    fflush(stderr);
    p->drawn = true;
    dbc_progress_active = p;
    p->last = dbc_now();
}

void dbc_progress_table(dbc_progress *p, const char *schema, const char *name, int64_t est)
{
    if (!p || !p->on)
        return;
    snprintf(p->table, sizeof p->table, "%s%s%s", schema ? schema : "", schema ? "." : "",
             name ? name : "");
    p->table_est = est;
    p->label = false;
    p->last = 0; /* redraw at the next update */
}

void dbc_progress_connections(dbc_progress *p, const uint64_t *rows, size_t n)
{
    if (!p || !p->on)
        return;
    int w = snprintf(p->table, sizeof p->table, "on %zu connections:", n);
    for (size_t i = 0, len = w > 0 ? (size_t)w : 0; i < n && len < sizeof p->table; i++) {
        w = snprintf(p->table + len, sizeof p->table - len, " %llu", (unsigned long long)rows[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    p->label = true;
}

void dbc_progress_update(dbc_progress *p, uint64_t rows, uint64_t bytes_a, uint64_t bytes_b)
{
    if (!p || !p->on)
        return;
    if (p->last == 0) {
        p->table_row0 = rows;
        draw(p, rows, bytes_a, bytes_b);
        return;
    }
    if (dbc_now() - p->last >= 0.2)
        draw(p, rows, bytes_a, bytes_b);
}

void dbc_progress_clear(dbc_progress *p)
{
    if (p && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = false;
    }
}

void dbc_progress_free(dbc_progress *p)
{
    dbc_progress_clear(p);
    if (dbc_progress_active == p)
        dbc_progress_active = NULL;
    free(p);
}
