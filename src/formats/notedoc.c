/* notedoc.c - a note as a text document for $EDITOR; see notedoc.h. */
#include "config.h"

#include "lemma/formats/notedoc.h"

#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/cloze.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"

const char *
notedoc_field_name(const struct notetype *nt, size_t i, char *buf, size_t len)
{
	if (nt != NULL && i < nt->nfields)
		snprintf(buf, len, "%s", nt->fields[i]);
	else
		snprintf(buf, len, "Extra %zu", i + 1);
	return buf;
}

/* A note and its type: the fields to show are the type's, and any extra
 * ones the note holds (an import keeps columns past the type's). */
static int
note_and_type(struct db *db, int64_t id, struct db_note *n,
    struct notetype *nt, struct err *e)
{
	if (db_note_get(db, id, n, e) < 0)
		return -1;
	if (db_notetype_get(db, n->notetype, nt, e) < 0) {
		db_note_free(n);
		return -1;
	}
	return 0;
}

static size_t
shown_fields(const struct db_note *n, const struct notetype *nt)
{
	return n->nfields > nt->nfields ? n->nfields : nt->nfields;
}

static const char *
value(const struct db_note *n, size_t i)
{
	return i < n->nfields ? n->fields[i] : "";
}

int
notedoc_write(struct db *db, int64_t note_id, FILE *f, struct err *e)
{
	struct db_note n;
	struct notetype nt;
	char name[256];

	if (note_and_type(db, note_id, &n, &nt, e) < 0)
		return -1;
	fprintf(f, "# lemma note %lld: %s\n", (long long)note_id, nt.name);
	fputs("# Edit the text under each \"## \" heading; lines starting with "
	    "\"# \" are\n# comments. Save and quit to apply; empty the file to "
	    "cancel.\n", f);
	for (size_t i = 0; i < shown_fields(&n, &nt); i++) {
		const char *v = value(&n, i);

		fprintf(f, "## %s\n", notedoc_field_name(&nt, i, name,
		    sizeof name));
		fputs(v, f);
		if (v[0] != '\0' && v[strlen(v) - 1] != '\n')
			fputc('\n', f);
	}
	fprintf(f, "## Tags\n%s\n", n.tags);
	db_note_free(&n);
	notetype_free(&nt);
	return ferror(f) ? err_set(e, NULL, 0, 0, "cannot write the note") : 0;
}

/* Is line (len bytes) a comment or blank-to-skip line? Comments are "#"
 * followed by a space or the end, so "#hashtag" text survives. */
static int
is_comment(const char *line, size_t len)
{
	return len >= 1 && line[0] == '#' && (len == 1 || line[1] == ' ');
}

int
notedoc_apply(struct db *db, int64_t note_id, const char *text, time_t now,
    struct err *e)
{
	struct db_note n;
	struct notetype nt;
	struct buf *sections = NULL, tags;
	size_t nsections = 0, want, line_no = 0, content = 0;
	char name[256];
	const char *p = text;
	int current = -1, rc = -1, changed = 0;

	if (note_and_type(db, note_id, &n, &nt, e) < 0)
		return -1;
	want = shown_fields(&n, &nt);
	sections = xcalloc(want, sizeof *sections);
	buf_init(&tags);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		line_no++;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len >= 3 && strncmp(p, "## ", 3) == 0) {
			const char *title = p + 3;
			size_t tlen = len - 3;

			if (tlen == 4 && strncmp(title, "Tags", 4) == 0) {
				if (nsections != want) {
					err_set(e, "note", (unsigned)line_no, 1,
					    "\"## Tags\" comes after all %zu fields",
					    want);
					goto out;
				}
				current = (int)want;
			} else {
				notedoc_field_name(&nt, nsections, name,
				    sizeof name);
				if (nsections >= want || strlen(name) != tlen ||
				    strncmp(title, name, tlen) != 0) {
					err_set(e, "note", (unsigned)line_no, 4,
					    "expected the heading \"## %s\"",
					    nsections < want ? name : "Tags");
					goto out;
				}
				current = (int)nsections++;
			}
		} else if (is_comment(p, len)) {
			/* skipped */
		} else if (current < 0) {
			if (len > 0) {
				notedoc_field_name(&nt, 0, name, sizeof name);
				err_set(e, "note", (unsigned)line_no, 1,
				    "text before the first heading (\"## %s\")",
				    name);
				goto out;
			}
		} else {
			struct buf *b = current == (int)want ? &tags :
			    &sections[current];
			if (b->len > 0)
				buf_addc(b, current == (int)want ? ' ' : '\n');
			buf_add(b, p, len);
			content++;
		}
		p = nl != NULL ? nl + 1 : p + len;
	}
	if (nsections == 0 && content == 0) {
		rc = 1;		/* an emptied file: the user cancelled */
		goto out;
	}
	if (nsections != want) {
		notedoc_field_name(&nt, nsections, name, sizeof name);
		err_set(e, "note", (unsigned)line_no, 0,
		    "the heading \"## %s\" is missing", name);
		goto out;
	}
	for (size_t i = 0; i < want; i++) {
		/* Trailing blank lines are layout, not text. */
		while (sections[i].len > 0 &&
		    sections[i].data[sections[i].len - 1] == '\n')
			sections[i].data[--sections[i].len] = '\0';
		if (strcmp(sections[i].len ? sections[i].data : "",
		    value(&n, i)) != 0)
			changed = 1;
	}
	if (strcmp(tags.len ? tags.data : "", n.tags) != 0)
		changed = 1;
	if (!changed) {
		rc = 1;
		goto out;
	}
	{
		const char **fields = xcalloc(want, sizeof *fields);
		for (size_t i = 0; i < want; i++)
			fields[i] = sections[i].len ? sections[i].data : "";
		rc = db_note_update(db, note_id, fields, want,
		    tags.len ? tags.data : "", now, e);
		free(fields);
	}
out:
	for (size_t i = 0; i < want; i++)
		buf_free(&sections[i]);
	free(sections);
	buf_free(&tags);
	db_note_free(&n);
	notetype_free(&nt);
	return rc;
}

int
notedoc_get(struct db *db, int64_t id, struct notedoc_note *out, struct err *e)
{
	struct db_note n;

	memset(out, 0, sizeof *out);
	if (db_note_get(db, id, &n, e) < 0)
		return -1;
	out->id = n.id;
	out->deck_id = n.deck_id;
	out->notetype = n.notetype;
	out->is_html = n.is_html;
	out->nfields = n.nfields;
	out->fields = xcalloc(n.nfields + 1, sizeof *out->fields);
	for (size_t i = 0; i < n.nfields; i++)
		out->fields[i] = xstrdup(n.fields[i]);
	out->tags = xstrdup(n.tags);
	db_note_free(&n);
	return 0;
}

void
notedoc_free(struct notedoc_note *n)
{
	for (size_t i = 0; i < n->nfields; i++)
		free(n->fields[i]);
	free(n->fields);
	free(n->tags);
	memset(n, 0, sizeof *n);
}

int
notedoc_save(struct db *db, int64_t id, const char *const *fields,
    size_t nfields, const char *tags, time_t now, struct err *e)
{
	return db_note_update(db, id, fields, nfields, tags, now, e);
}

int64_t
notedoc_add(struct db *db, int64_t deck_id, int notetype,
    const char *const *fields, size_t nfields, const char *tags, time_t now,
    struct err *e)
{
	return db_note_add(db, deck_id, notetype, fields, nfields, tags, 0, now,
	    e);
}
