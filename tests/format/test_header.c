/* test_header.c - dbf.h compiles on its own, first, with nothing included before it. */
#include "dbf.h"

int main(void)
{
    dbf_error e = {0, ""};
    dbf_value v = {.kind = DBF_V_NULL};
    (void)v;
    return dbf_error_set(&e, DBF_OK, "%s", "ok") == DBF_OK && DBF_MAX_CHUNK == (4u << 20) ? 0 : 1;
}
