/*
 * apkg-export.h - the progress file out as an Anki package: .apkg (a deck
 * or the whole collection, with or without scheduling) and .colpkg (the
 * whole collection).
 *
 * What goes in is Anki's own exporter's choice (rslib/src/import_export/
 * gather.rs, package/apkg/export.rs): the notes of the deck and its
 * sub-decks (or all), every card of those notes, the decks they are in and
 * their parents, the note types of the notes (the five built-in ones as
 * Anki's stock types, under their Anki names and templates) and the media
 * files the notes' fields name. With scheduling: the cards as lemma has
 * them (anki-sched.h turns lemma's columns into Anki's), the review log,
 * the decks' presets with every option. Without (Anki's "include
 * scheduling information" off): every card new, at its position, flags
 * cleared, the marked and leech tags dropped, no review log, no presets
 * (every deck on Anki's Default), and no Default deck, so the importer's
 * own stays as it is. Ids are db-export.h's.
 *
 * Whole or not at all: the collection is built in a private temporary
 * file and the package renamed into place at the end (apkg.h); a failure
 * or a cancel leaves no file at the path and the progress file is never
 * written. Streamed: notes, cards and the review log go from one SQLite
 * file to the other a row at a time.
 */
#ifndef LEMMA_FORMATS_APKG_EXPORT_H
#define LEMMA_FORMATS_APKG_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/base/progress.h"
#include "lemma/store/db.h"

struct apkg_export_opts {
	const char	*deck;		/* NULL: the whole collection */
	int		 colpkg;	/* a .colpkg: whole, with scheduling */
	int		 no_scheduling;
	int		 no_media;
	int		 legacy;	/* collection.anki21 (schema 11) */
	int		 force;		/* replace an existing file */
	const char	*media_dir;	/* where the media files are */
	/* A media file a note names that is not in media_dir: told here
	 * (may be NULL), and left out. */
	void		(*warn)(void *arg, const char *msg);
	void		*warn_arg;
};

struct apkg_export_summary {
	int64_t	notetypes, decks, presets, notes, cards, revlog;
	int64_t	media, media_missing;
};

/*
 * Write the package at path. Returns 0 with *sum filled (may be NULL), or
 * -1 with e (an unknown deck, --deck with colpkg, a file that exists
 * without force, a write error, a cancel through p) and no file at path.
 */
int	apkg_export(struct db *db, const struct apkg_export_opts *o,
	    const char *path, time_t now, struct progress *p,
	    struct apkg_export_summary *sum, struct err *e);

#endif
