/* fuzz-sources: src/formats/deckfile.c src/formats/deckfile-anki.c src/formats/deckfile-md.c src/formats/deckfile-note.c src/base/html.c src/model/tags.c src/model/cloze.c src/base/utf8.c src/base/termsafe.c src/base/entity.c src/base/entity-table.c src/base/err.c src/base/xmalloc.c src/base/nfc.c src/render/render.c src/render/render-runs.c src/render/render-prep.c src/render/mediaref.c src/render/render-math.c src/render/render-latex.c src/render/render-width.c src/render/render-tables.c src/render/render-width-tab.c */
/* fuzz-libs: -lunistring */
/*
 * fuzz_markdown.c - libFuzzer target: any bytes as the Markdown drill-card
 * form (prose, "deck = NAME", | Front | Back | tables with escaped and bare
 * pipes), and each cell through the HTML and cloze helpers.
 *
 * The input is parsed whole, then again fed in two pieces split where the
 * first byte says, then (when short) one byte at a time: all three must
 * give the same notes or the same error. Every note must hold what the
 * importer relies on: at least two fields, valid UTF-8 everywhere, no
 * U+001F inside a field, tags as "a b" (single spaces, no ends), a deck
 * name without empty parts. A broken promise aborts.
 *
 * Build with -DFUZZ_MAIN (any compiler) for a main() that runs the files
 * named on the command line once each, or replays the seed corpus as a TAP
 * test (make check).
 */
#define FUZZ_MARKDOWN 1
#include "fuzz_deckfile.c"
