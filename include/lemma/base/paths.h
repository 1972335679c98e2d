/*
 * paths.h - where lemma keeps its files.
 *
 * XDG base directories: the progress file under $XDG_DATA_HOME/lemma (else
 * ~/.local/share/lemma), configuration and user themes under
 * $XDG_CONFIG_HOME/lemma (else ~/.config/lemma). Reads the environment;
 * never the clock.
 */
#ifndef LEMMA_PATHS_H
#define LEMMA_PATHS_H

#include <stddef.h>
#include <sys/types.h>

#include "lemma/base/err.h"

/* The default progress file: $LEMMA_DB, else the XDG data path. Returns 0,
 * or -1 when neither $XDG_DATA_HOME nor $HOME is set. */
int	paths_default_db(char *out, size_t len, struct err *e);

/* The media folder (images and sounds of imported Anki packages):
 * $XDG_DATA_HOME/lemma/media (or ~/.local/share/lemma/media), without
 * creating it. */
int	paths_media_dir(char *out, size_t len, struct err *e);

/* $XDG_CONFIG_HOME/lemma (or ~/.config/lemma), without creating it. */
int	paths_config_dir(char *out, size_t len, struct err *e);

/* Create every missing directory above path (not path itself) with mode. */
int	paths_mkdir_parents(const char *path, mode_t mode, struct err *e);

/* The directory that holds installed data (themes/, decks/): $LEMMA_DATADIR
 * when set and not empty, else $(pkgdatadir) as configured. */
const char *paths_data_dir(void);

/* Where temporary files go: $TMPDIR when it is an absolute path, else the
 * system's (P_tmpdir). Reads the environment each call. */
const char *paths_tmpdir(void);

#endif
