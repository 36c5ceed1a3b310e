#!/usr/bin/env bash
# matrix_corpus.sh DATASET SOURCE DBDUMP DBRESTORE CORPUS WORKDIR
#
# One row of the 3x3 matrix: DATASET (chinook | northwind) is loaded into SOURCE (sqlite |
# postgresql | mysql) from that engine's own script (corpus/load.sh), or DATASET sample (the
# repository's sample application; CORPUS is then its SQLite file), dumped once, and the
# archive is restored into SQLite, PostgreSQL and MySQL with `dbrestore --verify`, which must
# exit 0 with one OK line per table and `Rows restored: N`. Then the test checks on its own,
# with each engine's client: the row count of every table equals the source's, and for every
# table listed below the sorted canonical text of selected columns (ints, hex of text and
# blob bytes, amounts in cents, dates) equals the source's.
set -euo pipefail

SET=$1
SRC=$2
DBDUMP=$3
DBRESTORE=$4
CORPUS=$5
WORK=$6
NAME="matrix_${SET}_$SRC"
PREFIX="dbt_mx_${SET:0:2}_${SRC:0:2}_$$"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

# Checked tables: TABLE;COLUMN:KIND,... in the SQLite/MySQL Chinook and SQLite Northwind
# spelling; the PostgreSQL scripts use snake_case names (map below).
case "$SET" in
chinook)
    checks="Album;AlbumId:int,Title:text,ArtistId:int
Artist;ArtistId:int,Name:text
Customer;CustomerId:int,FirstName:text,LastName:text,Company:text,Email:text,SupportRepId:int
Employee;EmployeeId:int,LastName:text,Title:text,ReportsTo:int,BirthDate:date10,HireDate:date10
Genre;GenreId:int,Name:text
Invoice;InvoiceId:int,CustomerId:int,InvoiceDate:date10,BillingCity:text,BillingCountry:text,Total:cents
InvoiceLine;InvoiceLineId:int,InvoiceId:int,TrackId:int,UnitPrice:cents,Quantity:int
MediaType;MediaTypeId:int,Name:text
Playlist;PlaylistId:int,Name:text
PlaylistTrack;PlaylistId:int,TrackId:int
Track;TrackId:int,Name:text,AlbumId:int,MediaTypeId:int,GenreId:int,Composer:text,Milliseconds:int,Bytes:int,UnitPrice:cents"
    ;;
northwind)
    if [ "$SRC" = sqlite ]; then
        checks="Categories;CategoryID:int,CategoryName:text,Description:text,Picture:blob
Customers;CustomerID:text,CompanyName:text,City:text,Country:text
Employees;EmployeeID:int,LastName:text,BirthDate:date10,ReportsTo:int,Photo:blob
Order Details;OrderID:int,ProductID:int,UnitPrice:cents,Quantity:int
Orders;OrderID:int,CustomerID:text,EmployeeID:int,OrderDate:date10,ShippedDate:date10,Freight:cents,ShipCity:text
Products;ProductID:int,ProductName:text,SupplierID:int,UnitPrice:cents,UnitsInStock:int
Shippers;ShipperID:int,CompanyName:text
Suppliers;SupplierID:int,CompanyName:text,Country:text
Territories;TerritoryID:text,TerritoryDescription:text,RegionID:int"
    else
        checks="categories;category_id:int,category_name:text,description:text,picture:blob
customers;customer_id:text,company_name:text,city:text,country:text
employees;employee_id:int,last_name:text,birth_date:date10,reports_to:int,photo:blob
order_details;order_id:int,product_id:int,unit_price:cents,quantity:int
orders;order_id:int,customer_id:text,employee_id:int,order_date:date10,shipped_date:date10,freight:cents,ship_city:text
products;product_id:int,product_name:text,supplier_id:int,unit_price:cents,units_in_stock:int
shippers;shipper_id:int,company_name:text
suppliers;supplier_id:int,company_name:text,country:text
territories;territory_id:text,territory_description:text,region_id:int
us_states;state_id:int,state_name:text,state_abbr:text"
    fi
    ;;
sample)
    # The repository's sample application (tests/data/sample_app.c; CORPUS is its file):
    # every column of every table (ratings in cents, as the corpora's amounts).
    [ "$SRC" = sqlite ] || fail "the sample is a SQLite file: matrix_sample_sqlite only"
    checks="users;id:int,email:text,display_name:text,password_hash:blob,is_admin:int,created_at:int,last_login_at:text,preferences:text
posts;id:int,author_id:int,slug:text,title:text,body:text,status:text,rating:cents,published_at:text,updated_at:int,comment_count:int
comments;id:int,post_id:int,user_id:int,body:text,created_at:text
tags;id:int,name:text
post_tags;post_id:int,tag_id:int
attachments;id:int,post_id:int,filename:text,mime_type:text,content:blob,size:int
settings;key:text,value:text,secret:blob,updated_at:int"
    ;;
*) fail "unknown dataset $SET" ;;
esac
snake() { sed -e 's/\([a-z]\)\([A-Z]\)/\1_\2/g' | tr 'A-Z' 'a-z'; }
if [ "$SET" = chinook ] && [ "$SRC" = postgresql ]; then
    checks=$(snake <<<"$checks")
fi

# canon ENGINE URL: the canonical text of every checked table, one block per table.
canon() {
    local line table cols sel key c
    while IFS= read -r line; do
        table=${line%%;*}
        cols=${line#*;}
        sel=""
        for c in ${cols//,/ }; do
            sel="$sel${sel:+, }$(expr_for "$1" "${c#*:}" "${c%%:*}")"
        done
        echo "== $table"
        q "$1" "$2" "SELECT $sel FROM $(qi "$1" "$table")" | LC_ALL=C sort ||
            fail "query on $table failed ($1)"
    done <<<"$checks"
}

new_db "$SRC" src
src_url=$NEWURL
if [ "$SET" = sample ]; then
    cp "$CORPUS" "${src_url#sqlite:}" || fail "copying the sample $CORPUS"
else
    "$CORPUS/load.sh" "$SET" "$src_url" >"$WORK/load.log" 2>&1 ||
        { tail -5 "$WORK/load.log" >&2; fail "loading $SET into $SRC failed"; }
fi
"$DBDUMP" -q "$src_url" -o "$WORK/a.dbd" || fail "dbdump of the source failed"
table_counts "$SRC" "$src_url" >"$WORK/src.counts"
canon "$SRC" "$src_url" >"$WORK/src.canon"
ntables=$(wc -l <"$WORK/src.counts")
nfk=$(fk_count "$SRC" "$src_url")
[ "$nfk" -ge 6 ] || fail "source has only $nfk foreign keys"
total=$(awk -F'|' '{ s += $2 } END { print s }' "$WORK/src.counts")
[ "$ntables" -ge 7 ] || fail "source has only $ntables tables"

for tgt in sqlite postgresql mysql; do
    new_db "$tgt" "to_$tgt"
    url=$NEWURL
    run_restore 0 "$WORK/$tgt" --verify -i "$WORK/a.dbd" "$url"
    oks=$(grep -c ' OK$' "$WORK/$tgt.out" || true)
    [ "$oks" = "$ntables" ] || fail "$SRC -> $tgt: $oks tables OK in --verify, expected $ntables: $(cat "$WORK/$tgt.out")"
    ! grep -q MISMATCH "$WORK/$tgt.out" || fail "$SRC -> $tgt: --verify mismatch"
    grep -q "^Rows restored: $total  Elapsed: " "$WORK/$tgt.out" ||
        fail "$SRC -> $tgt: no 'Rows restored: $total' line: $(tail -1 "$WORK/$tgt.out")"
    table_counts "$tgt" "$url" >"$WORK/$tgt.counts"
    diff "$WORK/src.counts" "$WORK/$tgt.counts" >&2 ||
        fail "$SRC -> $tgt: row counts differ (< source, > target)"
    got=$(fk_count "$tgt" "$url")
    [ "$got" = "$nfk" ] || fail "$SRC -> $tgt: $got foreign keys, the source has $nfk"
    canon "$tgt" "$url" >"$WORK/$tgt.canon"
    diff "$WORK/src.canon" "$WORK/$tgt.canon" >"$WORK/$tgt.diff" ||
        fail "$SRC -> $tgt: values differ, see $WORK/$tgt.diff"
    echo "ok $SET $SRC -> $tgt: $ntables tables, $total rows, $nfk foreign keys, $(grep -vc '^==' "$WORK/$tgt.canon") checked rows"
done
