/* export.c - notes out as Anki text or Markdown; see export.h. */
#include "config.h"

#include "lemma/formats/export.h"

#include "lemma/render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lemma/base/html.h"
#include "lemma/base/safefile.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/deckfile.h"
#include "lemma/model/cloze.h"
#include "lemma/model/notetype.h"
#include "lemma/model/template.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"

#define FIELD_SEP	'\x1f'

struct writer {
	FILE		*f;
	int		 safe;		/* through termsafe (see export_deck) */
	struct buf	 row, tmp, out;
};

/* Write s, when w->safe with what a terminal would obey (controls but tab
 * and newline, bidi and zero-width characters) shown as stand-ins. */
static void
put(struct writer *w, const char *s, size_t n)
{
	if (!w->safe) {
		fwrite(s, 1, n, w->f);
		return;
	}
	buf_reset(&w->out);
	termsafe_append(&w->out, s, n, TERMSAFE_LINES);
	fwrite(w->out.data, 1, w->out.len, w->f);
}

/* ---- Anki text -------------------------------------------------------------- */

/*
 * Plain text in an HTML file, the inverse of deckfile's plain_decode:
 * & < > and CR as entities, a line break as <br>.
 */
static void
plain_encode(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			buf_adds(out, "&amp;");
			break;
		case '<':
			buf_adds(out, "&lt;");
			break;
		case '>':
			buf_adds(out, "&gt;");
			break;
		case '\r':
			buf_adds(out, "&#13;");
			break;
		case '\n':
			buf_adds(out, "<br>");
			break;
		default:
			buf_addc(out, s[i]);
		}
	}
}

/* Add one field to the row, quoted when it must be: a tab, a quote, a
 * line break or a '#' inside (Anki's exporter quotes every field with its
 * comment character, not only a first one that would make a comment). */
static void
anki_field(struct writer *w, const char *s, size_t n, int first, int encode)
{
	int quote = 0;

	if (!first)
		buf_addc(&w->row, '\t');
	if (encode) {
		buf_reset(&w->tmp);
		buf_add(&w->tmp, "", 0);
		plain_encode(s, n, &w->tmp);
		s = w->tmp.data;
		n = w->tmp.len;
	}
	for (size_t i = 0; i < n && !quote; i++)
		if (s[i] == '\t' || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '#')
			quote = 1;
	if (!quote) {
		buf_add(&w->row, s, n);
		return;
	}
	buf_addc(&w->row, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(&w->row, '"');
		buf_addc(&w->row, s[i]);
	}
	buf_addc(&w->row, '"');
}

static int
export_anki(struct db *db, const char *deck, struct writer *w,
    struct err *e)
{
	struct db_note_iter *it;
	struct db_note_out n;
	long html = 0, plain = 0;
	size_t nfields = 2;
	int rc, mixed;

	/* First pass: one #html: value for the file, or mixed; and the most
	 * fields a note has, as the tags go after them. */
	if ((it = db_note_iter_new(db, deck, e)) == NULL)
		return -1;
	while ((rc = db_note_iter_next(it, &n, e)) > 0) {
		size_t k = 1;

		if (n.is_html)
			html++;
		else
			plain++;
		for (const char *p = n.fields; (p = strchr(p, FIELD_SEP)) !=
		    NULL; p++)
			k++;
		if (k > nfields)
			nfields = k;
	}
	db_note_iter_free(it);
	if (rc < 0)
		return -1;
	mixed = html > 0 && plain > 0;

	/* Anki's exporter's layout: GUID, note type and deck, the fields
	 * (padded to the most any note has), then the tags last. */
	buf_reset(&w->row);
	buf_printf(&w->row, "#separator:tab\n#html:%s\n#guid column:1\n"
	    "#notetype column:2\n#deck column:3\n#tags column:%zu\n",
	    html > 0 ? "true" : "false", nfields + 4);
	put(w, w->row.data, w->row.len);

	if ((it = db_note_iter_new(db, deck, e)) == NULL)
		return -1;
	while ((rc = db_note_iter_next(it, &n, e)) > 0) {
		/* With HTML and plain notes in one file, a plain note is
		 * written as HTML (so Anki shows it right) and marked, so
		 * lemma reads it back as the plain text it was. */
		int encode = mixed && !n.is_html;
		const char *f = n.fields, *sep;

		buf_reset(&w->row);
		if (encode)
			buf_adds(&w->row, "#lemma:plain\n");
		anki_field(w, n.guid, strlen(n.guid), 1, 0);
		anki_field(w, n.notetype_name, strlen(n.notetype_name), 0, 0);
		anki_field(w, n.deck, strlen(n.deck), 0, 0);
		for (size_t k = 0; k < nfields; k++) {
			size_t len;

			if (f == NULL) {
				anki_field(w, "", 0, 0, 0);
				continue;
			}
			sep = strchr(f, FIELD_SEP);
			len = sep != NULL ? (size_t)(sep - f) : strlen(f);
			anki_field(w, f, len, 0, encode);
			f = sep != NULL ? sep + 1 : NULL;
		}
		anki_field(w, n.tags, strlen(n.tags), 0, 0);
		buf_addc(&w->row, '\n');
		put(w, w->row.data, w->row.len);
	}
	db_note_iter_free(it);
	return rc;
}

/* ---- Markdown ------------------------------------------------------------------ */

struct md_deck {
	char	*name;
	size_t	 nfields;	/* most fields of any note */
	int	 tags;		/* some note has tags */
	int	 types;		/* some note is not Basic */
};

static size_t
count_fields(const char *f)
{
	size_t n = 1;

	for (; *f != '\0'; f++)
		if (*f == FIELD_SEP)
			n++;
	return n;
}

/*
 * A table cell: text (HTML made text), '|' escaped, line breaks <br>.
 * encode: a plain note that the reader would take for HTML (a <br> for a
 * line break does that, as does a "<b>" or "&amp;" in the text), written
 * as HTML of its text (plain_encode) so that it reads back the same.
 */
static void
md_cell(struct writer *w, const char *s, size_t n, int is_html, int encode)
{
	struct buf enc;

	buf_init(&enc);
	buf_adds(&w->row, " ");
	if (encode) {
		buf_add(&enc, "", 0);
		plain_encode(s, n, &enc);
		s = enc.data;
		n = enc.len;
	} else if (is_html) {
		buf_reset(&w->tmp);
		buf_add(&w->tmp, "", 0);
		html_to_text(s, n, &w->tmp);
		s = w->tmp.data;
		n = w->tmp.len;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '|')
			buf_adds(&w->row, "\\|");
		else if (s[i] == '\n')
			buf_adds(&w->row, "<br>");
		else if (s[i] != '\r')
			buf_addc(&w->row, s[i]);
	}
	buf_adds(&w->row, " |");
	buf_free(&enc);
}

/* Whether a plain note's fields must be written as HTML (see md_cell). */
static int
md_plain_needs_html(const char *fields)
{
	size_t n = strlen(fields);

	return strpbrk(fields, "\r\n") != NULL || html_is_html(fields, n);
}

static int
export_markdown(struct db *db, const char *deck, struct writer *w,
    struct err *e)
{
	struct db_note_iter *it;
	struct db_note_out n;
	struct md_deck *decks = NULL, *d = NULL;
	size_t ndecks = 0, cur = 0;
	int rc;

	/* First pass: each deck's columns. Notes come sorted by deck. */
	if ((it = db_note_iter_new(db, deck, e)) == NULL)
		return -1;
	while ((rc = db_note_iter_next(it, &n, e)) > 0) {
		if (ndecks == 0 || strcmp(decks[ndecks - 1].name, n.deck) != 0) {
			decks = xreallocarray(decks, ndecks + 1, sizeof *decks);
			memset(&decks[ndecks], 0, sizeof decks[ndecks]);
			decks[ndecks++].name = xstrdup(n.deck);
		}
		d = &decks[ndecks - 1];
		if (count_fields(n.fields) > d->nfields)
			d->nfields = count_fields(n.fields);
		d->tags |= n.tags[0] != '\0';
		d->types |= n.notetype != DB_NOTE_BASIC;
	}
	db_note_iter_free(it);
	if (rc < 0)
		goto out;

	if ((it = db_note_iter_new(db, deck, e)) == NULL) {
		rc = -1;
		goto out;
	}
	d = NULL;
	while ((rc = db_note_iter_next(it, &n, e)) > 0) {
		const char *f = n.fields, *sep;
		size_t k = 0;
		int encode = !n.is_html && md_plain_needs_html(n.fields);

		buf_reset(&w->row);
		if (d == NULL || strcmp(d->name, n.deck) != 0) {
			d = &decks[d == NULL ? 0 : ++cur];
			if (cur > 0)
				buf_addc(&w->row, '\n');
			buf_printf(&w->row, "deck = %s\n\n| Front | Back |",
			    d->name);
			for (size_t i = 2; i < d->nfields; i++)
				buf_printf(&w->row, " Extra %zu |", i - 1);
			if (d->types)
				buf_adds(&w->row, " Note type |");
			if (d->tags)
				buf_adds(&w->row, " Tags |");
			buf_adds(&w->row, "\n|");
			for (size_t i = 0; i < (d->nfields > 2 ? d->nfields : 2) +
			    (size_t)d->types + (size_t)d->tags; i++)
				buf_adds(&w->row, "---|");
			buf_addc(&w->row, '\n');
		}
		buf_addc(&w->row, '|');
		for (;; f = sep + 1, k++) {
			sep = strchr(f, FIELD_SEP);
			md_cell(w, f, sep != NULL ? (size_t)(sep - f) : strlen(f),
			    n.is_html, encode);
			if (sep == NULL)
				break;
		}
		for (k++; k < 2 || k < d->nfields; k++)
			buf_adds(&w->row, "  |");
		if (d->types)
			md_cell(w, n.notetype_name, strlen(n.notetype_name), 0,
			    0);
		if (d->tags)
			md_cell(w, n.tags, strlen(n.tags), 0, 0);
		buf_addc(&w->row, '\n');
		put(w, w->row.data, w->row.len);
	}
	db_note_iter_free(it);
out:
	for (size_t i = 0; i < ndecks; i++)
		free(decks[i].name);
	free(decks);
	return rc;
}

/* One field through the renderer, each line after the first indented to
 * line up under the label. */
static void
text_field(struct writer *w, const char *label, const char *s, size_t n,
    const struct render_opts *o)
{
	char *field = xstrndup(s, n), *plain = render_plain(field, o);

	buf_adds(&w->row, label);
	for (const char *p = plain; *p != '\0'; p++) {
		buf_addc(&w->row, *p);
		if (*p == '\n')
			buf_adds(&w->row, "   ");
	}
	buf_addc(&w->row, '\n');
	free(plain);
	free(field);
}

/*
 * A side of a card for reading: the {{type:}} box left out of the
 * question and, on the answer, replaced by what is expected (the field);
 * the answer taken past its <hr id=answer>. Appended to out as HTML.
 */
static void
side_text(const struct notetype *nt, const char *const *v, size_t nv,
    const char *html, int answer, struct buf *out)
{
	const char *p = html, *t, *e, *rule;
	size_t a, b;
	struct buf tmp;

	if (answer && ((rule = strstr(html, "<hr id=answer>")) != NULL ||
	    (rule = strstr(html, "<hr id=\"answer\">")) != NULL))
		p = strchr(rule, '>') + 1;
	buf_init(&tmp);
	buf_add(&tmp, "", 0);
	while ((t = strstr(p, TEMPLATE_TYPE_OPEN)) != NULL &&
	    (e = strstr(t, TEMPLATE_TYPE_CLOSE)) != NULL) {
		const char *name = t + strlen(TEMPLATE_TYPE_OPEN), *c;
		char *field;
		int i;

		buf_add(&tmp, p, (size_t)(t - p));
		for (c = e; c > name; c--)
			if (c[-1] == ':') {
				name = c;
				break;
			}
		field = xstrndup(name, (size_t)(e - name));
		if (answer && (i = notetype_field_index(nt, field)) >= 0 &&
		    (size_t)i < nv) {
			buf_adds(&tmp, "<br>");
			buf_adds(&tmp, v[i]);
		}
		free(field);
		p = e + strlen(TEMPLATE_TYPE_CLOSE);
	}
	buf_adds(&tmp, p);
	a = 0;
	b = tmp.len;
	template_trim(tmp.data, &a, &b);
	buf_add(out, tmp.data + a, b - a);
	buf_free(&tmp);
}

/* The type of a note, read once per export for each type met. */
static const struct notetype *
type_of(struct db *db, struct notetype **cache, size_t *n, int id,
    struct err *e)
{
	for (size_t i = 0; i < *n; i++)
		if ((*cache)[i].id == id)
			return &(*cache)[i];
	*cache = xreallocarray(*cache, *n + 1, sizeof **cache);
	if (db_notetype_get(db, id, &(*cache)[*n], e) < 0)
		return NULL;
	return &(*cache)[(*n)++];
}

/* The cards as a person reads them, through their note type's templates
 * as the study view shows them: formulas in Unicode (or ASCII), cloze
 * hidden on the question and filled on the answer, hints shown, no
 * markup. A note's cards follow each other; fields past its type's are
 * shown after them, as the study view shows them under the answer. */
static int
export_text(struct db *db, const char *deck, int ascii, struct writer *w,
    struct err *e)
{
	struct db_note_iter *it;
	struct db_note_out n;
	struct notetype *types = NULL;
	size_t ntypes = 0;
	char *last_deck = NULL;
	int rc;

	if ((it = db_note_iter_new(db, deck, e)) == NULL)
		return -1;
	while ((rc = db_note_iter_next(it, &n, e)) > 0) {
		const struct notetype *nt;
		char *copy = xstrdup(n.fields), **v;
		size_t nv = 1, k = 0, nords;
		unsigned ords[CLOZE_CARDS_MAX];
		char err[256];

		if ((nt = type_of(db, &types, &ntypes, n.notetype, e)) == NULL) {
			free(copy);
			rc = -1;
			break;
		}
		for (const char *p = copy; *p != '\0'; p++)
			nv += *p == FIELD_SEP;
		v = xcalloc(nv, sizeof *v);
		v[k++] = copy;
		for (char *p = copy; *p != '\0'; p++)
			if (*p == FIELD_SEP) {
				*p = '\0';
				v[k++] = p + 1;
			}
		buf_reset(&w->row);
		if (last_deck == NULL || strcmp(last_deck, n.deck) != 0) {
			struct render_opts plain = { .width = 0, .ascii = ascii,
			    .flags = RENDER_NOMATH | RENDER_ONELINE };
			char *name = render_plain(n.deck, &plain);
			buf_printf(&w->row, "%s== %s ==\n\n", last_deck ? "\n" : "",
			    name);
			free(name);
			free(last_deck);
			last_deck = xstrdup(n.deck);
		}
		nords = notetype_card_ords(nt, (const char *const *)v, nv,
		    n.tags, 1, ords, CLOZE_CARDS_MAX);
		if (nords > CLOZE_CARDS_MAX)
			nords = CLOZE_CARDS_MAX;
		for (size_t i = 0; i < nords; i++) {
			struct notetype_card c;
			struct render_opts o = { .width = 0, .ascii = ascii,
			    .flags = RENDER_HTML };
			struct buf q, a, side;

			memset(&c, 0, sizeof c);
			c.values = (const char *const *)v;
			c.nvalues = nv;
			c.is_html = n.is_html;
			c.tags = n.tags;
			c.deck = n.deck;
			c.ord = ords[i];
			buf_init(&q);
			buf_init(&a);
			buf_init(&side);
			if (notetype_render(nt, &c, 0, 1, &q, err, sizeof err) < 0 ||
			    notetype_render(nt, &c, 1, 1, &a, err, sizeof err) < 0) {
				buf_reset(&q);
				buf_printf(&q, "(template error: %s)", err);
				buf_reset(&a);
			}
			if (nt->kind == NOTETYPE_KIND_CLOZE)
				o.cloze = (int)ords[i] + 1;
			buf_add(&side, "", 0);
			side_text(nt, (const char *const *)v, nv,
			    q.data != NULL ? q.data : "", 0, &side);
			text_field(w, "Q: ", side.data, side.len, &o);
			buf_reset(&side);
			buf_add(&side, "", 0);
			side_text(nt, (const char *const *)v, nv,
			    a.data != NULL ? a.data : "", 1, &side);
			o.reveal = 1;
			text_field(w, "A: ", side.data, side.len, &o);
			buf_free(&q);
			buf_free(&a);
			buf_free(&side);
		}
		/* Extra fields, shown on the back in the program. */
		for (size_t i = nt->nfields; i < nv; i++) {
			struct render_opts o = { .width = 0, .ascii = ascii,
			    .flags = n.is_html ? RENDER_HTML : 0 };

			if (v[i][0] != '\0')
				text_field(w, "+  ", v[i], strlen(v[i]), &o);
		}
		buf_addc(&w->row, '\n');
		put(w, w->row.data, w->row.len);
		free(v);
		free(copy);
	}
	db_note_iter_free(it);
	for (size_t i = 0; i < ntypes; i++)
		notetype_free(&types[i]);
	free(types);
	free(last_deck);
	return rc;
}

int
export_deck(struct db *db, const char *deck, enum export_format f, FILE *out,
    struct err *e)
{
	struct writer w;
	int rc;

	memset(&w, 0, sizeof w);
	w.f = out;
	/*
	 * Anki text is the user's data, kept byte for byte (a round trip
	 * through Anki must not change a card) unless it goes straight to a
	 * terminal. Markdown and text are for people to read: a file of
	 * them is printed with cat or less later, and a pipe often ends in a
	 * terminal, so they always go through termsafe.
	 */
	w.safe = f != EXPORT_ANKI || isatty(fileno(out));
	switch (f) {
	case EXPORT_ANKI:
		rc = export_anki(db, deck, &w, e);
		break;
	case EXPORT_MARKDOWN:
		rc = export_markdown(db, deck, &w, e);
		break;
	case EXPORT_TEXT:
	case EXPORT_TEXT_ASCII:
		rc = export_text(db, deck, f == EXPORT_TEXT_ASCII, &w, e);
		break;
	default:
		rc = err_set(e, NULL, 0, 0, "unknown export format %d", (int)f);
	}
	buf_free(&w.row);
	buf_free(&w.tmp);
	buf_free(&w.out);
	if (rc < 0)
		return -1;
	if (fflush(out) != 0 || ferror(out))
		return err_set(e, NULL, 0, 0, "cannot write the export: %s",
		    strerror(errno));
	return 0;
}

int
export_file(struct db *db, const char *deck, enum export_format f,
    const char *path, int force, struct err *e)
{
	struct safefile sf;
	char why[sizeof e->msg];
	int existed;

	if (safefile_open(&sf, path, force, e) < 0)
		return -1;
	existed = sf.existed;
	if (export_deck(db, deck, f, sf.f, e) < 0) {
		safefile_abort(&sf);
		snprintf(why, sizeof why, "%s", e->msg);
		return err_set(e, path, 0, 0, "%s; %s", why, existed ?
		    "the file is as it was" : "no file was made");
	}
	return safefile_commit(&sf, e);
}
