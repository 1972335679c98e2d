/*
 * ui-edit.c - editing a note in $VISUAL / $EDITOR.
 *
 * The note goes to a private temporary file as a small document (notedoc.h);
 * curses steps aside while the editor runs. A document that does not
 * validate is opened again with the problem written at its top, so the
 * user's text is never lost; an emptied file cancels.
 */
#include "config.h"

#include "ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lemma/notedoc.h"
#include "lemma/xmalloc.h"

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

/* Run the user's editor on path; returns its exit status or -1. */
static int
run_editor(const char *path)
{
	const char *editor = getenv("VISUAL");
	pid_t pid;
	int status;

	if (editor == NULL || editor[0] == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || editor[0] == '\0')
		editor = "vi";
	/* Through the shell, so EDITOR="code --wait" works as users expect. */
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", "exec $LEMMA_EDITOR \"$1\"", "sh",
		    path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Edit note_id; returns 1 when it was saved, 0 when not (message set). */
int
ui_edit_note(struct ui *ui, int64_t note_id)
{
	char path[] = "/tmp/lemma-note-XXXXXX.txt";
	const char *editor = getenv("VISUAL");
	struct err e;
	char *text = NULL;
	FILE *f;
	int fd, saved = 0, rc;

	if (editor == NULL || editor[0] == '\0')
		editor = getenv("EDITOR");
	setenv("LEMMA_EDITOR", editor != NULL && editor[0] != '\0' ? editor : "vi",
	    1);
	if ((fd = mkstemps(path, 4)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		ui_message(ui, 1, "Cannot make a temporary file: %s",
		    strerror(errno));
		return 0;
	}
	err_clear(&e);
	if (notedoc_write(ui->app->db, note_id, f, &e) < 0) {
		fclose(f);
		unlink(path);
		ui_message(ui, 1, "%s", e.msg);
		return 0;
	}
	fclose(f);
	for (;;) {
		ui_suspend(ui);
		rc = run_editor(path);
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
		rc = notedoc_apply(ui->app->db, note_id, text, ui_now(ui), &e);
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
		/* Show the problem above the user's own text and go again. */
		if ((f = fopen(path, "w")) == NULL)
			break;
		fprintf(f, "# lemma: not saved: line %u: %s\n# Fix it and save "
		    "again, or empty the file to cancel.\n", e.line, e.msg);
		fputs(text, f);
		fclose(f);
	}
	free(text);
	unlink(path);
	return saved;
}
