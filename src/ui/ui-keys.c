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

#include <stdio.h>
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
	{ KEY_F(1), "F1" },
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

enum ui_action
ui_key_action(const struct ui *ui, const struct view *v, int key)
{
	const struct ui_binding *b;

	if (key == KEY_ENTER || key == '\n')
		key = '\r';
	/* A rebound action answers to its new key only. */
	for (int a = 1; a < UI_NACTIONS; a++)
		if (ui->keymap_key[a] != 0 && ui->keymap_key[a] == key)
			for (b = v->keys; b->key != 0; b++)
				if (b->action == (enum ui_action)a)
					return (enum ui_action)a;
	for (b = v->keys; b->key != 0; b++)
		if (b->key == key && ui->keymap_key[b->action] == 0)
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
		return ui_key_name(ui->keymap_key[a] != 0 ? ui->keymap_key[a] :
		    b->key, buf, len);
	}
	return NULL;
}

static int
keys_pair(void *arg, const char *path, const struct yamldoc_pair *p,
    struct err *e)
{
	struct ui *ui = arg;
	int key;

	for (int a = 1; a < UI_NACTIONS; a++) {
		if (strcmp(p->key, actions[a].name) != 0)
			continue;
		if (p->value == NULL || (key = parse_key(p->value)) < 0)
			return err_set(e, path, p->value_line, p->value_col,
			    "'%s' is not a key (a character, Space, Enter, Tab, "
			    "Esc, Up, C-x, F1...)", p->value ? p->value : "");
		ui->keymap_key[a] = key;
		return 0;
	}
	return err_set(e, path, p->key_line, p->key_col, "unknown action '%s'",
	    p->key);
}

void
ui_keys_load(struct ui *ui)
{
	char path[4200];
	struct err e;

	if (ui->app->config_dir[0] == '\0')
		return;
	snprintf(path, sizeof path, "%s/keys.yaml", ui->app->config_dir);
	err_clear(&e);
	if (yamldoc_read_pairs(path, keys_pair, ui, &e) < 0) {
		memset(ui->keymap_key, 0, sizeof ui->keymap_key);
		err_format(&e, ui->theme_error, sizeof ui->theme_error);
	}
}
