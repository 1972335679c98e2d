/*
 * deckfile-note.c - a row of cells (Anki text or a Markdown table) into a
 * note for the sink: meta columns to tags, deck, note type and GUID, the
 * rest to fields by name or in order.
 */
#include "config.h"

#include "lemma/formats/deckfile.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deckfile-int.h"
#include "lemma/base/html.h"
#include "lemma/base/nfc.h"
#include "lemma/model/notetype.h"
#include "lemma/model/tags.h"

/* ---- building a note ------------------------------------------------------- */

/* Names of a note type's own fields, for #columns: and table headers. */
static int
field_slot(enum deckfile_notetype nt, const char *s, size_t len)
{
	df_trim(&s, &len);
	if (nt == DECKFILE_NT_CLOZE) {
		if (df_word_eq(s, len, "Text"))
			return 0;
		if (df_word_eq(s, len, "Back Extra") || df_word_eq(s, len,
		    "Extra"))
			return 1;
		return -1;
	}
	if (df_word_eq(s, len, "Front"))
		return 0;
	if (df_word_eq(s, len, "Back"))
		return 1;
	return -1;
}

/*
 * Anki's columns for a note type of the user's named by #notetype: when
 * #columns: labels them (csv/metadata.rs, map_field_columns_by_name): each
 * field of the type takes the column labelled with its name (ignoring
 * case, as lemma reads the built-in names), the first field the first
 * field column when none is; a field no column names is not given (a new
 * note has it empty, a re-import keeps it), and a column that names no
 * field is not imported. col[f] is the column of field f (SIZE_MAX: none);
 * returns the last column a field takes, + 1 (0 for none), after which
 * Anki looks for the tags column.
 */
static size_t
named_columns(const struct notetype *tp, const struct df_row_meta *m,
    const int *is_meta, size_t *col, size_t nf)
{
	size_t end = 0;

	for (size_t f = 0; f < nf; f++) {
		col[f] = SIZE_MAX;
		for (size_t i = 0; i < m->nlabels && i < DECKFILE_COLUMNS_MAX;
		    i++) {
			const char *s = m->labels[i];
			size_t len = strlen(s);

			df_trim(&s, &len);
			if (!is_meta[i] && df_word_eq(s, len, tp->fields[f])) {
				col[f] = i;
				break;
			}
		}
	}
	if (nf > 0 && col[0] == SIZE_MAX)
		for (size_t i = 0; i < m->nlabels && i < DECKFILE_COLUMNS_MAX;
		    i++)
			if (!is_meta[i]) {
				col[0] = i;
				break;
			}
	for (size_t f = 0; f < nf; f++)
		if (col[f] != SIZE_MAX && col[f] + 1 > end)
			end = col[f] + 1;
	return end;
}

/*
 * Append a field's text, in NFC as Anki normalises imported text (so a
 * decomposed "e\xcc\x81" row matches the note with a composed one);
 * U+001F joins fields in the progress file, so one inside a field is kept
 * as the visible symbol for it, U+241F. tmp: room for the NFC form.
 */
static void
field_add(struct buf *out, const char *s, size_t len, struct buf *tmp)
{
	const char *us;

	if (nfc_may_change(s, len)) {
		buf_reset(tmp);
		nfc_append(tmp, s, len);
		s = tmp->data;
		len = tmp->len;
	}

	while ((us = memchr(s, '\x1f', len)) != NULL) {
		buf_add(out, s, (size_t)(us - s));
		buf_adds(out, "\xe2\x90\x9f");
		len -= (size_t)(us - s) + 1;
		s = us + 1;
	}
	buf_add(out, s, len);
}

/*
 * Export writes a plain-text note into an HTML file as &amp; &lt; &gt;
 * &#13; and <br>, after a "#lemma:plain" line; this undoes exactly that.
 */
static void
plain_decode(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 0; i < len;) {
		if (s[i] == '&' && len - i >= 5 && strncmp(s + i, "&amp;", 5) == 0) {
			buf_addc(out, '&');
			i += 5;
		} else if (s[i] == '&' && len - i >= 4 &&
		    strncmp(s + i, "&lt;", 4) == 0) {
			buf_addc(out, '<');
			i += 4;
		} else if (s[i] == '&' && len - i >= 4 &&
		    strncmp(s + i, "&gt;", 4) == 0) {
			buf_addc(out, '>');
			i += 4;
		} else if (s[i] == '&' && len - i >= 5 &&
		    strncmp(s + i, "&#13;", 5) == 0) {
			buf_addc(out, '\r');
			i += 5;
		} else if (s[i] == '<' && len - i >= 4 &&
		    strncmp(s + i, "<br>", 4) == 0) {
			buf_addc(out, '\n');
			i += 4;
		} else if (s[i] == '\x1f') {
			buf_adds(out, "\xe2\x90\x9f");
			i++;
		} else
			buf_addc(out, s[i++]);
	}
}

/* The next field of the note being built: cell c's text (NULL: empty),
 * as the file writes it (plain text or HTML). */
static void
put_field(struct deckfile *df, const struct df_row_meta *m,
    const struct cell *c, size_t *nfield)
{
	df->noff[(*nfield)++] = df->nbuf.len;
	if (c != NULL) {
		if (m->plain)
			plain_decode(c->s, c->len, &df->nbuf);
		else
			field_add(&df->nbuf, c->s, c->len, &df->clean);
	}
	buf_addc(&df->nbuf, '\0');
}

/*
 * Map a row's cells to a note and hand it to the sink. Meta columns
 * (1-based in meta_col, 0 for none) become tags, deck, note type and GUID;
 * the rest are fields, placed by name when labels are given.
 */
int
df_emit_row(struct deckfile *df, const struct cell *cells, size_t ncells,
    unsigned line, const struct df_row_meta *m, struct err *e)
{
	struct deckfile_note n;
	enum deckfile_notetype nt = m->notetype;
	const char *row_name = NULL;
	unsigned row_line = 0, row_col = 0;
	const struct cell *c;
	int is_meta[DECKFILE_COLUMNS_MAX];
	size_t nfield = 0, slot_col[2] = { SIZE_MAX, SIZE_MAX };
	size_t tags_at, deck_at = SIZE_MAX, guid_at = SIZE_MAX, ngiven = 0;
	size_t tags_col = SIZE_MAX;
	const struct notetype *tp = NULL;
	unsigned char given[DECKFILE_COLUMNS_MAX];
	int by_name = 0;
	char sn[200];

	/* Both readers stop a row at DECKFILE_COLUMNS_MAX cells. */
	assert(ncells <= DECKFILE_COLUMNS_MAX);
	/* All the file's columns, not only this row's: the tags column is
	 * looked for among them (a short row has it empty). */
	memset(is_meta, 0, sizeof is_meta);
	/* A meta column past a short row's end is an empty cell (Anki pads
	 * a row to the file's columns). */
	for (int k = 0; k < 4; k++)
		if (m->meta_col[k] != 0 &&
		    m->meta_col[k] <= DECKFILE_COLUMNS_MAX)
			is_meta[m->meta_col[k] - 1] = 1;
	buf_reset(&df->nbuf);
	buf_reset(&df->tagbuf);

	if (m->meta_col[2] != 0) {
		c = m->meta_col[2] <= ncells ? &cells[m->meta_col[2] - 1] : NULL;
		nt = c != NULL ? deckfile_notetype_parse(c->s, c->len) :
		    DECKFILE_NT_UNSET;
		if (nt == DECKFILE_NT_UNSET) {
			const char *s = c != NULL ? c->s : "";
			size_t l = c != NULL ? c->len : 0;

			df_trim(&s, &l);
			/* Anki skips a row without a note type and imports
			 * the rest; another name is the user's own type, which
			 * the importer looks up (and skips the row without). */
			if (l == 0)
				return df_skip(df, line, "no note type", e);
			nt = DECKFILE_NT_NAMED;
			free(df->row_notetype);
			df->row_notetype = xstrndup(s, l);
			row_name = df->row_notetype;
			row_line = c->line;
			row_col = c->col;
		}
	}
	if (m->meta_col[1] != 0 && m->meta_col[1] <= ncells) {
		const char *s;
		size_t len;
		c = &cells[m->meta_col[1] - 1];
		s = c->s;
		len = c->len;
		df_trim(&s, &len);
		df_clean_name(df, "deck name", s, len, c->line, c->col);
		s = df->clean.data;
		len = df->clean.len;
		if (len > 0) {
			if (!df_deck_name_ok(s, len))
				return err_set(e, df->path, c->line, c->col, "bad "
				    "deck name '%s': parts separated by '::' must "
				    "not be empty", df_snip(sn, sizeof sn, s,
				    len));
			if (df_deck_depth(s, len) > DECKFILE_DECK_DEPTH_MAX)
				return err_set(e, df->path, c->line, c->col,
				    "deck name nests more than %d levels",
				    DECKFILE_DECK_DEPTH_MAX);
			deck_at = df->nbuf.len;
			buf_add(&df->nbuf, s, len);
			buf_addc(&df->nbuf, '\0');
		}
	}
	if (m->meta_col[3] != 0 && m->meta_col[3] <= ncells) {
		const char *s;
		size_t len;
		c = &cells[m->meta_col[3] - 1];
		s = c->s;
		len = c->len;
		df_trim(&s, &len);
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F)
				return err_set(e, df->path, c->line, c->col,
				    "bad GUID '%s': expected no spaces or control "
				    "characters", df_snip(sn, sizeof sn, s,
				    len));
		if (len > 100)
			return err_set(e, df->path, c->line, c->col, "bad GUID: "
			    "longer than 100 bytes");
		if (len > 0) {
			guid_at = df->nbuf.len;
			buf_add(&df->nbuf, s, len);
			buf_addc(&df->nbuf, '\0');
		}
	}
	if (m->meta_col[0] != 0 && m->meta_col[0] <= ncells) {
		c = &cells[m->meta_col[0] - 1];
		df_clean_name(df, "tags", c->s, c->len, c->line, c->col);
		tags_collect(&df->tagbuf, df->clean.data, df->clean.len);
	}
	if (m->tags != NULL)
		tags_collect(&df->tagbuf, m->tags, strlen(m->tags));

	/* A type of the user's: its fields place a #columns: header's
	 * columns for the whole file (#notetype:); a note type column
	 * places them in order, as Anki does (each row's type may have
	 * other fields). */
	if (nt == DECKFILE_NT_NAMED && df->sink.notetype_of != NULL &&
	    (row_name != NULL || m->notetype_name != NULL))
		tp = df->sink.notetype_of(df->sink.arg, row_name != NULL ?
		    row_name : m->notetype_name);
	by_name = tp != NULL && row_name == NULL && m->labels != NULL &&
	    tp->nfields > 0;

	/* Fields of the built-in types: named columns go to their slot, the
	 * others fill the free slots in order, and what is left is kept as
	 * extra fields. */
	if (m->labels != NULL && nt != DECKFILE_NT_NAMED) {
		enum deckfile_notetype names = nt;
		if (names == DECKFILE_NT_UNSET) {
			names = DECKFILE_NT_BASIC;
			for (size_t i = 0; i < ncells; i++)
				if (!is_meta[i] && field_slot(DECKFILE_NT_CLOZE,
				    m->labels[i], strlen(m->labels[i])) == 0)
					names = DECKFILE_NT_CLOZE;
		}
		for (size_t i = 0; i < ncells; i++) {
			int s;
			if (is_meta[i])
				continue;
			s = field_slot(names, m->labels[i], strlen(m->labels[i]));
			if (s >= 0 && slot_col[s] == SIZE_MAX)
				slot_col[s] = i;
		}
	}
	if (ncells + 2 > df->capnoff) {
		df->capnoff = ncells + 2;
		df->noff = xreallocarray(df->noff, df->capnoff, sizeof *df->noff);
	}
	if (by_name) {
		size_t col[DECKFILE_COLUMNS_MAX], nf, end, t;

		nf = tp->nfields < DECKFILE_COLUMNS_MAX ? tp->nfields :
		    DECKFILE_COLUMNS_MAX;
		if (nf + 2 > df->capnoff) {
			df->capnoff = nf + 2;
			df->noff = xreallocarray(df->noff, df->capnoff,
			    sizeof *df->noff);
		}
		end = named_columns(tp, m, is_meta, col, nf);
		/* Anki's tags column: the first after the last field's. */
		if (m->tags_after_fields && end > 0) {
			for (t = end; t < m->nlabels && t < DECKFILE_COLUMNS_MAX &&
			    is_meta[t]; t++)
				;
			if (t < m->nlabels && t < ncells) {
				tags_col = t;
				df_clean_name(df, "tags", cells[t].s, cells[t].len,
				    cells[t].line, cells[t].col);
				tags_collect(&df->tagbuf, df->clean.data,
				    df->clean.len);
			}
		}
		for (size_t f = 0; f < nf; f++) {
			/* A short row gives no cell for a column past its end. */
			given[f] = col[f] != SIZE_MAX && col[f] < ncells;
			if (given[f])
				ngiven = f + 1;
			put_field(df, m, given[f] ? &cells[col[f]] : NULL,
			    &nfield);
		}
		if (ngiven == 0)
			return err_set(e, df->path, line, 1, "this row has no "
			    "field columns, only tags, deck, note type or GUID");
	} else {
		size_t order[DECKFILE_COLUMNS_MAX + 2], norder = 0;
		size_t next = 0;

		/* Column for slot 0, slot 1, then the rest. */
		for (int s = 0; s < 2; s++) {
			if (slot_col[s] == SIZE_MAX) {
				while (next < ncells && (is_meta[next] ||
				    next == slot_col[0] || next == slot_col[1]))
					next++;
				if (next < ncells)
					slot_col[s] = next++;
			}
		}
		/*
		 * Anki's tags column when the header names none: the first
		 * column after the fields ("front, back, tags"). Counted in
		 * the file's columns, so a short row has it empty.
		 */
		if (m->tags_after_fields) {
			size_t last = 0, t;
			/* Fields of the type past the two slots: Basic
			 * (optional reversed card) has Add Reverse third; a
			 * type of the user's has what the importer says. */
			size_t more = nt == DECKFILE_NT_OPTIONAL_REVERSED ? 1 : 0;

			if (tp != NULL)
				more = tp->nfields > 2 ? tp->nfields - 2 : 0;

			for (int s = 0; s < 2; s++)
				if (slot_col[s] != SIZE_MAX && slot_col[s] + 1 > last)
					last = slot_col[s] + 1;
			size_t width = m->ncols < DECKFILE_COLUMNS_MAX ?
			    m->ncols : DECKFILE_COLUMNS_MAX;

			for (t = last; t < width && is_meta[t]; t++)
				;
			for (; more > 0 && t < width; more--)
				for (t++; t < width && is_meta[t]; t++)
					;
			if (last > 0 && t < m->ncols && t < ncells) {
				is_meta[t] = 1;
				tags_col = t;
				df_clean_name(df, "tags", cells[t].s, cells[t].len,
				    cells[t].line, cells[t].col);
				tags_collect(&df->tagbuf, df->clean.data,
				    df->clean.len);
			}
		}
		for (int s = 0; s < 2; s++)
			order[norder++] = slot_col[s];
		for (size_t i = 0; i < ncells; i++)
			if (!is_meta[i] && i != slot_col[0] && i != slot_col[1])
				order[norder++] = i;
		if (order[0] == SIZE_MAX && order[1] == SIZE_MAX && norder == 2)
			return err_set(e, df->path, line, 1, "this row has no "
			    "field columns, only tags, deck, note type or GUID");
		for (size_t i = 0; i < norder; i++) {
			if (order[i] != SIZE_MAX)
				ngiven = i + 1;
			put_field(df, m, order[i] != SIZE_MAX ? &cells[order[i]] :
			    NULL, &nfield);
		}
	}
	tags_at = tags_finish(&df->tagbuf, &df->nbuf);
	/* Trailing empty extra fields carry nothing; the note type's own two
	 * fields always stay. */
	while (nfield > 2 && df->nbuf.data[df->noff[nfield - 1]] == '\0')
		nfield--;

	if (nfield > df->capnfields) {
		df->capnfields = nfield;
		df->nfields = xreallocarray(df->nfields, nfield,
		    sizeof *df->nfields);
	}
	memset(&n, 0, sizeof n);
	for (size_t i = 0; i < nfield; i++)
		df->nfields[i] = df->nbuf.data + df->noff[i];
	n.path = df->path;
	n.line = line;
	n.fields = df->nfields;
	n.nfields = nfield;
	n.ngiven = ngiven;
	n.given = by_name ? given : NULL;
	n.tags = df->nbuf.data + tags_at;
	n.tags_from_row = (m->meta_col[0] != 0 && m->meta_col[0] <= ncells) ||
	    tags_col != SIZE_MAX;
	n.deck = deck_at != SIZE_MAX ? df->nbuf.data + deck_at : m->deck;
	n.deck_from_row = deck_at != SIZE_MAX;
	n.guid = guid_at != SIZE_MAX ? df->nbuf.data + guid_at : NULL;
	n.notetype = nt;
	n.notetype_name = nt != DECKFILE_NT_NAMED ? NULL : row_name != NULL ?
	    row_name : m->notetype_name;
	n.notetype_line = row_name != NULL ? row_line : m->notetype_line;
	n.notetype_col = row_name != NULL ? row_col : m->notetype_col;
	n.notetype_from_row = row_name != NULL;
	n.if_matches = m->if_matches;
	if (m->plain)
		n.is_html = 0;
	else if (m->html >= 0)
		n.is_html = m->html;
	else {
		n.is_html = 0;
		for (size_t i = 0; i < nfield && !n.is_html; i++)
			n.is_html = html_is_html(n.fields[i],
			    strlen(n.fields[i]));
	}
	return df->sink.note(df->sink.arg, &n, e);
}
