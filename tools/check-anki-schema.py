#!/usr/bin/env python3
"""check-anki-schema.py - compare the schema of a package lemma wrote with
the one Anki's own SQL makes (a developer's check, not run by make check:
it needs a checkout of Anki's source, which lemma does not ship).

  tools/check-anki-schema.py ANKI/rslib/src/storage PACKAGE.apkg

Builds Anki's schema 18 in memory from schema11.sql and the upgrade files
(14, 15, 17, 18) exactly as Anki's upgrade_to_latest_schema runs them,
takes the package's collection.anki21b (zstd, through the `zstd`
program), and compares every table and index of sqlite_master (whitespace
and case aside) and every table's columns. Prints the differences; exit
status 1 when there are any.
"""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile


def unicase(a, b):
    return (a.casefold() > b.casefold()) - (a.casefold() < b.casefold())


def norm(sql):
    sql = re.sub(r"\s+", " ", sql or "")
    return sql.replace("( ", "(").replace(" )", ")").strip().lower()


def objects(db):
    return {(t, n): norm(s) for t, n, s in db.execute(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    storage, package = sys.argv[1:]
    anki = sqlite3.connect(":memory:")
    anki.create_collation("unicase", unicase)
    for f in ["schema11.sql", "upgrades/schema14_upgrade.sql",
              "upgrades/schema15_upgrade.sql", "upgrades/schema17_upgrade.sql",
              "upgrades/schema18_upgrade.sql"]:
        with open(os.path.join(storage, f)) as sql:
            anki.executescript(sql.read())
    tmp = tempfile.mkdtemp()
    zst, col = os.path.join(tmp, "col.zst"), os.path.join(tmp, "col.db")
    with zipfile.ZipFile(package) as z, open(zst, "wb") as out:
        out.write(z.read("collection.anki21b"))
    subprocess.run(["zstd", "-q", "-d", "-f", zst, "-o", col], check=True)
    ours = sqlite3.connect(col)
    ours.create_collation("unicase", unicase)
    a, b = objects(anki), objects(ours)
    bad = 0
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            print("differs:", key, "\n  anki:", a.get(key), "\n  lemma:", b.get(key))
            bad = 1
    for (kind, name) in a:
        if kind == "table":
            ca = [r[1:3] for r in anki.execute(f"PRAGMA table_info({name})")]
            cb = [r[1:3] for r in ours.execute(f"PRAGMA table_info({name})")]
            if ca != cb:
                print("columns differ:", name, ca, cb)
                bad = 1
    print(f"{len(a)} objects in Anki's schema, {len(b)} in the package; "
          f"integrity_check: {ours.execute('PRAGMA integrity_check').fetchone()[0]}")
    ours.close()
    for f in (zst, col):
        os.unlink(f)
    os.rmdir(tmp)
    sys.exit(bad)


main()
