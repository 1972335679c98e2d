/* vt.c - pty + libvterm screen harness; see vt.h. */
#include "config.h"

#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

#include "../test-pty.h"

struct vt {
	int		 fd;
	pid_t		 pid;
	VTerm		*term;
	VTermScreen	*screen;
	int		 rows, cols;
	int		 dead;
	int		 status;
	int		 reaped;
	size_t		 total, mark;
	char		*raw;
	size_t		 raw_len, raw_cap;
	char		 screen_buf[64 * 1024];
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void
flush_term_output(struct vt *vt)
{
	char b[256];
	size_t n;

	/* Answers to the program's queries and encoded keys go back to it. */
	while ((n = vterm_output_read(vt->term, b, sizeof b)) > 0) {
		if (write(vt->fd, b, n) < 0)
			break;
	}
}

struct vt *
vt_spawn(const char *const argv[], const char *const env[], int rows,
    int cols, const char *stderr_path)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
	    .ws_col = (unsigned short)cols };
	struct vt *vt = calloc(1, sizeof *vt);

	vt->rows = rows;
	vt->cols = cols;
	vt->pid = test_forkpty(&vt->fd, &ws);
	if (vt->pid < 0) {
		free(vt);
		return NULL;
	}
	if (vt->pid == 0) {
		int fd;

		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("ESCDELAY", "25", 1);
		unsetenv("LINES");
		unsetenv("COLUMNS");
		unsetenv("TMUX");
		unsetenv("NO_COLOR");
		for (int i = 0; env != NULL && env[i] != NULL; i++) {
			char *kv = strdup(env[i]), *eq = strchr(kv, '=');
			if (eq != NULL && eq[1] == '\0') {
				*eq = '\0';
				unsetenv(kv);	/* "K=" removes K */
			} else
				putenv(kv);
		}
		fd = open(stderr_path != NULL ? stderr_path : "/dev/null",
		    O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	fcntl(vt->fd, F_SETFL, fcntl(vt->fd, F_GETFL) | O_NONBLOCK);
	vt->term = vterm_new(rows, cols);
	vterm_set_utf8(vt->term, 1);
	vt->screen = vterm_obtain_screen(vt->term);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);
	return vt;
}

/* Read what is there within timeout_ms; returns bytes read, -1 at EOF. */
static int
pump(struct vt *vt, int timeout_ms)
{
	struct pollfd p = { .fd = vt->fd, .events = POLLIN };
	char b[8192];
	ssize_t n;

	if (vt->dead)
		return -1;
	if (poll(&p, 1, timeout_ms) <= 0)
		return 0;
	n = read(vt->fd, b, sizeof b);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		vt->dead = 1;	/* EIO once the child has exited */
		return -1;
	}
	vt->total += (size_t)n;
	if (vt->raw_len + (size_t)n + 1 > vt->raw_cap) {
		vt->raw_cap = (vt->raw_len + (size_t)n + 1) * 2;
		vt->raw = realloc(vt->raw, vt->raw_cap);
	}
	memcpy(vt->raw + vt->raw_len, b, (size_t)n);
	vt->raw_len += (size_t)n;
	vt->raw[vt->raw_len] = '\0';
	vterm_input_write(vt->term, b, (size_t)n);
	flush_term_output(vt);
	return (int)n;
}

void
vt_send_len(struct vt *vt, const char *keys, size_t n)
{
	while (n > 0) {
		ssize_t w = write(vt->fd, keys, n);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				pump(vt, 5);
				continue;
			}
			return;
		}
		keys += w;
		n -= (size_t)w;
	}
}

void
vt_send(struct vt *vt, const char *keys)
{
	vt_send_len(vt, keys, strlen(keys));
}

void
vt_key(struct vt *vt, const char *name)
{
	static const struct {
		const char *name;
		VTermKey key;
	} keys[] = {
		{ "Up", VTERM_KEY_UP }, { "Down", VTERM_KEY_DOWN },
		{ "Left", VTERM_KEY_LEFT }, { "Right", VTERM_KEY_RIGHT },
		{ "Home", VTERM_KEY_HOME }, { "End", VTERM_KEY_END },
		{ "PageUp", VTERM_KEY_PAGEUP }, { "PageDown", VTERM_KEY_PAGEDOWN },
		{ "Tab", VTERM_KEY_TAB }, { "Enter", VTERM_KEY_ENTER },
		{ "Esc", VTERM_KEY_ESCAPE }, { "Backspace", VTERM_KEY_BACKSPACE },
		{ "Delete", VTERM_KEY_DEL }, { "Insert", VTERM_KEY_INS },
	};

	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		vterm_keyboard_key(vt->term, VTERM_KEY_FUNCTION(atoi(name + 1)),
		    VTERM_MOD_NONE);
		flush_term_output(vt);
		return;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(keys[i].name, name) == 0) {
			vterm_keyboard_key(vt->term, keys[i].key, VTERM_MOD_NONE);
			flush_term_output(vt);
			return;
		}
	}
	vt_send(vt, name);
}

void
vt_row(struct vt *vt, int row, char *buf, size_t len)
{
	VTermRect r = { .start_row = row, .end_row = row + 1, .start_col = 0,
	    .end_col = vt->cols };
	size_t n;

	n = vterm_screen_get_text(vt->screen, buf, len - 1, r);
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

const char *
vt_screen(struct vt *vt)
{
	size_t used = 0;
	char row[4096];

	vt->screen_buf[0] = '\0';
	for (int r = 0; r < vt->rows; r++) {
		size_t n;
		vt_row(vt, r, row, sizeof row);
		n = strlen(row);
		if (used + n + 2 >= sizeof vt->screen_buf)
			break;
		memcpy(vt->screen_buf + used, row, n);
		used += n;
		vt->screen_buf[used++] = '\n';
		vt->screen_buf[used] = '\0';
	}
	return vt->screen_buf;
}

int
vt_contains(struct vt *vt, const char *text)
{
	return strstr(vt_screen(vt), text) != NULL;
}

int
vt_find(struct vt *vt, const char *text, int *row, int *col)
{
	char buf[4096];

	for (int r = 0; r < vt->rows; r++) {
		char *hit;
		vt_row(vt, r, buf, sizeof buf);
		if ((hit = strstr(buf, text)) != NULL) {
			/* Convert the byte offset to cells by walking the row. */
			int c = 0;
			VTermScreenCell cell;
			size_t bytes = 0, target = (size_t)(hit - buf);
			while (c < vt->cols && bytes < target) {
				VTermPos pos = { .row = r, .col = c };
				vterm_screen_get_cell(vt->screen, pos, &cell);
				for (int k = 0; k < VTERM_MAX_CHARS_PER_CELL &&
				    cell.chars[k] != 0; k++) {
					uint32_t cp = cell.chars[k];
					bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 :
					    cp < 0x10000 ? 3 : 4;
				}
				if (cell.chars[0] == 0)
					bytes++;
				c += cell.width > 0 ? cell.width : 1;
			}
			*row = r;
			*col = c;
			return 0;
		}
	}
	return -1;
}

/* Read output until has(vt, text) is want; 0 when it is, -1 at the
 * deadline or when the program has exited and it still is not. */
static int
wait_until(struct vt *vt, const char *text, int timeout_ms,
    int (*has)(struct vt *, const char *), int want)
{
	long deadline = now_ms() + timeout_ms;

	for (;;) {
		if (has(vt, text) == want)
			return 0;
		if (now_ms() >= deadline)
			return -1;
		if (pump(vt, 20) < 0)
			return has(vt, text) == want ? 0 : -1;
	}
}

int
vt_wait_for(struct vt *vt, const char *text, int timeout_ms)
{
	return wait_until(vt, text, timeout_ms, vt_contains, 1);
}

int
vt_wait_gone(struct vt *vt, const char *text, int timeout_ms)
{
	return wait_until(vt, text, timeout_ms, vt_contains, 0);
}

/* The screen's rows joined by one space each, without the rows' leading
 * blanks (a margin): a message the program wrapped at a space reads as
 * one line again. */
int
vt_contains_wrapped(struct vt *vt, const char *text)
{
	char *flat = strdup(vt_screen(vt));
	char *w = flat;
	int found;

	if (flat == NULL)
		return 0;
	for (const char *r = flat; *r != '\0'; r++) {
		if (*r != '\n') {
			*w++ = *r;
			continue;
		}
		*w++ = ' ';
		while (r[1] == ' ')
			r++;
	}
	*w = '\0';
	found = strstr(flat, text) != NULL;
	free(flat);
	return found;
}

int
vt_wait_for_wrapped(struct vt *vt, const char *text, int timeout_ms)
{
	return wait_until(vt, text, timeout_ms, vt_contains_wrapped, 1);
}

void
vt_wait_idle(struct vt *vt, int quiet_ms, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms, last = now_ms();

	while (now_ms() < deadline) {
		int n = pump(vt, 5);
		if (n < 0)
			return;
		if (n > 0)
			last = now_ms();
		else if (now_ms() - last >= quiet_ms)
			return;
	}
}

int
vt_cell(struct vt *vt, int row, int col, struct vt_cell_attrs *a)
{
	VTermPos pos = { .row = row, .col = col };
	VTermScreenCell c;

	if (!vterm_screen_get_cell(vt->screen, pos, &c))
		return -1;
	a->bold = c.attrs.bold;
	a->underline = c.attrs.underline;
	a->italic = c.attrs.italic;
	a->reverse = c.attrs.reverse;
	a->fg_default = VTERM_COLOR_IS_DEFAULT_FG(&c.fg);
	a->bg_default = VTERM_COLOR_IS_DEFAULT_BG(&c.bg);
	a->fg_index = VTERM_COLOR_IS_INDEXED(&c.fg) ? c.fg.indexed.idx : -1;
	a->bg_index = VTERM_COLOR_IS_INDEXED(&c.bg) ? c.bg.indexed.idx : -1;
	return 0;
}

void
vt_mark(struct vt *vt)
{
	vt->mark = vt->total;
	vt->raw_len = 0;
	if (vt->raw != NULL)
		vt->raw[0] = '\0';
}

size_t
vt_bytes_since_mark(struct vt *vt)
{
	return vt->total - vt->mark;
}

size_t
vt_bytes_total(struct vt *vt)
{
	return vt->total;
}

const char *
vt_raw_since_mark(struct vt *vt, size_t *len)
{
	*len = vt->raw_len;
	return vt->raw != NULL ? vt->raw : "";
}

void
vt_resize(struct vt *vt, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
	    .ws_col = (unsigned short)cols };

	vt->rows = rows;
	vt->cols = cols;
	vterm_set_size(vt->term, rows, cols);
	ioctl(vt->fd, TIOCSWINSZ, &ws);
}

void
vt_signal(struct vt *vt, int sig)
{
	kill(vt->pid, sig);
}

pid_t
vt_pid(struct vt *vt)
{
	return vt->pid;
}

void
vt_dump(struct vt *vt, FILE *f)
{
	const char *s = vt_screen(vt);

	fprintf(f, "# ---- screen %dx%d ----\n", vt->cols, vt->rows);
	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		fprintf(f, "# |%.*s\n", (int)(nl - s), s);
		s = nl + 1;
	}
}

int
vt_close(struct vt *vt, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int status = -1;

	for (;;) {
		pid_t r = waitpid(vt->pid, &status, WNOHANG);
		if (r == vt->pid)
			break;
		if (now_ms() >= deadline) {
			kill(vt->pid, SIGKILL);
			waitpid(vt->pid, &status, 0);
			break;
		}
		if (pump(vt, 10) < 0)
			usleep(1000);
	}
	close(vt->fd);
	vterm_free(vt->term);
	free(vt->raw);
	free(vt);
	return status;
}
