/*
 * dbf.h - the dbdump archive format library (libdbf).
 *
 * A streaming writer (schema objects and rows in, compressed frames out through a
 * write callback) and a streaming reader (bytes in through a read callback,
 * messages and values out) for the archive format specified in spec/FORMAT.md.
 *
 * The library knows zstd and MessagePack and nothing about database engines.
 * It never prints and never exits: every failure comes back as a negative
 * DBF_E* code with a message in a caller-provided dbf_error.
 *
 * Memory: the writer and the reader use fixed-size buffers (a few MiB) plus,
 * in the reader, the largest single value of the archive.
 */
#ifndef DBF_H
#define DBF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ versions */

#define DBF_FORMAT_MAJOR 1 /* readers refuse archives with another major */
#define DBF_FORMAT_MINOR 2 /* readers accept any minor of their major */

/* ------------------------------------------------------------------- errors */

/* Error codes: 0 is success, failures are negative. Values are pinned. An application
 * may carry codes of its own in a dbf_error (dbdump's are in common/dbc.h: -5, -10..-13). */
enum {
    DBF_OK = 0,
    DBF_EIO = -1,          /* read/write callback failed (disk full, closed pipe) */
    DBF_ECORRUPT = -2,     /* checksum mismatch, malformed message, bad magic */
    DBF_ENOMEM = -3,       /* allocation failed */
    DBF_EVERSION = -4,     /* archive major version not supported */
    DBF_EUNSUPPORTED = -6, /* value/object that cannot be carried here */
    DBF_ECANCELED = -7,    /* interrupted (signal) */
    DBF_ETRUNCATED = -8,   /* archive ends before its trailer */
    DBF_EINVAL = -9        /* API misuse or invalid argument */
};

/* Room for a message: a server's whole message with the context put around it. A message
 * longer than this (never seen from a real server) ends with a marker saying how many bytes
 * were cut; values inside messages are shortened where they are written, with a marker and
 * their length. */
#define DBF_ERROR_MAX 8192

typedef struct dbf_error {
    int code;                /* one of DBF_E*, 0 when no error */
    char msg[DBF_ERROR_MAX]; /* human-readable, names what and where; one line */
} dbf_error;

/**
 * Set err (may be NULL) to code and a printf-style message.
 * @return code, so that `return dbf_error_set(err, DBF_EIO, "...")` works.
 */
int dbf_error_set(dbf_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/**
 * Put printf-style context in front of err's message, keeping its code (err may be NULL).
 * @return err's code.
 */
int dbf_error_prefix(dbf_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** @return a static name for a code, e.g. "DBF_ECORRUPT". */
const char *dbf_strerror(int code);

/* -------------------------------------------------------------------- arena */

/* Arena: many small allocations freed at once (schema strings, a row's scratch), used by
 * the reader and by every module above it. Zero-initialise (dbf_arena a = {0}) and
 * allocate; blocks of 64 KiB, larger allocations get a block of their own. Pointers stay
 * valid until reset or free. */
typedef struct dbf_arena_blk dbf_arena_blk;
typedef struct dbf_arena {
    dbf_arena_blk *head; /* newest block first */
} dbf_arena;

/** @return n bytes aligned for any type, not zeroed, or NULL when out of memory. */
void *dbf_arena_alloc(dbf_arena *a, size_t n);
/** @return n zeroed elements of size bytes, or NULL when out of memory or n * size overflows. */
void *dbf_arena_calloc(dbf_arena *a, size_t n, size_t size);
/** @return a copy of the n bytes at p, or NULL when out of memory. */
void *dbf_arena_memdup(dbf_arena *a, const void *p, size_t n);
/** @return a NUL-terminated copy of s[0..n), or NULL when out of memory. */
char *dbf_arena_strndup(dbf_arena *a, const char *s, size_t n);
/** @return a copy of s, or NULL when s is NULL or out of memory (check s first). */
char *dbf_arena_strdup(dbf_arena *a, const char *s);
/** Forget every allocation; keep the oldest block (if of ordinary size) for reuse. */
void dbf_arena_reset(dbf_arena *a);
/** Free every block; a is empty again. */
void dbf_arena_free(dbf_arena *a);

/* ----------------------------------------------------------- portable types */

/* Portable column types (spec/TYPES.md). On the wire they are strings. */
typedef enum dbf_type {
    DBF_T_ANY = 0,     /* dynamically typed (SQLite): each value self-describing */
    DBF_T_BOOL,        /* msgpack bool */
    DBF_T_INT,         /* integer; dbf_column.bits 8/16/24/32/64, .is_unsigned */
    DBF_T_FLOAT32,     /* msgpack float 32 */
    DBF_T_FLOAT64,     /* msgpack float 64 */
    DBF_T_DECIMAL,     /* str, canonical decimal text; precision/scale */
    DBF_T_TEXT,        /* str, bytes as stored (not validated as UTF-8) */
    DBF_T_BYTES,       /* bin */
    DBF_T_DATE,        /* str "[-]YYYY-MM-DD", "infinity", "-infinity" */
    DBF_T_TIME,        /* str "[-]H..H:MM:SS[.ffffff]" local time / duration */
    DBF_T_TIMETZ,      /* str "HH:MM:SS[.ffffff]+HH[:MM[:SS]]" */
    DBF_T_TIMESTAMP,   /* str "[-]YYYY-MM-DD HH:MM:SS[.ffffff]" wall clock */
    DBF_T_TIMESTAMPTZ, /* str "[-]YYYY-MM-DD HH:MM:SS[.ffffff]Z" instant, UTC */
    DBF_T_INTERVAL,    /* array [months, days, microseconds] */
    DBF_T_UUID,        /* bin, 16 bytes */
    DBF_T_JSON,        /* str, JSON text */
    DBF_T_ENUM,        /* str, label; dbf_column.labels */
    DBF_T_SET,         /* str, comma-separated labels (MySQL SET) */
    DBF_T_BIT,         /* bin, ceil(length/8) bytes, big-endian, length = bits */
    DBF_T_YEAR,        /* int */
    DBF_T_ARRAY,       /* array [dims, lbounds, elements]; dbf_column.elem_type */
    DBF_T_NATIVE,      /* str: the engine's own text form; dbf_column.native_type */
    DBF_T__COUNT
} dbf_type;

/** @return the wire name of a type ("int", "text", ...). */
const char *dbf_type_name(dbf_type t);
/** @return the type for a wire name, or DBF_T_NATIVE for a name this reader does not know. */
dbf_type dbf_type_from_name(const char *name);

/* ------------------------------------------------------------------- values */

#define DBF_MAX_DIMS 6

typedef enum dbf_vkind {
    DBF_V_NULL = 0,
    DBF_V_BOOL,
    DBF_V_INT,      /* fits int64 */
    DBF_V_UINT,     /* > INT64_MAX (reader) or written as unsigned (writer) */
    DBF_V_F32,
    DBF_V_F64,
    DBF_V_STR,      /* bytes in u.s, msgpack str */
    DBF_V_BIN,      /* bytes in u.s, msgpack bin */
    DBF_V_INTERVAL, /* u.iv */
    DBF_V_ARRAY     /* u.arr */
} dbf_vkind;

/*
 * One value. The writer reads it; the reader produces it with pointers into its
 * own buffers, valid until the next dbf_reader_next() call.
 */
typedef struct dbf_value {
    dbf_vkind kind;
    union {
        bool b;
        int64_t i;
        uint64_t u;
        float f32;
        double f64;
        struct {
            const char *ptr; /* not NUL-terminated; NULL allowed when len == 0 */
            size_t len;
        } s;
        struct {
            int32_t months;
            int32_t days;
            int64_t micros;
        } iv;
        struct {
            const struct dbf_value *elems; /* row-major, nelems = product of dims */
            size_t nelems;
            int ndims;                     /* 0 for an empty array */
            int32_t dims[DBF_MAX_DIMS];
            int32_t lbounds[DBF_MAX_DIMS];
        } arr;
    } u;
} dbf_value;

/* ------------------------------------------------------------------- schema */

typedef struct dbf_kv {
    const char *key;
    const char *value;
} dbf_kv;

/* dbf_column.flags */
#define DBF_COL_NOT_NULL 0x01u  /* NOT NULL */
#define DBF_COL_GENERATED 0x02u /* computed column: carried in rows, never inserted */
#define DBF_COL_ROWID 0x04u     /* engine's implicit row id (SQLite rowid), not a declared column */
#define DBF_COL_IDENTITY 0x08u  /* auto-increment / serial / identity (BY DEFAULT) */
#define DBF_COL_IDENTITY_ALWAYS 0x10u /* PostgreSQL GENERATED ALWAYS AS IDENTITY */

typedef struct dbf_column {
    const char *name;
    dbf_type type;            /* portable type */
    const char *type_name;    /* wire name as read (kept for types unknown to this reader) */
    dbf_type elem_type;       /* DBF_T_ARRAY: element type */
    unsigned bits;            /* DBF_T_INT: 8, 16, 24, 32 or 64 */
    bool is_unsigned;         /* DBF_T_INT */
    int32_t length;           /* char/varchar/bit length; -1 none */
    int32_t precision;        /* decimal precision, time fractional digits; -1 none */
    int32_t scale;            /* decimal scale; -1 none */
    unsigned flags;           /* DBF_COL_* */
    const char *native_type;  /* source engine's declared type text ("varchar(20)"), NULL none */
    const char *default_expr; /* default as source-engine SQL text, NULL none */
    const char *generated_expr; /* DBF_COL_GENERATED: expression text */
    const char *collation;    /* NULL none */
    const char *charset;      /* NULL none */
    const char *comment;      /* NULL none */
    const char *const *labels; /* DBF_T_ENUM / DBF_T_SET labels in order */
    size_t nlabels;
    const dbf_kv *attrs;      /* engine-specific extras, e.g. {"mysql.on_update","CURRENT_TIMESTAMP"} */
    size_t nattrs;
} dbf_column;

typedef struct dbf_table {
    uint32_t id;               /* > 0, unique in the archive; rows refer to it */
    const char *schema;        /* namespace; NULL for engines without (SQLite) */
    const char *name;
    const dbf_column *columns; /* rows carry one value per column, in this order */
    size_t ncolumns;
    const char *const *primary_key; /* column names, NULL/0 when none */
    size_t nprimary_key;
    const char *engine;        /* engine of native_sql, e.g. "sqlite" */
    const char *native_sql;    /* engine's own CREATE TABLE text, NULL when none */
    const char *comment;       /* NULL none */
    int64_t row_estimate;      /* -1 unknown */
    const dbf_kv *attrs;       /* engine-specific extras ("sqlite.without_rowid"="1", ...) */
    size_t nattrs;
} dbf_table;

typedef enum dbf_section {
    DBF_SEC_PRE = 1, /* before data: types, sequences, (views) */
    DBF_SEC_POST = 2 /* after data: indexes, constraints, triggers, sequence values */
} dbf_section;

typedef enum dbf_object_kind {
    DBF_OBJ_SCHEMA = 1, /* a namespace */
    DBF_OBJ_TYPE,       /* enum / domain / composite type */
    DBF_OBJ_SEQUENCE,   /* value: current value; attrs: is_called, increment, ... */
    DBF_OBJ_INDEX,
    DBF_OBJ_CONSTRAINT, /* subtype: primary_key, unique, check, foreign_key */
    DBF_OBJ_VIEW,
    DBF_OBJ_TRIGGER,
    DBF_OBJ_NATIVE,     /* engine-only object (function, procedure, event, ...) */
    DBF_OBJ_SETTING,    /* database-level setting; name + value (e.g. user_version) */
    DBF_OBJ_DDL,        /* format 1.2: one entry of the engine's own complete DDL (pg_dump's),
                           which replaces the archive's portable schema in a restore into
                           that engine; subtype names the tool (spec/FORMAT.md 3.8) */
    DBF_OBJ_OMITTED,    /* format 1.2: an object of the source the archive does not carry
                           (dbdump --skip-unsupported): subtype its kind in the engine's
                           words, schema, name, value why (spec/FORMAT.md 3.9) */
    DBF_OBJ__COUNT
} dbf_object_kind;

typedef struct dbf_object {
    dbf_object_kind kind;
    dbf_section section;
    const char *subtype;       /* kind-specific, e.g. "foreign_key", "function"; NULL none */
    const char *schema;        /* NULL none */
    const char *name;
    const char *table;         /* owning table (index, constraint, trigger); NULL none */
    const char *engine;        /* dialect of `sql` */
    const char *sql;           /* native DDL; NULL when the portable fields say it all */
    const char *const *columns; /* index/constraint columns, NULL/0 none */
    size_t ncolumns;
    bool unique;               /* DBF_OBJ_INDEX */
    const char *expr;          /* check expression, partial-index predicate, view query */
    const char *ref_schema;    /* foreign key target */
    const char *ref_table;
    const char *const *ref_columns;
    size_t nref_columns;
    const char *on_delete;     /* "CASCADE", ...; NULL = engine default */
    const char *on_update;
    const char *value;         /* DBF_OBJ_SETTING / DBF_OBJ_SEQUENCE value as text */
    const dbf_kv *attrs;
    size_t nattrs;
} dbf_object;

typedef struct dbf_header {
    uint16_t version_major;    /* reader: as read; writer: ignored (writes its own) */
    uint16_t version_minor;
    const char *producer;      /* "dbdump 0.1.0" */
    const char *engine;        /* "sqlite", "postgresql", "mysql" */
    const char *server_version;
    const char *database;      /* source database name (no credentials, ever) */
    const char *encoding;      /* "UTF-8" */
    const char *time_zone;     /* source session time zone ("UTC") */
    const char *created;       /* creation time, "YYYY-MM-DDTHH:MM:SSZ" */
    const dbf_kv *options;     /* options the dump ran with */
    size_t noptions;
} dbf_header;

/* Allocator of deep copies: n bytes aligned for any type, NULL when out of memory. The
 * memory is the caller's (an arena, say), and so is freeing it with the copy in it. */
typedef void *(*dbf_alloc_fn)(void *ctx, size_t n);

/**
 * Copy table t (columns, keys, attributes, every string) into memory from alloc(ctx, n);
 * each array gets a zeroed element after its last.
 * @param out  OUT: the copy.
 * @return 0, or DBF_ENOMEM (*out untouched; what was allocated stays the caller's).
 */
int dbf_table_copy(dbf_table **out, const dbf_table *t, dbf_alloc_fn alloc, void *ctx);
/** Copy object o (columns, references, attributes, every string) as dbf_table_copy does.
 *  @return 0, or DBF_ENOMEM. */
int dbf_object_copy(dbf_object **out, const dbf_object *o, dbf_alloc_fn alloc, void *ctx);

#define DBF_DIGEST_SIZE 16

typedef struct dbf_table_end {
    uint32_t table_id;
    uint64_t rows;                         /* rows written for the table */
    uint8_t digest[DBF_DIGEST_SIZE];       /* order-independent content digest */
} dbf_table_end;

typedef struct dbf_trailer {
    uint64_t tables;   /* tables with data sections */
    uint64_t rows;     /* rows in all tables */
    uint64_t chunks;   /* chunks (zstd frames) before the one holding the trailer */
    uint64_t checksum; /* XXH64 of the uncompressed bytes of those chunks */
} dbf_trailer;

/* ------------------------------------------------------------------- digest */

/*
 * Order-independent digest of a table's rows: for every row, XXH3-128 over the
 * canonical MessagePack encoding of the row (spec/FORMAT.md, "Digest"); the
 * 128-bit results are added as two 64-bit lanes modulo 2^64.
 */
typedef struct dbf_digest {
    uint64_t lo, hi;
    uint64_t rows;
} dbf_digest;

void dbf_digest_init(dbf_digest *d);
/**
 * Add one row. Values must be in the table's column order.
 * @return 0, or DBF_ENOMEM / DBF_EINVAL (a value kind that does not fit the column type).
 */
int dbf_digest_add_row(dbf_digest *d, const dbf_table *t, const dbf_value *vals, size_t n,
                       dbf_error *err);
/** Write the digest bytes (lo little-endian, then hi little-endian) to out. */
void dbf_digest_final(const dbf_digest *d, uint8_t out[DBF_DIGEST_SIZE]);

/* ------------------------------------------------------------------- writer */

/** Write callback: write all len bytes. @return 0, or a negative DBF_E* code. */
typedef int (*dbf_write_fn)(void *ctx, const void *buf, size_t len);

#define DBF_WRITER_OPTS_VERSION 1
typedef struct dbf_writer_opts {
    unsigned version;   /* DBF_WRITER_OPTS_VERSION */
    dbf_write_fn write; /* required */
    void *ctx;          /* passed to write */
    int zstd_level;     /* 0 = default (3) */
    int zstd_workers;   /* 0 = none; N: N threads compress chunks, output byte-identical */
} dbf_writer_opts;
#define DBF_WRITER_OPTS_INIT {DBF_WRITER_OPTS_VERSION, NULL, NULL, 0, 0}

typedef struct dbf_writer dbf_writer;

/**
 * Create a writer and write the magic and version.
 * @return 0, or DBF_EINVAL / DBF_ENOMEM / the callback's error.
 */
int dbf_writer_create(dbf_writer **out, const dbf_writer_opts *opts, dbf_error *err);
/** Write the archive header; must come first. @return 0 or negative. */
int dbf_writer_header(dbf_writer *w, const dbf_header *h, dbf_error *err);
/** Write a table definition (pre-data). The table is copied. @return 0 or negative. */
int dbf_writer_table(dbf_writer *w, const dbf_table *t, dbf_error *err);
/** Write a schema object. @return 0 or negative. */
int dbf_writer_object(dbf_writer *w, const dbf_object *o, dbf_error *err);
/** Start the data of a table written with dbf_writer_table. @return 0 or negative. */
int dbf_writer_data_begin(dbf_writer *w, uint32_t table_id, dbf_error *err);
/**
 * Write one row of n values (n must equal the table's column count). Values are
 * checked against the column types and copied; large text/bytes are split into parts.
 * @return 0, DBF_EINVAL (kind does not fit the type; message names table, column, row),
 *         or the callback's error.
 */
int dbf_writer_row(dbf_writer *w, uint32_t table_id, const dbf_value *vals, size_t n,
                   dbf_error *err);
/** End a table's data: writes row count and digest. @return 0 or negative. */
int dbf_writer_data_end(dbf_writer *w, uint32_t table_id, dbf_error *err);
/** Write the trailer, the index and the footer, and flush. @return 0 or negative. */
int dbf_writer_finish(dbf_writer *w, dbf_error *err);
/**
 * The producer failed and the archive will not be finished: write what is pending, then an
 * ABORT message carrying message (the producer's own error) in a chunk of its own, so that
 * a reader at the other end of a pipe reports why the archive ends there (spec/FORMAT.md,
 * ABORT). The writer accepts nothing after it. A header is needed first.
 * @return 0 or negative (a writer whose output failed cannot write it).
 */
int dbf_writer_abort(dbf_writer *w, const char *message, dbf_error *err);
/** Bytes handed to the write callback so far. */
uint64_t dbf_writer_bytes_out(const dbf_writer *w);
/** Uncompressed message bytes so far. */
uint64_t dbf_writer_bytes_in(const dbf_writer *w);
/** Rows written so far, all tables (for progress displays). */
uint64_t dbf_writer_rows(const dbf_writer *w);
/** Free a writer (NULL ok). Does not finish it. */
void dbf_writer_free(dbf_writer *w);

/* ------------------------------------------------------------------- reader */

/**
 * Read callback: read up to cap bytes into buf and set *out_len (0 = end of input).
 * @return 0, or a negative DBF_E* code.
 */
typedef int (*dbf_read_fn)(void *ctx, void *buf, size_t cap, size_t *out_len);

#define DBF_READER_OPTS_VERSION 1
typedef struct dbf_reader_opts {
    unsigned version;  /* DBF_READER_OPTS_VERSION */
    dbf_read_fn read;  /* required */
    void *ctx;         /* passed to read */
    size_t max_value;  /* largest single value accepted; 0 = DBF_MAX_VALUE */
} dbf_reader_opts;
#define DBF_READER_OPTS_INIT {DBF_READER_OPTS_VERSION, NULL, NULL, 0}

#define DBF_MAX_CHUNK (4u << 20)    /* largest uncompressed chunk (zstd frame content) */
#define DBF_MAX_VALUE (1024u << 20) /* largest single value */

typedef enum dbf_msg_kind {
    DBF_MSG_HEADER = 1, /* msg.header */
    DBF_MSG_TABLE,      /* msg.table */
    DBF_MSG_OBJECT,     /* msg.object */
    DBF_MSG_DATA_BEGIN, /* msg.table */
    DBF_MSG_ROW,        /* msg.table, msg.values/nvalues, msg.row_number */
    DBF_MSG_DATA_END,   /* msg.table, msg.end (already verified against the rows read) */
    DBF_MSG_TRAILER,    /* msg.trailer (already verified) */
    DBF_MSG_END         /* nothing more; returned after the trailer */
} dbf_msg_kind;

typedef struct dbf_msg {
    dbf_msg_kind kind;
    const dbf_header *header;
    const dbf_table *table;
    const dbf_object *object;
    const dbf_value *values;
    size_t nvalues;
    uint64_t row_number;        /* 1-based within the table */
    const dbf_table_end *end;
    const dbf_trailer *trailer;
} dbf_msg;

typedef struct dbf_reader dbf_reader;

/**
 * Create a reader; reads and checks the magic and version.
 * @return 0, DBF_ECORRUPT (not an archive), DBF_EVERSION, DBF_ETRUNCATED, DBF_ENOMEM, DBF_EIO.
 */
int dbf_reader_create(dbf_reader **out, const dbf_reader_opts *opts, dbf_error *err);
/**
 * Read the next message into *out.
 * header, table and object pointers stay valid until dbf_reader_free(); values until the
 * next call. Row counts, digests, sequence numbers and the trailer checksum are verified.
 * @return 0 (out->kind set; DBF_MSG_END at the end), DBF_ETRUNCATED (input ended before
 *         the trailer), DBF_ECORRUPT, DBF_EVERSION, DBF_ENOMEM, DBF_EIO.
 */
int dbf_reader_next(dbf_reader *r, dbf_msg *out, dbf_error *err);
/** The header (after the first message), else NULL. Borrowed. */
const dbf_header *dbf_reader_header(const dbf_reader *r);
/** Table by id, or NULL. Borrowed until dbf_reader_free(). */
const dbf_table *dbf_reader_table(const dbf_reader *r, uint32_t id);
/** Compressed bytes consumed so far. */
uint64_t dbf_reader_bytes_in(const dbf_reader *r);
/** Whether the archive said its writer failed (an ABORT message, format 1.1): the
 *  DBF_ETRUNCATED at its end then carries the writer's own message. false for NULL. */
bool dbf_reader_writer_failed(const dbf_reader *r);
/** Free a reader (NULL ok). */
void dbf_reader_free(dbf_reader *r);

#ifdef __cplusplus
}
#endif
#endif /* DBF_H */
