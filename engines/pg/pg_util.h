/*
 * pg_util.h - what the PostgreSQL source and sink share: connecting, the session, message
 * text, the pg_type catalog. The binary COPY formats are pg_copy.h.
 */
#ifndef DBE_PG_UTIL_H
#define DBE_PG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbf.h"

struct pg_conn;   /* libpq's PGconn */
struct pg_result; /* libpq's PGresult */

/* libpq helpers. */

/** @return the length of the libpq message m without its trailing newlines and spaces. */
size_t pg_msg_len(const char *m);
/**
 * Connect to conninfo (a connection string or URL) with connect_timeout 10 unless
 * PGCONNECT_TIMEOUT is set and app_name as fallback_application_name; once connected, server
 * notices go through dbc_warn.
 * @return the connection (check PQstatus, PQfinish it), or NULL when out of memory.
 */
struct pg_conn *pg_connect(const char *conninfo, const char *app_name);
/**
 * The session settings of every connection, source and sink alike: the text formats this
 * code reads and writes (UTF8, ISO dates, postgres intervals, UTC, exact floats, hex bytea,
 * standard strings), an empty search_path (every name is qualified) unless keep_search_path,
 * no row security (fail rather than silently skip rows hidden by it), no function-body
 * checks, no notices, no timeouts.
 * @return 0, or DBC_EBACKEND naming the setting and the server's message.
 */
int pg_session(struct pg_conn *c, bool keep_search_path, dbf_error *err);
/**
 * The error of result r (or, r NULL or without a message, of connection c) into err:
 * "PostgreSQL: what: message (first line of its context)"; SQLSTATE classes 22 and 23 (bad
 * data, constraint violated) are DBC_EDATA, the rest DBC_EBACKEND.
 * @return the code set.
 */
int pg_error_of(struct pg_conn *c, const struct pg_result *r, dbf_error *err, const char *what);

/* One row of pg_type, as read by PG_TYPES_SQL. */
typedef struct pg_type_row {
    uint32_t oid;
    char typtype;
    char category;
    uint32_t elem;
    int typlen;
    uint32_t basetype;
    int32_t typmod;
} pg_type_row;

#define PG_TYPES_SQL                                                                          \
    "SELECT oid, typtype, typcategory, typelem, typlen, typbasetype, "                        \
    "typtypmod FROM pg_catalog.pg_type ORDER BY oid"

/**
 * Rows of a PG_TYPES_SQL result, sorted by oid. *out is the caller's (free()).
 * @return 0, or -1 when out of memory.
 */
int pg_type_rows(pg_type_row **out, size_t *out_n, const struct pg_result *r);
/** @return the row of oid in v[0..n) (sorted by oid), or NULL. */
const pg_type_row *pg_type_find(const pg_type_row *v, size_t n, uint32_t oid);

#endif /* DBE_PG_UTIL_H */
