/*
 * fuzz_render.c - libFuzzer target for the renderer.
 *
 * Input: 4 option bytes, then the field. byte 0: width (0: none);
 * byte 1: bit 0 ascii, bit 1 reveal, bits 2-4 RENDER_HTML/NOMATH/ONELINE;
 * byte 2: active cloze. Besides the sanitizers, it checks what the UI
 * trusts (render.h): spans are valid UTF-8 without control characters,
 * ASCII in the ASCII profile, widths add up, lines fit the width.
 * Run: tests/fuzz/run-fuzz.sh render 60
 *
 * fuzz-sources: src/render/render.c src/render/render-runs.c src/render/render-prep.c src/render/mediaref.c src/render/render-math.c src/render/render-latex.c src/render/render-width.c src/render/render-tables.c src/render/render-width-tab.c src/base/utf8.c src/base/termsafe.c src/base/html.c src/base/entity.c src/base/entity-table.c src/base/xmalloc.c
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct render_doc *d, const struct render_opts *o)
{
	size_t i, k, j;

	for (i = 0; i < render_line_count(d); i++) {
		const struct render_line *L = render_doc_line(d, i);
		int w = 0;

		for (k = 0; k < L->nspans; k++) {
			const struct render_span *sp = &L->spans[k];

			if (sp->len == 0 ||
			    utf8_invalid_offset(sp->text, sp->len) != (size_t)-1)
				abort();
			for (j = 0; j < sp->len; j++) {
				unsigned char ch = (unsigned char)sp->text[j];

				if (ch < 0x20 || ch == 0x7F || (o->ascii && ch >= 0x80))
					abort();
				if (ch == 0xC2 && j + 1 < sp->len &&
				    (unsigned char)sp->text[j + 1] < 0xA0)
					abort();	/* a C1 control */
			}
			if (sp->width != render_width(sp->text, sp->len))
				abort();
			w += sp->width;
		}
		if (w != L->width || L->indent < 0)
			abort();
		if (o->width > 0 && L->indent + L->width > (o->width > 2 ?
		    o->width : 2))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct render_opts o;
	struct render_doc *d;
	char *text, *plain;

	if (size < 4)
		return 0;
	o.width = data[0];
	o.ascii = data[1] & 1;
	o.reveal = (data[1] >> 1) & 1;
	o.flags = (data[1] >> 2) & 7;
	o.cloze = data[2] % 4;
	d = render_field((const char *)data + 4, size - 4, &o);
	check(d, &o);
	text = render_doc_text(d);
	free(text);
	render_doc_free(d);

	/* render_plain() on the same bytes up to the first NUL. */
	text = malloc(size - 3);
	memcpy(text, data + 4, size - 4);
	text[size - 4] = '\0';
	plain = render_plain(text, &o);
	free(plain);
	free(text);
	return 0;
}
