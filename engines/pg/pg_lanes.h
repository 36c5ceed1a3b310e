/*
 * pg_lanes.h - dbrestore -j N into PostgreSQL: N loading connections, a thread each.
 *
 * The sink (pg_sink.c) encodes rows on the pump's thread and hands its COPY buffer to the
 * lane that loads the table: a lane runs what it is given in order (COPY start, data pieces,
 * COPY end), its COPYs in one transaction of its own, which pg_lanes_commit ends. Statements
 * for "any lane" (index builds after the data) go to whichever lane is free first, each its
 * own transaction. At most PG_LANE_DEPTH pieces wait per lane: the pump waits for room, so
 * memory is bounded by N * (PG_LANE_DEPTH + 1) pieces of about 1 MiB (a large value goes in
 * pieces too) and up to 8 emptied ones kept for the pump, whatever the table sizes.
 * The first failure stops every lane (later work is dropped, a running COPY ended with an
 * error) and is handed back by the next call.
 */
#ifndef DBE_PG_LANES_H
#define DBE_PG_LANES_H

#include <stddef.h>

#include "dbc_buf.h"
#include "dbf.h"

#define PG_LANE_DEPTH 4 /* COPY pieces queued per lane */

typedef struct pg_lanes pg_lanes;

/**
 * Open n connections to conninfo (display names the target in messages), each set up as
 * the sink's own (pg_session) and with its thread.
 * @return 0, or DBC_ECONNECT / DBC_EBACKEND / DBF_ENOMEM in err.
 */
int pg_lanes_open(pg_lanes **out, const char *conninfo, const char *display, size_t n,
                  dbf_error *err);
/** @return the lane for a table not seen yet: the one given the fewest bytes so far. */
size_t pg_lanes_pick(pg_lanes *p);
/** Queue on lane l: start a COPY (sql: "COPY ... FROM STDIN ..."), after prelude (NULL:
 *  none) in the lane's transaction (begun when not open); what names the table. */
int pg_lanes_copy_begin(pg_lanes *p, size_t l, const char *prelude, const char *sql,
                        const char *what, dbf_error *err);
/** Queue b's bytes on lane l; b is emptied (its memory moves to the lane). Waits while the
 *  lane has PG_LANE_DEPTH pieces waiting. */
int pg_lanes_copy_data(pg_lanes *p, size_t l, dbc_buf *b, dbf_error *err);
/** Queue on lane l: end the COPY. */
int pg_lanes_copy_end(pg_lanes *p, size_t l, dbf_error *err);
/** Queue one statement for the first free lane; what is the prefix of its error message. */
int pg_lanes_any(pg_lanes *p, const char *sql, const char *what, dbf_error *err);
/** Commit every lane's transaction, once all given before is done. @return the first
 *  failure, or 0. */
int pg_lanes_commit(pg_lanes *p, dbf_error *err);
/** Wait until every lane has done all it was given. @return the first failure, or 0. */
int pg_lanes_wait(pg_lanes *p, dbf_error *err);
/** Stop everything now: cancel what the lanes run, drop what waits, join the threads. */
void pg_lanes_stop(pg_lanes *p);
/** Stop (if not done) and close the connections. NULL is a no-op. */
void pg_lanes_close(pg_lanes *p);

#endif
