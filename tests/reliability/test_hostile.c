/*
 * test_hostile.c - a deck someone shared must not take over the terminal.
 *
 * Cards carry what a terminal would obey: an OSC 52 clipboard write, an
 * OSC 0 title, an OSC 8 link, a screen clear, a cursor-position query
 * (DSR 6n, whose answer would arrive as typed keys), cursor moves, a C1
 * CSI, bells and backspaces, bidi overrides, zero-width characters,
 * invalid UTF-8, the same as HTML entities in an HTML deck, and a 10 MB
 * field. Studying them, every byte lemma writes is recorded: none of the
 * cards' sequences may reach the terminal, the screen must show visible
 * stand-ins instead, and the program must stay responsive and exit
 * cleanly.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel-util.h"
#include "screen-util.h"

#define BIG_BYTES	(10 * 1024 * 1024)

/* The plain-text deck: front and back of each card, raw bytes. */
static const char text_deck[] =
	"#separator:tab\n#html:false\n#deck:Hostile\n"
	"H01 clip \033]52;c;SGFja2VkIQ==\007 end\t"
	    "title \033]0;PWNED-TITLE\007 end\n"
	"H02 clear \033[2J\033[H end\tdsr \033[6n end\n"
	"H03 move \033[5;5HXX \033[1A\033[2K end\t"
	    "bidi \342\200\256gnp.exe\342\200\254 \342\201\246iso end\n"
	"H04 zero\342\200\213wi\342\200\215dth\357\273\277 end\t"
	    "c1 \302\23331m \302\235 bell\007\007 bs\010\010 del\177 end\n"
	"H05 big\tplaceholder\n"
	"H06 link \033]8;;http://evil.example/\033\\here\033]8;;\033\\ end\t"
	    "bad utf8 INVALID end\n";

/* The same tricks as an HTML deck: entities decode to control bytes. */
static const char html_deck[] =
	"#separator:tab\n#html:true\n#deck:Hostile HTML\n"
	"H07 html &#27;]52;c;SGk=&#7; end\t"
	    "&#x1b;]0;HTML-TITLE&#x7; &#x1B;[6n &#155;31m end\n"
	"H08 html &#8238;gnp.exe &#8203; end\t"
	    "<b>bold</b> &#27;[2J &#0; &#xD800; end\n";

/* What must never reach the terminal (as raw bytes; the same text after a
 * visible stand-in for ESC is fine). */
static const struct {
	const char	*bytes;
	const char	*what;
} forbidden[] = {
	{ "\033]52;", "OSC 52 clipboard write" },
	{ "\033]0;", "OSC 0 title" },
	{ "\033[6n", "DSR cursor query" },
	{ "\033]8;", "OSC 8 link" },
	{ "\033[2J\033[H end", "screen clear" },
	{ "\033[5;5HXX", "cursor move" },
	{ "\033[1A\033[2K", "cursor up and line erase" },
	{ "\342\200\256", "U+202E right-to-left override" },
	{ "\342\200\254", "U+202C pop directional formatting" },
	{ "\342\201\246", "U+2066 left-to-right isolate" },
	{ "\342\200\213", "U+200B zero-width space" },
	{ "\342\200\215", "U+200D zero-width joiner" },
	{ "\357\273\277", "U+FEFF zero-width no-break space" },
	{ "\302\233", "U+009B C1 CSI" },
	{ "\302\235", "U+009D C1 OSC" },
	{ "\007", "BEL" },
	{ "\010\010", "backspaces" },
	{ "\377\376", "invalid UTF-8" },
};

static void
check_raw(const char *raw, size_t len, const char *card)
{
	for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
		if (memmem(raw, len, forbidden[i].bytes,
		    strlen(forbidden[i].bytes)) != NULL)
			fail_msg("card %s: the terminal was sent a %s", card,
			    forbidden[i].what);
	}
}

/* Put a BIG_BYTES back on card H05, and invalid UTF-8 on H06: the
 * importer refuses both (rows over 8 MiB, bytes that are not UTF-8), so
 * they can only come from elsewhere, say an old or edited file. */
static void
make_big_field(const char *db)
{
	static const char word[] = "lorem \033]52;c;QQ==\007ipsum ";
	size_t n = 0, wl = sizeof word - 1;
	sqlite3 *s;
	sqlite3_stmt *st;
	char *big = malloc(BIG_BYTES + 1);

	memcpy(big, "H05 big\037", 8);
	n = 8;
	while (n + wl < BIG_BYTES) {
		memcpy(big + n, word, wl);
		n += wl;
	}
	big[n] = '\0';
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "UPDATE notes SET fields = ? "
	    "WHERE sort_field LIKE 'H05%'", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, big, (int)n, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_changes(s), 1);
	/* Invalid UTF-8, which the importer refuses, from an old file. */
	assert_int_equal(sqlite3_exec(s, "UPDATE notes SET fields = "
	    "replace(fields, 'INVALID', CAST(x'FFFEC080' AS TEXT)) WHERE "
	    "sort_field LIKE 'H06%'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(s), 1);
	sqlite3_close(s);
	free(big);
}

/* Which card is on screen: "H01".."H08", or -1. */
static int
shown_card(struct vt *vt)
{
	const char *s = vt_screen(vt), *p = s;

	while ((p = strchr(p, 'H')) != NULL) {
		if (p[1] == '0' && p[2] >= '1' && p[2] <= '8' && p[3] == ' ')
			return p[2] - '0';
		p++;
	}
	return -1;
}

/* The screen text of card k's rows shows a stand-in for what it hid. */
static void
check_screen(struct vt *vt, int card)
{
	const char *s = vt_screen(vt);

	switch (card) {
	case 1:		/* ESC shown as ␛ (or ? in ASCII) */
	case 2:
	case 6:
	case 7:
		if (strstr(s, "\342\220\233") == NULL) {	/* ␛ U+241B */
			vt_dump(vt, stderr);
			fail_msg("card H0%d: no visible stand-in for ESC", card);
		}
		break;
	case 3:
		/* Without the overrides (gone or shown as U+FFFD), the
		 * name reads in its true order: not "exe.png". */
		if (strstr(s, "gnp.exe") == NULL) {
			vt_dump(vt, stderr);
			fail_msg("card H03: the name is not shown in its true "
			    "order");
		}
		break;
	default:
		break;
	}
	/* Nothing moved the card's text: "end" is on the card's own rows,
	 * and the screen was not cleared under it. */
	if (card != 5 && strstr(s, "end") == NULL) {
		vt_dump(vt, stderr);
		fail_msg("card H0%d: its text is not on screen", card);
	}
}

/* Wait for the next card's front, or the end of the deck (-1). */
static int
next_card(struct vt *vt, int timeout_ms)
{
	long end = ru_ms() + timeout_ms;

	while (ru_ms() < end) {
		if (vt_contains(vt, "Congratulations"))
			return -1;
		if (vt_wait_for(vt, "show answer", 50) == 0)
			return 0;
	}
	return -1;
}

static void
test_hostile_cards(void **state)
{
	char db[600], text[600], html[600];
	struct ru_result r;
	struct vt *vt;
	int seen[9] = { 0 }, nseen = 0;
	long t0;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("hostile.db"));
	snprintf(text, sizeof text, "%s", st_path("hostile.txt"));
	snprintf(html, sizeof html, "%s", st_path("hostile-html.txt"));
	ru_write(text, text_deck, sizeof text_deck - 1);
	ru_write(html, html_deck, sizeof html_deck - 1);
	if (ru_lemma(&r, db, "import", text, html, NULL) != 0)
		fail_msg("import: %s", r.err);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 8);
	make_big_field(db);

	vt = st_start(db, NULL, NULL, 24, 80);
	assert_non_null(vt);
	st_expect(vt, "Hostile");
	vt_mark(vt);
	/* The text deck, then the HTML one: Down moves to the next deck. */
	for (int deck = 0; deck < 2; deck++) {
		if (deck == 1) {
			vt_send(vt, "q");
			st_expect(vt, "Hostile HTML");
			vt_wait_idle(vt, 50, 2000);
			vt_key(vt, "Down");
			vt_wait_idle(vt, 50, 2000);
		}
		vt_send(vt, "\r");
		for (;;) {
			int card;
			size_t len;
			const char *raw;

			/* Deadlines are long for the 10 MB field under
			 * valgrind; a pass never waits for them. */
			if (next_card(vt, 60000) != 0)
				break;
			card = shown_card(vt);
			if (card < 0 || seen[card])
				break;
			seen[card] = 1;
			nseen++;
			t0 = ru_ms();
			vt_send(vt, " ");
			if (vt_wait_for(vt, "Easy", 60000) != 0) {
				vt_dump(vt, stderr);
				fail_msg("card H0%d did not reveal", card);
			}
			vt_wait_idle(vt, 50, 3000);
			print_message("# H0%d revealed in %ld ms\n", card,
			    ru_ms() - t0);
			raw = vt_raw_since_mark(vt, &len);
			check_raw(raw, len, "revealed");
			check_screen(vt, card);
			vt_send(vt, "4");
			vt_wait_idle(vt, 50, 10000);
		}
		if (!vt_contains(vt, "Congratulations")) {
			vt_dump(vt, stderr);
			fail_msg("deck %d did not end with the summary", deck);
		}
	}
	assert_int_equal(nseen, 8);
	{
		size_t len;
		const char *raw = vt_raw_since_mark(vt, &len);
		check_raw(raw, len, "any");
	}
	st_quit(vt);
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM revlog"), 8);
}

/* The same cards through the command line: export and search print to a
 * terminal too. */
static void
test_hostile_export(void **state)
{
	char db[600], text[600];
	struct ru_result *r = calloc(1, sizeof *r);

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("export.db"));
	snprintf(text, sizeof text, "%s", st_path("export.txt"));
	ru_write(text, text_deck, sizeof text_deck - 1);
	assert_int_equal(ru_lemma(r, db, "import", text, NULL), 0);
	/* Export is data for Anki, not display: the bytes survive a round
	 * trip (they are the user's), but only into a file or a pipe. */
	assert_int_equal(ru_lemma(r, db, "export", NULL), 0);
	assert_non_null(memmem(r->out, strlen(r->out), "\033]52;c;", 7));
	free(r);
}

/*
 * What no command may print from user data: C0 controls but tab and
 * newline, DEL, C1 controls, bidi controls, zero-width and other format
 * characters, bytes that are not UTF-8. 0 when out[0..len) has none.
 */
static const char *
unsafe_in(const char *out, size_t len)
{
	static const struct {
		const char	*bytes;
		const char	*what;
	} seq[] = {
		{ "\302\200", "C1" }, { "\302\233", "C1 CSI" },
		{ "\302\235", "C1 OSC" }, { "\302\237", "C1" },
		{ "\342\200\213", "U+200B zero-width space" },
		{ "\342\200\215", "U+200D zero-width joiner" },
		{ "\342\200\216", "U+200E LRM" }, { "\342\200\217", "U+200F RLM" },
		{ "\342\200\252", "U+202A" }, { "\342\200\256", "U+202E RLO" },
		{ "\342\201\240", "U+2060 word joiner" },
		{ "\342\201\246", "U+2066 isolate" },
		{ "\342\201\251", "U+2069 pop isolate" },
		{ "\330\234", "U+061C Arabic letter mark" },
		{ "\357\273\277", "U+FEFF" },
	};

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			return c == 0x1B ? "ESC" : c == 0x07 ? "BEL" :
			    "a C0 control";
	}
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
		if (memmem(out, len, seq[i].bytes, strlen(seq[i].bytes)) != NULL)
			return seq[i].what;
	/* Not UTF-8: a lone continuation byte or lead byte. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)out[i] == 0xFF || (unsigned char)out[i] == 0xFE)
			return "a byte that is not UTF-8";
	return NULL;
}

#define EVIL_DECK "Evil\033]52;c;SGk=\007 \342\200\256gnp\342\200\213x" \
	"\302\233" "1m\342\201\246\377"

static void
expect_safe(const struct ru_result *r, const char *what)
{
	const char *bad;

	if ((bad = unsafe_in(r->out, strlen(r->out))) != NULL)
		fail_msg("%s: stdout holds %s", what, bad);
	if ((bad = unsafe_in(r->err, strlen(r->err))) != NULL)
		fail_msg("%s: stderr holds %s", what, bad);
}

/* Deck names and tags with control, bidi and zero-width characters (put
 * in the file directly, as an old version or another program could have
 * left them): no command prints them raw, to a pipe or a file either. */
static void
test_hostile_cli_names(void **state)
{
	char db[600], deck[600], md[600], sql[1200];
	struct ru_result *r = calloc(1, sizeof *r);
	char *text;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("names.db"));
	snprintf(deck, sizeof deck, "%s", st_path("names.txt"));
	snprintf(md, sizeof md, "%s", st_path("names.md"));
	ru_write(deck, "#separator:tab\n#deck:Plain\nfront one\tback one\n"
	    "front two\tback two\n", (size_t)-1);
	assert_int_equal(ru_lemma(r, db, "import", deck, NULL), 0);
	snprintf(sql, sizeof sql, "UPDATE decks SET name = "
	    "CAST(X'%s' AS TEXT) WHERE name = 'Plain';"
	    "UPDATE notes SET tags = ' t\033]0;T\007 \342\200\256x ';",
	    "4576696c1b5d35323b633b53476b3d0720e280ae676e70e2808b78c29b316de281a6ff");
	ru_exec(db, sql);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM decks WHERE "
	    "instr(name, char(27)) > 0"), 1);

	assert_int_equal(ru_lemma(r, db, "due", "--all", NULL), 0);
	expect_safe(r, "due");
	assert_non_null(strstr(r->out, "Evil"));

	assert_int_equal(ru_lemma(r, db, "stats", "--deck", EVIL_DECK, NULL), 0);
	expect_safe(r, "stats --deck");
	assert_non_null(strstr(r->out, "Evil"));

	/* An unknown deck's name comes back in the error message. */
	ru_lemma(r, db, "stats", "--deck", EVIL_DECK "x", NULL);
	expect_safe(r, "stats --deck (unknown)");

	assert_int_equal(ru_lemma(r, db, "search", "", NULL), 0);
	expect_safe(r, "search");
	assert_non_null(strstr(r->out, "Evil"));

	assert_int_equal(ru_lemma(r, db, "export", "--format", "markdown",
	    NULL), 0);
	expect_safe(r, "export --format markdown");
	assert_non_null(strstr(r->out, "Evil"));

	assert_int_equal(ru_lemma(r, db, "export", "--format", "markdown",
	    "-o", md, NULL), 0);
	text = ru_read(md, NULL);
	assert_non_null(text);
	if (unsafe_in(text, strlen(text)) != NULL)
		fail_msg("export --format markdown -o: the file holds %s",
		    unsafe_in(text, strlen(text)));
	free(text);

	assert_int_equal(ru_lemma(r, db, "export", "--format", "text", NULL), 0);
	expect_safe(r, "export --format text");

	/* Anki's format is the user's data: kept byte for byte in a pipe. */
	assert_int_equal(ru_lemma(r, db, "export", NULL), 0);
	assert_non_null(memmem(r->out, strlen(r->out), "Evil\033]52;c;", 11));
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_cards),
		cmocka_unit_test(test_hostile_export),
		cmocka_unit_test(test_hostile_cli_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
