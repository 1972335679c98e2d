/*
 * test_cli.c - the non-interactive commands, run as a user runs them:
 * exit codes, messages, and files left as they were.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../unit/json-mini.h"
#include "screen-util.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

/* Run lemma --db db args with its stderr in err (stdout thrown away);
 * returns the exit status. */
static int
run_err(const char *db, const char *const args[], char *err, size_t len)
{
	const char *bin = getenv("LEMMA_BIN") != NULL ? getenv("LEMMA_BIN") :
	    "src/lemma";
	const char *argv[32];
	int n = 0, fds[2], status;
	size_t used = 0;
	ssize_t r;
	pid_t pid;

	argv[n++] = bin;
	argv[n++] = "--db";
	argv[n++] = db;
	for (int i = 0; args[i] != NULL && n < 30; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], err + used, len - 1 - used)) > 0)
		used += (size_t)r;
	err[used] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void
test_version_and_help(void **state)
{
	char out[4096];
	const char *version[] = { "--version", NULL };
	const char *help[] = { "--help", NULL };
	const char *bad[] = { "--bogus", NULL };
	const char *import_help[] = { "import", "--help", NULL };
	const char *due_help[] = { "due", "--help", NULL };

	(void)state;
	assert_int_equal(st_run(st_path("v.db"), version, out, sizeof out), 0);
	assert_non_null(strstr(out, "lemma " PACKAGE_VERSION));
	assert_int_equal(st_run(st_path("v.db"), help, out, sizeof out), 0);
	assert_non_null(strstr(out, "usage: lemma"));
	assert_int_equal(st_run(st_path("v.db"), bad, out, sizeof out), 2);
	assert_int_equal(st_run(st_path("v.db"), import_help, out, sizeof out), 0);
	assert_non_null(strstr(out, "usage: lemma import"));
	assert_int_equal(st_run(st_path("v.db"), due_help, out, sizeof out), 0);
	assert_non_null(strstr(out, "usage: lemma due"));
}

/* The full-screen program's first start brings the bundled deck. */
static void
test_due_bundled(void **state)
{
	char out[4096];
	const char *due[] = { "due", NULL };
	struct stat st;
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("due.db"), NULL, NULL, 24, 80);
	st_expect(vt, "Tokens to Embodied Minds");
	st_quit(vt);
	assert_int_equal(st_run(st_path("due.db"), due, out, sizeof out), 0);
	assert_non_null(strstr(out, "Tokens to Embodied Minds"));
	assert_non_null(strstr(out, "   10 new"));
	assert_int_equal(stat(st_path("due.db"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void
test_refuse_passwd(void **state)
{
	static const char text[] = "root:x:0:0:root:/root:/bin/bash\n";
	char out[1024], *after;
	const char *due[] = { "due", NULL };
	const char *path = st_path("passwd");
	size_t len;
	FILE *f;

	(void)state;
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	assert_int_equal(st_run(path, due, out, sizeof out), 1);
	after = slurp(path, &len);
	assert_int_equal(len, sizeof text - 1);
	assert_memory_equal(after, text, len);
	free(after);
}

static void
test_check(void **state)
{
	char out[4096], *data;
	const char *check[] = { "check", NULL };
	const char *import[] = { "import", LEMMA_SRCDIR "/decks", NULL };
	const char *path = st_path("check.db");
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(st_run(path, import, out, sizeof out), 0);
	assert_int_equal(st_run(path, check, out, sizeof out), 0);
	assert_non_null(strstr(out, "ok: "));
	assert_non_null(strstr(out, "10 cards"));
	/* Cut the file in half: a clear error, exit 1. */
	data = slurp(path, &len);
	f = fopen(path, "wb");
	fwrite(data, 1, len / 2, f);
	fclose(f);
	free(data);
	assert_int_equal(st_run(path, check, out, sizeof out), 1);
}

static void
test_bad_now(void **state)
{
	char out[1024];
	const char *args[] = { "--now", "tomorrow-ish", "due", NULL };

	(void)state;
	assert_int_equal(st_run(st_path("now.db"), args, out, sizeof out), 2);
}

static void
test_export_text(void **state)
{
	char out[16384];
	const char *import[] = { "import", LEMMA_SRCDIR "/decks", NULL };
	const char *text[] = { "export", "--format", "text", NULL };
	const char *bad[] = { "export", "--format", "pdf", NULL };
	const char *db = st_path("text.db");

	(void)state;
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	setenv("LC_ALL", "C.UTF-8", 1);
	assert_int_equal(st_run(db, text, out, sizeof out), 0);
	assert_non_null(strstr(out, "== Tokens to Embodied Minds"));
	assert_non_null(strstr(out, "A: H(p) = −Σₓ p(x) log p(x)."));
	assert_non_null(strstr(out, "KL(p‖q)"));
	setenv("LC_ALL", "C", 1);
	assert_int_equal(st_run(db, text, out, sizeof out), 0);
	assert_non_null(strstr(out, "A: H(p) = -sum_x p(x) log p(x)."));
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		assert_true(*p < 0x80);
	unsetenv("LC_ALL");
	assert_int_equal(st_run(db, bad, out, sizeof out), 2);
}

/*
 * Issue 14: a cloze deletion taken out of a note leaves an empty card,
 * which import and --dry-run count, check lists with --empty-cards (card
 * text made safe for the terminal), and --delete removes with its
 * history; nothing is deleted before that.
 */
static void
test_empty_cards(void **state)
{
	char out[8192];
	const char *db = st_path("empty.db"), *deck = st_path("cloze.tsv");
	const char *import[] = { "import", "--deck", "C", deck, NULL };
	const char *dry[] = { "import", "--dry-run", "--deck", "C", deck,
	    NULL };
	const char *check[] = { "check", NULL };
	const char *list[] = { "check", "--empty-cards", NULL };
	const char *del[] = { "check", "--empty-cards", "--delete", NULL };
	const char *bad[] = { "check", "--delete", NULL };

	(void)state;
	write_text(deck, "#separator:tab\n#guid column:1\n"
	    "G1\t{{c1::alpha}} and {{c2::beta}} \x1b[2J\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	assert_non_null(strstr(out, "1 added"));
	write_text(deck, "#separator:tab\n#guid column:1\n"
	    "G1\t{{c1::alpha}} and beta \x1b[2J\n");
	assert_int_equal(st_run(db, dry, out, sizeof out), 0);
	assert_non_null(strstr(out, "cloze.tsv: 0 added, 1 updated, 0 unchanged, "
	    "0 skipped, 1 card now empty\n"));
	assert_non_null(strstr(out, "dry run, nothing written: 0 added, 1 "
	    "updated, 0 unchanged, 0 skipped, 1 card now empty\n"));
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_non_null(strstr(out, "no empty cards"));

	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	assert_non_null(strstr(out, "1 updated, 0 unchanged, 0 skipped, 1 card "
	    "now empty\n"));
	/* An empty card is no fault of the file. */
	assert_int_equal(st_run(db, check, out, sizeof out), 0);
	assert_non_null(strstr(out, "1 empty card"));
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_non_null(strstr(out, "C\tcloze 2\talpha and beta"));
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "1 empty card; lemma check --empty-cards "
	    "--delete deletes it with its review history\n"));
	assert_int_equal(st_run(db, bad, out, sizeof out), 2);
	assert_int_equal(st_run(db, del, out, sizeof out), 0);
	assert_non_null(strstr(out, "deleted 1 empty card and its review "
	    "history\n"));
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_non_null(strstr(out, "no empty cards"));
	assert_int_equal(st_run(db, check, out, sizeof out), 0);
	assert_null(strstr(out, "empty card"));
}

/* Commands that only read never make a progress file nor its folders: a
 * mistyped --db is an error that names the path. import makes one. */
static void
test_read_commands_create_nothing(void **state)
{
	const char *cmds[][3] = {
		{ "due", NULL }, { "search", "deck:x", NULL }, { "stats", NULL },
		{ "export", NULL }, { "check", NULL }, { "restore", NULL },
	};
	const char *import[] = { "import", LEMMA_SRCDIR "/decks", NULL };
	char dir[700], db[800], want[900], err[4096];
	struct stat st;

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_path("typo"));
	snprintf(db, sizeof db, "%s/y.db", dir);
	snprintf(want, sizeof want, "%s: no such progress file", db);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		fprintf(stderr, "# lemma %s\n", cmds[i][0]);
		assert_int_equal(run_err(db, cmds[i], err, sizeof err), 1);
		if (strstr(err, want) == NULL)
			fail_msg("lemma %s said: %s", cmds[i][0], err);
		assert_int_equal(stat(dir, &st), -1);
		assert_int_equal(errno, ENOENT);
	}
	assert_int_equal(run_err(db, import, err, sizeof err), 0);
	assert_int_equal(stat(db, &st), 0);
}

/* A --db longer than a path can be is refused whole: never cut short
 * (that made thousands of folders), and nothing is created. */
static void
test_db_path_too_long(void **state)
{
	const char *cmds[][3] = {
		{ "due", NULL }, { "import", LEMMA_SRCDIR "/decks", NULL },
	};
	char dir[700], *db, err[4096];
	size_t len = 0;
	struct stat st;

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_path("long"));
	db = malloc(8192);
	len = (size_t)snprintf(db, 8192, "%s", dir);
	while (len < 5000)
		len += (size_t)snprintf(db + len, 8192 - len, "/d");
	snprintf(db + len, 8192 - len, "/y.db");
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		assert_int_equal(run_err(db, cmds[i], err, sizeof err), 2);
		if (strstr(err, "too long") == NULL)
			fail_msg("lemma %s said: %s", cmds[i][0], err);
		assert_int_equal(stat(dir, &st), -1);
	}
	free(db);
}

/* --now beyond what a calendar date can say (year 9999), or beyond what
 * a number can hold, is a usage error that shows the accepted forms;
 * it used to reach the statistics, which asked for 644 GB. */
static void
test_now_out_of_range(void **state)
{
	static const char *const bad[] = {
		"99999999999999999999", "9223372036854775808", "253402300800",
		"10000000000000",
	};
	const char *import[] = { "import", LEMMA_SRCDIR "/decks", NULL };
	const char *args[] = { "--now", NULL, "stats", "--period", "all", NULL };
	char err[4096];
	const char *db = st_path("far.db");

	(void)state;
	assert_int_equal(run_err(db, import, err, sizeof err), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		args[1] = bad[i];
		assert_int_equal(run_err(db, args, err, sizeof err), 2);
		if (strstr(err, "2025-01-01T09:00:00Z") == NULL ||
		    strstr(err, "9999") == NULL)
			fail_msg("--now %s: %s", bad[i], err);
	}
	/* The last second of year 9999 is still a time. */
	args[1] = "253402300799";
	assert_int_equal(run_err(db, args, err, sizeof err), 0);
	args[1] = "9999-12-31T23:59:59Z";
	assert_int_equal(run_err(db, args, err, sizeof err), 0);
}

/* The names in dir other than the ones expected, joined by spaces: what an
 * export left behind (a temporary file). */
static void
stray_files(const char *dir, const char *const expected[], char *out,
    size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	out[0] = '\0';
	while ((de = readdir(d)) != NULL) {
		int known = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0;
		for (size_t i = 0; expected[i] != NULL && !known; i++)
			known = strcmp(de->d_name, expected[i]) == 0;
		if (!known) {
			strncat(out, de->d_name, len - strlen(out) - 2);
			strcat(out, " ");
		}
	}
	closedir(d);
}

static void
assert_file_is(const char *path, const char *text)
{
	size_t len;
	char *data = slurp(path, &len);

	assert_non_null(data);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(data, text, len);
	free(data);
}

/*
 * export -o: a new file is written whole; an existing file is refused
 * unless --force, and then replaced at once (a temporary file in the same
 * directory renamed over it); a symbolic link is never written through:
 * with --force the link itself is replaced and its target kept.
 */
static void
test_export_output_file(void **state)
{
	static const char old[] = "my own notes, not an export\n";
	char err[4096], dir[600], db[700], out[700], link[700], victim[700];
	char stray[1024];
	const char *const names[] = { "out.txt", "link.txt", "victim.txt",
	    "export.db", "export.db-wal", "export.db-shm", "backups", NULL };
	const char *import[] = { "import", LEMMA_SRCDIR "/decks", NULL };
	const char *plain[] = { "export", "-o", out, NULL };
	const char *forced[] = { "export", "--force", "-o", out, NULL };
	const char *to_link[] = { "export", "-o", link, NULL };
	const char *forced_link[] = { "export", "--force", "-o", link, NULL };
	const char *to_dir[] = { "export", "--force", "-o", dir, NULL };
	struct stat st;
	mode_t mask;
	size_t len;
	char *data;

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_path("exportdir"));
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(db, sizeof db, "%s/export.db", dir);
	snprintf(out, sizeof out, "%s/out.txt", dir);
	snprintf(link, sizeof link, "%s/link.txt", dir);
	snprintf(victim, sizeof victim, "%s/victim.txt", dir);
	assert_int_equal(st_run(db, import, NULL, 0), 0);

	/* A new file: the whole export, with the usual mode for new files. */
	assert_int_equal(run_err(db, plain, err, sizeof err), 0);
	data = slurp(out, &len);
	assert_non_null(data);
	assert_true(len > 100);
	assert_memory_equal(data, "#separator:tab\n", 15);
	free(data);
	mask = umask(0);
	umask(mask);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);

	/* An existing file is refused and left as it was. */
	write_text(out, old);
	assert_int_equal(run_err(db, plain, err, sizeof err), 1);
	if (strstr(err, "exists; use --force to replace it") == NULL)
		fail_msg("unexpected message: %s", err);
	assert_non_null(strstr(err, out));
	assert_file_is(out, old);

	/* --force replaces it, keeping the file's own mode. */
	assert_int_equal(chmod(out, 0640), 0);
	assert_int_equal(run_err(db, forced, err, sizeof err), 0);
	data = slurp(out, &len);
	assert_non_null(data);
	assert_memory_equal(data, "#separator:tab\n", 15);
	free(data);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	/* A symbolic link: refused without --force; with it, the link is
	 * replaced by the export and the file it pointed at is untouched. */
	write_text(victim, old);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(run_err(db, to_link, err, sizeof err), 1);
	assert_non_null(strstr(err, "exists; use --force to replace it"));
	assert_file_is(victim, old);
	assert_int_equal(run_err(db, forced_link, err, sizeof err), 0);
	assert_file_is(victim, old);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	data = slurp(link, &len);
	assert_non_null(data);
	assert_memory_equal(data, "#separator:tab\n", 15);
	free(data);

	/* Not a file at all: refused even with --force. */
	assert_int_equal(run_err(db, to_dir, err, sizeof err), 1);
	assert_non_null(strstr(err, "not a regular file"));

	/* No temporary file is left behind by any of these. */
	stray_files(dir, names, stray, sizeof stray);
	assert_string_equal(stray, "");
}

/*
 * The README's keys table is generated from the key tables (issue 18):
 * a row per view, each action once with all its keys and the view's own
 * words, and a table Markdown reads (three cell borders a row).
 */
static void
test_help_keys_markdown(void **state)
{
	static char out[16384];
	const char *args[] = { "--help-keys", "markdown", NULL };
	const char *bad[] = { "--help-keys", "html", NULL };
	static const char *const views[] = {
		"| Decks | ", "| Statistics | ", "| Study | ", "| Browse | ",
		"| Edit note | ", "| Deck options | ",
	};
	int rows = 0;

	(void)state;
	assert_int_equal(st_run(st_path("keys.db"), args, out, sizeof out), 0);
	assert_true(strncmp(out, "| View | Keys |\n|---|---|\n", 26) == 0);
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
		assert_non_null(strstr(out, views[i]));
	assert_non_null(strstr(out, "| Study | `Space`/`Enter` Show the answer "
	    "/ Good · `1` Grade: Again (forgot) · "));
	assert_non_null(strstr(out, "`u` Undo the last action (any view's)"));
	assert_non_null(strstr(out, "`S-Tab` Previous field"));
	assert_non_null(strstr(out, "`^S`/`Enter` Save the options"));
	assert_null(strstr(out, "#3"));
	for (const char *l = out; *l != '\0'; rows++) {
		const char *end = strchr(l, '\n');
		int pipes = 0;

		assert_non_null(end);
		for (const char *c = l; c < end; c++)
			pipes += *c == '|' && (c == l || c[-1] != '\\');
		assert_int_equal(pipes, 3);
		l = end + 1;
	}
	assert_int_equal(rows, 2 + 6);
	/* Another format is a usage error (its message goes to stderr). */
	assert_int_equal(st_run(st_path("keys.db"), bad, out, sizeof out), 2);
	assert_string_equal(out, "");
}

/*
 * The README's keys table is the program's own output, between its two
 * markers: a key added, rebound by default or worded anew in a view's
 * table fails here until the README is regenerated with
 * lemma --help-keys markdown.
 */
static void
test_readme_keys_table(void **state)
{
	static const char open_mark[] = "<!-- keys:", close_mark[] = "<!-- /keys -->";
	static char out[16384];
	const char *args[] = { "--help-keys", "markdown", NULL };
	char *readme, *from, *to;
	size_t len;

	(void)state;
	readme = slurp(LEMMA_SRCDIR "/README.md", &len);
	assert_non_null(readme);
	assert_int_equal(st_run(st_path("keys.db"), args, out, sizeof out), 0);
	from = strstr(readme, open_mark);
	assert_non_null(from);
	from = strchr(from, '\n');
	assert_non_null(from);
	from++;
	to = strstr(from, close_mark);
	assert_non_null(to);
	*to = '\0';
	if (strcmp(from, out) != 0)
		fail_msg("README.md's keys table differs from lemma --help-keys "
		    "markdown; regenerate it");
	free(readme);
}

/*
 * Issue 15: one table of HTML character references. "&alpha;" (and a
 * name with two code points, a legacy name without ';', a numeric C1
 * reference remapped as HTML5 does) reads the same in lemma search and
 * export --format text, as in the study view (test_screen_study).
 */
static void
test_entities_everywhere(void **state)
{
	char out[8192];
	const char *db = st_path("ent.db"), *deck = st_path("ent.tsv");
	const char *import[] = { "import", "--deck", "Ents", (char *)deck, NULL };
	const char *search[] = { "search", "deck:Ents", NULL };
	const char *text[] = { "export", "--format", "text", NULL };
	const char *want = "Greek \xce\xb1 \xe2\x88\x89 \xe2\x82\xac "
	    "\xc2\xbe \xe2\x89\x82\xcc\xb8 &x end";	/* α ∉ € ¾ ≂̸ &x */

	(void)state;
	write_text(deck, "#separator:tab\n#html:true\n"
	    "Greek &alpha; &notin; &#128; &frac34 &NotEqualTilde; &ampx end\t"
	    "back &lambda;\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	setenv("LC_ALL", "C.UTF-8", 1);
	assert_int_equal(st_run(db, search, out, sizeof out), 0);
	if (strstr(out, want) == NULL)
		fail_msg("search printed: %s", out);
	assert_int_equal(st_run(db, text, out, sizeof out), 0);
	unsetenv("LC_ALL");
	if (strstr(out, want) == NULL || strstr(out, "A: back \xce\xbb") == NULL)
		fail_msg("export --format text printed: %s", out);
}

/* Set a deck's name in the progress file as another program could: the
 * import would have cleaned it. */
static void
rename_deck(const char *db, const char *from, const char *to)
{
	sqlite3 *s;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "UPDATE decks SET name = ?2 "
	    "WHERE name = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	assert_int_equal(sqlite3_changes(s), 1);
	sqlite3_finalize(st);
	sqlite3_close(s);
}

/* out is valid JSON whose "deck" (at the top, or in the first element of
 * an array) reads want. */
static void
assert_json_deck(const char *out, const char *want)
{
	char err[256];
	struct json *j = json_parse(out, err, sizeof err);
	const struct json *o;

	if (j == NULL)
		fail_msg("not JSON (%s): %s", err, out);
	o = j->type == JSON_ARRAY && j->n > 0 ? &j->items[0] : j;
	if (json_str(o, "deck") == NULL || strcmp(json_str(o, "deck"), want))
		fail_msg("deck is not the name, escaped: %s", out);
	json_free(j);
	for (const char *p = out; *p != '\0'; p++)
		assert_true(*p != '\x1b' && (unsigned char)*p != 0xFF &&
		    (unsigned char)*p != 0xC2);
}

/*
 * Issue 15: one JSON writer. A deck name with a byte that is not UTF-8,
 * a C1 control (U+0085) and ESC comes out of search --json and
 * stats --json as valid JSON, each escaped: \ufffd, \u0085, \u001b.
 */
static void
test_json_one_writer(void **state)
{
	char out[16384];
	const char *db = st_path("json.db"), *deck = st_path("json.tsv");
	const char *bad = "Bad\xff\xc2\x85name\x1b";
	const char *import[] = { "import", "--deck", "Plain", (char *)deck, NULL };
	const char *search[] = { "search", "--json", "deck:Bad*", NULL };
	const char *stats[] = { "stats", "--json", "--deck", (char *)bad, NULL };

	(void)state;
	write_text(deck, "#separator:tab\nfront\tback\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	rename_deck(db, "Plain", bad);
	assert_int_equal(st_run(db, search, out, sizeof out), 0);
	assert_non_null(strstr(out, "\"Bad\\ufffd\\u0085name\\u001b\""));
	assert_json_deck(out, "Bad\xef\xbf\xbd\xc2\x85name\x1b");
	assert_int_equal(st_run(db, stats, out, sizeof out), 0);
	assert_non_null(strstr(out, "\"Bad\\ufffd\\u0085name\\u001b\""));
	assert_json_deck(out, "Bad\xef\xbf\xbd\xc2\x85name\x1b");
}

/*
 * A word of argv that would retitle the terminal and ring its bell, as
 * an unknown option, a stray argument or a bad value of each command:
 * every message shows it (the sanitiser's pictures), none sends it.
 */
static void
test_argv_escapes_shown(void **state)
{
#define ESC_WORD	"\x1b]0;pwned\x07"
	static const char *const cases[][5] = {
		{ "--" ESC_WORD },
		{ "-\x1b" },
		{ "optimize", "--" ESC_WORD },
		{ "optimize", "a" ESC_WORD },
		{ "optimize", "--epochs" },
		{ "stats", "--" ESC_WORD },
		{ "stats", "a" ESC_WORD },
		{ "stats", "--period", ESC_WORD },
		{ "stats", "--width", ESC_WORD },
		{ "export", "--" ESC_WORD },
		{ "export", "a" ESC_WORD },
		{ "export", "--format", ESC_WORD },
		{ "import", "--" ESC_WORD, "x" },
		{ "due", "a" ESC_WORD },
		{ "check", "a" ESC_WORD },
		{ "search", "--" ESC_WORD },
		{ "deck", ESC_WORD },
		{ "deck", "add", "--" ESC_WORD },
		{ "deck", "add", "a", "b", ESC_WORD },
		{ "preset", ESC_WORD },
		{ "preset", "show", "--" ESC_WORD },
		{ "preset", "set", "Default", ESC_WORD "=1" },
		{ "notetype", "add", "x", ESC_WORD },
		{ "restore", "a" ESC_WORD },
		{ "restore", "99" ESC_WORD },
		{ "simulate", "--" ESC_WORD },
		{ "simulate", "a" ESC_WORD },
		{ "simulate", "--preset", ESC_WORD },
		{ "simulate", "--days", ESC_WORD },
		{ "export", "--format", "apkg", "a" ESC_WORD },
		{ "package", "info", "--" ESC_WORD },
		{ "package", "info", ESC_WORD ".apkg" },
		{ "import", "--update", ESC_WORD, "x" },
	};
	const char *db = st_path("argv-esc.db"), *deck = st_path("argv-esc.tsv");
	const char *import[] = { "import", (char *)deck, NULL };
	char err[8192];

	(void)state;
	write_text(deck, "#separator:tab\nfront\tback\n");
	assert_int_equal(run_err(db, import, err, sizeof err), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[6] = { NULL };
		int rc;

		for (size_t j = 0; j < 5 && cases[i][j] != NULL; j++)
			args[j] = cases[i][j];
		rc = run_err(db, args, err, sizeof err);
		if (rc == 0 || err[0] == '\0')
			fail_msg("%s %s: exit %d, stderr \"%s\"", args[0],
			    args[1] != NULL ? args[1] : "", rc, err);
		if (strchr(err, '\x1b') != NULL || strchr(err, '\x07') != NULL)
			fail_msg("case %zu (%s): the escape reached stderr: %s",
			    i, args[0], err);
	}
#undef ESC_WORD
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_and_help),
		cmocka_unit_test(test_due_bundled),
		cmocka_unit_test(test_refuse_passwd),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_bad_now),
		cmocka_unit_test(test_export_text),
		cmocka_unit_test(test_empty_cards),
		cmocka_unit_test(test_read_commands_create_nothing),
		cmocka_unit_test(test_db_path_too_long),
		cmocka_unit_test(test_now_out_of_range),
		cmocka_unit_test(test_export_output_file),
		cmocka_unit_test(test_help_keys_markdown),
		cmocka_unit_test(test_readme_keys_table),
		cmocka_unit_test(test_entities_everywhere),
		cmocka_unit_test(test_json_one_writer),
		cmocka_unit_test(test_argv_escapes_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
