/* pg_util.c - helpers of the PostgreSQL adapters (see pg_util.h). */
#include "pg_util.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc.h"

size_t pg_msg_len(const char *m)
{
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    return n;
}

int pg_error_of(PGconn *c, const PGresult *r, dbf_error *err, const char *what)
{
    const char *m = r ? PQresultErrorMessage(r) : "";
    if (!m || !*m)
        m = PQerrorMessage(c);
    size_t n = pg_msg_len(m);
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int code = DBC_EBACKEND;
    if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0))
        code = DBC_EDATA;
    const char *ctx = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
    if (ctx) {
        const char *in_m = strstr(m, "\nCONTEXT:"); /* said once, below */
        if (in_m && (size_t)(in_m - m) < n)
            n = (size_t)(in_m - m);
        const char *nl = strchr(ctx, '\n');
        int cl = nl ? (int)(nl - ctx) : (int)strlen(ctx);
        return dbf_error_set(err, code, "PostgreSQL: %s: %.*s (%.*s)", what, (int)n, m, cl, ctx);
    }
    return dbf_error_set(err, code, "PostgreSQL: %s: %.*s", what, (int)n, m);
}

/* Server notices and warnings go through the program's log, not straight to stderr. */
static void notice_to_log(void *arg, const char *message)
{
    (void)arg;
    dbc_warn("PostgreSQL: %.*s", (int)pg_msg_len(message), message);
}

PGconn *pg_connect(const char *conninfo, const char *app_name)
{
    const char *keys[4], *vals[4];
    int k = 0;
    if (!getenv("PGCONNECT_TIMEOUT")) {
        keys[k] = "connect_timeout";
        vals[k++] = "10";
    }
    keys[k] = "fallback_application_name";
    vals[k++] = app_name;
    keys[k] = "dbname";
    vals[k++] = conninfo;
    keys[k] = NULL;
    vals[k] = NULL;
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (conn && PQstatus(conn) == CONNECTION_OK)
        PQsetNoticeProcessor(conn, notice_to_log, NULL);
    return conn;
}

int pg_session(PGconn *c, bool keep_search_path, dbf_error *err)
{
    static const char *const setup[] = {
        "SET client_encoding = 'UTF8'",
        "SET DateStyle = 'ISO, YMD'",
        "SET IntervalStyle = 'postgres'",
        "SET TimeZone = 'UTC'",
        "SET extra_float_digits = 3",
        "SET bytea_output = 'hex'",
        "SET standard_conforming_strings = on",
        "SET search_path = ''",
        "SET check_function_bodies = false",
        "SET xmloption = content",
        "SET client_min_messages = warning",
        "SET row_security = off",
        "SET statement_timeout = 0",
        "SET lock_timeout = 0",
        "SET idle_in_transaction_session_timeout = 0",
    };
    for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++) {
        if (keep_search_path && strncmp(setup[i], "SET search_path", 15) == 0)
            continue;
        PGresult *r = PQexec(c, setup[i]);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            const char *m = PQerrorMessage(c);
            dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: %s: %.*s", setup[i], (int)pg_msg_len(m),
                          m);
            PQclear(r);
            return DBC_EBACKEND;
        }
        PQclear(r);
    }
    return 0;
}

int pg_type_rows(pg_type_row **out, size_t *out_n, const PGresult *r)
{
    int n = PQntuples(r);
    pg_type_row *v = calloc((size_t)n + 1, sizeof(*v));
    *out = v;
    *out_n = 0;
    if (!v)
        return -1;
    for (int i = 0; i < n; i++) {
        pg_type_row *t = &v[i];
        t->oid = (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10);
        t->typtype = PQgetvalue(r, i, 1)[0];
        t->category = PQgetvalue(r, i, 2)[0];
        t->elem = (uint32_t)strtoul(PQgetvalue(r, i, 3), NULL, 10);
        t->typlen = atoi(PQgetvalue(r, i, 4));
        t->basetype = (uint32_t)strtoul(PQgetvalue(r, i, 5), NULL, 10);
        t->typmod = atoi(PQgetvalue(r, i, 6));
    }
    *out_n = (size_t)n;
    return 0;
}

const pg_type_row *pg_type_find(const pg_type_row *v, size_t n, uint32_t oid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].oid == oid)
            return &v[mid];
        if (v[mid].oid < oid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
