/*
 * pg_bin.h - portable values -> PostgreSQL binary COPY fields (pg_sink.c).
 * Pure functions: no libpq, no allocation.
 */
#ifndef DBR_PG_BIN_H
#define DBR_PG_BIN_H

#include <stddef.h>
#include <stdint.h>

#include "dbf.h"

/* Target base types (after resolving domains) with a binary encoder. */
typedef enum pgb_kind {
    PGB_NONE = 0, /* no encoder: the table is loaded in text format */
    PGB_BOOL,
    PGB_INT2,
    PGB_INT4,
    PGB_INT8,
    PGB_F4,
    PGB_F8,
    PGB_NUMERIC,
    PGB_TEXT,  /* text, varchar, bpchar, name, json, enum labels */
    PGB_JSONB,
    PGB_BYTEA,
    PGB_DATE,
    PGB_TIME,
    PGB_TIMETZ,
    PGB_TS, /* timestamp and timestamptz */
    PGB_INTERVAL,
    PGB_UUID
} pgb_kind;

/** @return the encoder for a base type oid (typtype 'e' = enum), PGB_NONE when none. */
pgb_kind pgb_kind_of(uint32_t oid, char typtype);

/** @return an upper bound of the encoded size of v (without the 4-byte length). */
size_t pgb_max_size(pgb_kind k, const dbf_value *v);

/**
 * Encode the non-NULL scalar v for kind k into out (pgb_max_size bytes).
 * @return the encoded length, or -1 when the value does not fit the type.
 */
long pgb_encode(pgb_kind k, const dbf_value *v, unsigned char *out);

static inline void pgb_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

#endif /* DBR_PG_BIN_H */
