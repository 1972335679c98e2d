/*
 * cmd-search.c - `lemma search`: the browser's search on the command line.
 * It only parses options and prints; the search is the core's (search.h).
 * Card text goes through render_plain() before it reaches the terminal,
 * and through JSON escaping with --json, so no card can send a control
 * sequence.
 */
#include "config.h"

#include "cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/app/app.h"
#include "lemma/base/day.h"
#include "lemma/base/err.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/query/search.h"
#include "lemma/render/render.h"
#include "lemma/store/db.h"

/* Rows read at a time: only this many are held in memory. */
#define SEARCH_CHUNK	256

static const char search_help[] =
"usage: lemma search [--json] [--sort COLUMN] [--reverse] [--limit N] QUERY...\n"
"\n"
"Print the cards QUERY finds, one line each: deck, sort field, due and\n"
"interval, separated by tabs. The words of QUERY are joined with spaces;\n"
"quote the query for the shell. Exit status 0, also when nothing matches;\n"
"2 for a bad query, with the column of the mistake.\n"
"\n"
"  --json          a JSON array with one object per card\n"
"  --sort COLUMN   sort (the default), deck, due, interval, difficulty,\n"
"                  stability, retrievability, reps, lapses or created\n"
"  --reverse       sort descending\n"
"  --limit N       print at most N cards\n"
"  --              the query starts here (for one beginning with \"--\")\n"
"\n"
"The query language is Anki's:\n"
"  dog cat            both words, anywhere in the note (case-insensitive)\n"
"  \"a dog\"  -cat  dog or cat  (dog or cat) mouse\n"
"  d_g  d*g           _ one character, * any run; \\* \\_ \\\" \\: literal\n"
"  front:dog          the Front field is dog (front:*dog* contains it)\n"
"  deck:French        deck French and its sub-decks; deck:Fr* wildcards\n"
"  tag:verb           tag verb and verb::*; tag:none\n"
"  is:new is:learn is:review is:due is:suspended is:buried   flag:1\n"
"  is:empty           cards whose cloze number is gone from the note\n"
"  prop:ivl>10 prop:due<3 prop:lapses>=2 prop:d>0.7 prop:s<5 prop:r<0.8\n"
"  rated:7 rated:7:1 added:30 edited:2 introduced:30  (in the last N days)\n"
"  note:cloze card:2 nid:123 cid:456\n"
"  re:PATTERN         a regular expression (PCRE2); front:re:x tag:re:x too\n"
"  nc:francais        ignoring accents; front:nc:x tag:nc:x too\n"
"  w:word sc:text     a whole word; cloze text without its markup\n"
"  deck:current       every deck here (the browser's deck in focus there)\n"
"  resched:7 preset:Default mid:2 did:1 dupe:0,text card:\"Card 2\"\n";

static const char *const state_names[] = {
	"new", "learning", "review", "relearning",
};

static const char *const notetype_names[] = {
	"Basic", "Basic (and reversed card)", "Cloze",
};

/* text as one line a terminal cannot be steered by. */
static char *
plain(const char *text, int ascii)
{
	struct render_opts o;

	memset(&o, 0, sizeof o);
	o.ascii = ascii;
	o.flags = RENDER_ONELINE | RENDER_NOMATH;
	return render_plain(text, &o);
}

/* The byte offset of 1-based character column col of s. */
static size_t
column_offset(const char *s, unsigned col)
{
	size_t off = 0, len = strlen(s);
	uint32_t cp;
	int ok;

	for (unsigned c = 1; c < col && off < len; c++)
		off += utf8_decode(s + off, len - off, &cp, &ok);
	return off;
}

/* "lemma search: bad query at column N: msg", the query, and a caret
 * under the column, counted in terminal cells. */
static int
bad_query(const char *query, const struct err *e, int ascii)
{
	size_t off = column_offset(query, e->col);
	char *shown = plain(query, ascii), *before, *prefix;
	int width;

	prefix = xstrndup(query, off);
	before = plain(prefix, ascii);
	width = render_width(before, strlen(before));
	cmd_complain("lemma search: bad query at column %u: %s\n  %s\n  %*s^\n",
	    e->col, e->msg, shown, width, "");
	free(prefix);
	free(before);
	free(shown);
	return 2;
}

static void
format_due(const struct search_row *r, char *buf, size_t len)
{
	struct tm tm;
	time_t due = r->due;

	if (r->state == 0) {
		snprintf(buf, len, "new #%d", r->position);
		return;
	}
	if (r->state == 2) {
		localtime_r(&due, &tm);
		strftime(buf, len, "%Y-%m-%d", &tm);
	} else
		day_format(due, buf, len);
	/* Anki puts the due date of a card that will not come up in
	 * parentheses. */
	if (r->is_suspended || r->is_buried) {
		char inner[64];

		snprintf(inner, sizeof inner, "%s", buf);
		snprintf(buf, len, "(%s)", inner);
	}
}

static void
print_line(const struct search_row *r, int ascii)
{
	char *deck = plain(r->deck, ascii), *field = plain(r->sort_field, ascii);
	char due[80], ivl[32];

	format_due(r, due, sizeof due);
	if (r->state == 2 || r->state == 3)
		snprintf(ivl, sizeof ivl, "%dd", r->ivl_days);
	else
		snprintf(ivl, sizeof ivl, "-");
	printf("%s\t%s\t%s\t%s\n", deck, field, due, ivl);
	free(deck);
	free(field);
}

/* s as a JSON string (jsonw's rules: valid, and safe to print). */
static void
json_string(const char *s)
{
	struct buf b;

	buf_init(&b);
	jsonw_str(&b, s);
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

static void
json_tags(const char *tags)
{
	const char *s = tags, *t;
	int first = 1;

	putchar('[');
	while (*s != '\0') {
		while (*s == ' ')
			s++;
		for (t = s; *t != '\0' && *t != ' '; t++)
			continue;
		if (t > s) {
			char *tag = xstrndup(s, (size_t)(t - s));

			if (!first)
				putchar(',');
			json_string(tag);
			free(tag);
			first = 0;
		}
		s = t;
	}
	putchar(']');
}

static void
print_json(const struct search_row *r, int first)
{
	char due[80];

	fputs(first ? "\n" : ",\n", stdout);
	printf("{\"card_id\":%lld,\"note_id\":%lld,\"deck\":",
	    (long long)r->card_id, (long long)r->note_id);
	json_string(r->deck);
	fputs(",\"sort_field\":", stdout);
	json_string(r->sort_field);
	fputs(",\"tags\":", stdout);
	json_tags(r->tags);
	printf(",\"notetype\":\"%s\",\"card\":%d,\"state\":\"%s\"",
	    r->notetype >= 0 && r->notetype <= 2 ? notetype_names[r->notetype] :
	    "?", r->ord + 1, r->state >= 0 && r->state <= 3 ?
	    state_names[r->state] : "?");
	if (r->state == 0)
		printf(",\"due\":null,\"due_text\":null,\"position\":%d",
		    r->position);
	else {
		format_due(r, due, sizeof due);
		printf(",\"due\":%lld,\"due_text\":\"%s\",\"position\":null",
		    (long long)r->due, due);
	}
	printf(",\"interval\":%d,\"reps\":%d,\"lapses\":%d", r->ivl_days, r->reps,
	    r->lapses);
	if (r->state == 0)
		fputs(",\"difficulty\":null,\"stability\":null,"
		    "\"retrievability\":null", stdout);
	else
		printf(",\"difficulty\":%.4f,\"stability\":%.4f,"
		    "\"retrievability\":%.4f", r->difficulty, r->stability,
		    r->retrievability);
	printf(",\"flag\":%d,\"suspended\":%s,\"buried\":%s,\"created\":%lld}",
	    r->flag, r->is_suspended ? "true" : "false",
	    r->is_buried ? "true" : "false", (long long)r->created);
}

/* A whole number >= 0 from the command line. */
static int
parse_limit(const char *s, size_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

int
cmd_search(struct app *app, int argc, char **argv)
{
	enum search_sort sort = SEARCH_SORT_FIELD;
	struct search_row rows[SEARCH_CHUNK];
	struct search_result *res;
	struct search *s;
	struct buf query;
	struct err e;
	size_t limit = SIZE_MAX, printed = 0, n;
	int json = 0, reverse = 0, i;
	const char *val;

	/*
	 * Options come first, and only "--" ones: a query word may begin
	 * with "-" (-cat, -deck:x), which getopt would take for options.
	 */
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0) {
			fputs(search_help, stdout);
			return 0;
		}
		if (strcmp(a, "--json") == 0) {
			json = 1;
			continue;
		}
		if (strcmp(a, "--reverse") == 0) {
			reverse = 1;
			continue;
		}
		if (strncmp(a, "--sort", 6) == 0 && (a[6] == '\0' || a[6] == '=')) {
			val = a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : NULL;
			if (val == NULL || search_sort_parse(val, &sort) < 0) {
				cmd_complain("lemma search: --sort takes sort, deck, "
				    "due, interval, difficulty, stability, "
				    "retrievability, reps, lapses or created\n");
				return 2;
			}
			continue;
		}
		if (strncmp(a, "--limit", 7) == 0 && (a[7] == '\0' || a[7] == '=')) {
			val = a[7] == '=' ? a + 8 : i + 1 < argc ? argv[++i] : NULL;
			if (val == NULL || parse_limit(val, &limit) < 0) {
				cmd_complain("lemma search: --limit takes a whole "
				    "number\n");
				return 2;
			}
			continue;
		}
		cmd_complain("lemma search: unknown option '%s' (put -- before "
		    "a query that begins with --)\n", a);
		fputs(search_help, stderr);
		return 2;
	}
	if (app == NULL) {
		fputs(search_help, stdout);
		return 0;
	}
	if (i >= argc) {
		fputs("lemma search: no query given ('' finds every card)\n",
		    stderr);
		fputs(search_help, stderr);
		return 2;
	}
	buf_init(&query);
	buf_add(&query, "", 0);
	for (; i < argc; i++) {
		if (query.len > 0)
			buf_addc(&query, ' ');
		buf_adds(&query, argv[i]);
	}

	err_clear(&e);
	s = search_compile(query.data, app_now(app), search_rollover(app->db), &e);
	if (s == NULL) {
		int rc = bad_query(query.data, &e, app->ascii);

		buf_free(&query);
		return rc;
	}
	buf_free(&query);
	if ((res = search_run(app->db, s, sort, reverse, &e)) == NULL) {
		search_free(s);
		fputs("lemma search: ", stderr);
		err_print(&e, stderr);
		return 1;
	}
	if (json)
		putchar('[');
	for (size_t off = 0; off < search_count(res) && printed < limit;
	    off += SEARCH_CHUNK) {
		size_t want = limit - printed < SEARCH_CHUNK ? limit - printed :
		    SEARCH_CHUNK;

		if (search_page(res, off, want, rows, &n, &e) < 0) {
			search_result_free(res);
			search_free(s);
			fputs("lemma search: ", stderr);
			err_print(&e, stderr);
			return 1;
		}
		for (size_t k = 0; k < n && printed < limit; k++, printed++) {
			if (json)
				print_json(&rows[k], printed == 0);
			else
				print_line(&rows[k], app->ascii);
		}
	}
	if (json)
		fputs(printed > 0 ? "\n]\n" : "]\n", stdout);
	search_result_free(res);
	search_free(s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_complain("lemma search: cannot write: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
