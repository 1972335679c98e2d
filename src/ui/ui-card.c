/*
 * ui-card.c - a card as its note type shows it: the templates rendered
 * (model's notetype_render), drawn through the renderer, with the parts
 * the terminal does itself: the rule for <hr id=answer>, the input line
 * of a {{type:Field}} card and, on the answer, Anki's comparison of what
 * was typed (typeanswer.h), and the hint markers as a key to press.
 *
 * The study view and the browser's preview draw cards through here, so a
 * card looks the same in both.
 */
#include "config.h"

#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/template.h"
#include "lemma/model/typeanswer.h"
#include "lemma/store/db-notetypes.h"

void
ui_nt_cache_free(struct ui_nt_cache *c)
{
	if (c->valid)
		notetype_free(&c->nt);
	c->valid = 0;
}

const struct notetype *
ui_nt_get(struct ui *ui, struct ui_nt_cache *c, int64_t id)
{
	struct err e;

	if (c->valid && c->nt.id == id)
		return &c->nt;
	ui_nt_cache_free(c);
	err_clear(&e);
	if (db_notetype_get(ui->app->db, id, &c->nt, &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return NULL;
	}
	c->valid = 1;
	return &c->nt;
}

int
ui_card_html(struct ui *ui, struct ui_nt_cache *c, int notetype,
    const char *fields, int is_html, const char *tags, const char *deck,
    int ord, int flag, int64_t card_id, int answer, int hints,
    struct buf *out)
{
	const struct notetype *nt = ui_nt_get(ui, c, notetype);
	struct notetype_card card;
	struct buf tagbuf;
	char *copy, err[512];
	const char **v;
	size_t n = 1, k = 0;
	int rc;

	if (nt == NULL) {
		buf_adds(out, "(this card's note type cannot be read)");
		return -1;
	}
	copy = xstrdup(fields != NULL ? fields : "");
	for (const char *p = copy; *p != '\0'; p++)
		n += *p == '\x1f';
	v = xcalloc(n, sizeof *v);
	v[k++] = copy;
	for (char *p = copy; *p != '\0'; p++)
		if (*p == '\x1f') {
			*p = '\0';
			v[k++] = p + 1;
		}
	/* " a b " as stored: {{Tags}} is "a b". */
	buf_init(&tagbuf);
	buf_add(&tagbuf, "", 0);
	if (tags != NULL) {
		const char *a = tags, *z = tags + strlen(tags);

		while (*a == ' ')
			a++;
		while (z > a && z[-1] == ' ')
			z--;
		buf_add(&tagbuf, a, (size_t)(z - a));
	}
	memset(&card, 0, sizeof card);
	card.values = v;
	card.nvalues = k;
	card.is_html = is_html;
	card.tags = tagbuf.data;
	card.deck = deck;
	card.ord = ord >= 0 ? (unsigned)ord : 0;
	card.flag = flag;
	card.card_id = card_id;
	rc = notetype_render(nt, &card, answer, hints, out, err, sizeof err);
	if (rc < 0) {
		/* The error is shown on the card, where the user looks. */
		buf_reset(out);
		buf_adds(out, "Template error: ");
		for (const char *p = err; *p != '\0'; p++) {
			if (*p == '<')
				buf_adds(out, "&lt;");
			else if (*p == '&')
				buf_adds(out, "&amp;");
			else
				buf_addc(out, *p);
		}
	}
	buf_free(&tagbuf);
	free(v);
	free(copy);
	return rc;
}

int
ui_card_type_field(const char *html, char *name, size_t len)
{
	const char *s = strstr(html, TEMPLATE_TYPE_OPEN), *e;

	if (s == NULL)
		return 0;
	s += strlen(TEMPLATE_TYPE_OPEN);
	if ((e = strstr(s, TEMPLATE_TYPE_CLOSE)) == NULL)
		return 0;
	/* type:cloze:F and type:nc:F name the field last. */
	for (const char *p = e; p > s; p--)
		if (p[-1] == ':') {
			s = p;
			break;
		}
	snprintf(name, len, "%.*s", (int)(e - s), s);
	return 1;
}

/* The hint markers as the key that shows them: "[Field: h]". */
static void
hint_keys(struct ui *ui, const char *s, size_t n, struct buf *out)
{
	size_t ol = strlen(TEMPLATE_HINT_OPEN), cl = strlen(TEMPLATE_HINT_CLOSE);
	const char *end = s + n, *p, *e;

	(void)ui;
	while (s < end) {
		p = NULL;
		for (const char *q = s; q + ol <= end; q++)
			if (memcmp(q, TEMPLATE_HINT_OPEN, ol) == 0) {
				p = q;
				break;
			}
		if (p == NULL)
			break;
		e = NULL;
		for (const char *q = p + ol; q + cl <= end; q++)
			if (memcmp(q, TEMPLATE_HINT_CLOSE, cl) == 0) {
				e = q;
				break;
			}
		if (e == NULL)
			break;
		buf_add(out, s, (size_t)(p - s));
		buf_adds(out, "<u>[");
		buf_add(out, p + ol, (size_t)(e - p - ol));
		buf_adds(out, ": press h]</u>");
		s = e + cl;
	}
	buf_add(out, s, (size_t)(end - s));
}

static int
draw_part(struct ui *ui, WINDOW *w, int row, int col, int width,
    enum theme_element el, const char *html, size_t a, size_t b, int cloze,
    int reveal)
{
	struct buf seg;

	template_trim(html, &a, &b);
	if (a >= b)
		return row;
	buf_init(&seg);
	hint_keys(ui, html + a, b - a, &seg);
	row = ui_draw_field(ui, w, row, col, width, el, seg.data, 1, cloze,
	    reveal, 0);
	buf_free(&seg);
	return row;
}

/* Runs side by side on one row, clipped to width. */
static void
draw_runs(struct ui *ui, WINDOW *w, int row, int col, int width,
    const struct typeans_run *r, size_t n)
{
	static const enum theme_element el[] = { THEME_BUTTON_GOOD,
	    THEME_BUTTON_AGAIN, THEME_BUTTON_HARD };
	int used = 0;

	for (size_t i = 0; i < n && used < width; i++)
		used += ui_draw_text(ui, w, row, col + used, width - used,
		    el[r[i].kind], r[i].text);
}

static int
draw_typing(struct ui *ui, WINDOW *w, int row, int col, int width,
    int answer, struct ui_card_typing *ty)
{
	if (ty == NULL || (ty->text == NULL && !answer))
		return row;
	row++;
	if (!answer) {
		/* A label, so that an empty line is seen as one to type in. */
		static const char label[] = "Answer: ";
		int lw = (int)strlen(label);

		if (row >= 0 && row < getmaxy(w) && width > lw + 4) {
			ui_draw_text(ui, w, row, col, lw, THEME_MUTED, label);
			ui_text_draw(ui, w, row, col + lw, width - lw, 1,
			    ty->text, THEME_INPUT, ty->focused);
		}
		return row + 2;
	}
	{
		struct buf exp;
		struct typeans ta;

		buf_init(&exp);
		typeans_expected(ty->expected != NULL ? ty->expected : "", &exp);
		typeans_compare(exp.data != NULL ? exp.data : "",
		    ty->text != NULL ? ui_text_str(ty->text) : "", &ta);
		if (ta.ntyped > 0 && !ta.exact) {
			draw_runs(ui, w, row, col, width, ta.typed, ta.ntyped);
			row++;
			ui_draw_text(ui, w, row, col, width, THEME_MUTED,
			    ui->app->ascii ? "v" : "↓");
			row++;
		}
		draw_runs(ui, w, row, col, width, ta.exact ? ta.typed :
		    ta.expected, ta.exact ? ta.ntyped : ta.nexpected);
		row += 2;
		typeans_free(&ta);
		buf_free(&exp);
	}
	return row;
}

/* One side of the rule: text, with the type: box where it stands. */
static int
draw_side(struct ui *ui, WINDOW *w, int row, int col, int width,
    enum theme_element el, const char *html, size_t a, size_t b, int cloze,
    int answer, struct ui_card_typing *ty)
{
	const char *t = NULL, *e = NULL;

	for (const char *p = html + a; p < html + b; p++)
		if (strncmp(p, TEMPLATE_TYPE_OPEN, strlen(TEMPLATE_TYPE_OPEN)) ==
		    0 && (e = strstr(p, TEMPLATE_TYPE_CLOSE)) != NULL &&
		    e < html + b) {
			t = p;
			break;
		}
	if (t == NULL)
		return draw_part(ui, w, row, col, width, el, html, a, b, cloze,
		    answer);
	row = draw_part(ui, w, row, col, width, el, html, a,
	    (size_t)(t - html), cloze, answer);
	row = draw_typing(ui, w, row, col, width, answer, ty);
	return draw_part(ui, w, row, col, width, el, html,
	    (size_t)(e + strlen(TEMPLATE_TYPE_CLOSE) - html), b, cloze, answer);
}

/* {{type:cloze:Text}}: Anki expects the card's own deletions, joined by
 * ", " (its cloze-only filter). */
static const char *
cloze_expected(const struct notetype *nt, const char *fields,
    const char *name, int ord, char **copy)
{
	char *f = xstrdup(fields != NULL ? fields : ""), *tmpl, err[128];
	const char **v = xcalloc(nt->nfields + 1, sizeof *v);
	struct template_ctx ctx;
	struct buf out;
	size_t k = 0;

	v[k++] = f;
	for (char *p = f; *p != '\0' && k < nt->nfields; p++)
		if (*p == '\x1f') {
			*p = '\0';
			v[k++] = p + 1;
		}
	memset(&ctx, 0, sizeof ctx);
	ctx.names = (const char *const *)nt->fields;
	ctx.values = v;
	ctx.nfields = k;
	ctx.ord = ord >= 0 ? (unsigned)ord : 0;
	tmpl = xasprintf("{{cloze-only:%s}}", name);
	buf_init(&out);
	buf_add(&out, "", 0);
	if (template_render(tmpl, &ctx, &out, err, sizeof err) < 0)
		buf_reset(&out);
	*copy = buf_steal(&out);
	free(tmpl);
	free(v);
	free(f);
	return *copy;
}

const char *
ui_card_type_expected(struct ui *ui, struct ui_nt_cache *c, int notetype,
    const char *fields, int ord, const char *html, char **copy)
{
	const struct notetype *nt = ui_nt_get(ui, c, notetype);
	const char *m;
	char name[256], *p;
	int i;

	*copy = NULL;
	if (nt == NULL || !ui_card_type_field(html, name, sizeof name) ||
	    (i = notetype_field_index(nt, name)) < 0)
		return "";
	m = strstr(html, TEMPLATE_TYPE_OPEN);
	if (strncmp(m + strlen(TEMPLATE_TYPE_OPEN), "cloze:", 6) == 0)
		return cloze_expected(nt, fields, name, ord, copy);
	*copy = xstrdup(fields != NULL ? fields : "");
	for (p = *copy; i > 0 && p != NULL; i--)
		if ((p = strchr(p, '\x1f')) != NULL)
			p++;
	if (p == NULL)
		return "";
	if (strchr(p, '\x1f') != NULL)
		*strchr(p, '\x1f') = '\0';
	return p;
}

/* Where <hr id=answer> (or id="answer") is: its start and end. */
static int
find_rule(const char *html, size_t *start, size_t *end)
{
	static const char *const forms[] = { "<hr id=answer>",
	    "<hr id=\"answer\">", "<hr id='answer'>" };

	for (const char *p = html; (p = strchr(p, '<')) != NULL; p++)
		for (size_t i = 0; i < 3; i++)
			if (strncasecmp(p, forms[i], strlen(forms[i])) == 0) {
				*start = (size_t)(p - html);
				*end = *start + strlen(forms[i]);
				return 1;
			}
	return 0;
}

const char *
ui_card_after_rule(const char *html)
{
	size_t rs, re;

	return find_rule(html, &rs, &re) ? html + re : html;
}

int
ui_card_draw(struct ui *ui, WINDOW *w, int row, int col, int width,
    const char *html, int answer, int cloze, struct ui_card_typing *ty)
{
	size_t n = strlen(html), rs, re;
	int cols = getmaxx(w);

	if (!answer || !find_rule(html, &rs, &re))
		return draw_side(ui, w, row, col, width, answer ? THEME_ANSWER :
		    THEME_QUESTION, html, 0, n, cloze, answer, ty);
	row = draw_side(ui, w, row, col, width, THEME_QUESTION, html, 0, rs,
	    cloze, answer, ty);
	row++;
	if (row >= 0 && row < getmaxy(w) - 2) {
		wattrset(w, ui_attr(ui, THEME_BORDER));
		wmove(w, row, col);
		if (ui->app->ascii)
			for (int x = col; x < cols - 2; x++)
				waddch(w, '-');
		else
			whline(w, ACS_HLINE, cols - col - 2);
		wattrset(w, A_NORMAL);
	}
	row += 2;
	return draw_side(ui, w, row, col, width, THEME_ANSWER, html, re, n,
	    cloze, answer, ty);
}
