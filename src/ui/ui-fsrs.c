/*
 * ui-fsrs.c - the deck options' FSRS tools: Optimize (fit the preset's
 * parameters to its review log), Evaluate (how well the parameters in the
 * form predict it, and Anki's health check), and Help me decide (the
 * workload simulator's curves against desired retention).
 *
 * How the screen stays live during Optimize and Evaluate: the review log
 * is read on this thread (SQLite stays here), then the fit runs on a
 * second thread that touches only the model's in-memory data (no curses,
 * no connection), while this thread shows ui-progress's panel and reads
 * keys every 50 ms; q or Esc sets a flag that the fit reads at its next
 * step, as Ctrl-C does for `lemma optimize`. A thread rather than steps
 * from the UI's loop because fsrs_fit is one call with its own second
 * thread and its progress callback: cutting it into steps would mean a
 * second fit API. A cancel key pressed while the fit ran and read only
 * after it ended still cancels: nothing is applied until this thread has
 * looked.
 *
 * Help me decide runs the simulator on this thread with the panel's own
 * key reading (it takes under a second; its progress is per retention).
 */
#include "config.h"

#include "ui.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/progress.h"
#include "lemma/model/fsrs-accept.h"
#include "lemma/model/fsrs-eval.h"
#include "lemma/model/fsrs-optim.h"
#include "lemma/model/fsrs-simulator.h"
#include "lemma/stats/chart.h"
#include "lemma/store/db-fsrs.h"
#include "lemma/store/db-simulate.h"
#include "lemma/store/deckconf.h"
#include "lemma/ui/ui-progress.h"

/* Anki's workload graph: 70% .. 99%; fsrs-rs's seed. */
#define SIM_LO		70
#define SIM_HI		99
#define SIM_N		(SIM_HI - SIM_LO + 1)
#define SIM_SEED	42

struct job {
	/* In: read on this thread before the worker starts. */
	struct fsrs_data	 d;
	struct fsrs_train_config cfg;
	double			 cur[FSRS_NPARAMS];
	int			 evaluate;
	int			 relearning_steps;
	/* Between the threads. */
	atomic_size_t		 done, total;
	atomic_int		 stop, finished;
	/* Out: written by the worker, read after the join. */
	int			 rc;
	struct err		 e;
	double			 w[FSRS_NPARAMS];
	struct fsrs_fit_info	 info;
	struct fsrs_metrics	 before, after, split;
	int			 have_split, verdict;
};

static int
job_step(void *arg, size_t done, size_t total)
{
	struct job *j = arg;

	atomic_store(&j->done, done);
	atomic_store(&j->total, total);
	return atomic_load(&j->stop);
}

static void *
job_run(void *arg)
{
	struct job *j = arg;

	err_clear(&j->e);
	j->verdict = -1;
	if (j->evaluate) {
		j->rc = fsrs_evaluate(&j->d, j->cur, 0, j->d.nitems, &j->before,
		    &j->e);
		if (j->rc == 0 && j->d.nitems >= 6) {
			j->rc = fsrs_evaluate_splits(&j->d, &j->cfg, job_step, j,
			    &j->split, &j->e);
			j->have_split = j->rc == 0;
			/* Anki runs its health check on more than 300. */
			if (j->rc == 0 && j->d.nitems > 300)
				j->verdict = fsrs_health_check(&j->split,
				    fsrs_data_recall(&j->d, j->d.nitems),
				    j->d.nitems);
		}
	} else {
		j->rc = fsrs_fit(&j->d, j->d.nitems, &j->cfg, job_step, j, j->w,
		    &j->info, &j->e);
		if (j->rc == 0) {
			/* What would be saved is what is compared. */
			fsrs_accept_round(j->w);
			j->rc = fsrs_evaluate(&j->d, j->cur, 0, j->d.nitems,
			    &j->before, &j->e);
			if (j->rc == 0)
				j->rc = fsrs_evaluate(&j->d, j->w, 0,
				    j->d.nitems, &j->after, &j->e);
		}
	}
	atomic_store(&j->finished, 1);
	return NULL;
}

static int
is_cancel_key(int rc, wint_t wc)
{
	return rc != ERR && rc != KEY_CODE_YES && (wc == 27 || wc == 'q' ||
	    wc == 'Q' || wc == 3);
}

/* Run j on a second thread with the progress panel; 1 when q or Esc
 * stopped it (or was pressed while it ran), else 0. */
static int
run_job(struct ui *ui, struct job *j, const char *what, const char *unit)
{
	struct ui_progress *up = ui_progress_begin_in(ui);
	struct progress *p = ui_progress_get(up);
	pthread_t th;
	int stopped = 0, rc;
	wint_t wc;

	if (pthread_create(&th, NULL, job_run, j) != 0) {
		ui_progress_end(up);
		j->rc = err_set(&j->e, NULL, 0, 0, "cannot start a thread");
		return 0;
	}
	progress_begin(p, what, unit, 0);
	timeout(50);
	while (!atomic_load(&j->finished)) {
		p->done = atomic_load(&j->done);
		p->total = atomic_load(&j->total);
		if (!stopped && progress_poll(p) < 0)
			stopped = 1;
		rc = get_wch(&wc);
		if (is_cancel_key(rc, wc))
			stopped = 1;
		if (stopped)
			atomic_store(&j->stop, 1);
	}
	pthread_join(th, NULL);
	/* Keys typed while it ran and not read yet: a cancel among them
	 * still counts, the others were meant for the panel. */
	timeout(0);
	while (!stopped && (rc = get_wch(&wc)) != ERR)
		if (is_cancel_key(rc, wc))
			stopped = 1;
	timeout(250);
	if (ui_progress_end(up) != 0)
		stopped = 1;
	return stopped;
}

/* The preset's log, and the current parameters from the form's c. */
static int
load_job(struct ui *ui, const struct deckconf *c, struct job *j,
    struct buf *head, struct err *e)
{
	struct db_fsrs_preset pr;
	struct fsrs_params p;
	size_t reviews = 0;
	int secs[FSRS_MAX_STEPS], n = 1;

	memset(j, 0, sizeof *j);
	fsrs_params_default(&p);
	if (fsrs_params_parse_weights(&p, c->fsrs_params, e) < 0)
		return -1;
	memcpy(j->cur, p.w, sizeof j->cur);
	if (fsrs_steps_parse(c->relearning_steps, secs, &n, e) < 0)
		n = 1;
	fsrs_train_config_default(&j->cfg);
	j->cfg.epochs = 8;	/* Anki's Optimize */
	j->cfg.relearning_steps = n;
	j->relearning_steps = n;
	if (db_fsrs_preset(ui->app->db, c->name, NULL, &pr, e) < 0)
		return -1;
	fsrs_data_init(&j->d);
	if (db_fsrs_load(ui->app->db, &pr, ui_now(ui), &j->d, &reviews, e) < 0) {
		fsrs_data_free(&j->d);
		return -1;
	}
	if (j->d.nitems == 0) {
		fsrs_data_free(&j->d);
		return err_set(e, NULL, 0, 0, "preset \"%s\" has no reviews to "
		    "learn from (a card counts from its first learning step, "
		    "and is predicted from its second day on)", c->name);
	}
	buf_printf(head, "Preset \"%s\": %zu items from %zu reviews of %zu "
	    "cards\n", c->name, j->d.nitems, reviews, j->d.ncards);
	return 0;
}

/* The parameters, 7 to a line. */
static void
params_lines(struct buf *b, const double *w)
{
	char text[1024], *s = text;
	int count = 0;

	fsrs_accept_text(w, text, sizeof text);
	buf_adds(b, "Parameters:\n  ");
	for (; *s != '\0'; s++) {
		if (*s == ',' && ++count % 7 == 0) {
			buf_adds(b, ",\n ");
			continue;
		}
		buf_addc(b, *s);
	}
	buf_addc(b, '\n');
}

int
ui_fsrs_optimize(struct ui *ui, const struct deckconf *c, char *out,
    size_t len, char **report)
{
	struct job *j = xcalloc(1, sizeof *j);
	struct err e;
	struct buf b;
	int keep, ret;

	*report = NULL;
	err_clear(&e);
	buf_init(&b);
	if (load_job(ui, c, j, &b, &e) < 0) {
		ui_message(ui, 1, "Optimize: %s", e.msg);
		buf_free(&b);
		free(j);
		return -1;
	}
	if (run_job(ui, j, "Optimizing", "steps")) {
		ui_message(ui, 0, "Optimize cancelled; the parameters are "
		    "unchanged.");
		ret = -1;
		goto out;
	}
	if (j->rc < 0) {
		ui_message(ui, 1, "Optimize: %s", j->e.msg);
		ret = -1;
		goto out;
	}
	keep = fsrs_accept_keep(j->cur, j->relearning_steps,
	    j->before.log_loss, j->after.log_loss);
	if (j->info.kind == FSRS_FIT_DEFAULTS)
		buf_adds(&b, "Fewer than 8 items: the fit gives FSRS's default "
		    "parameters.\n");
	else if (j->info.kind == FSRS_FIT_PRETRAINED)
		buf_adds(&b, "Few items: only the initial stabilities were "
		    "fitted.\n");
	buf_printf(&b, "%-8s %9s %11s\n", "", "log loss", "RMSE(bins)");
	buf_printf(&b, "%-8s %9.4f %11.4f\n", "before", j->before.log_loss,
	    j->before.rmse_bins);
	buf_printf(&b, "%-8s %9.4f %11.4f\n", "after", j->after.log_loss,
	    j->after.rmse_bins);
	params_lines(&b, j->w);
	if (keep) {
		buf_adds(&b, "The current parameters predict this log at least "
		    "as well: kept.\n");
		ret = 0;
	} else {
		buf_adds(&b, "Better: now in the FSRS parameters field, not "
		    "saved yet (^S or Enter saves, Esc discards).\n");
		fsrs_accept_text(j->w, out, len);
		ret = 1;
	}
	*report = xstrdup(b.data);
out:
	buf_free(&b);
	fsrs_data_free(&j->d);
	free(j);
	return ret;
}

int
ui_fsrs_evaluate(struct ui *ui, const struct deckconf *c, char **report)
{
	struct job *j = xcalloc(1, sizeof *j);
	struct err e;
	struct buf b;
	int ret = -1;

	*report = NULL;
	err_clear(&e);
	buf_init(&b);
	if (load_job(ui, c, j, &b, &e) < 0) {
		ui_message(ui, 1, "Evaluate: %s", e.msg);
		buf_free(&b);
		free(j);
		return -1;
	}
	j->evaluate = 1;
	if (run_job(ui, j, "Evaluating", "splits")) {
		ui_message(ui, 0, "Evaluate cancelled.");
		goto out;
	}
	if (j->rc < 0) {
		ui_message(ui, 1, "Evaluate: %s", j->e.msg);
		goto out;
	}
	buf_printf(&b, "%-28s %9s %11s\n", "", "log loss", "RMSE(bins)");
	buf_printf(&b, "%-28s %9.4f %11.4f\n", "these parameters",
	    j->before.log_loss, j->before.rmse_bins);
	if (j->have_split)
		buf_printf(&b, "%-28s %9.4f %11.4f\n",
		    "time-series split (5 folds)", j->split.log_loss,
		    j->split.rmse_bins);
	if (j->verdict < 0)
		buf_printf(&b, "Health check: needs more than 300 items (there "
		    "are %zu)\n", j->d.nitems);
	else
		buf_printf(&b, "Health check: %s\n", j->verdict ?
		    "passed: FSRS fits this log well" :
		    "failed: the log is hard to predict (reviews graded "
		    "inconsistently, or Hard used as a fail?)");
	*report = xstrdup(b.data);
	ret = 0;
out:
	buf_free(&b);
	fsrs_data_free(&j->d);
	free(j);
	return ret;
}

/* ---- Help me decide ------------------------------------------------------ */

struct ui_fsrs_sim {
	char			 name[128];
	struct fsrs_sim_result	 r[SIM_N];
	int			 best, cursor;
	size_t			 ncards, new_cards;
	int			 days, new_limit, review_limit;
};

struct ui_fsrs_sim *
ui_fsrs_simulate(struct ui *ui, const struct deckconf *c)
{
	struct ui_fsrs_sim *s;
	struct db_simulate in;
	struct fsrs_params p;
	struct ui_progress *up;
	struct err e;
	int stopped, rc;

	err_clear(&e);
	fsrs_params_default(&p);
	if (fsrs_params_parse_weights(&p, c->fsrs_params, &e) < 0) {
		ui_message(ui, 1, "Help me decide: %s", e.msg);
		return NULL;
	}
	if (db_simulate_load(ui->app->db, c->id, ui_now(ui), &in, &e) < 0) {
		ui_message(ui, 1, "Help me decide: %s", e.msg);
		return NULL;
	}
	/* The form's values, saved or not, as Anki's simulator takes the
	 * options on the screen. */
	memcpy(in.w, p.w, sizeof in.w);
	in.desired_retention = c->desired_retention;
	in.cfg.new_limit = c->new_per_day;
	in.cfg.review_limit = c->reviews_per_day;
	in.cfg.max_interval = c->max_interval;
	s = xcalloc(1, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", c->name);
	s->ncards = in.ncards;
	s->new_cards = in.cfg.new_cards;
	s->days = in.cfg.days;
	s->new_limit = in.cfg.new_limit;
	s->review_limit = in.cfg.review_limit;
	up = ui_progress_begin_in(ui);
	rc = fsrs_sim_sweep(in.w, &in.cfg, in.cards, in.ncards, SIM_SEED,
	    SIM_LO, SIM_HI, ui_progress_get(up), s->r, &e);
	stopped = ui_progress_end(up) != 0;
	db_simulate_free(&in);
	if (rc < 0 || stopped) {
		if (stopped)
			ui_message(ui, 0, "Help me decide cancelled.");
		else
			ui_message(ui, 1, "Help me decide: %s", e.msg);
		free(s);
		return NULL;
	}
	s->best = fsrs_sim_best(s->r, SIM_N);
	s->cursor = (int)lround(c->desired_retention * 100) - SIM_LO;
	if (s->cursor < 0 || s->cursor >= SIM_N)
		s->cursor = s->best >= 0 ? s->best : 0;
	return s;
}

void
ui_fsrs_sim_free(struct ui_fsrs_sim *s)
{
	free(s);
}

int
ui_fsrs_sim_key(struct ui_fsrs_sim *s, int key, double *chosen)
{
	switch (key) {
	case KEY_LEFT:
	case 'h':
		if (s->cursor > 0)
			s->cursor--;
		return 0;
	case KEY_RIGHT:
	case 'l':
		if (s->cursor < SIM_N - 1)
			s->cursor++;
		return 0;
	case 'b':
		if (s->best >= 0)
			s->cursor = s->best;
		return 0;
	case '\r':
	case '\n':
	case KEY_ENTER:
		*chosen = s->r[s->cursor].retention;
		return 2;
	case 27:
	case 'q':
		return 1;
	}
	return 0;
}

static enum theme_element
sim_element(int series)
{
	switch (series) {
	case 0:
		return THEME_GRAPH_RETENTION;
	case 1:
		return THEME_GRAPH_MATURE;
	case 2:
		return THEME_GRAPH_LEARN;
	case CHART_AXIS:
		return THEME_GRAPH_AXIS;
	default:
		return THEME_NORMAL;
	}
}

/* One curve against retention: series 0 the values, 1 the best point,
 * 2 the chosen one. Returns the next row. */
static int
draw_curve(struct ui *ui, WINDOW *w, int row, int height,
    const struct ui_fsrs_sim *s, int memorised, const char *title)
{
	static const struct chart_label xl[] = {
		{ 0, "70%" }, { 10, "80%" }, { 20, "90%" }, { 29, "99%" },
	};
	int cols = getmaxx(w), width = cols - 4;
	double v[SIM_N], best[SIM_N], cur[SIM_N];
	struct chart_series series[3] = {
		{ v, SIM_N }, { best, SIM_N }, { cur, SIM_N },
	};
	struct chart_line opt;
	struct chart_canvas c;

	ui_draw_text(ui, w, row++, 2, width, THEME_TITLE, title);
	for (int i = 0; i < SIM_N; i++) {
		v[i] = memorised ? s->r[i].memorised : s->r[i].minutes_per_day;
		best[i] = i == s->best ? v[i] : NAN;
		cur[i] = i == s->cursor ? v[i] : NAN;
	}
	memset(&opt, 0, sizeof opt);
	opt.profile = ui->app->ascii ? CHART_ASCII : CHART_UTF8_BRAILLE;
	opt.series = series;
	opt.nseries = 3;
	opt.fmt.decimals = memorised ? 0 : 1;
	opt.xlabels = xl;
	opt.nxlabels = sizeof xl / sizeof xl[0];
	chart_canvas_init(&c, width, height);
	chart_line(&c, &opt);
	for (int y = 0; y < height; y++, row++)
		for (int x = 0; x < width; x++) {
			const struct chart_cell *cell = chart_cell(&c, x, y);

			if (cell == NULL || cell->glyph[0] == '\0' ||
			    (cell->glyph[0] == ' ' && cell->glyph[1] == '\0'))
				continue;
			ui_draw_text(ui, w, row, 2 + x, 1,
			    sim_element(cell->series), cell->glyph);
		}
	chart_canvas_free(&c);
	return row;
}

void
ui_fsrs_sim_draw(struct ui *ui, WINDOW *w, const struct ui_fsrs_sim *s)
{
	int rows = getmaxy(w), cols = getmaxx(w), row = 1, h;
	const struct fsrs_sim_result *r = &s->r[s->cursor];
	char line[512];

	snprintf(line, sizeof line, "Help me decide: preset \"%s\", %d days",
	    s->name, s->days);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_TITLE, line);
	snprintf(line, sizeof line, "%zu studied and %zu new cards, %d new "
	    "and at most %d reviews a day", s->ncards, s->new_cards,
	    s->new_limit, s->review_limit);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_MUTED, line);
	/* Two graphs and their titles, and 4 lines of text. */
	h = (rows - row - 7) / 2;
	if (h >= 3) {
		row = draw_curve(ui, w, row, h, s, 0, "Minutes a day");
		row = draw_curve(ui, w, row, h, s, 1, "Cards known at the end");
	}
	if (s->best >= 0) {
		const struct fsrs_sim_result *b = &s->r[s->best];

		snprintf(line, sizeof line, "Least time per card known: %.0f%% "
		    "(%.1f min/day, %.0f known)", b->retention * 100,
		    b->minutes_per_day, b->memorised);
	} else
		snprintf(line, sizeof line, "No card would be known: nothing "
		    "to compare.");
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_GRAPH_MATURE, line);
	snprintf(line, sizeof line, "Chosen %.0f%%: %.1f min/day, %.1f "
	    "reviews/day, %.0f known", r->retention * 100, r->minutes_per_day,
	    r->reviews_per_day, r->memorised);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_GRAPH_LEARN, line);
	if (rows - 1 > row)
		ui_draw_text(ui, w, rows - 1, 2, cols - 4, THEME_MUTED,
		    "Left/Right choose  b the least time  Enter: set desired "
		    "retention  Esc back");
}
