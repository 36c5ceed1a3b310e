/*
 * frames.c - test helper: the frame layout of an archive, read with libzstd and msgpack-c
 * only (not libdbf), so the truncation tests get their expected "last complete table" from
 * spec/FORMAT.md rather than from the code under test.
 *
 * Usage: dbt_frames FILE
 * Prints one line per zstd frame after the 12-byte preamble:
 *     START END DONE KINDS
 * START/END: byte range of the frame; DONE: the name of the last table whose DATA_END
 * (kind 7) is in this frame or an earlier one ("none" if there is none yet); KINDS: the
 * kinds of messages in the frame, in order of first appearance, one letter each: H header,
 * T table, p pre-data object, P post-data object, B data begin, R rows, V value part,
 * E data end, Z trailer, X index, ? other. The last two frames are the trailer chunk and the
 * index frame; a line "footer START END" follows.
 * Exit 0, or 1 with a message if the file is not a well-formed archive.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <zstd.h>

#define MAX_TABLES 100000

static char *names[MAX_TABLES + 1]; /* table id -> name (ids above MAX_TABLES are refused) */

static int die(const char *msg)
{
    fprintf(stderr, "dbt_frames: %s\n", msg);
    return 1;
}

/* The value of key KEY in map M, or NULL. */
static const msgpack_object *map_get(const msgpack_object *m, const char *key)
{
    const msgpack_object *found = NULL;
    if (m->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < m->via.map.size; i++) {
        const msgpack_object_kv *kv = &m->via.map.ptr[i];
        if (kv->key.type == MSGPACK_OBJECT_STR && kv->key.via.str.size == strlen(key) &&
            memcmp(kv->key.via.str.ptr, key, kv->key.via.str.size) == 0)
            found = &kv->val; /* the last one counts */
    }
    return found;
}

/* Walk the messages of one frame's content; update *done (a name in names[]). */
static int walk(const char *buf, size_t len, const char **done, char *kinds)
{
    size_t off = 0;
    int rc = 0;
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    while (off < len) {
        if (msgpack_unpack_next(&u, buf, len, &off) != MSGPACK_UNPACK_SUCCESS) {
            rc = die("bad message");
            goto done;
        }
        const msgpack_object *o = &u.data;
        if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 2 ||
            o->via.array.ptr[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER) {
            rc = die("message is not [kind, body]");
            goto done;
        }
        uint64_t kind = o->via.array.ptr[0].via.u64;
        const msgpack_object *body = &o->via.array.ptr[1];
        char letter = kind >= 1 && kind <= 9 ? "HTOBRVEZX"[kind - 1] : '?';
        if (kind == 3) {
            const msgpack_object *sec = map_get(body, "section");
            letter = sec && sec->type == MSGPACK_OBJECT_STR && sec->via.str.size == 4 &&
                             memcmp(sec->via.str.ptr, "post", 4) == 0
                         ? 'P'
                         : 'p';
        }
        if (!strchr(kinds, letter) && strlen(kinds) < 15)
            strncat(kinds, &letter, 1);
        if (kind == 2) { /* TABLE */
            const msgpack_object *id = map_get(body, "id"), *name = map_get(body, "name");
            if (!id || !name || id->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
                id->via.u64 > MAX_TABLES || name->type != MSGPACK_OBJECT_STR) {
                rc = die("bad TABLE message");
                goto done;
            }
            free(names[id->via.u64]);
            names[id->via.u64] = strndup(name->via.str.ptr, name->via.str.size);
        } else if (kind == 7) { /* DATA_END */
            const msgpack_object *t = map_get(body, "t");
            if (!t || t->type != MSGPACK_OBJECT_POSITIVE_INTEGER || t->via.u64 > MAX_TABLES ||
                !names[t->via.u64]) {
                rc = die("bad DATA_END message");
                goto done;
            }
            *done = names[t->via.u64];
        }
    }
done:
    msgpack_unpacked_destroy(&u);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 1;
    unsigned char *file = NULL;
    char *content = NULL;
    size_t size = 0, cap = 0, n;
    const char *done = "none";
    FILE *f;

    if (argc != 2)
        return die("usage: dbt_frames FILE");
    if (!(f = fopen(argv[1], "rb")))
        return die("cannot open the file");
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            unsigned char *p = realloc(file, cap);
            if (!p) {
                fclose(f);
                rc = die("out of memory");
                goto done;
            }
            file = p;
        }
        n = fread(file + size, 1, cap - size, f);
        size += n;
        if (n == 0)
            break;
    }
    fclose(f);
    if (size < 12 + 16 || memcmp(file, "\x89" "DBD\r\n\x1a\n", 8) != 0) {
        rc = die("not an archive");
        goto done;
    }
    size_t pos = 12;
    while (pos < size) {
        if (size - pos == 16 && memcmp(file + pos, "DBDINDEX", 8) == 0) {
            printf("footer %zu %zu\n", pos, size);
            rc = 0;
            goto done;
        }
        size_t fsz = ZSTD_findFrameCompressedSize(file + pos, size - pos);
        unsigned long long csz = ZSTD_getFrameContentSize(file + pos, size - pos);
        if (ZSTD_isError(fsz) || csz == ZSTD_CONTENTSIZE_UNKNOWN ||
            csz == ZSTD_CONTENTSIZE_ERROR || csz > (4u << 20)) {
            rc = die("bad zstd frame");
            goto done;
        }
        free(content);
        content = malloc(csz ? csz : 1);
        if (!content) {
            rc = die("out of memory");
            goto done;
        }
        size_t got = ZSTD_decompress(content, csz, file + pos, fsz);
        if (ZSTD_isError(got) || got != csz) {
            rc = die("frame does not decompress");
            goto done;
        }
        char kinds[16] = "";
        if (walk(content, got, &done, kinds))
            goto done;
        printf("%zu %zu %s %s\n", pos, pos + fsz, done, kinds[0] ? kinds : "-");
        pos += fsz;
    }
    rc = die("no footer");
done:
    free(content);
    free(file);
    for (size_t i = 0; i <= MAX_TABLES; i++)
        free(names[i]);
    return rc;
}
