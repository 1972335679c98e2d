#!/usr/bin/env python3
"""make-fixtures.py - small Anki packages made without lemma's code, as
Anki's source (rslib/src/import_export/package/, rslib/src/storage/) says
they are: Python's zipfile and sqlite3, the `zstd` program (Debian's
zstd package), and a protobuf encoder of a few lines here. They check
lemma's reader against an independent writer (test_package_info.sh).

  anki21b-vocab.apkg  current format: meta (version 3), a zstd schema 18
                      collection with a five-field, two-template note type
                      (one template types the answer), a nested deck, an
                      FSRS preset, cards with memory states, a review log;
                      the stub collection.anki2; a zstd protobuf media map
                      and one zstd media file
  anki2-legacy.apkg   Anki 2.0's format: no meta, collection.anki2 (schema
                      11, JSON in col), a JSON media map, one media file
  hostile.apkg        legacy, with terminal escapes in a note type's name
                      and a field name (package info must not emit them)

Run from anywhere: python3 tests/data/apkg/make-fixtures.py [OUTDIR]
(default: this folder). Output is deterministic, except for zstd's
version; the committed files are what this made.
"""
import hashlib
import json
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zipfile

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
NOW = 1735722000          # 2025-01-01T09:00:00Z
DATE = (2025, 1, 1, 9, 0, 0)


# ---- protobuf wire format ---------------------------------------------------
def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def f_varint(num, v):
    return varint(num << 3) + varint(v) if v else b""


def f_bytes(num, b):
    return varint(num << 3 | 2) + varint(len(b)) + b


def f_str(num, s):
    return f_bytes(num, s.encode()) if s else b""


def f_float(num, x):
    return varint(num << 3 | 5) + struct.pack("<f", x) if x else b""


def f_floats(num, xs):
    return f_bytes(num, b"".join(struct.pack("<f", x) for x in xs)) if xs else b""


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-3"], input=data,
                          stdout=subprocess.PIPE, check=True).stdout


# ---- collections ----------------------------------------------------------------
SCHEMA11 = """
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
 scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
 ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
 dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
 mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
 sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
 ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
 queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
 reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
 odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
 ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
 factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""
GRAVES11 = "CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);"
SCHEMA18 = """
CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
 mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL,
 mtime_secs integer NOT NULL, val blob NOT NULL) without rowid;
CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL,
 collapsed boolean NOT NULL, config blob NULL) without rowid;
CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
 config blob NOT NULL, PRIMARY KEY (ntid, ord)) without rowid;
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
 mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL,
 PRIMARY KEY (ntid, ord)) without rowid;
CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);
CREATE INDEX idx_templates_usn ON templates (usn);
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE unicase,
 mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE INDEX idx_notetypes_usn ON notetypes (usn);
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
 mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
CREATE INDEX idx_notes_mid ON notes (mid);
CREATE INDEX idx_cards_odid ON cards (odid) WHERE odid != 0;
CREATE TABLE graves (oid integer NOT NULL, type integer NOT NULL, usn integer NOT NULL,
 PRIMARY KEY (oid, type)) WITHOUT ROWID;
CREATE INDEX idx_graves_pending ON graves (usn);
"""


def new_db(path):
    db = sqlite3.connect(path)
    db.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
    db.execute("PRAGMA page_size = 1024")
    db.execute("PRAGMA journal_mode = delete")
    return db


def csum(field):
    return int(hashlib.sha1(field.encode()).hexdigest()[:8], 16)


def add_note(db, nid, guid, mid, fields, tags=""):
    db.execute("INSERT INTO notes VALUES (?,?,?,?,-1,?,?,?,?,0,'')",
               (nid, guid, mid, NOW - 100, tags, "\x1f".join(fields), fields[0], csum(fields[0])))


def add_card(db, cid, nid, did, ord_, type_, queue, due, ivl=0, factor=0, reps=0, lapses=0, data=""):
    db.execute("INSERT INTO cards VALUES (?,?,?,?,?,-1,?,?,?,?,?,?,?,0,0,0,0,?)",
               (cid, nid, did, ord_, NOW - 50, type_, queue, due, ivl, factor, reps, lapses, data))


def schema11_models(ntid, name, fields, templates, kind=0):
    return {str(ntid): {
        "id": ntid, "name": name, "type": kind, "mod": NOW, "usn": -1, "sortf": 0, "did": None,
        "tmpls": [{"name": t[0], "ord": i, "qfmt": t[1], "afmt": t[2], "bqfmt": "", "bafmt": "",
                   "did": None, "bfont": "", "bsize": 0} for i, t in enumerate(templates)],
        "flds": [{"name": f, "ord": i, "sticky": False, "rtl": False, "font": "Arial",
                  "size": 20, "media": []} for i, f in enumerate(fields)],
        "css": "", "latexPre": "", "latexPost": "", "latexsvg": False,
        "req": [[i, "any", [0]] for i in range(len(templates))], "tags": [], "vers": []}}


SCHEMA11_DECKS = {"1": {"id": 1, "name": "Default", "mod": NOW, "usn": -1,
                        "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0],
                        "timeToday": [0, 0], "collapsed": False, "browserCollapsed": False,
                        "desc": "", "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0}}
SCHEMA11_DCONF = {"1": {"id": 1, "name": "Default", "mod": NOW, "usn": -1, "maxTaken": 60,
                        "autoplay": True, "timer": 0, "replayq": True, "dyn": False,
                        "new": {"bury": False, "delays": [1.0, 10.0], "initialFactor": 2500,
                                "ints": [1, 4, 0], "order": 1, "perDay": 20},
                        "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500,
                                "perDay": 200, "hardFactor": 1.2},
                        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8,
                                  "minInt": 1, "mult": 0.0}}}
CONF11 = {"activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
          "timeLim": 0, "estTimes": True, "dueCounts": True, "curModel": None, "nextPos": 1,
          "sortType": "noteFld", "sortBackwards": False, "addToCur": True,
          "dayLearnFirst": False, "schedVer": 2, "creationOffset": 0, "sched2021": True}


def schema11_collection(path, models, notes, cards, revlog=()):
    db = new_db(path)
    db.executescript(SCHEMA11 + GRAVES11)
    db.execute("INSERT INTO col VALUES (1,?,?,?,11,0,0,0,?,?,?,?,'{}')",
               (NOW - 5 * 3600, NOW * 1000, NOW * 1000, json.dumps(CONF11),
                json.dumps(models), json.dumps(SCHEMA11_DECKS), json.dumps(SCHEMA11_DCONF)))
    for n in notes:
        add_note(db, *n)
    for c in cards:
        add_card(db, *c)
    for r in revlog:
        db.execute("INSERT INTO revlog VALUES (?,?,-1,?,?,?,?,?,?)", r)
    db.commit()
    db.close()


def stub_collection(path):
    nt = 1735722000000
    schema11_collection(path, schema11_models(nt, "Basic", ["Front", "Back"],
                        [("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}")]),
                        [(nt, "stubguid", nt, ["Please update to the latest Anki version, then "
                                               "import the .colpkg/.apkg file again.", ""])],
                        [(nt, nt, 1, 0, 0, 0, 1)])


def vocab18(path):
    db = new_db(path)
    db.executescript(SCHEMA11 + SCHEMA18)
    db.execute("INSERT INTO col VALUES (1,?,?,?,18,0,0,0,'','','','','')",
               (NOW - 5 * 3600, NOW * 1000, NOW * 1000))
    for k, v in CONF11.items():
        db.execute("INSERT INTO config VALUES (?,0,0,?)", (k, json.dumps(v).encode()))
    ntid = 1700000000100
    # Notetype.Config: kind 1, sort_field_idx 2, css 3
    db.execute("INSERT INTO notetypes VALUES (?,?,?,-1,?)",
               (ntid, "Vocab", NOW, f_str(3, ".card { color: black; }")))
    for i, name in enumerate(["Word", "Meaning", "Example", "Gender", "Audio"]):
        db.execute("INSERT INTO fields VALUES (?,?,?,?)",
                   (ntid, i, name, f_str(3, "Arial") + f_varint(4, 20)))
    for i, (name, q, a) in enumerate([
            ("Recognise", "{{Word}}<br>{{Gender}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"),
            ("Type it", "{{Meaning}}<br>{{type:Word}}", "{{FrontSide}}<hr id=answer>{{Audio}}")]):
        db.execute("INSERT INTO templates VALUES (?,?,?,?,-1,?)",
                   (ntid, i, name, NOW, f_str(1, q) + f_str(2, a)))
    # decks: KindContainer { normal = 1 { config_id = 1 } }
    db.execute("INSERT INTO decks VALUES (1,'Default',?,-1,x'',?)", (NOW, f_bytes(1, f_varint(1, 1))))
    db.execute("INSERT INTO decks VALUES (?,?,?,-1,x'',?)",
               (1700000000300, "French\x1fWords", NOW,
                f_bytes(1, f_varint(1, 1700000000400) + f_str(4, "Nouns"))))
    params = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
              0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
              0.1542]
    for cid, name, extra in [(1, "Default", b""),
                             (1700000000400, "French", f_floats(6, params) + f_float(37, 0.85))]:
        cfg = (f_floats(1, [1.0, 10.0]) + f_floats(2, [10.0]) + f_varint(9, 20) + f_varint(10, 200)
               + f_float(11, 2.5) + f_varint(16, 36500) + f_varint(21, 1) + f_varint(22, 8) + extra)
        db.execute("INSERT INTO deck_config VALUES (?,?,?,-1,?)", (cid, name, NOW, cfg))
    add_note(db, 1700000001000, "vocab-chat", ntid,
             ["chat", "cat", "Le chat dort.", "m", "[sound:chat.mp3]"], " french ")
    add_note(db, 1700000002000, "vocab-maison", ntid, ["maison", "house", "", "f", ""], "")
    add_card(db, 1700000001001, 1700000001000, 1700000000300, 0, 2, 2, 20100, 12, 2500, 4, 1,
             '{"s":12.5,"d":5.25,"dr":0.85,"lrt":1735000000}')
    add_card(db, 1700000001002, 1700000001000, 1700000000300, 1, 1, 1, 1735725600, 0, 2500, 1, 0,
             '{"s":0.5,"d":7.0}')
    add_card(db, 1700000002001, 1700000002000, 1700000000300, 0, 0, 0, 2)
    add_card(db, 1700000002002, 1700000002000, 1700000000300, 1, 0, -1, 3)
    for r in [(1734000000000, 1700000001001, 3, -600, 0, 2500, 8000, 0),
              (1734086400000, 1700000001001, 1, -600, 1, 2300, 12000, 1),
              (1735000000000, 1700000001001, 3, 12, 1, 2300, 4000, 2)]:
        db.execute("INSERT INTO revlog VALUES (?,?,-1,?,?,?,?,?,?)", r)
    db.execute("INSERT INTO tags VALUES ('french', -1, 0, NULL)")
    db.commit()
    db.close()


def write_zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data, deflate in members:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            z.writestr(info, data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    tmp = tempfile.mkdtemp()
    audio = b"ID3\x03\x00 not really audio"

    col = os.path.join(tmp, "vocab.anki21b")
    stub = os.path.join(tmp, "stub.anki2")
    vocab18(col)
    stub_collection(stub)
    entry = f_str(1, "chat.mp3") + f_varint(2, len(audio)) + f_bytes(3, hashlib.sha1(audio).digest())
    write_zip(os.path.join(OUT, "anki21b-vocab.apkg"), [
        ("meta", f_varint(1, 3), False),
        ("collection.anki21b", zstd(read(col)), False),
        ("collection.anki2", read(stub), False),
        ("0", zstd(audio), False),
        ("media", zstd(f_bytes(1, entry)), False)])

    legacy = os.path.join(tmp, "legacy.anki2")
    ntid = 1342697561419
    schema11_collection(legacy, schema11_models(ntid, "Basic", ["Front", "Back"],
                        [("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}")]),
                        [(1342697561420, "leg-1", ntid, ["sun", "<img src=\"sun.png\">"]),
                         (1342697561421, "leg-2", ntid, ["moon", "Mond"])],
                        [(1342697561430, 1342697561420, 1, 0, 2, 2, 10, 5, 2500, 3),
                         (1342697561431, 1342697561421, 1, 0, 0, 0, 2)],
                        [(1342697600000, 1342697561430, 3, 5, 1, 2500, 3000, 1)])
    write_zip(os.path.join(OUT, "anki2-legacy.apkg"), [
        ("collection.anki2", read(legacy), True),
        ("0", b"\x89PNG\r\n\x1a\n fake", False),
        ("media", json.dumps({"0": "sun.png"}).encode(), False)])

    hostile = os.path.join(tmp, "hostile.anki2")
    schema11_collection(hostile, schema11_models(5, "Evil\x1b]0;pwned\x07\x1b[2J type",
                        ["Front\x1b[31m", "Back\u202e"],
                        [("Card 1", "{{Front\x1b[31m}}", "{{Back\u202e}}")]),
                        [(6, "h-1", 5, ["a", "b"])], [(7, 6, 1, 0, 0, 0, 1)])
    write_zip(os.path.join(OUT, "hostile.apkg"), [
        ("collection.anki21", read(hostile), True),
        ("media", b"{}", False)])
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)


main()
