#!/usr/bin/env bash
# into_orphans.sh ENGINE DBDUMP DBRESTORE SRCDIR WORK (ENGINE: postgresql | mysql)
# A chat app's SQLite file, written with foreign keys off (SQLite's default), as such files
# are: messages of deleted users, a reply to a deleted message, links to deleted files and
# to a deleted message. Loaded with --data-only into the schema the app's own DDL makes in
# the target, which enforces its foreign keys:
#   - by default refused (exit 7, nothing written), naming the foreign key, the count and the
#     first keys, and suggesting --orphans;
#   - --orphans=skip leaves the orphans out, and the rows that become orphans by that (replies
#     to a skipped message, its file links), until none is left;
#   - --orphans=null sets nullable references to NULL; a NOT NULL one is refused (exit 2)
#     unless that key is given skip (by constraint name or by TABLE.COLUMN);
#   - --plan names exactly the rows the load then names; --orphans-report lists them;
#   - --verify OK in each mode; the same through a pipe (the archive is kept in a file).
# Expected rows are computed here from the source by Python (a fixpoint over the rows), and
# compared with what the engine's own client reads back.
# PostgreSQL only: a server error of more than 1 KiB (a 63-character constraint name and a
# 1,500-character key) reaches the user whole.
set -euo pipefail
ENGINE=$1 DBDUMP=$2 DBRESTORE=$3 SRCDIR=$4 WORK=$5
TEST_NAME=into_orphans_$ENGINE
rm -rf "$WORK" && mkdir -p "$WORK"
# shellcheck source=../../reliability/lib.sh
. "$SRCDIR/tests/reliability/lib.sh"
trap cleanup_dbs EXIT
DB=dbt_io_$$

python3 - "$WORK" <<'PY'
import os, random, sqlite3, sys, uuid
w = sys.argv[1]
rnd = random.Random(11)
db = sqlite3.connect(os.path.join(w, "src.db"))
db.executescript("""
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE files (id TEXT PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL);
CREATE TABLE messages (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL, reply_to INTEGER REFERENCES messages(id));
CREATE TABLE message_files (message_id INTEGER NOT NULL REFERENCES messages(id),
    file_id TEXT NOT NULL REFERENCES files(id), PRIMARY KEY (message_id, file_id));
""")
deleted_users = {7, 13}
users = [u for u in range(1, 41) if u not in deleted_users]
db.executemany("INSERT INTO users VALUES (?, ?)", [(u, "user %d" % u) for u in users])
fids = [str(uuid.UUID(int=rnd.getrandbits(128), version=4)) for _ in range(30)]
deleted_files = {fids[4], fids[11], fids[22]}
db.executemany("INSERT INTO files VALUES (?, ?, ?)",
               [(f, "file%d.png" % i, 1000 + i) for i, f in enumerate(fids)
                if f not in deleted_files])
msgs = {}
for i in range(1, 201):
    user = None if i % 25 == 0 else (i * 7) % 40 + 1
    reply = i - 20 if i % 5 == 3 and i > 20 else None
    if i == 150:
        reply = 999                      # a reply to a message deleted long ago
    msgs[i] = (user, reply)
db.executemany("INSERT INTO messages VALUES (?, ?, ?, ?)",
               [(i, u, "message %d" % i, r) for i, (u, r) in msgs.items()])
links = set()
for i in range(1, 201):
    if i % 3 == 0:
        links.add((i, fids[(i // 3) % 30]))
    if i % 9 == 0:
        links.add((i, fids[(i * 11) % 30]))
links.add((999, fids[0]))                # a link of a deleted message
db.executemany("INSERT INTO message_files VALUES (?, ?)", sorted(links))
db.commit()

def out(name, lines):
    with open(os.path.join(w, name), "w") as f:
        f.write("".join(l + "\n" for l in lines))

# direct orphans per foreign key (what the default refusal counts)
direct = {
    "messages_user_id_fkey": sum(1 for u, r in msgs.values() if u in deleted_users),
    "messages_reply_to_fkey": sum(1 for u, r in msgs.values() if r is not None and r not in msgs),
    "message_files_message_id_fkey": sum(1 for m, f in links if m not in msgs),
    "message_files_file_id_fkey": sum(1 for m, f in links if f in deleted_files),
}
out("direct", ["%s %d" % kv for kv in sorted(direct.items())])

# --orphans=skip: a fixpoint; report lines as dbrestore writes them (key as the archive's
# primary key, reference as the target's text of the child's columns)
skipped, report = set(), set()
while True:
    new = False
    for i, (u, r) in msgs.items():
        for fk, bad in (("messages_user_id_fkey", u in deleted_users),
                        ("messages_reply_to_fkey", r is not None and (r not in msgs or r in skipped))):
            if bad and (fk, i) not in report:
                report.add((fk, i))
                line = "%s\tmessages\tid=%d\t%d\tskip" % (fk, i, u if fk.endswith("user_id_fkey") else r)
                report.add(line)
                new = new or i not in skipped
                skipped.add(i)
    if not new:
        break
kept_links = set()
for m, f in links:
    bad_m = m not in msgs or m in skipped
    bad_f = f in deleted_files
    if bad_m:
        report.add("message_files_message_id_fkey\tmessage_files\tmessage_id=%d, file_id='%s'\t%d\tskip" % (m, f, m))
    if bad_f:
        report.add("message_files_file_id_fkey\tmessage_files\tmessage_id=%d, file_id='%s'\t%s\tskip" % (m, f, f))
    if not bad_m and not bad_f:
        kept_links.add((m, f))
out("skip_report", sorted(l for l in report if isinstance(l, str)))
out("skip_messages", ["%d" % i for i in sorted(msgs) if i not in skipped])
out("skip_links", ["%d|%s" % l for l in sorted(kept_links)])
out("skip_counts", ["%d %d" % (len(skipped), len(links) - len(kept_links))])

# --orphans=null, links by skip: nothing cascades (no message is left out)
out("null_messages", ["%d|%s|%s" % (i, "N" if u is None or u in deleted_users else u,
                                     "N" if r is None or r not in msgs else r)
                      for i, (u, r) in sorted(msgs.items())])
out("null_links", ["%d|%s" % l for l in sorted(l for l in links
                                                if l[0] in msgs and l[1] not in deleted_files)])
nulled = [i for i, (u, r) in msgs.items() if u in deleted_users or (r is not None and r not in msgs)]
out("null_counts", ["%d %d %d" % (sum(1 for l in links if l[0] not in msgs or l[1] in deleted_files),
                                  len(nulled), direct["messages_user_id_fkey"] +
                                  direct["messages_reply_to_fkey"])])
PY
expect 0 "$DBDUMP" -q -o "$WORK/a.dbd" "$WORK/src.db"

case $ENGINE in
postgresql)
    need_pg
    mkdb() {
        pg_newdb "$1"
        pg_db "$1" -c "
        CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);
        CREATE TABLE files (id uuid PRIMARY KEY, name text NOT NULL, size bigint NOT NULL);
        CREATE TABLE messages (id bigserial PRIMARY KEY,
            user_id bigint CONSTRAINT messages_user_id_fkey REFERENCES users(id) ON DELETE SET NULL,
            body text NOT NULL,
            reply_to bigint CONSTRAINT messages_reply_to_fkey REFERENCES messages(id));
        CREATE TABLE message_files (
            message_id bigint NOT NULL CONSTRAINT message_files_message_id_fkey
                REFERENCES messages(id) ON DELETE CASCADE,
            file_id uuid NOT NULL CONSTRAINT message_files_file_id_fkey REFERENCES files(id),
            PRIMARY KEY (message_id, file_id))"
    }
    url() { pg_url "$1"; }
    q() { pg_db "$1" -c "$2"; }
    msgs_q="SELECT id || '|' || coalesce(user_id::text, 'N') || '|' || coalesce(reply_to::text, 'N') FROM messages ORDER BY id"
    links_q="SELECT message_id || '|' || file_id FROM message_files ORDER BY message_id, file_id::text"
    ;;
mysql)
    need_mysql
    mkdb() {
        my_newdb "$1"
        myq "$1" "
        CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100) NOT NULL) ENGINE=InnoDB;
        CREATE TABLE files (id char(36) PRIMARY KEY, name varchar(200) NOT NULL,
            size bigint NOT NULL) ENGINE=InnoDB;
        CREATE TABLE messages (id bigint AUTO_INCREMENT PRIMARY KEY, user_id bigint,
            body text NOT NULL, reply_to bigint,
            CONSTRAINT messages_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id)
                ON DELETE SET NULL,
            CONSTRAINT messages_reply_to_fkey FOREIGN KEY (reply_to) REFERENCES messages(id))
            ENGINE=InnoDB;
        CREATE TABLE message_files (message_id bigint NOT NULL, file_id char(36) NOT NULL,
            PRIMARY KEY (message_id, file_id),
            CONSTRAINT message_files_message_id_fkey FOREIGN KEY (message_id)
                REFERENCES messages(id) ON DELETE CASCADE,
            CONSTRAINT message_files_file_id_fkey FOREIGN KEY (file_id) REFERENCES files(id))
            ENGINE=InnoDB"
    }
    url() { my_url "$1"; }
    q() { myq "$1" "$2"; }
    msgs_q="SELECT CONCAT(id, '|', coalesce(user_id, 'N'), '|', coalesce(reply_to, 'N')) FROM messages ORDER BY id"
    links_q="SELECT CONCAT(message_id, '|', file_id) FROM message_files ORDER BY message_id, file_id"
    ;;
*) fail "unknown engine $ENGINE" ;;
esac
mkdb "$DB"
URL=$(url "$DB")
empty() {
    [ "$(q "$DB" "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM files) +
        (SELECT count(*) FROM messages) + (SELECT count(*) FROM message_files)")" = 0 ] ||
        fail "$1: rows were written"
}

# 1. The default: refused, nothing written; one line per foreign key names the key, the count
#    (that key's own orphans) and the first keys, and says what to do.
expect 7 "$DBRESTORE" --data-only --verify -i "$WORK/a.dbd" "$URL"
empty "default refusal"
[ "$(wc -l <"$WORK/err")" = 4 ] || fail "not one line per foreign key: $(cat "$WORK/err")"
while read -r fk n; do
    grep -q "^dbrestore: foreign key \"$fk\" ([a-z_.]* -> [a-z_.]*): $n rows\? of \"[a-z_]*\" references\? a parent row that is in neither the archive nor the target (first: .*); nothing was written. --orphans=skip leaves such rows out, --orphans=null sets the reference to NULL (one key: --orphans $fk=skip; --plan lists them)$" "$WORK/err" ||
        fail "refusal for $fk ($n rows): $(cat "$WORK/err")"
done <"$WORK/direct"
grep -q 'message_files_message_id_fkey.*(first: message_id=999, file_id=[0-9a-f-]* -> (999))' "$WORK/err" ||
    fail "first keys: $(grep message_id_fkey "$WORK/err")"
# --plan finds the same, with the same counts, and writes nothing
expect 7 "$DBRESTORE" --data-only --plan -i "$WORK/a.dbd" "$URL"
grep -q "nothing was written. --orphans=skip" "$WORK/err" || fail "plan: $(cat "$WORK/err")"
while read -r fk n; do
    grep -q "^dbrestore: foreign key \"$fk\" .*: $n rows\? of " "$WORK/err" ||
        grep -q "^orphans: foreign key \"$fk\" .*: $n rows\? refused (first: " "$WORK/out" ||
        fail "plan: $fk ($n rows): $(cat "$WORK/out" "$WORK/err")"
done <"$WORK/direct"
empty "plan"

# 2. Bad use: an unknown key, a NOT NULL reference set to NULL.
expect 2 "$DBRESTORE" --data-only --orphans no_such_fk=skip -i "$WORK/a.dbd" "$URL"
grep -q "no foreign key of the loaded tables has that name or TABLE.COLUMN; they are: .*message_files_file_id_fkey (message_files.file_id)" "$WORK/err" ||
    fail "unknown key: $(cat "$WORK/err")"
expect 2 "$DBRESTORE" --data-only --orphans=null -i "$WORK/a.dbd" "$URL"
grep -q 'is NOT NULL in the target; --orphans .*=skip leaves such rows out instead' "$WORK/err" ||
    fail "null on NOT NULL: $(cat "$WORK/err")"
expect 2 "$DBRESTORE" --data-only --orphans=maybe -i "$WORK/a.dbd" "$URL"
empty "bad use"

# 3. --plan with skip names exactly the rows the load then names, and writes nothing.
expect 0 "$DBRESTORE" --data-only --plan --orphans=skip --orphans-report "$WORK/plan.tsv" \
    -i "$WORK/a.dbd" "$URL"
grep '^orphan: ' "$WORK/out" >"$WORK/plan_lines" || fail "plan names no orphan: $(cat "$WORK/out")"
empty "plan with skip"
read -r nmsg nlink <"$WORK/skip_counts"
grep -q "^orphans: $((nmsg + nlink)) rows left out, 0 rows with references set to NULL; listed in $WORK/plan.tsv$" "$WORK/out" ||
    fail "plan summary: $(grep '^orphans' "$WORK/out")"

# 4. --orphans=skip, with --verify: the load names the same rows; the target holds exactly
#    the rows the fixpoint keeps.
expect 0 "$DBRESTORE" --data-only --verify --orphans=skip --orphans-report "$WORK/load.tsv" \
    -i "$WORK/a.dbd" "$URL"
grep '^orphan: ' "$WORK/err" >"$WORK/load_lines" || true
cmp -s "$WORK/plan_lines" "$WORK/load_lines" ||
    { diff "$WORK/plan_lines" "$WORK/load_lines" | head >&2; fail "plan and load name other rows"; }
[ "$(wc -l <"$WORK/load_lines")" -ge "$((nmsg + nlink))" ] || fail "fewer orphan lines than rows"
nrest=$(( $(sqlite3 "$WORK/src.db" "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM files) +
    (SELECT count(*) FROM messages) + (SELECT count(*) FROM message_files)") - nmsg - nlink ))
grep -q "^Rows restored: $nrest " "$WORK/out" && ! grep -q MISMATCH "$WORK/out" ||
    fail "verify: $(cat "$WORK/out")"
grep -q "^dbrestore: restored .*: 4 tables, $nrest rows ($((nmsg + nlink)) orphan rows left out)" "$WORK/err" ||
    fail "restored line: $(grep restored "$WORK/err")"
tail -n +2 "$WORK/load.tsv" | sort >"$WORK/load_report"
cmp -s "$WORK/skip_report" "$WORK/load_report" ||
    { diff "$WORK/skip_report" "$WORK/load_report" | head >&2; fail "--orphans-report rows"; }
cmp -s "$WORK/plan.tsv" "$WORK/load.tsv" || fail "plan and load reports differ"
q "$DB" "SELECT id FROM messages ORDER BY id" >"$WORK/got"
cmp -s "$WORK/skip_messages" "$WORK/got" ||
    { diff "$WORK/skip_messages" "$WORK/got" | head >&2; fail "skip: messages"; }
q "$DB" "$links_q" >"$WORK/got"
cmp -s "$WORK/skip_links" "$WORK/got" || { diff "$WORK/skip_links" "$WORK/got" | head >&2; fail "skip: links"; }
[ "$(q "$DB" "SELECT count(*) FROM users")" = 38 ] && [ "$(q "$DB" "SELECT count(*) FROM files")" = 27 ] ||
    fail "skip: parents"

# 5. --orphans=null with the NOT NULL references skipped (one by TABLE.COLUMN, one by its
#    constraint name), through a pipe (the archive is kept in a file for the second reading).
"$DBDUMP" -q "$WORK/src.db" | expect 0 "$DBRESTORE" --data-only --truncate --verify \
    --orphans=null --orphans message_files.file_id=skip \
    --orphans message_files_message_id_fkey=skip "$URL"
read -r nskip nrows nlines <"$WORK/null_counts"
grep -q "^orphans: $nskip rows\? left out, $nrows rows\? with references set to NULL$" "$WORK/err" ||
    fail "null summary (want $nskip, $nrows): $(grep '^orphans' "$WORK/err")"
[ "$(grep -c "reference set to NULL$" "$WORK/err")" = "$nlines" ] ||
    fail "null: $nlines lines wanted: $(grep -c "reference set to NULL$" "$WORK/err")"
q "$DB" "$msgs_q" >"$WORK/got"
cmp -s "$WORK/null_messages" "$WORK/got" ||
    { diff "$WORK/null_messages" "$WORK/got" | head >&2; fail "null: messages"; }
q "$DB" "$links_q" >"$WORK/got"
cmp -s "$WORK/null_links" "$WORK/got" || { diff "$WORK/null_links" "$WORK/got" | head >&2; fail "null: links"; }

# 6. Rows the target keeps count as parents: user 7 exists in the target, the archive's rows
#    merge into it (--on-conflict=skip); the messages of user 7 are no longer orphans.
mkdb "${DB}_k"
q "${DB}_k" "INSERT INTO users VALUES (7, 'kept by the target')"
expect 0 "$DBRESTORE" --data-only --on-conflict=skip --verify --orphans=skip -i "$WORK/a.dbd" \
    "$(url "${DB}_k")"
! grep -q "parent (7) missing" "$WORK/err" || fail "user 7 of the target not seen: $(cat "$WORK/err")"
grep -q "parent (13) missing: left out" "$WORK/err" || fail "user 13: $(cat "$WORK/err")"
[ "$(q "${DB}_k" "SELECT count(*) FROM messages WHERE user_id = 7")" = 5 ] ||
    fail "messages of the target's user 7: $(q "${DB}_k" "SELECT count(*) FROM messages WHERE user_id = 7")"

# 7. --on-conflict into a table without a primary key: refused naming it, without the
#    --skip-missing hint that has nothing to do with it.
sqlite3 -bail "$WORK/nokey.db" "CREATE TABLE notes (id INTEGER, body TEXT);
    INSERT INTO notes VALUES (1, 'n')"
expect 0 "$DBDUMP" -q -o "$WORK/nokey.dbd" "$WORK/nokey.db"
q "$DB" "CREATE TABLE notes (id int, body text)"
expect 7 "$DBRESTORE" --data-only --on-conflict=skip -i "$WORK/nokey.dbd" "$URL"
grep -q '^dbrestore: target table "notes" has no primary key: --on-conflict needs one to match rows$' "$WORK/err" &&
    tail -n 1 "$WORK/err" | grep -q "problem with the target's tables (listed above); nothing was written$" ||
    fail "no primary key: $(cat "$WORK/err")"

# 8. A server's message longer than 1 KiB arrives whole.
if [ "$ENGINE" = postgresql ]; then
    c63=a_constraint_name_that_is_long_enough_to_reach_sixty_three_cha
    key=$(printf 'k%.0s' $(seq 1500))
    sqlite3 -bail "$WORK/dup.db" "CREATE TABLE codes (code TEXT);
        INSERT INTO codes VALUES ('$key'), ('$key')"
    expect 0 "$DBDUMP" -q -o "$WORK/dup.dbd" "$WORK/dup.db"
    pg_newdb "${DB}_d"
    pg_db "${DB}_d" -c "CREATE TABLE codes (code text CONSTRAINT $c63 UNIQUE)"
    expect 7 "$DBRESTORE" --data-only -i "$WORK/dup.dbd" "$(pg_url "${DB}_d")"
    [ "$(wc -c <"$WORK/err")" -gt 1600 ] || fail "long message cut: $(wc -c <"$WORK/err") bytes"
    grep -q "duplicate key value violates unique constraint \"$c63\" DETAIL: *Key (code)=($key) already exists" "$WORK/err" ||
        fail "long message: $(head -c 300 "$WORK/err")"
    ! grep -q "message cut" "$WORK/err" || fail "long message marked as cut"
fi
echo ok
