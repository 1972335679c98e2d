/*
 * lib.h - the base layer: every public header of src/base, in one include.
 *
 * Owns the general tools every layer uses, with no knowledge of cards,
 * decks or files: errors as values (err), allocation that cannot fail,
 * growable buffers and arrays (xmalloc), a hash table of 64-bit keys
 * (hashtab), UTF-8 (utf8), the one case fold and sort key (text), text without accents
 * for "nc:" searches (nocombine), an HTML
 * field as plain text (html) and its character references (entity), JSON
 * output (jsonw), NFC for imported text (nfc, libunistring), the protobuf
 * wire format (pbwire) and SHA-1 (sha1) of Anki's packages, what may
 * reach a terminal (termsafe), how far a long operation is and whether to
 * stop it (progress), time and study
 * days (day), where lemma keeps its files (paths), a file written whole
 * or not at all (safefile), a YAML file as key: value pairs (yamldoc; its
 * document walk for themes is yamldoc-nodes.h, left out here as it brings
 * <yaml.h>).
 *
 * Rules: uses no other layer; no SQLite, no curses, no YAML policy;
 * no global state; never prints or exits (only fatal() on out of memory).
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_BASE_LIB_H
#define LEMMA_BASE_LIB_H

#include "lemma/base/day.h"
#include "lemma/base/entity.h"
#include "lemma/base/err.h"
#include "lemma/base/hashtab.h"
#include "lemma/base/html.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/nfc.h"
#include "lemma/base/nocombine.h"
#include "lemma/base/paths.h"
#include "lemma/base/pbwire.h"
#include "lemma/base/progress.h"
#include "lemma/base/safefile.h"
#include "lemma/base/sha1.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/text.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/base/yamldoc.h"

#endif
