/*
 * xlate_tvals.h - shared by test_xlate.c and xlate_sqlgen.c: hand-built archive columns
 * (col: no length, precision or scale) and values (one constructor per dbf_value kind, the
 * rest zeroed), and the 16 bytes of the sample UUID A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11.
 */
#ifndef XLATE_TVALS_H
#define XLATE_TVALS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "dbf.h"

static inline dbf_column col(const char *name, dbf_type t)
{
    dbf_column c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.type = t;
    c.length = c.precision = c.scale = -1;
    return c;
}

static inline dbf_value vnull(void)
{
    dbf_value v;
    memset(&v, 0, sizeof v);
    return v;
}
static inline dbf_value vi(int64_t i)
{
    dbf_value v = vnull();
    v.kind = DBF_V_INT;
    v.u.i = i;
    return v;
}
static inline dbf_value vu(uint64_t u)
{
    dbf_value v = vnull();
    v.kind = DBF_V_UINT;
    v.u.u = u;
    return v;
}
static inline dbf_value vb(bool b)
{
    dbf_value v = vnull();
    v.kind = DBF_V_BOOL;
    v.u.b = b;
    return v;
}
static inline dbf_value vf(double f)
{
    dbf_value v = vnull();
    v.kind = DBF_V_F64;
    v.u.f64 = f;
    return v;
}
static inline dbf_value vf32(float f)
{
    dbf_value v = vnull();
    v.kind = DBF_V_F32;
    v.u.f32 = f;
    return v;
}
static inline dbf_value vsn(const char *s, size_t n)
{
    dbf_value v = vnull();
    v.kind = DBF_V_STR;
    v.u.s.ptr = s;
    v.u.s.len = n;
    return v;
}
static inline dbf_value vs(const char *s)
{
    return vsn(s, strlen(s));
}
static inline dbf_value vbin(const char *s, size_t n)
{
    dbf_value v = vsn(s, n);
    v.kind = DBF_V_BIN;
    return v;
}
static inline dbf_value viv(int32_t m, int32_t d, int64_t us)
{
    dbf_value v = vnull();
    v.kind = DBF_V_INTERVAL;
    v.u.iv.months = m;
    v.u.iv.days = d;
    v.u.iv.micros = us;
    return v;
}

static const char uuid_bytes[16] = {(char)0xa0, (char)0xee, (char)0xbc, (char)0x99,
                                    (char)0x9c, (char)0x0b, (char)0x4e, (char)0xf8,
                                    (char)0xbb, (char)0x6d, (char)0x6b, (char)0xb9,
                                    (char)0xbd, (char)0x38, (char)0x0a, (char)0x11};

#endif /* XLATE_TVALS_H */
