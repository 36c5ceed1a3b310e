/* pg_lanes.c - N loading connections of a PostgreSQL restore (see pg_lanes.h). */
#include "pg_lanes.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc.h"
#include "pg_util.h"

typedef enum { IT_BEGIN, IT_DATA, IT_END, IT_SQL, IT_COMMIT } it_kind;

typedef struct item {
    it_kind kind;
    char *prelude;  /* IT_BEGIN: a statement before the COPY (NULL: none) */
    char *sql;      /* IT_BEGIN, IT_SQL */
    char *what;     /* IT_BEGIN: the table; IT_SQL: the message prefix */
    dbc_buf data;   /* IT_DATA */
    struct item *next;
} item;

typedef struct lane {
    pg_lanes *p;
    size_t id;
    PGconn *conn;
    PGcancel *cancel;
    pthread_t th;
    bool started;
    item *head, *tail; /* its own work, in order */
    size_t pieces;     /* IT_DATA items waiting */
    bool busy;         /* running an item */
    uint64_t bytes;    /* given so far (pg_lanes_pick) */
    bool in_copy;
    char *copy_what;   /* the table of the open COPY */
    bool txn;          /* the lane's transaction (its COPYs) is open */
} lane;

#define SPARE_MAX 8 /* emptied COPY buffers kept for the pump */

struct pg_lanes {
    pthread_mutex_t mu;
    pthread_cond_t work; /* a lane waits for work */
    pthread_cond_t room; /* the pump waits for room or for the lanes to be done */
    lane *l;
    size_t n;
    item *any_head, *any_tail; /* statements for the first free lane */
    bool stop;
    int rc;                    /* the first failure */
    dbf_error err;
    char *display;
    dbc_buf spare[SPARE_MAX];
    size_t nspare;
};

static void item_free(item *it)
{
    if (!it)
        return;
    free(it->prelude);
    free(it->sql);
    free(it->what);
    dbc_buf_free(&it->data);
    free(it);
}

/* The next item of lane l (its own first, then any lane's), under mu. */
static item *pop(lane *l)
{
    pg_lanes *p = l->p;
    item *it = l->head;
    if (it) {
        l->head = it->next;
        if (!l->head)
            l->tail = NULL;
        return it;
    }
    it = p->any_head;
    if (it) {
        p->any_head = it->next;
        if (!p->any_head)
            p->any_tail = NULL;
    }
    return it;
}

/* printf into w[0..n): the words of a message (cut to fit). */
static const char *words(char *w, size_t n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static const char *words(char *w, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w, n, fmt, ap);
    va_end(ap);
    return w;
}

/* End an open COPY with an error (the rows go with its transaction). */
static void copy_abandon(lane *l)
{
    if (!l->in_copy)
        return;
    l->in_copy = false;
    PQputCopyEnd(l->conn, "dbrestore: restore stopped");
    PGresult *r;
    while ((r = PQgetResult(l->conn)) != NULL)
        PQclear(r);
}

/* The results of the statement just ended; the first failure into err. */
static int drain(lane *l, const char *what, dbf_error *err)
{
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult(l->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (!rc && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            char w[320];
            words(w, sizeof w, "%s (connection %zu)", what, l->id + 1);
            rc = pg_error_of(l->conn, r, err, w);
        }
        PQclear(r);
    }
    return rc;
}

/* One statement on lane l that returns no rows. */
static int lane_exec(lane *l, const char *sql, const char *what, dbf_error *err)
{
    if (!PQsendQuery(l->conn, sql)) {
        char w[320];
        words(w, sizeof w, "%s (connection %zu)", what, l->id + 1);
        return pg_error_of(l->conn, NULL, err, w);
    }
    return drain(l, what, err);
}

static int run_item(lane *l, item *it, dbf_error *err)
{
    char w[320];
    int rc;
    switch (it->kind) {
    case IT_BEGIN: {
        if (!l->txn && (rc = lane_exec(l, "BEGIN", "BEGIN", err)) != 0)
            return rc;
        l->txn = true;
        if (it->prelude && (rc = lane_exec(l, it->prelude, it->prelude, err)) != 0)
            return rc;
        PGresult *r = PQexec(l->conn, it->sql);
        rc = 0;
        if (PQresultStatus(r) != PGRES_COPY_IN) {
            words(w, sizeof w, "starting COPY into %s (connection %zu)", it->what, l->id + 1);
            rc = pg_error_of(l->conn, r, err, w);
        }
        PQclear(r);
        if (rc)
            return rc;
        free(l->copy_what);
        l->copy_what = it->what;
        it->what = NULL;
        l->in_copy = true;
        return 0;
    }
    case IT_DATA:
        if (!l->in_copy)
            return dbf_error_set(err, DBF_EINVAL, "COPY data without a COPY");
        if (PQputCopyData(l->conn, it->data.p, (int)it->data.len) == 1)
            return 0;
        /* the server ended the COPY (an error in the rows): its message is in the result */
        l->in_copy = false;
        words(w, sizeof w, "loading %s", l->copy_what ? l->copy_what : "?");
        PQputCopyEnd(l->conn, NULL);
        if (drain(l, w, err))
            return err->code;
        return pg_error_of(l->conn, NULL, err, w);
    case IT_END:
        if (!l->in_copy)
            return dbf_error_set(err, DBF_EINVAL, "end of COPY without a COPY");
        l->in_copy = false;
        words(w, sizeof w, "loading %s", l->copy_what ? l->copy_what : "?");
        if (PQputCopyEnd(l->conn, NULL) != 1) {
            int rc = pg_error_of(l->conn, NULL, err, w);
            drain(l, w, err);
            return rc;
        }
        return drain(l, w, err);
    case IT_SQL:
        return lane_exec(l, it->sql, it->what, err);
    case IT_COMMIT:
        if (!l->txn)
            return 0;
        l->txn = false;
        return lane_exec(l, "COMMIT", "committing the rows loaded", err);
    }
    return 0;
}

static void *lane_main(void *arg)
{
    lane *l = arg;
    pg_lanes *p = l->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        item *it = NULL;
        while (!p->stop && !(it = pop(l)))
            pthread_cond_wait(&p->work, &p->mu);
        if (!it)
            break;
        l->busy = true;
        bool failed = p->rc != 0;
        pthread_mutex_unlock(&p->mu);
        dbf_error e = {0, {0}};
        int rc = 0;
        if (failed)
            copy_abandon(l); /* another lane failed: what is left is dropped */
        else
            rc = run_item(l, it, &e);
        if (rc)
            copy_abandon(l);
        pthread_mutex_lock(&p->mu);
        if (rc && !p->rc) {
            p->rc = rc;
            p->err = e;
        }
        if (it->kind == IT_DATA) {
            l->pieces--;
            if (p->nspare < SPARE_MAX && it->data.p) { /* the pump fills it again */
                it->data.len = 0;
                p->spare[p->nspare++] = it->data;
                it->data = (dbc_buf){0};
            }
        }
        l->busy = false;
        item_free(it);
        pthread_cond_broadcast(&p->room);
    }
    pthread_mutex_unlock(&p->mu);
    copy_abandon(l);
    if (l->txn) { /* stopped: its rows go */
        PQclear(PQexec(l->conn, "ROLLBACK"));
        l->txn = false;
    }
    return NULL;
}

void pg_lanes_stop(pg_lanes *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    if (!p->rc)
        p->rc = DBC_EBACKEND; /* later calls fail: the lanes are gone */
    for (size_t i = 0; i < p->n; i++) {
        char buf[256];
        if (p->l[i].busy && p->l[i].cancel)
            PQcancel(p->l[i].cancel, buf, sizeof buf);
    }
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->n; i++) {
        if (p->l[i].started)
            pthread_join(p->l[i].th, NULL);
        p->l[i].started = false;
    }
    for (size_t i = 0; i < p->n; i++) {
        item *it;
        while ((it = pop(&p->l[i])) != NULL)
            item_free(it);
    }
}

void pg_lanes_close(pg_lanes *p)
{
    if (!p)
        return;
    pg_lanes_stop(p);
    for (size_t i = 0; i < p->n; i++) {
        if (p->l[i].cancel)
            PQfreeCancel(p->l[i].cancel);
        if (p->l[i].conn)
            PQfinish(p->l[i].conn);
        free(p->l[i].copy_what);
    }
    for (size_t i = 0; i < p->nspare; i++)
        dbc_buf_free(&p->spare[i]);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->room);
    pthread_mutex_destroy(&p->mu);
    free(p->display);
    free(p->l);
    free(p);
}

int pg_lanes_open(pg_lanes **out, const char *conninfo, const char *display, size_t n,
                  dbf_error *err)
{
    *out = NULL;
    pg_lanes *p = calloc(1, sizeof(*p));
    if (!p || !(p->l = calloc(n, sizeof(*p->l))) || !(p->display = strdup(display))) {
        if (p)
            free(p->l);
        free(p);
        return dbc_oom(err);
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->room, NULL);
    p->n = n;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        lane *l = &p->l[i];
        l->p = p;
        l->id = i;
        l->conn = pg_connect(conninfo, "dbrestore");
        if (!l->conn) {
            rc = dbc_oom(err);
        } else if (PQstatus(l->conn) != CONNECTION_OK) {
            const char *m = PQerrorMessage(l->conn);
            rc = dbf_error_set(err, DBC_ECONNECT, "PostgreSQL: cannot open loading connection "
                               "%zu of %zu to %s: %.*s", i + 1, n, display,
                               (int)pg_msg_len(m), m);
        } else if ((rc = pg_session(l->conn, false, err)) == 0) {
            if (!(l->cancel = PQgetCancel(l->conn)))
                rc = dbc_oom(err);
            else if (pthread_create(&l->th, NULL, lane_main, l) != 0)
                rc = dbf_error_set(err, DBC_EBACKEND, "cannot start a loading thread");
            else
                l->started = true;
        }
    }
    if (rc) {
        pg_lanes_close(p);
        return rc;
    }
    *out = p;
    return 0;
}

size_t pg_lanes_pick(pg_lanes *p)
{
    size_t best = 0;
    pthread_mutex_lock(&p->mu);
    for (size_t i = 1; i < p->n; i++)
        if (p->l[i].bytes < p->l[best].bytes)
            best = i;
    pthread_mutex_unlock(&p->mu);
    return best;
}

/* Append it to lane l's work (l NULL: any lane's), under mu; waits for room for a piece.
 * it is the lanes' either way. */
static int put(pg_lanes *p, lane *l, item *it, dbf_error *err)
{
    pthread_mutex_lock(&p->mu);
    while (!p->rc && l && it->kind == IT_DATA && l->pieces >= PG_LANE_DEPTH)
        pthread_cond_wait(&p->room, &p->mu);
    if (p->rc) {
        *err = p->err;
        int rc = p->rc;
        pthread_mutex_unlock(&p->mu);
        item_free(it);
        return rc;
    }
    item **head = l ? &l->head : &p->any_head, **tail = l ? &l->tail : &p->any_tail;
    if (*tail)
        (*tail)->next = it;
    else
        *head = it;
    *tail = it;
    if (l && it->kind == IT_DATA) {
        l->pieces++;
        l->bytes += it->data.len;
    }
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

/* A new item of kind, with copies of sql and what. */
static item *item_new(it_kind kind, const char *sql, const char *what)
{
    item *it = calloc(1, sizeof(*it));
    if (!it)
        return NULL;
    it->kind = kind;
    if ((sql && !(it->sql = strdup(sql))) || (what && !(it->what = strdup(what)))) {
        item_free(it);
        return NULL;
    }
    return it;
}

int pg_lanes_copy_begin(pg_lanes *p, size_t l, const char *prelude, const char *sql,
                        const char *what, dbf_error *err)
{
    item *it = item_new(IT_BEGIN, sql, what);
    if (it && prelude && !(it->prelude = strdup(prelude))) {
        item_free(it);
        it = NULL;
    }
    return it ? put(p, &p->l[l], it, err) : dbc_oom(err);
}

int pg_lanes_commit(pg_lanes *p, dbf_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < p->n && !rc; i++) {
        item *it = item_new(IT_COMMIT, NULL, NULL);
        rc = it ? put(p, &p->l[i], it, err) : dbc_oom(err);
    }
    return rc ? rc : pg_lanes_wait(p, err);
}

int pg_lanes_copy_data(pg_lanes *p, size_t l, dbc_buf *b, dbf_error *err)
{
    item *it = item_new(IT_DATA, NULL, NULL);
    if (!it)
        return dbc_oom(err);
    it->data = *b;
    *b = (dbc_buf){0};
    int rc = put(p, &p->l[l], it, err);
    pthread_mutex_lock(&p->mu);
    if (p->nspare > 0)
        *b = p->spare[--p->nspare];
    pthread_mutex_unlock(&p->mu);
    return rc;
}

int pg_lanes_copy_end(pg_lanes *p, size_t l, dbf_error *err)
{
    item *it = item_new(IT_END, NULL, NULL);
    return it ? put(p, &p->l[l], it, err) : dbc_oom(err);
}

int pg_lanes_any(pg_lanes *p, const char *sql, const char *what, dbf_error *err)
{
    item *it = item_new(IT_SQL, sql, what);
    return it ? put(p, NULL, it, err) : dbc_oom(err);
}

int pg_lanes_wait(pg_lanes *p, dbf_error *err)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        bool idle = !p->any_head;
        for (size_t i = 0; i < p->n && idle; i++)
            idle = !p->l[i].busy && !p->l[i].head;
        if (idle || p->rc) /* a failure: the caller stops the rest (pg_lanes_stop) */
            break;
        pthread_cond_wait(&p->room, &p->mu);
    }
    int rc = p->rc;
    if (rc)
        *err = p->err;
    pthread_mutex_unlock(&p->mu);
    return rc;
}
