/*
 * ui-edit.c - editing a note in $VISUAL / $EDITOR.
 *
 * The note goes to a private temporary file as a small document (notedoc.h);
 * curses steps aside while the editor runs. A document that does not
 * validate is never sent back to the editor on its own: lemma shows the
 * problem (file:line) and asks, as visudo and crontab -e do, whether to
 * edit again (the text with the problem noted on top), discard the edit,
 * or keep the text as it is in its file while the note stays unchanged.
 * Saving an invalid document anyway is not offered: a missing heading
 * would blank a field, and a cloze note without a cloze would lose cards.
 * An emptied file cancels. SIGHUP and SIGTERM while the editor runs are
 * passed on to it, and lemma ends once it has gone.
 */
#include "config.h"

#include "ui.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/notedoc.h"

/* How long an editor told to end (SIGHUP, SIGTERM) may take to save its
 * recovery files before it is killed: vim and nano need milliseconds. */
#define EDITOR_GRACE_MS	5000

/* The problem, as written above the user's text for another edit. */
#define NOTICE_PREFIX	"# lemma: not saved"
#define NOTICE_HINT	"# Fix it and save again, or empty the file to cancel."

static char *
read_file(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Wait for the editor, pid. SIGHUP and SIGTERM reach it through ui.c's
 * handler while we wait; once lemma is ending, the editor has
 * EDITOR_GRACE_MS to go before it is killed, so that lemma always ends.
 */
static int
wait_editor(pid_t pid, int *status)
{
	pid_t r;
	long waited;

	while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR &&
	    !ui_terminating())
		;
	if (r == pid)
		return 0;
	if (r < 0 && errno != EINTR)
		return -1;
	for (waited = 0; waited < EDITOR_GRACE_MS; waited += 20) {
		if ((r = waitpid(pid, status, WNOHANG)) != 0)
			return r == pid ? 0 : -1;
		sleep_ms(20);
	}
	kill(pid, SIGKILL);
	while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	return r == pid ? 0 : -1;
}

/*
 * Run the program file with argv on the terminal, as $EDITOR runs: ^C and
 * ^\ are its keys while it runs, SIGHUP and SIGTERM reach it; returns its
 * exit status or -1. The caller has suspended curses (ui_suspend).
 */
int
ui_run_program(const char *file, char *const argv[])
{
	struct sigaction ignore, old_int, old_quit;
	struct termios tio;
	int status, rc, has_tio = tcgetattr(STDIN_FILENO, &tio) == 0;
	pid_t pid;

	/* While the editor has the terminal, ^C and ^\ are its keys: they
	 * must not end lemma (system(3) and git do the same). */
	memset(&ignore, 0, sizeof ignore);
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	if ((pid = fork()) == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execv(file, argv);
		_exit(127);
	}
	rc = -1;
	if (pid > 0) {
		ui_forward_signals(pid);
		if (wait_editor(pid, &status) == 0 && WIFEXITED(status))
			rc = WEXITSTATUS(status);
		ui_forward_signals(0);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	/* An editor ended by a signal may leave the terminal raw. */
	if (ui_terminating() && has_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	return rc;
}

/* Run the user's editor on path; returns its exit status or -1. Through
 * the shell, so EDITOR="code --wait" works as users expect. */
static int
run_editor(const char *path)
{
	char *argv[] = { (char *)"sh", (char *)"-c",
	    (char *)"exec $LEMMA_EDITOR \"$1\"", (char *)"sh", (char *)path,
	    NULL };

	return ui_run_program("/bin/sh", argv);
}

/*
 * Write text back to path for another edit, with the problem e on top.
 * A notice from an earlier round is replaced, not piled up, and the line
 * number is the one in the new file.
 */
static int
write_with_notice(const char *path, const char *text, const struct err *e)
{
	unsigned dropped = 0, line = e->line;
	FILE *f;

	while (strncmp(text, NOTICE_PREFIX, strlen(NOTICE_PREFIX)) == 0 ||
	    strncmp(text, NOTICE_HINT, strlen(NOTICE_HINT)) == 0) {
		const char *nl = strchr(text, '\n');
		text = nl != NULL ? nl + 1 : text + strlen(text);
		dropped++;
	}
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	if (line > dropped)
		fprintf(f, NOTICE_PREFIX ": line %u: %s\n", line - dropped + 2,
		    e->msg);
	else
		fprintf(f, NOTICE_PREFIX ": %s\n", e->msg);
	fprintf(f, NOTICE_HINT "\n%s", text);
	return fclose(f) == 0 ? 0 : -1;
}

/* Ask what to do with an invalid document: 'e', 'd', 'k', or -1 when the
 * program is ending. */
static int
ask_after_invalid(struct ui *ui, const char *path, const struct err *e)
{
	static const char *const choices[] = {
		"e  edit again: your text, with the problem noted at its top",
		"d  discard your edit: the note stays as it was",
		"k  keep your text as it is in its file; the note stays as it "
		    "was",
		NULL
	};
	char problem[1400];

	if (e->line > 0)
		snprintf(problem, sizeof problem, "%s:%u: %s", path, e->line,
		    e->msg);
	else
		snprintf(problem, sizeof problem, "%s: %s", path, e->msg);
	return ui_ask(ui, "The edited note was not saved", problem, choices,
	    "edk");
}

/* The edited document, for ui_undo_note_edit. */
struct apply_args {
	int64_t		 note_id;
	const char	*text;
};

static int
apply_edit(struct ui *ui, void *arg, struct err *e)
{
	const struct apply_args *a = arg;

	return notedoc_apply(ui->app->db, a->note_id, a->text, ui_now(ui), e);
}

/* Edit note_id; returns 1 when it was saved, 0 when not (message set). */
int
ui_edit_note(struct ui *ui, int64_t note_id)
{
	const char *editor = getenv("VISUAL");
	struct err e;
	char *path, *text = NULL;
	FILE *f;
	int fd, saved = 0, keep = 0, rc, answer;

	if (editor == NULL || editor[0] == '\0')
		editor = getenv("EDITOR");
	setenv("LEMMA_EDITOR", editor != NULL && editor[0] != '\0' ? editor : "vi",
	    1);
	path = xasprintf("%s/lemma-note-XXXXXX.txt", paths_tmpdir());
	if ((fd = mkstemps(path, 4)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		ui_message(ui, 1, "Cannot make a temporary file: %s",
		    strerror(errno));
		free(path);
		return 0;
	}
	err_clear(&e);
	if (notedoc_write(ui->app->db, note_id, f, &e) < 0) {
		fclose(f);
		unlink(path);
		free(path);
		ui_message(ui, 1, "%s", e.msg);
		return 0;
	}
	fclose(f);
	for (;;) {
		ui_suspend(ui);
		rc = run_editor(path);
		/* Ending: curses has left the screen already; the loop
		 * exits as soon as we return. */
		if (ui_terminating())
			break;
		ui_resume(ui);
		if (rc != 0) {
			ui_message(ui, 1, "The editor exited with status %d; the note "
			    "is unchanged.", rc);
			break;
		}
		free(text);
		if ((text = read_file(path)) == NULL) {
			ui_message(ui, 1, "Cannot read the edited note.");
			break;
		}
		err_clear(&e);
		{
			struct apply_args a = { note_id, text };

			rc = ui_undo_note_edit(ui, note_id, apply_edit, &a, &e);
		}
		if (rc == 0) {
			ui_message(ui, 0, "Note saved; its cards keep their "
			    "progress.");
			saved = 1;
			break;
		}
		if (rc == 1) {
			ui_message(ui, 0, "Note unchanged.");
			break;
		}
		/* Invalid: never back to the editor without an answer. */
		answer = ask_after_invalid(ui, path, &e);
		if (answer == 'e' && write_with_notice(path, text, &e) == 0)
			continue;
		if (answer == 'e')
			ui_message(ui, 1, "Cannot write %s: %s; the note is "
			    "unchanged.", path, strerror(errno));
		else if (answer == 'd')
			ui_message(ui, 0, "Edit discarded; the note is unchanged.");
		else if (answer == 'k') {
			ui_message(ui, 0, "Note unchanged; your text is in %s",
			    path);
			keep = 1;
		}
		break;
	}
	free(text);
	if (!keep)
		unlink(path);
	free(path);
	return saved;
}
