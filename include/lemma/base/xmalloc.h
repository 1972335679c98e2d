/*
 * xmalloc.h - allocation that cannot fail, and fatal().
 *
 * Out of memory is not an error a caller can handle, so these die. fatal()
 * first runs the cleanup hook the UI registered (endwin), so the core never
 * needs to include curses to leave the terminal usable.
 */
#ifndef LEMMA_XMALLOC_H
#define LEMMA_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Growable arrays: the one growth rule. VEC_RESERVE makes room in array p
 * of capacity cap for need elements: when cap is short, cap becomes first
 * (for an empty array) doubled until it holds need, so n pushes cost O(n)
 * copies. vec_cap_for is that rule alone, for arrays grown in pairs or
 * with a buffer on the stack. A capacity past SIZE_MAX dies, as
 * xreallocarray does.
 *
 *	VEC_RESERVE(v, cap, n + 1, 16);
 *	v[n++] = x;
 */
size_t	 vec_cap_for(size_t cap, size_t need, size_t first);
#define VEC_RESERVE(p, cap, need, first) do {				\
	if ((size_t)(need) > (size_t)(cap)) {				\
		(cap) = vec_cap_for((size_t)(cap), (need), (first));	\
		(p) = xreallocarray((p), (size_t)(cap), sizeof *(p));	\
	}								\
} while (0)

/* Run the cleanup hook, print "lemma: msg" to stderr and exit(1). */
void	 fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatal_set_cleanup(void (*cleanup)(void));

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *b);
void	buf_free(struct buf *b);
void	buf_reset(struct buf *b);		/* len = 0, keeps memory */
void	buf_add(struct buf *b, const char *s, size_t n);
void	buf_adds(struct buf *b, const char *s);
void	buf_addc(struct buf *b, char c);
void	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_steal(struct buf *b);		/* caller frees; b is reset */

#endif
