# lib.sh - helpers shared by the SQLite integration tests (sourced, bash).

# fail, expect (output in $WORK/out and $WORK/err), from the library all tests share
# shellcheck source=../../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"

# values_of DB: every value of every table as "table|rowid|typeof|hex" lines, reals as their
# IEEE-754 bits (ieee754_to_blob), so -0.0, denormals and text after NUL bytes are compared
# exactly (quote() and .dump lose those).
values_of() {
    local db=$1 sql
    sql=$(sqlite3 -bail "$db" <<'SQL'
WITH t AS (
    SELECT m.name AS name, l.wr AS wr
    FROM sqlite_master m JOIN pragma_table_list(m.name) l ON l.schema = 'main'
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
)
SELECT 'SELECT ' || quote(t.name) || ', ' ||
       (CASE WHEN t.wr THEN '''-''' ELSE '_rowid_' END) || ', ' ||
       (SELECT group_concat(
            printf('typeof(%s), CASE typeof(%s) WHEN ''real'' THEN hex(ieee754_to_blob(%s)) '
                   || 'ELSE hex(%s) END', q, q, q, q), ', ')
        FROM (SELECT '"' || replace(c.name, '"', '""') || '"' AS q
              FROM pragma_table_xinfo(t.name) c ORDER BY c.cid)) ||
       ' FROM "' || replace(t.name, '"', '""') || '"' ||
       (CASE WHEN t.wr THEN '' ELSE ' ORDER BY _rowid_' END) || ';'
FROM t ORDER BY t.name;
SQL
)
    sqlite3 -bail "$db" "$sql"
}

# settings_of DB: database-level state .dump does not show.
settings_of() {
    sqlite3 -bail "$1" 'PRAGMA user_version; PRAGMA application_id; PRAGMA encoding;
        PRAGMA page_size; PRAGMA auto_vacuum; PRAGMA journal_mode;
        SELECT name, seq, typeof(seq) FROM sqlite_sequence ORDER BY rowid;' 2>/dev/null ||
    sqlite3 -bail "$1" 'PRAGMA user_version; PRAGMA application_id; PRAGMA encoding;
        PRAGMA page_size; PRAGMA auto_vacuum; PRAGMA journal_mode;'
}

# same_db A B: .dump identical, values identical, settings identical, B passes integrity_check.
same_db() {
    local a=$1 b=$2 d
    d=$(mktemp -d)
    sqlite3 -bail "$a" .dump >"$d/a.sql"
    sqlite3 -bail "$b" .dump >"$d/b.sql"
    cmp -s "$d/a.sql" "$d/b.sql" || { diff "$d/a.sql" "$d/b.sql" | head -20 >&2; rm -rf "$d";
        fail ".dump of $a and $b differ"; }
    values_of "$a" >"$d/a.val"
    values_of "$b" >"$d/b.val"
    [ -s "$d/a.val" ] || { rm -rf "$d"; fail "no values read from $a"; }
    cmp -s "$d/a.val" "$d/b.val" || { diff "$d/a.val" "$d/b.val" | cut -c1-200 | head -20 >&2;
        rm -rf "$d"; fail "values (typeof/hex) of $a and $b differ"; }
    settings_of "$a" >"$d/a.set"
    settings_of "$b" >"$d/b.set"
    cmp -s "$d/a.set" "$d/b.set" || { diff "$d/a.set" "$d/b.set" >&2; rm -rf "$d";
        fail "settings of $a and $b differ"; }
    [ "$(sqlite3 "$b" 'PRAGMA integrity_check')" = ok ] || { rm -rf "$d";
        fail "integrity_check of $b"; }
    rm -rf "$d"
}

# sha of a file (to prove a target was left untouched)
sum_of() {
    sha256sum "$1" | cut -d' ' -f1
}
