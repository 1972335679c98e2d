/*
 * ankicol-sample.h - a small Anki collection as neutral structs (a custom
 * note type with five fields and two templates, a cloze type, nested and
 * filtered decks, an FSRS preset, notes, cards with and without memory
 * states, a review log), for test_ankicol and test_apkg: written with
 * ankicol's writer, read back, compared row by row.
 */
#ifndef LEMMA_ANKICOL_SAMPLE_H
#define LEMMA_ANKICOL_SAMPLE_H

#include <stddef.h>

#include "lemma/store/ankicol.h"

#define SAMPLE_NOW	1735722000	/* 2025-01-01T09:00:00Z */

extern const struct notetype sample_notetypes[];
extern const size_t sample_nnotetypes;
extern const struct anki_deck sample_decks[];
extern const size_t sample_ndecks;
extern const struct anki_deckconf sample_deckconfs[];
extern const size_t sample_ndeckconfs;
extern const struct anki_note sample_notes[];
extern const size_t sample_nnotes;
extern const struct anki_card sample_cards[];
extern const size_t sample_ncards;
extern const struct anki_revlog sample_revlog[];
extern const size_t sample_nrevlog;

/* Write the sample to a new file at path with schema 18 or 11; 0 or -1. */
int	sample_write(const char *path, int schema, struct err *e);

/* Read the collection at path and check every row against the sample
 * (cmocka asserts); the notes' count and the decks' are the sample's
 * (the writer adds no deck when deck 1 is in the sample). */
void	sample_check(const char *path, const char *label);
void	sample_check_open(struct ankicol *c);

#endif
