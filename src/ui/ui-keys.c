/*
 * ui-keys.c - actions, key names, and the user's keys.yaml.
 *
 * Each view has a small {key, action} table; the help overlay and the
 * status-line hints are generated from the same tables, so a key cannot be
 * bound but undocumented. keys.yaml rebinds an action to a key in every view
 * that has the action:   good: g    again: a    quit: C-q
 */
#include "config.h"

#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/err.h"
#include "lemma/base/yamldoc.h"

static const struct {
	const char	*name;
	const char	*help;
} actions[] = {
#define X(id, name, help) { name, help },
	UI_ACTIONS(X)
#undef X
};

const char *
ui_action_name(enum ui_action a)
{
	return actions[a].name;
}

const char *
ui_action_help(enum ui_action a)
{
	return actions[a].help;
}

static const struct {
	int		 key;
	const char	*name;
} key_names[] = {
	{ ' ', "Space" }, { '\r', "Enter" }, { '\n', "Enter" },
	{ KEY_ENTER, "Enter" }, { '\t', "Tab" }, { 27, "Esc" },
	{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" },
	{ KEY_RIGHT, "Right" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
	{ KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" },
	{ KEY_BACKSPACE, "Backspace" }, { KEY_DC, "Delete" },
	{ KEY_F(1), "F1" }, { KEY_BTAB, "S-Tab" },
};

const char *
ui_key_name(int key, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, len, "%s", key_names[i].name);
			return buf;
		}
	}
	if (key >= 1 && key <= 26)
		snprintf(buf, len, "^%c", 'A' + key - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "#%d", key);
	return buf;
}

/* Parse a key name as keys.yaml writes it: "x", "Space", "C-x", "F1". */
static int
parse_key(const char *s)
{
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcasecmp(s, key_names[i].name) == 0)
			return key_names[i].key;
	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && s[2] != '\0' &&
	    s[3] == '\0') {
		char c = s[2];
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		if (c >= 'A' && c <= 'Z')
			return c - 'A' + 1;
	}
	if (s[0] != '\0' && s[1] == '\0' && (unsigned char)s[0] > 32 &&
	    (unsigned char)s[0] < 127)
		return (unsigned char)s[0];
	return -1;
}

/* The names of a 0-terminated list of keys, space-separated. */
const char *
ui_keys_named(const int *keys, char *buf, size_t len)
{
	char name[24];

	buf[0] = '\0';
	for (size_t i = 0; keys[i] != 0; i++) {
		ui_key_name(keys[i], name, sizeof name);
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i > 0 ? " " : "", name);
	}
	return buf;
}

static int
rebound_to(const struct ui *ui, enum ui_action a, int key)
{
	for (const int *k = ui->keymap_key[a]; *k != 0; k++)
		if (*k == key)
			return 1;
	return 0;
}

enum ui_action
ui_key_action(const struct ui *ui, const struct view *v, int key)
{
	const struct ui_binding *b;

	if (key == KEY_ENTER || key == '\n')
		key = '\r';
	/* A rebound action answers to its new keys only. */
	for (b = v->keys; b->key != 0; b++)
		if (rebound_to(ui, b->action, key))
			return b->action;
	for (b = v->keys; b->key != 0; b++)
		if (b->key == key && ui->keymap_key[b->action][0] == 0)
			return b->action;
	return UI_NONE;
}

const char *
ui_key_for(const struct ui *ui, const struct view *v, enum ui_action a,
    char *buf, size_t len)
{
	for (const struct ui_binding *b = v->keys; b->key != 0; b++) {
		if (b->action != a)
			continue;
		return ui_key_name(ui->keymap_key[a][0] != 0 ?
		    ui->keymap_key[a][0] : b->key, buf, len);
	}
	return NULL;
}

/*
 * Reading keys.yaml: every line is checked and every bad one reported (a
 * user fixes them all in one go); the good lines are used. Where the line
 * of each key came from is kept to name both lines of a conflict.
 */
struct keys_reading {
	struct ui	*ui;
	const char	*path;
	unsigned	 line[UI_NACTIONS];	/* of the action's binding */
	unsigned	 key_line[UI_NACTIONS][UI_KEYS_PER_ACTION];
	unsigned	 key_col[UI_NACTIONS][UI_KEYS_PER_ACTION];
	int		 bad[UI_NACTIONS];	/* a line with a bad key */
	char		*out;
	size_t		 outlen;
};

static void
keys_report(struct keys_reading *r, unsigned line, unsigned col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
keys_report(struct keys_reading *r, unsigned line, unsigned col,
    const char *fmt, ...)
{
	size_t used = strlen(r->out);
	va_list ap;

	if (used + 1 >= r->outlen)
		return;
	/* The file's name once: the status line is short. */
	if (used > 0)
		snprintf(r->out + used, r->outlen - used, "; %u:%u: ", line,
		    col);
	else
		snprintf(r->out, r->outlen, "%s:%u:%u: ", r->path, line, col);
	used = strlen(r->out);
	va_start(ap, fmt);
	vsnprintf(r->out + used, r->outlen - used, fmt, ap);
	va_end(ap);
}

static int
keys_pair(void *arg, const char *path, const struct yamldoc_pair *p,
    struct err *e)
{
	struct keys_reading *r = arg;
	int key, *keys;
	size_t n;

	(void)e;
	r->path = path;
	for (int a = 1; a < UI_NACTIONS; a++) {
		if (strcmp(p->key, actions[a].name) != 0)
			continue;
		if (p->value == NULL || (key = parse_key(p->value)) < 0) {
			keys_report(r, p->value_line, p->value_col,
			    "'%s' is not a key (x, Space, Enter, "
			    "Tab, Esc, Up, C-x, F1...)", p->value ? p->value : "");
			r->bad[a] = 1;
			return 0;
		}
		keys = r->ui->keymap_key[a];
		if (p->list_index <= 1 && r->line[a] != 0) {
			keys_report(r, p->key_line, p->key_col,
			    "'%s' is bound twice (first on line %u)",
			    actions[a].name, r->line[a]);
			return 0;
		}
		r->line[a] = p->key_line;
		for (n = 0; keys[n] != 0; n++)
			;
		if (n == UI_KEYS_PER_ACTION) {
			keys_report(r, p->value_line, p->value_col,
			    "'%s' takes %d keys at most", actions[a].name,
			    UI_KEYS_PER_ACTION);
			return 0;
		}
		keys[n] = key;
		r->key_line[a][n] = p->value_line;
		r->key_col[a][n] = p->value_col;
		return 0;
	}
	keys_report(r, p->key_line, p->key_col, "unknown action '%s'", p->key);
	return 0;
}

/* Whether action a answers to key in view v, by keys.yaml or by default;
 * *line gets the keys.yaml line (0 for a default). */
static int
answers_to(const struct ui *ui, const struct view *v, enum ui_action a,
    int key, const struct keys_reading *r, unsigned *line)
{
	if (ui->keymap_key[a][0] != 0) {
		for (size_t i = 0; ui->keymap_key[a][i] != 0; i++)
			if (ui->keymap_key[a][i] == key) {
				*line = r->key_line[a][i];
				return 1;
			}
		return 0;
	}
	*line = 0;
	for (const struct ui_binding *b = v->keys; b->key != 0; b++)
		if (b->action == a && b->key == key)
			return 1;
	return 0;
}

/*
 * Finds one key that two actions of one view would share, reports it at
 * the later keys.yaml line (a default is earliest) and drops that line's
 * binding, so the action falls back to its default keys. Returns 0 when
 * there is no conflict left.
 */
static int
drop_one_conflict(struct ui *ui, struct keys_reading *r)
{
	static const struct view *const views[] = {
		&ui_decks_view, &ui_study_view, &ui_stats_view, &ui_browse_view,
		&ui_editor_view, &ui_options_view,
	};
	char name[24];

	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		const struct view *v = views[i];

		for (const struct ui_binding *b = v->keys; b->key != 0; b++) {
			enum ui_action a = b->action;

			for (size_t k = 0; ui->keymap_key[a][k] != 0; k++) {
				int key = ui->keymap_key[a][k];
				unsigned la = r->key_line[a][k], lb;

				for (const struct ui_binding *c = v->keys;
				    c->key != 0; c++) {
					if (c->action == a || !answers_to(ui, v,
					    c->action, key, r, &lb))
						continue;
					if (lb > la)	/* reported from c's side */
						continue;
					ui_key_name(key, name, sizeof name);
					if (lb == 0)
						keys_report(r, la,
						    r->key_col[a][k], "'%s' is "
						    "already %s in %s", name,
						    actions[c->action].name,
						    v->name);
					else
						keys_report(r, la,
						    r->key_col[a][k], "'%s' is "
						    "already %s (line %u) in %s",
						    name, actions[c->action].name,
						    lb, v->name);
					memset(ui->keymap_key[a], 0,
					    sizeof ui->keymap_key[a]);
					return 1;
				}
			}
		}
	}
	return 0;
}

void
ui_keys_load(struct ui *ui)
{
	struct keys_reading *r;
	char path[4200];
	struct err e;

	if (ui->app->config_dir[0] == '\0')
		return;
	snprintf(path, sizeof path, "%s/keys.yaml", ui->app->config_dir);
	if ((r = calloc(1, sizeof *r)) == NULL)
		return;
	r->ui = ui;
	r->path = path;
	r->out = ui->theme_error;
	r->outlen = sizeof ui->theme_error;
	ui->theme_error[0] = '\0';
	err_clear(&e);
	if (yamldoc_read_pairs(path, keys_pair, r, &e) < 0) {
		memset(ui->keymap_key, 0, sizeof ui->keymap_key);
		err_format(&e, ui->theme_error, sizeof ui->theme_error);
		free(r);
		return;
	}
	/* An action with a bad key keeps its defaults, not half a list. */
	for (int a = 1; a < UI_NACTIONS; a++)
		if (r->bad[a])
			memset(ui->keymap_key[a], 0, sizeof ui->keymap_key[a]);
	while (drop_one_conflict(ui, r))
		;
	free(r);
}
