/*
 * apkg-int.h - what the package reader and writer share (apkg.c,
 * apkg-write.c): private to formats.
 */
#ifndef LEMMA_APKG_INT_H
#define LEMMA_APKG_INT_H

#include <zip.h>

/* The text of a libzip error code. */
const char	*apkg_zip_strerror(int code);

/* The text of the stub collection's one note (Anki's
 * exporting-colpkg-too-new string), as Anki writes it. */
extern const char apkg_stub_text[];

#endif
