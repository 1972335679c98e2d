/*
 * ui-options.c - the deck options: which preset the deck uses (add, clone,
 * rename, delete presets here; how many decks share the one shown), every
 * option of the preset as a form (deckconf_keys: the same rows as `lemma
 * preset set`), and the collection-wide learn-ahead limit and hour the
 * next day starts at. The core validates; a bad value is named on the
 * status line and nothing is saved. Esc with unsaved changes asks.
 *
 * FSRS (ui-fsrs.c does the work, on the form's values saved or not, as
 * Anki's deck options do): ^O Optimize puts better parameters in their
 * field (saved with the rest), ^V Evaluate reports how well they predict
 * the log, ^G Help me decide shows the workload curves and Enter there
 * sets the desired retention. Their reports cover the form until a key.
 */
#include "config.h"

#include "ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/store/db-decks.h"
#include "lemma/store/deckconf.h"

/* The form's rows: the preset chooser, the preset's options, then the
 * collection's two settings. */
#define ROW_PRESET	0
#define NGLOBAL		2
#define NROWS		((int)deckconf_nkeys + 1 + NGLOBAL)

static const char *const global_labels[NGLOBAL] = {
	"Learn ahead limit (minutes, all decks)",
	"Next day starts at (hour, all decks)",
};

/* The open form: one per struct ui, none while the view is closed. */
struct ui_options_form {
	struct ui_text		*fields;	/* NROWS; [ROW_PRESET] unused */
	char			**original;	/* the texts as loaded */
	int			 focus, top;
	int64_t			 deck_id;
	char			 deck_name[256];
	int64_t			 deck_preset;	/* the deck's preset as opened */
	struct deckconf		*presets;
	size_t			 npresets, sel;
	struct deckconf		 conf;		/* the preset shown, as read */
	int			 children;	/* assign to sub-decks too */
	int			 prompt;	/* 'a', 'c', 'r': a name line */
	struct ui_text		 prompt_text;
	const struct view	*return_to;
	char			*report;	/* Optimize's or Evaluate's */
	struct ui_fsrs_sim	*sim;		/* Help me decide, when shown */
};

static void
free_fields(struct ui_options_form *f)
{
	if (f->fields != NULL)
		for (int i = 0; i < NROWS; i++) {
			ui_text_free(&f->fields[i]);
			free(f->original[i]);
		}
	free(f->fields);
	free(f->original);
	f->fields = NULL;
	f->original = NULL;
}

void
ui_options_free(struct ui *ui)
{
	struct ui_options_form *f = ui->options;

	if (f == NULL)
		return;
	free_fields(f);
	free(f->presets);
	ui_text_free(&f->prompt_text);
	free(f->report);
	ui_fsrs_sim_free(f->sim);
	free(f);
	ui->options = NULL;
}

static void
close_options(struct ui *ui)
{
	const struct view *back = ui->options != NULL ?
	    ui->options->return_to : NULL;

	ui_options_free(ui);
	ui->status_hint = NULL;
	ui->right_view = back != NULL ? back : &ui_stats_view;
	ui->focus_right = 0;
}

/* Fill the fields from preset f->sel and the collection's settings. */
static void
load_fields(struct ui *ui)
{
	struct ui_options_form *f = ui->options;
	struct deckconf_global g;
	char buf[1100];
	struct err e;

	free_fields(f);
	f->conf = f->presets[f->sel];
	f->fields = xcalloc((size_t)NROWS, sizeof *f->fields);
	f->original = xcalloc((size_t)NROWS, sizeof *f->original);
	err_clear(&e);
	deckconf_global_get(ui->app->db, &g, &e);
	for (int i = 0; i < NROWS; i++) {
		buf[0] = '\0';
		if (i >= 1 && i <= (int)deckconf_nkeys)
			deckconf_key_format(&f->conf, &deckconf_keys[i - 1], buf,
			    sizeof buf);
		else if (i == (int)deckconf_nkeys + 1)
			snprintf(buf, sizeof buf, "%d", g.learn_ahead_mins);
		else if (i == (int)deckconf_nkeys + 2)
			snprintf(buf, sizeof buf, "%d", g.next_day_starts_at);
		ui_text_init(&f->fields[i], buf, 0);
		f->original[i] = xstrdup(buf);
	}
}

/* Read the presets again, showing preset id (or the deck's). */
static int
load_presets(struct ui *ui, int64_t show)
{
	struct ui_options_form *f = ui->options;
	struct err e;

	free(f->presets);
	err_clear(&e);
	if (deckconf_list(ui->app->db, &f->presets, &f->npresets, &e) < 0 ||
	    f->npresets == 0) {
		ui_message(ui, 1, "%s", e.msg[0] ? e.msg : "no presets");
		return -1;
	}
	f->sel = 0;
	for (size_t i = 0; i < f->npresets; i++)
		if (f->presets[i].id == show)
			f->sel = i;
	load_fields(ui);
	return 0;
}

void
ui_options_open(struct ui *ui, int64_t id, const char *name)
{
	struct ui_options_form *f;
	struct deckconf conf;
	struct err e;

	ui_options_free(ui);
	err_clear(&e);
	if (deckconf_get(ui->app->db, id, &conf, &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return;
	}
	f = xcalloc(1, sizeof *f);
	ui->options = f;
	f->deck_id = id;
	f->deck_preset = conf.id;
	snprintf(f->deck_name, sizeof f->deck_name, "%s", name);
	ui_text_init(&f->prompt_text, "", 0);
	if (load_presets(ui, conf.id) < 0) {
		ui_options_free(ui);
		return;
	}
	f->focus = 1;
	f->return_to = ui->right_view == &ui_options_view ? &ui_stats_view :
	    ui->right_view;
	ui_show(ui, &ui_options_view);
}

static int
edited(const struct ui_options_form *f)
{
	for (int i = 1; i < NROWS; i++)
		if (strcmp(ui_text_str(&f->fields[i]), f->original[i]) != 0)
			return 1;
	return 0;
}

static int
changed(const struct ui_options_form *f)
{
	return edited(f) || f->presets[f->sel].id != f->deck_preset ||
	    f->children;
}

/* Whether the person lets edits go: 1 yes (or nothing to lose). */
static int
may_discard(struct ui *ui, int any)
{
	static const char *const choices[] = {
		"y  discard the changes",
		"n  keep editing",
		NULL
	};
	struct ui_options_form *f = ui->options;

	if (!(any ? changed(f) : edited(f)))
		return 1;
	return ui_ask(ui, "Discard your changes?", "Options were changed and "
	    "not saved (^S or Enter saves).", choices, "yn") == 'y';
}

static unsigned
save(struct ui *ui)
{
	struct ui_options_form *f = ui->options;
	struct deckconf c = f->conf;
	struct deckconf_global g;
	struct db_deck_undo *undo = NULL;
	struct err e;
	char *end;
	long v;

	err_clear(&e);
	for (size_t i = 0; i < deckconf_nkeys; i++)
		if (deckconf_key_set(&c, &deckconf_keys[i],
		    ui_text_str(&f->fields[i + 1]), &e) < 0) {
			f->focus = (int)i + 1;
			ui_message(ui, 1, "Not saved: %s", e.msg);
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
	for (int i = 0; i < NGLOBAL; i++) {
		const char *s = ui_text_str(&f->fields[deckconf_nkeys + 1 +
		    (size_t)i]);

		errno = 0;
		v = strtol(s, &end, 10);
		if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 ||
		    v > (i == 0 ? 1440 : 23)) {
			f->focus = (int)deckconf_nkeys + 1 + i;
			ui_message(ui, 1, "Not saved: %s: '%s' is not a whole "
			    "number from 0 to %d", global_labels[i], s,
			    i == 0 ? 1440 : 23);
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		if (i == 0)
			g.learn_ahead_mins = (int)v;
		else
			g.next_day_starts_at = (int)v;
	}
	if (deckconf_check(&c, &e) < 0) {
		ui_message(ui, 1, "Not saved: %s", e.msg);
		return UI_DIRTY_STATUS;
	}
	if (edited(f)) {
		if (deckconf_save(ui->app->db, &c, &undo, &e) < 0 ||
		    deckconf_global_set(ui->app->db, &g, &e) < 0) {
			ui_message(ui, 1, "Not saved: %s", e.msg);
			return UI_DIRTY_STATUS;
		}
		if (undo != NULL)
			ui_undo_push_decks(ui, undo);
	}
	if (f->presets[f->sel].id != f->deck_preset || f->children) {
		if (deckconf_assign(ui->app->db, f->deck_id, c.id, f->children,
		    &undo, &e) < 0) {
			ui_message(ui, 1, "Not saved: %s", e.msg);
			return UI_DIRTY_STATUS;
		}
		ui_undo_push_decks(ui, undo);
	}
	if (deckconf_get(ui->app->db, f->deck_id, &c, &e) == 0)
		ui_message(ui, 0, "Options saved: preset %s, used by %d deck%s; "
		    "u undoes.", c.name, c.decks_using, c.decks_using == 1 ? "" :
		    "s");
	close_options(ui);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/* A preset action from the preset row, after its name line or question. */
static unsigned
preset_action(struct ui *ui, int what, const char *name)
{
	static const char *const choices[] = {
		"y  delete the preset (u undoes)",
		"n  keep it",
		NULL
	};
	struct ui_options_form *f = ui->options;
	struct db_deck_undo *undo = NULL;
	const struct deckconf *p = &f->presets[f->sel];
	char problem[400];
	struct err e;
	int64_t id = p->id;
	int rc;

	err_clear(&e);
	switch (what) {
	case 'a':
	case 'c':
		rc = deckconf_add(ui->app->db, name, what == 'c' ? p->id : 0, &id,
		    &undo, &e);
		break;
	case 'r':
		rc = deckconf_rename(ui->app->db, p->id, name, &undo, &e);
		break;
	default:
		snprintf(problem, sizeof problem, "Preset \"%s\" is used by %d "
		    "deck%s; they will use Default.", p->name, p->decks_using,
		    p->decks_using == 1 ? "" : "s");
		if (ui_ask(ui, "Delete the preset?", problem, choices, "yn") !=
		    'y')
			return UI_DIRTY_ALL;
		rc = deckconf_delete(ui->app->db, p->id, &undo, &e);
		id = 1;
		if (rc == 0 && p->id == f->deck_preset)
			f->deck_preset = 1;
		break;
	}
	if (rc < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return UI_DIRTY_ALL;
	}
	ui_undo_push_decks(ui, undo);
	ui_message(ui, 0, "%s: done; u undoes.", db_deck_undo_label(undo));
	load_presets(ui, id);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

static unsigned
prompt_key(struct ui *ui, int key)
{
	struct ui_options_form *f = ui->options;
	char *name;
	unsigned d;
	int what = f->prompt;

	if (key == 27) {
		f->prompt = 0;
		return UI_DIRTY_RIGHT;
	}
	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		f->prompt = 0;
		name = xstrdup(ui_text_str(&f->prompt_text));
		d = preset_action(ui, what, name);
		free(name);
		return d;
	}
	ui_text_key(&f->prompt_text, key);
	return UI_DIRTY_RIGHT;
}

/* Keys on the preset row: choose, add, clone, rename, delete. */
static unsigned
preset_key(struct ui *ui, int key)
{
	struct ui_options_form *f = ui->options;

	switch (key) {
	case KEY_LEFT:
	case KEY_RIGHT:
	case 'h':
	case 'l':
		if (!may_discard(ui, 0))
			return UI_DIRTY_ALL;
		f->sel = (f->sel + ((key == KEY_RIGHT || key == 'l') ? 1 :
		    f->npresets - 1)) % f->npresets;
		load_fields(ui);
		return UI_DIRTY_ALL;
	case 's':
		f->children = !f->children;
		return UI_DIRTY_RIGHT;
	case 'a':
	case 'c':
	case 'r':
		f->prompt = key;
		ui_text_set(&f->prompt_text, key == 'r' ?
		    f->presets[f->sel].name : "");
		return UI_DIRTY_RIGHT;
	case 'd':
		return preset_action(ui, 'd', NULL);
	}
	return UI_DIRTY_RIGHT;
}

/* The row of preset option key (deckconf_keys' name). */
static int
key_row(const char *key)
{
	const struct deckconf_key *k = deckconf_key_find(key);

	return k == NULL ? -1 : (int)(k - deckconf_keys) + 1;
}

/* The preset as the form shows it, saved or not; -1 (and the bad field
 * focused and named) when a value is not valid. */
static int
form_conf(struct ui *ui, struct deckconf *c)
{
	struct ui_options_form *f = ui->options;
	struct err e;

	*c = f->conf;
	err_clear(&e);
	for (size_t i = 0; i < deckconf_nkeys; i++)
		if (deckconf_key_set(c, &deckconf_keys[i],
		    ui_text_str(&f->fields[i + 1]), &e) < 0) {
			f->focus = (int)i + 1;
			ui_message(ui, 1, "%s", e.msg);
			return -1;
		}
	if (deckconf_check(c, &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return -1;
	}
	return 0;
}

static unsigned
fsrs_tool(struct ui *ui, enum ui_action a)
{
	struct ui_options_form *f = ui->options;
	struct deckconf c;
	char params[sizeof c.fsrs_params];
	int row;

	/* A bad parameter list is named before anything runs: the FSRS-6
	 * bounds are fsrs_params_set_weights'. */
	if (form_conf(ui, &c) < 0) {
		if (strstr(ui->message, "FSRS") != NULL &&
		    (row = key_row("fsrs-params")) > 0)
			f->focus = row;
		return UI_DIRTY_ALL;
	}
	free(f->report);
	f->report = NULL;
	switch (a) {
	case UI_OPTIMIZE:
		if (ui_fsrs_optimize(ui, &c, params, sizeof params,
		    &f->report) == 1 && (row = key_row("fsrs-params")) > 0) {
			ui_text_set(&f->fields[row], params);
			f->focus = row;
		}
		break;
	case UI_EVALUATE:
		ui_fsrs_evaluate(ui, &c, &f->report);
		break;
	default:
		f->sim = ui_fsrs_simulate(ui, &c);
		break;
	}
	return UI_DIRTY_ALL;
}

static unsigned
sim_key(struct ui *ui, int key)
{
	struct ui_options_form *f = ui->options;
	double chosen;
	char text[16];
	int row;

	switch (ui_fsrs_sim_key(f->sim, key, &chosen)) {
	case 2:
		if ((row = key_row("desired-retention")) > 0) {
			snprintf(text, sizeof text, "%.2f", chosen);
			ui_text_set(&f->fields[row], text);
			f->focus = row;
			ui_message(ui, 0, "Desired retention %s: not saved yet "
			    "(^S or Enter saves).", text);
		}
		/* fall through */
	case 1:
		ui_fsrs_sim_free(f->sim);
		f->sim = NULL;
		return UI_DIRTY_ALL;
	}
	return UI_DIRTY_RIGHT;
}

/* A report over the form: its lines, then how to go back. */
static void
draw_report(struct ui *ui, WINDOW *w, const char *report)
{
	int cols = getmaxx(w), rows = getmaxy(w), row = 1;
	const char *s = report;
	char line[512];

	while (*s != '\0' && row < rows - 1) {
		size_t n = strcspn(s, "\n");

		snprintf(line, sizeof line, "%.*s", (int)n, s);
		ui_draw_text(ui, w, row, 2, cols - 4, row == 1 ? THEME_TITLE :
		    THEME_NORMAL, line);
		row++;
		s += n;
		if (*s == '\n')
			s++;
	}
	ui_draw_text(ui, w, rows - 1, 2, cols - 4, THEME_MUTED,
	    "Any key: back to the options");
}

static void
options_draw(struct ui *ui, WINDOW *w)
{
	struct ui_options_form *f = ui->options;
	int cols = getmaxx(w), rows = getmaxy(w);
	int row = 1, lw = 34 < cols / 2 ? 34 : cols / 2, body;
	const struct deckconf *p;
	char line[700];

	if (f == NULL)
		return;
	if (f->sim != NULL) {
		ui_fsrs_sim_draw(ui, w, f->sim);
		return;
	}
	if (f->report != NULL) {
		draw_report(ui, w, f->report);
		return;
	}
	p = &f->presets[f->sel];
	snprintf(line, sizeof line, "Options: %s", f->deck_name);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_TITLE, line);
	snprintf(line, sizeof line, "Preset \"%s\" is used by %d deck%s: a "
	    "change applies to all of them.", p->name, p->decks_using,
	    p->decks_using == 1 ? "" : "s");
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_MUTED, line);
	row++;
	/* The rows that fit, scrolled to keep the focus in view. */
	body = rows - row - 2;
	if (body < 1)
		body = 1;
	if (f->focus < f->top)
		f->top = f->focus;
	if (f->focus >= f->top + body)
		f->top = f->focus - body + 1;
	for (int i = f->top; i < NROWS && row < rows - 2; i++, row++) {
		enum theme_element el = i == f->focus ? THEME_HELP_KEY :
		    THEME_NORMAL;

		if (i == ROW_PRESET) {
			ui_draw_text(ui, w, row, 2, lw, el, "Preset");
			if (f->prompt != 0) {
				int x = ui_draw_text(ui, w, row, 3 + lw, cols - lw - 5,
				    THEME_TITLE, f->prompt == 'r' ? "Rename to: " :
				    f->prompt == 'c' ? "Clone as: " : "New preset: ");
				ui_text_draw(ui, w, row, 3 + lw + x, cols - lw - 5 - x,
				    1, &f->prompt_text, THEME_INPUT, 1);
				continue;
			}
			snprintf(line, sizeof line, "< %s >%s  (%zu of %zu)",
			    p->name, f->children ? "  + sub-decks" : "",
			    f->sel + 1, f->npresets);
			ui_draw_text(ui, w, row, 3 + lw, cols - lw - 5, THEME_INPUT,
			    line);
			continue;
		}
		ui_draw_text(ui, w, row, 2, lw, el, i <= (int)deckconf_nkeys ?
		    deckconf_keys[i - 1].label :
		    global_labels[i - (int)deckconf_nkeys - 1]);
		ui_text_draw(ui, w, row, 3 + lw, cols - lw - 5, 1, &f->fields[i],
		    THEME_INPUT, i == f->focus);
	}
	if (row < rows)
		ui_draw_text(ui, w, rows - 1, 2, cols - 4, THEME_MUTED,
		    f->focus == ROW_PRESET ? "Preset: Left/Right choose  a add  "
		    "c clone  r rename  d delete  s also the sub-decks" :
		    f->focus == key_row("fsrs-params") ||
		    f->focus == key_row("desired-retention") ?
		    "FSRS: ^O optimize  ^V evaluate  ^G help me decide "
		    "(desired retention)" :
		    "Steps: 1m 10m 1h 1d. Yes/no fields: yes or no. Orders: "
		    "lemma preset show lists them.");
}

static unsigned
options_action(struct ui *ui, enum ui_action a, int key)
{
	struct ui_options_form *f = ui->options;

	if (f == NULL)
		return 0;
	if (f->prompt != 0)
		return prompt_key(ui, key);
	if (f->sim != NULL)
		return sim_key(ui, key);
	if (f->report != NULL) {
		free(f->report);
		f->report = NULL;
		return UI_DIRTY_ALL;
	}
	switch (a) {
	case UI_OPTIMIZE:
	case UI_EVALUATE:
	case UI_DECIDE:
		return fsrs_tool(ui, a);
	case UI_SAVE:
		return save(ui);
	case UI_CANCEL:
		if (!may_discard(ui, 1))
			return UI_DIRTY_ALL;
		close_options(ui);
		ui_message(ui, 0, "Options unchanged.");
		return UI_DIRTY_ALL;
	case UI_NEXT_FIELD:
	case UI_DOWN:
		f->focus = (f->focus + 1) % NROWS;
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	case UI_PREV_FIELD:
	case UI_UP:
		f->focus = (f->focus + NROWS - 1) % NROWS;
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	case UI_HELP:
	case UI_REDRAW:
		return 0;
	default:
		if (f->focus == ROW_PRESET)
			return preset_key(ui, key);
		ui_text_key(&f->fields[f->focus], key);
		return UI_DIRTY_RIGHT;
	}
}

static const enum ui_action *
options_hints(struct ui *ui)
{
	static const enum ui_action hints[] = { UI_SAVE, UI_CANCEL,
	    UI_NEXT_FIELD, UI_HELP, UI_NONE };

	(void)ui;
	return hints;
}

static const struct ui_binding options_keys[] = {
	{ 19, UI_SAVE }, { '\r', UI_SAVE }, { 27, UI_CANCEL },
	{ '\t', UI_NEXT_FIELD }, { KEY_DOWN, UI_DOWN }, { KEY_BTAB, UI_PREV_FIELD },
	{ KEY_UP, UI_UP }, { KEY_F(1), UI_HELP }, { 12, UI_REDRAW },
	{ 15, UI_OPTIMIZE }, { 22, UI_EVALUATE }, { 7, UI_DECIDE },
	{ 0, UI_NONE }
};

static const struct ui_action_text options_texts[] = {
	{ UI_SAVE, "Save the options" },
	{ UI_CANCEL, "Close (asks when changed)" },
	{ UI_UP, "Previous field" },
	{ UI_DOWN, "Next field" },
	{ UI_OPTIMIZE, "FSRS: Optimize (fit the parameters to the log)" },
	{ UI_EVALUATE, "FSRS: Evaluate the parameters (and health check)" },
	{ UI_DECIDE, "FSRS: Help me decide (workload by retention)" },
	{ UI_NONE, NULL }
};

const struct view ui_options_view = {
	.name = "Deck options",
	.keys = options_keys,
	.help_texts = options_texts,
	.action = options_action,
	.draw = options_draw,
	.click = NULL,
	.hints = options_hints,
};
