/*
 * mediaref.h - the media files a card's HTML names, as Anki finds them
 * (rslib text.rs, extract_media_refs): the src of an <img> tag and Anki's
 * [sound:name]. The renderer shows them as "[image: name]" and "[sound:
 * name]"; the study view lists them with their paths. Names in src are
 * HTML (entities decoded); a remote reference (http:, https:, ftp:,
 * data:) is no file and is left out, as Anki leaves it out.
 *
 * Pure: no I/O (whether a file exists is the caller's question).
 */
#ifndef LEMMA_RENDER_MEDIAREF_H
#define LEMMA_RENDER_MEDIAREF_H

#include <stddef.h>

enum mediaref_kind {
	MEDIAREF_IMAGE,
	MEDIAREF_SOUND,
};

/* The src="..." value of an <img> tag's attributes a[0..n) (after the
 * tag name, up to its '>'): sets *v, *vn to it as written. 1 when there
 * is one, else 0. */
int	mediaref_img_src(const char *a, size_t n, const char **v, size_t *vn);

/* The length of Anki's "[sound:name]" at s[0..n), 0 when s does not start
 * one; *name, *namelen: the name inside. */
size_t	mediaref_sound(const char *s, size_t n, const char **name,
	    size_t *namelen);

/* Every media file html[0..len) names, in order, each once (name is
 * NUL-terminated, entities decoded, valid during the call only). */
void	mediaref_each(const char *html, size_t len,
	    void (*fn)(void *arg, enum mediaref_kind kind, const char *name),
	    void *arg);

#endif
