/*
 * nocombine-tab.h - private to nocombine.c: the generated table
 * (nocombine-tab.c, tools/gen-nocombine.py), sorted by code point.
 */
#ifndef LEMMA_NOCOMBINE_TAB_H
#define LEMMA_NOCOMBINE_TAB_H

#include <stddef.h>
#include <stdint.h>

struct nocombine_entry {
	uint32_t	cp;
	uint16_t	off;	/* into nocombine_pool */
	uint8_t		len;	/* 0: a mark, dropped */
};

extern const uint32_t nocombine_pool[];
extern const struct nocombine_entry nocombine_tab[];
extern const size_t nocombine_count;

#endif
