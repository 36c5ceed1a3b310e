/*
 * engine.h - the contract between the programs and the database engines.
 *
 * An engine (engines/pg/, engines/mysql/, engines/sqlite/) is everything the project knows
 * of one database engine, in both directions: connecting, its catalog, reading rows (the
 * source) and writing them (the sink). The programs reach an engine only through this
 * header and its registry entry; nothing outside an engine's folder includes its files.
 *
 * Layering (scripts/layering.sh checks it): dump/ and restore/ include engines/;
 * engines/ includes common/ and format/; common/ includes format/. Never restore/ ->
 * dump/, never one engine's folder -> another's, never engines/ -> dump/ or restore/.
 *
 * Every operation returns 0 or a negative DBF_E* or DBC_E* code with err filled (a message
 * naming the object and the engine's own words). Operations marked optional may be NULL.
 */
#ifndef DBE_ENGINE_H
#define DBE_ENGINE_H

#include "dbc.h"
#include "dbc_buf.h"
#include "dbf.h"

/* ------------------------------------------------------------------- targets */

typedef enum dbe_id {
    DBE_SQLITE = 1,
    DBE_POSTGRESQL = 2,
    DBE_MYSQL = 3
} dbe_id;

/* PostgreSQL's names that other layers read too (spec/FORMAT.md 3.8): the header option
 * naming the pg_dump whose entries an archive holds, and the attr of the archive table that
 * holds large objects' bytes (pg_catalog.pg_largeobject). */
#define DBE_PG_DDL_OPTION "postgresql.ddl"
#define DBE_PG_LO_ATTR "postgresql.large_objects"

/* A parsed SOURCE/TARGET. Strings are owned by the struct; NULL when absent. */
typedef struct dbe_target {
    dbe_id engine;
    char *path;     /* SQLite: file path as given (relative or absolute) */
    char *conninfo; /* PostgreSQL: the URI or key=value string, passed to libpq unchanged */
    char *host;     /* MySQL: host (NULL = client default) */
    unsigned port;  /* MySQL: port (0 = default) */
    char *user;     /* MySQL: user (NULL = option files / current user) */
    char *password; /* MySQL: password (NULL = option files / MYSQL_PWD) */
    char *database; /* MySQL: database; PostgreSQL: not parsed (libpq does) */
    char *socket;   /* MySQL: ?socket=/path */
    char *display;  /* the URL with any password replaced by "***", for messages */
} dbe_target;

/**
 * Parse a SOURCE/TARGET string:
 *   sqlite:///abs/path.db, sqlite:////abs/path.db, sqlite:rel/path.db, a bare path;
 *   postgres://..., postgresql://..., or a libpq "key=value ..." string;
 *   mysql://user:pass@host:port/db?socket=/path, mariadb://...
 * Percent-escapes in MySQL URL parts are decoded.
 * @return 0, or DBC_EUSAGE with a message naming what is wrong.
 */
int dbe_target_parse(dbe_target **out, const char *s, dbf_error *err);
void dbe_target_free(dbe_target *t);
/* For the engines' target parsers (engines/target.c). */
/** @return a copy of URL s with the password of "scheme://user:pass@" and of "?password="
 *  replaced by "***" (never shown in messages), NULL when out of memory. */
char *dbe_mask_url_password(const char *s);

/* A row of values handed to a callback: borrowed for the call only.
 * @return 0 to go on, or a negative DBF_E* code (err filled) that stops the producer. */
typedef int (*dbe_row_fn)(void *ctx, const dbf_value *vals, size_t n, dbf_error *err);
/* A row of a query's result as text: vals[i] NULL for SQL NULL. @return 0 to go on. */
typedef int (*dbe_text_row_fn)(void *ctx, const char *const *vals, size_t n);

/* ------------------------------------------------------------------- sources */

typedef struct dbe_dump_opts {
    const char *source; /* SOURCE as given on the command line */
    const char *output; /* -o FILE; NULL = stdout */
    int zstd_level;     /* 0 = default */
    int verbosity;      /* 0 quiet, 1 normal, 2 verbose */
    const dbc_select *select; /* -t/-T/--schema-only/--data-only; NULL = everything */
    int progress;       /* -1 off, 0 when stderr is a terminal, 1 forced */
    int threads;        /* zstd compression worker threads; 0 = compress in the caller */
    int jobs;           /* -j: connections reading rows, all in the one snapshot (sources
                           with stream_lane; 0 or 1 = the one connection) */
    int mode;           /* -o file permissions; 0 = 0600 (archives hold data) */
    bool native_ddl;    /* also the engine's own complete DDL (PostgreSQL: pg_dump's
                           entries, spec/FORMAT.md): dbdump and --backup-to, not the
                           read-backs of --verify and data-only loads */
    bool skip_unsupported; /* --skip-unsupported: what the source cannot carry (its
                              DBF_OBJ_OMITTED objects) does not fail the dump; the archive
                              records it (header option "incomplete") */
} dbe_dump_opts;

/** The connections a source opens for o: -j N when rows are read, else 1. */
static inline unsigned dbe_dump_lanes(const dbe_dump_opts *o)
{
    return o && o->jobs > 1 && !(o->select && o->select->schema_only) ? (unsigned)o->jobs : 1;
}

/*
 * A source reads one database in one consistent snapshot. Call order (engines/dump.c, the
 * --verify read-back and the data-only catalog in restore/): open -> header -> tables ->
 * objects(PRE), stream_rows* (any tables, each once), objects(POST) in any order -> close.
 * All operations are mandatory except close. What open/header/tables/objects return is
 * borrowed until close. A failure leaves the source only fit for close.
 */
/* Rows of a table whose integer key column is in lo <= key < hi; an end not had is open
 * (the first and the last range of a split table take every key below or above). */
typedef struct dbe_key_range {
    size_t column; /* index into the table's columns */
    bool has_lo, has_hi;
    int64_t lo, hi;
} dbe_key_range;
/** For the sources: append " WHERE col >= lo AND col < hi" for r (the ends it has; nothing
 *  when it has neither) to b, the column name of t quoted with quote. */
void dbe_key_range_where(dbc_buf *b, const dbf_table *t, const dbe_key_range *r, char quote);

typedef struct dbe_source dbe_source; /* the engine's private state */

#define DBE_SOURCE_OPS_VERSION 1
typedef struct dbe_source_ops {
    unsigned version;   /* DBE_SOURCE_OPS_VERSION */
    dbe_id engine;
    /** Connect/open read-only and start one consistent read snapshot. */
    int (*open)(dbe_source **out, const dbe_target *t, const dbe_dump_opts *o, dbf_error *err);
    /** Fill engine, server_version, database, encoding, time_zone. Borrowed until close. */
    int (*header)(dbe_source *s, dbf_header *out, dbf_error *err);
    /** All tables, ids 1..n in dump order. Borrowed until close. */
    int (*tables)(dbe_source *s, const dbf_table **out, size_t *out_n, dbf_error *err);
    /** Schema objects of one section, in creation order. Borrowed until close. */
    int (*objects)(dbe_source *s, dbf_section sec, const dbf_object **out, size_t *out_n,
                   dbf_error *err);
    /** Hand every row of t to emit(ctx, ...), one at a time, in the source's order; a
     *  non-zero return of emit stops the read and is returned. */
    int (*stream_rows)(dbe_source *s, const dbf_table *t, dbe_row_fn emit, void *ctx,
                       dbf_error *err);
    /** End the snapshot and disconnect. NULL ok. */
    void (*close)(dbe_source *s);
    /** Optional (NULL: one connection; dbdump -j reads with one). When open was given
     *  o->jobs = N > 1, lanes 1..N-1 are further connections that see the same snapshot as
     *  lane 0 (the one of open and stream_rows): read t's rows whose key is in range (NULL:
     *  all of them) on lane, as stream_rows does. Calls on different lanes may run at the
     *  same time in different threads; nothing else runs meanwhile. */
    int (*stream_lane)(dbe_source *s, unsigned lane, const dbf_table *t,
                       const dbe_key_range *range, dbe_row_fn emit, void *ctx,
                       dbf_error *err);
    /** Optional (NULL: no table is split). The least and greatest value of t's integer key
     *  column col (a one-column primary key) in the snapshot, on lane 0 before any lane
     *  reads: *usable = false (and 0) when the table is empty or is not read by ranges. */
    int (*key_bounds)(dbe_source *s, const dbf_table *t, size_t col, bool *usable,
                      int64_t *min, int64_t *max, dbf_error *err);
} dbe_source_ops;


/* --------------------------------------------------------------------- sinks */

typedef struct dbe_restore_opts {
    const char *target; /* TARGET as given; NULL with --check */
    const char *input;  /* -i FILE; NULL = stdin */
    bool clean;         /* --clean: drop the archive's objects in the target first */
    bool force;         /* --force: write into a non-empty target as it is */
    bool check;         /* --check: read and verify the whole archive, no target */
    int verbosity;      /* 0 quiet, 1 normal, 2 verbose */
    bool plan;          /* --plan: print the cross-engine pre-flight report, write nothing */
    bool verify;        /* --verify: read every restored table back, compare count + digest */
    bool lossy;         /* --lossy: allow the documented lossy conversions (cross-engine) */
    const char *const *epoch_units; /* --epoch-unit [TABLE.COLUMN=]s|ms|us, repeatable */
    size_t nepoch_units;
    const char *time_zone; /* --time-zone ZONE: the application's zone for wall-clock columns */
    bool list;          /* --list: print the archive's table of contents, no target */
    bool json;          /* --json (with --list): as JSON */
    const char *to_sql; /* --to-sql DIALECT: SQL script on stdout, no target; NULL none */
    const dbc_select *select; /* -t/-T/--schema-only/--data-only; NULL = everything */
    int progress;       /* -1 off, 0 when stderr is a terminal, 1 forced */
    bool yes;           /* --yes: destructive options do not ask on a terminal */
    int jobs;           /* -j: connections loading rows and building indexes (0: the
                           engine's default; MySQL/MariaDB targets) */
    /* Data-only restores into tables that already exist in the target (restore/into.c). */
    bool into;          /* set by the pump, never by a flag: the sinks create nothing (see
                           "Data-only into existing tables" below) */
    bool skip_missing;  /* --skip-missing: archive tables/columns without a target: warnings */
    bool truncate;      /* --truncate: empty the tables being loaded first (same transaction) */
    int on_conflict;    /* --on-conflict: DBE_CONFLICT_* */
    const char *const *include_tables; /* --include-table NAME: migration tables to load */
    size_t ninclude_tables;
    const char *backup_to; /* --backup-to FILE: full archive of the target before changes */
    const char *const *orphans; /* --orphans [FK=]fail|skip|null, repeatable (orphans.c) */
    size_t norphans;
    const char *orphans_report; /* --orphans-report FILE: every orphan row and its fate */
} dbe_restore_opts;

/* --on-conflict=... (data-only restores): what a row whose primary key exists does. */
#define DBE_CONFLICT_ERROR 0  /* default: non-empty tables are refused before the load */
#define DBE_CONFLICT_SKIP 1   /* keep the target's row */
#define DBE_CONFLICT_UPDATE 2 /* overwrite it with the archive's row */

typedef struct dbe_sink dbe_sink; /* the engine's private state */

/*
 * A sink writes one restore into one target. Call order, made by restore/restore.c (the
 * pump), as the archive's messages come:
 *   open -> prepare (the whole pre-data schema is known; check emptiness, --clean, begin
 *   the transaction) -> create_object(PRE)* -> create_table* -> { data_begin, row*,
 *   data_end }* (a table may get several runs if the archive interleaves tables), with
 *   create_object (POST, or a PRE one the archive placed late) between runs as they come ->
 *   finish -> read_back* (--verify, before commit) -> commit -> close.
 * On any failure after open: abort (roll back; drop what was created; remove temp
 * files), then close. A sink must leave the target as it was after abort.
 * Objects in another engine's dialect that the sink cannot express are skipped with
 * dbc_warn naming each one (never silently).
 * The pump drives every sink the same way: an engine's, --to-sql's script (restore/tosql.c),
 * --check's null sink (restore/null.c), and the sinks of restore/ that wrap an engine's
 * (cross-engine translation, restore/cross.c; data-only loads, restore/into.c): they are
 * given the archive's header, tables and rows and hand the wrapped sink its own.
 */
#define DBE_SINK_OPS_VERSION 1
typedef struct dbe_sink_ops {
    unsigned version;   /* DBE_SINK_OPS_VERSION */
    dbe_id engine;
    /** Mandatory. Connect or open the target; nothing is written yet. */
    int (*open)(dbe_sink **out, const dbe_target *t, const dbe_restore_opts *o, dbf_error *err);
    /** Mandatory. Tables and pre-data objects of the archive, before anything is written.
     *  @return DBC_ENOTEMPTY (message lists the tables) unless o->clean / o->force. */
    int (*prepare)(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                   size_t ntables, dbf_error *err);
    /** Mandatory. Create table t (data-only: register it, see below). */
    int (*create_table)(dbe_sink *k, const dbf_header *h, const dbf_table *t, dbf_error *err);
    /** Mandatory. A pre- or post-data object; one it cannot express is warned and skipped. */
    int (*create_object)(dbe_sink *k, const dbf_header *h, const dbf_object *o, dbf_error *err);
    /** Mandatory. A run of t's rows begins. */
    int (*data_begin)(dbe_sink *k, const dbf_table *t, dbf_error *err);
    /** Mandatory. One row; values are borrowed for the call only. DBC_EDATA names
     *  table/column/row. */
    int (*row)(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
               uint64_t row_number, dbf_error *err);
    /** Mandatory. The run of t's rows ends (everything sent is in the target's hands). */
    int (*data_end)(dbe_sink *k, const dbf_table *t, dbf_error *err);
    /** Mandatory. Make the whole restore durable and visible. */
    int (*commit)(dbe_sink *k, dbf_error *err);
    /** Mandatory. After any failure past open: leave the target as it was. */
    void (*abort)(dbe_sink *k);
    /** Optional (NULL: nothing to release). Disconnect and free. */
    void (*close)(dbe_sink *k);
    /** Optional (NULL: none). Cross-engine restores: run one translated statement
     *  (engines/xlate.h) inside the restore (same transaction / undo rules as the sink's own
     *  DDL). */
    int (*exec_sql)(dbe_sink *k, const char *sql, const char *what, dbf_error *err);
    /** Optional. --verify before commit (NULL: the target is read back through its source
     *  after commit): hand every row of table tt as this restore's own transaction sees it
     *  (the columns of tt, in its order) to row(ctx, ...), so that a mismatch can still roll
     *  everything back. *found = false (and 0) when the table or a column is not there. */
    int (*read_back)(dbe_sink *k, const dbf_table *tt, bool *found, dbe_row_fn row,
                     void *ctx, dbf_error *err);
    /** Mandatory for data-only restores. Run one query inside the restore (same connection, same
     *  transaction; callable once prepare has returned) and hand each row to row(ctx, vals,
     *  n), one at a time, as text (NULL for SQL NULL; borrowed for the call). A non-zero
     *  return of row stops the query and is returned (row sets its own error first).
     *  @return 0, or DBC_EBACKEND naming `what` and the server's message. */
    int (*query)(dbe_sink *k, const char *sql, const char *what, dbe_text_row_fn row, void *ctx,
                 dbf_error *err);
    /** Optional (NULL: none). Data-only restores, after commit: one statement on its own
     *  (MySQL: AUTO_INCREMENT is only set by DDL, which would have committed the load early).
     *  @return 0 or DBC_EBACKEND naming `what`; the load stays committed either way. */
    int (*after_commit)(dbe_sink *k, const char *sql, const char *what, dbf_error *err);
    /** Optional (NULL: nothing to do). After the last data run and object, before --verify
     *  reads back and before commit: work that needs every row in place and that --verify
     *  must see (the wrapping sinks of restore/: translated constraints and counters; the
     *  foreign key checks of a data-only load). */
    int (*finish)(dbe_sink *k, dbf_error *err);
    /** Optional (NULL: nothing to say). --plan: how this target takes a restore (crash
     *  safety, a cluster), each line handed to line(ctx, text); called after open, writes
     *  nothing. */
    void (*describe)(dbe_sink *k, void (*line)(void *ctx, const char *text), void *ctx);
    /** Optional (NULL: none). --verify after commit: the other servers that must hold the
     *  same rows (the other nodes of a cluster), as "host:port" strings into *out (an array
     *  of *n malloc'd strings, the caller frees both); called after commit.
     *  @return 0, DBF_ENOMEM, or DBC_EBACKEND. */
    int (*peers)(dbe_sink *k, char ***out, size_t *n, dbf_error *err);
    /** Optional (NULL: the pump's words, "rolled back: the target is unchanged", where one
     *  transaction held the restore). After abort: what became of the target, as words the
     *  error message ends with; NULL for the pump's. */
    const char *(*aborted)(dbe_sink *k);
    /** Optional (NULL: one connection). The rows handed to each loading connection so far,
     *  into rows[0..cap), for the progress line; called on the pump's thread between calls.
     *  @return how many connections load (1 or less: nothing to show). */
    size_t (*lane_rows)(dbe_sink *k, uint64_t *rows, size_t cap);
} dbe_sink_ops;

/*
 * Data-only into existing tables (o->into, set by the pump for --data-only and for data-only
 * archives). restore/into.c reads the target's catalog first and, as the sink wrapping the
 * engine's, hands it per table the target table as it exists (columns restricted to those the
 * archive fills, in the target's order and types, native_sql NULL). The sink then:
 *   - prepare: checks no emptiness (into.c does), creates nothing, and begins ONE transaction
 *     that holds everything up to commit (MySQL too: autocommit off, START TRANSACTION, no DDL
 *     at all; UNIQUE_CHECKS and MariaDB's check_constraint_checks stay ON; FOREIGN_KEY_CHECKS
 *     stays OFF: into.c validates every foreign key with queries before commit);
 *   - create_table: only registers the table for the load (SQLite: prepares its INSERT; the
 *     table may be a TEMPORARY staging table that into.c created through exec_sql); never
 *     CREATE, DROP, ALTER, nor counts it as created for abort's undo;
 *   - data_begin/row/data_end: as usual, naming only the given columns in COPY / LOAD DATA /
 *     INSERT (target columns left out get their defaults);
 *   - abort: rolls the transaction back, leaving the target exactly as it was;
 *   - exec_sql and query: run in that transaction (into.c issues TRUNCATE/DELETE,
 *     staging tables, foreign-key drops and re-adds, counter moves through them).
 */

/* ------------------------------------------------------------------ dialects */

struct xl_map;
struct xl_col;
struct xl_build;
struct xl_tmap;

/*
 * What one engine needs as the target of cross-engine translation (engines/xlate.h), in the
 * pg_dump handler style: data first, then operations, each marked mandatory or optional.
 * The translation layer (engines/xlate*.c) asks these and never names a dialect itself; the
 * working types in the operations' signatures (xl_map, xl_col, xl_build, xl_tmap) are that
 * layer's, in engines/xlate_int.h. Filled by each engine's *_dialect.c.
 */
typedef struct dbe_dialect {
    dbe_id id;
    char quote;            /* identifier quote character (doubled inside a name) */
    bool ident_nocase;     /* identifiers compare case-insensitively */
    bool lit_backslash;    /* string literals double backslashes too */
    bool schemas;          /* tables may be qualified by dbe_xlate_opts.target_schema */
    bool storage_classes;  /* values go out as int64/float64/text/blob (DBF_T_ANY columns) */
    bool text_utf8;        /* text values must be valid UTF-8 */
    bool text_nonul;       /* text values must not hold NUL */
    bool time_of_day;      /* TIME columns hold 00:00:00..24:00:00 only */
    bool dates_infinity;   /* dates and timestamps hold infinity and -infinity */
    bool dates_zero;       /* dates and timestamps hold the zero date 0000-00-00 */
    /* value limits (all zero: none) */
    bool float_finite;     /* floats hold no NaN and no infinity */
    bool float_no_negzero; /* floats store -0.0 as 0 */
    bool decimal_finite;   /* decimals hold no NaN and no infinity */
    bool decimal_inf_bare; /* decimals hold the infinities only without precision and scale */
    int32_t year_min, year_max; /* the years dates and timestamps hold (year_max 0: any) */
    int64_t time_max_us;   /* TIME values hold -time_max_us..time_max_us (0: any) */
    const char *text_charset, *text_collation; /* of every text column created, or NULL */
    const struct xl_tmap *types;  /* by source type (DBF_T_NATIVE: any other) */
    /* column defaults */
    const char *lit_true, *lit_false; /* boolean literals */
    const char *now_tz;    /* current time into an instant column */
    const char *now_local; /* current time into a wall-clock timestamp column */
    bool now_fsp;          /* the current time takes the column's fraction digits: NOW(3) */
    const char *now_note;  /* plan note on a current-time default of an instant, or NULL */
    const char *today, *curtime; /* current date, current time of day */
    const char *uuid_fn;   /* random UUID default, NULL: none (then uuid_missing says so) */
    const char *uuid_missing;
    bool uuid_in_text;     /* uuid_fn also on text columns (UUIDs stored as text) */
    /* CREATE TABLE */
    bool empty_tables;     /* a table may have no column */
    bool on_update;        /* column ON UPDATE clauses on timestamps */
    bool comments;         /* inline column and table COMMENT clauses */
    const char *table_options; /* after the closing parenthesis, or NULL */
    /* objects */
    bool add_constraints;  /* ALTER TABLE ... ADD CONSTRAINT exists */
    bool key_prefix;       /* long text/blob key columns need a prefix length: (255) */
    bool index_per_table;  /* index names are per table (elsewhere per schema) */
    bool json_no_index;    /* json columns cannot be index keys */
    bool fk_ref_columns;   /* a foreign key must name the referenced columns */
    const char *char_length; /* character length function of check expressions */

    /* Optional (NULL: any name as it is). Check an identifier (valid UTF-8 already) and
     * give the byte length it is cut to, on a character boundary. @return 0 or
     * DBF_EUNSUPPORTED with err filled. */
    int (*fit)(size_t *out, const char *name, size_t n, dbf_error *err);
    /* Mandatory. A column's target type where its types row has no decl (see xl_map).
     * @return 0 or DBF_EUNSUPPORTED. */
    int (*map_type)(struct xl_map *m, dbf_error *err);
    /* Optional. Existing column tc (data-only) adds limits to c beyond its type. */
    void (*existing)(const dbf_column *tc, bool textual, struct xl_col *c);
    /* Mandatory. An identity column's clause after its name: the type, and when the
     * dialect can make it one, what makes it an identity and its NOT NULL. @return
     * whether the column stays an identity (else only the type was written). */
    bool (*identity)(struct xl_build *b, const dbf_column *sc, const struct xl_col *c,
                     dbf_column *tc, bool in_pk, dbc_buf *col);
    /* Optional. Whether a default on a column of this type must be an expression "(...)". */
    bool (*default_parens)(const char *native_type);
    /* Optional (NULL: counters follow explicit ids). The statement that moves a table's
     * counter: past `last` (and the loaded ids), or to `next` (text, NULL when unknown). */
    void (*counter)(dbc_buf *b, const char *schema, const char *table, const char *column,
                    unsigned long long last, const char *next);
    /* Optional. Foreign key on `table`: ALTER TABLE clauses that make its columns fit a
     * key (each ending in ","), and a note on the first. */
    void (*fk_columns)(dbc_buf *b, const dbf_object *o, const dbf_table *table, char **why);
    /* Optional (NULL: --to-sql writes rows as INSERT statements). One row of t as a line of
     * the engine's bulk load inside a script (PostgreSQL: COPY ... FROM stdin, text format),
     * generated columns left out; arr and tmp are scratch. @return 0, or 1 with *bad the
     * column whose value does not fit. */
    int (*copy_row)(dbc_buf *out, dbc_buf *arr, dbc_buf *tmp, const dbf_table *t,
                    const dbf_value *vals, size_t n, size_t *bad);
} dbe_dialect;

/* ------------------------------------------------------------------ registry */

typedef struct dbe_engine {
    dbe_id id;
    const char *name;             /* "postgresql": archive headers, --to-sql, messages */
    const char *title;            /* "PostgreSQL": prose */
    const char *const *aliases;   /* other names it answers to, NULL-terminated */
    const char *const *schemes;   /* its URL schemes (any case), NULL-terminated */
    bool url_slashes;             /* its URLs are SCHEME://...: "SCHEME:" alone is refused */
    /** Optional: true when s, with no scheme of any engine, is this engine's own form (a
     *  libpq "key=value" string). */
    bool (*claims)(const char *s);
    bool fallback;                /* takes what no scheme and no engine claims (a path) */
    /** Fill t from s: a URL of one of schemes (is_url), or the engine's own form. */
    int (*parse_target)(dbe_target *t, const char *s, bool is_url, dbf_error *err);
    const dbe_source_ops *source;
    const dbe_sink_ops *sink;
    /* The engine as the target dialect of cross-engine translation: its quoting, literals,
     * value limits, type mapping, identity, counters (dbe_dialect above). */
    const dbe_dialect *dialect;
} dbe_engine;

/** @return the engine id, or NULL when there is none. */
const dbe_engine *dbe_engine_of(dbe_id id);
/** @return the engine after e (the first with NULL), NULL after the last. */
const dbe_engine *dbe_engine_next(const dbe_engine *e);
/** @return the engine called name or one of its aliases ("mariadb", "postgres", "pg"),
 *  NULL when unknown (or name is NULL). */
const dbe_engine *dbe_engine_named(const char *name);
/** @return the id of the engine called name (as dbe_engine_named), 0 when unknown. */
dbe_id dbe_id_named(const char *name);
/** @return the name of id ("sqlite", "postgresql", "mysql"), "unknown" when none. */
const char *dbe_name(dbe_id id);
/** @return the title of id ("SQLite", "PostgreSQL", "MySQL"), "unknown" when none. */
const char *dbe_title(dbe_id id);
/** @return the source of engine id, NULL when there is none. */
const dbe_source_ops *dbe_source_for(dbe_id id);
/** @return the sink of engine id, NULL when there is none. */
const dbe_sink_ops *dbe_sink_for(dbe_id id);

/* ---------------------------------------------------------------- the dump */

/** Dump o->source into the archive o->output (engines/dump.c): the pump of dbdump, and of
 *  dbrestore --backup-to. @return 0 or a negative DBF_E* code with err filled. */
int dbe_dump(const dbe_dump_opts *o, dbf_error *err);

#endif /* DBE_ENGINE_H */
