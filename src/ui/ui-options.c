/*
 * ui-options.c - the deck options: the deck's preset (desired retention,
 * steps, daily limits, maximum interval, leeches, siblings, FSRS
 * parameters) as a small form. The core validates; a bad value is named on
 * the status line and nothing is saved.
 */
#include "config.h"

#include "ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/store/deckconf.h"

enum { OPT_RETENTION, OPT_LSTEPS, OPT_RSTEPS, OPT_NEW, OPT_REVIEWS, OPT_MAXIVL,
	OPT_LEECH, OPT_BURY, OPT_PARAMS, NOPTS };

static const char *const labels[NOPTS] = {
	"Desired retention", "Learning steps", "Relearning steps",
	"New cards/day", "Maximum reviews/day", "Maximum interval (days)",
	"Leech threshold (lapses)", "Bury siblings (yes/no)",
	"FSRS parameters (empty: defaults)",
};

/* The open form: one per struct ui, none while the view is closed. */
struct ui_options_form {
	struct ui_text		 fields[NOPTS];
	int			 focus;
	int64_t			 deck_id;
	char			 deck_name[256];
	struct deckconf		 conf;	/* the preset as read */
	const struct view	*return_to;
};

void
ui_options_free(struct ui *ui)
{
	struct ui_options_form *f = ui->options;

	if (f == NULL)
		return;
	for (int i = 0; i < NOPTS; i++)
		ui_text_free(&f->fields[i]);
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

void
ui_options_open(struct ui *ui, int64_t id, const char *name)
{
	struct ui_options_form *f;
	const struct deckconf *conf;
	char buf[64];
	struct err e;

	ui_options_free(ui);
	f = xcalloc(1, sizeof *f);
	err_clear(&e);
	if (deckconf_get(ui->app->db, id, &f->conf, &e) < 0) {
		free(f);
		ui_message(ui, 1, "%s", e.msg);
		return;
	}
	conf = &f->conf;
	f->deck_id = id;
	snprintf(f->deck_name, sizeof f->deck_name, "%s", name);
	snprintf(buf, sizeof buf, "%.2f", conf->desired_retention);
	ui_text_init(&f->fields[OPT_RETENTION], buf, 0);
	ui_text_init(&f->fields[OPT_LSTEPS], conf->learning_steps, 0);
	ui_text_init(&f->fields[OPT_RSTEPS], conf->relearning_steps, 0);
	snprintf(buf, sizeof buf, "%d", conf->new_per_day);
	ui_text_init(&f->fields[OPT_NEW], buf, 0);
	snprintf(buf, sizeof buf, "%d", conf->reviews_per_day);
	ui_text_init(&f->fields[OPT_REVIEWS], buf, 0);
	snprintf(buf, sizeof buf, "%d", conf->max_interval);
	ui_text_init(&f->fields[OPT_MAXIVL], buf, 0);
	snprintf(buf, sizeof buf, "%d", conf->leech_threshold);
	ui_text_init(&f->fields[OPT_LEECH], buf, 0);
	ui_text_init(&f->fields[OPT_BURY], conf->bury_siblings ? "yes" : "no",
	    0);
	ui_text_init(&f->fields[OPT_PARAMS], conf->fsrs_params, 0);
	f->focus = 0;
	f->return_to = ui->right_view == &ui_options_view ? &ui_stats_view :
	    ui->right_view;
	ui->options = f;
	ui_show(ui, &ui_options_view);
}

/* A whole number from field i, or -1 with a message. */
static int
field_int(struct ui *ui, int i, int *out)
{
	const char *s = ui_text_str(&ui->options->fields[i]);
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < -1000000 ||
	    v > 1000000) {
		ui_message(ui, 1, "%s: '%s' is not a whole number", labels[i], s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static unsigned
save(struct ui *ui)
{
	struct ui_options_form *f = ui->options;
	struct ui_text *fields = f->fields;
	struct deckconf c = f->conf;
	const char *s;
	char *end;
	struct err e;

	s = ui_text_str(&fields[OPT_RETENTION]);
	c.desired_retention = strtod(s, &end);
	if (*s == '\0' || *end != '\0') {
		ui_message(ui, 1, "%s: '%s' is not a number such as 0.90",
		    labels[OPT_RETENTION], s);
		return UI_DIRTY_STATUS;
	}
	snprintf(c.learning_steps, sizeof c.learning_steps, "%s",
	    ui_text_str(&fields[OPT_LSTEPS]));
	snprintf(c.relearning_steps, sizeof c.relearning_steps, "%s",
	    ui_text_str(&fields[OPT_RSTEPS]));
	if (field_int(ui, OPT_NEW, &c.new_per_day) < 0 ||
	    field_int(ui, OPT_REVIEWS, &c.reviews_per_day) < 0 ||
	    field_int(ui, OPT_MAXIVL, &c.max_interval) < 0 ||
	    field_int(ui, OPT_LEECH, &c.leech_threshold) < 0)
		return UI_DIRTY_STATUS;
	s = ui_text_str(&fields[OPT_BURY]);
	if (strcmp(s, "yes") == 0 || strcmp(s, "y") == 0 || strcmp(s, "1") == 0)
		c.bury_siblings = 1;
	else if (strcmp(s, "no") == 0 || strcmp(s, "n") == 0 ||
	    strcmp(s, "0") == 0)
		c.bury_siblings = 0;
	else {
		ui_message(ui, 1, "%s: yes or no", labels[OPT_BURY]);
		return UI_DIRTY_STATUS;
	}
	snprintf(c.fsrs_params, sizeof c.fsrs_params, "%s",
	    ui_text_str(&fields[OPT_PARAMS]));
	err_clear(&e);
	if (deckconf_set(ui->app->db, f->deck_id, &c, &e) < 0) {
		ui_message(ui, 1, "Not saved: %s", e.msg);
		return UI_DIRTY_STATUS;
	}
	ui_message(ui, 0, "Options saved for preset %s (%d deck%s).",
	    f->conf.name, f->conf.decks_using, f->conf.decks_using == 1 ? "" :
	    "s");
	close_options(ui);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

static void
options_draw(struct ui *ui, WINDOW *w)
{
	struct ui_options_form *f = ui->options;
	int cols = getmaxx(w), rows = getmaxy(w), row = 1;
	char title[512];

	if (f == NULL)
		return;
	snprintf(title, sizeof title, "Options: %s", f->deck_name);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_TITLE, title);
	snprintf(title, sizeof title, "Preset \"%s\", used by %d deck%s: a change "
	    "applies to all of them.", f->conf.name, f->conf.decks_using,
	    f->conf.decks_using == 1 ? "" : "s");
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_MUTED, title);
	row++;
	for (int i = 0; i < NOPTS && row < rows; i++, row++) {
		int lw = 34 < cols / 2 ? 34 : cols / 2;
		ui_draw_text(ui, w, row, 2, lw, i == f->focus ? THEME_HELP_KEY :
		    THEME_NORMAL, labels[i]);
		ui_text_draw(ui, w, row, 2 + lw + 1, cols - lw - 5, 1,
		    &f->fields[i], THEME_INPUT, i == f->focus);
	}
	row++;
	if (row < rows)
		ui_draw_text(ui, w, row, 2, cols - 4, THEME_MUTED,
		    "Steps: 1m 10m 1h 1d (s m h d). Retention 0.70-0.99.");
}

static unsigned
options_action(struct ui *ui, enum ui_action a, int key)
{
	struct ui_options_form *f = ui->options;

	if (f == NULL)
		return 0;
	switch (a) {
	case UI_SAVE:
		return save(ui);
	case UI_CANCEL:
		close_options(ui);
		ui_message(ui, 0, "Options unchanged.");
		return UI_DIRTY_ALL;
	case UI_NEXT_FIELD:
	case UI_DOWN:
		f->focus = (f->focus + 1) % NOPTS;
		return UI_DIRTY_RIGHT;
	case UI_PREV_FIELD:
	case UI_UP:
		f->focus = (f->focus + NOPTS - 1) % NOPTS;
		return UI_DIRTY_RIGHT;
	case UI_HELP:
	case UI_REDRAW:
		return 0;
	default:
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
	{ 0, UI_NONE }
};

static const struct ui_action_text options_texts[] = {
	{ UI_SAVE, "Save the options" },
	{ UI_CANCEL, "Close without saving" },
	{ UI_UP, "Previous field" },
	{ UI_DOWN, "Next field" },
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
