/*
 * stats-json.c - `lemma stats --json`: every figure of stats.h as one JSON
 * object (see stats-json.h). The names of bins and answer types are
 * stats-text's, so the JSON and the graphs say the same.
 */
#include "config.h"

#include "lemma/stats/stats-json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "lemma/base/jsonw.h"
#include "lemma/base/xmalloc.h"
#include "lemma/stats/stats-text.h"

/* The keys of the true-retention spans (stats.h's STATS_NSPANS). */
static const char *const span_keys[STATS_NSPANS] = {
	"today", "yesterday", "week", "month", "year"
};

static void
json_pass(struct buf *out, const struct stats_pass *p)
{
	buf_printf(out, "{\"pass\": %lld, \"fail\": %lld, \"rate\": ",
	    (long long)p->pass, (long long)p->fail);
	jsonw_num(out, stats_pass_rate(p));
	buf_addc(out, '}');
}

static void
json_bins(struct buf *out, const char *key, const int64_t *v, size_t n,
    const char *const *labels)
{
	buf_printf(out, ",\n  \"%s\": [", key);
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s{\"bin\": \"%s\", \"cards\": %lld}",
		    i ? ", " : "", labels[i], (long long)v[i]);
	buf_addc(out, ']');
}

void
stats_json(const struct stats *s, struct buf *out)
{
	const struct stats_today *t = &s->today_figures;
	const struct stats_counts *k = &s->counts;
	const char *log_labels[STATS_NLOG_BINS], *tenths[10];
	long first = s->today - (long)s->ndays + 1;
	char date[16];

	for (int i = 0; i < STATS_NLOG_BINS; i++)
		log_labels[i] = stats_log_bin_label(i);
	for (int i = 0; i < 10; i++)
		tenths[i] = stats_tenth_label(i);
	buf_adds(out, "{\n  \"deck\": ");
	if (s->deck != NULL)
		jsonw_str(out, s->deck);
	else
		buf_adds(out, "null");
	stats_day_date(s->today, date, sizeof date);
	buf_printf(out, ",\n  \"period\": \"%s\",\n  \"now\": %lld,\n"
	    "  \"today\": \"%s\",\n  \"rollover_hour\": %d,\n"
	    "  \"desired_retention\": ", stats_period_name(s->period),
	    (long long)s->now, date, s->rollover_hour);
	jsonw_num(out, s->desired_retention);

	buf_printf(out, ",\n  \"today_figures\": {\"cards\": %lld, \"reviews\": "
	    "%lld, \"time_ms\": %lld, \"again\": %lld, \"learn\": %lld, "
	    "\"young\": %lld, \"mature\": %lld, \"relearn\": %lld, "
	    "\"young_review\": ", (long long)t->cards, (long long)t->reviews,
	    (long long)t->time_ms, (long long)t->again,
	    (long long)t->by_kind[STATS_LEARN], (long long)t->by_kind[STATS_YOUNG],
	    (long long)t->by_kind[STATS_MATURE],
	    (long long)t->by_kind[STATS_RELEARN]);
	json_pass(out, &t->young);
	buf_adds(out, ", \"mature_review\": ");
	json_pass(out, &t->mature);
	buf_addc(out, '}');

	buf_adds(out, ",\n  \"true_retention\": {");
	for (int i = 0; i < STATS_NSPANS; i++) {
		struct stats_pass all = {
			s->young[i].pass + s->mature[i].pass,
			s->young[i].fail + s->mature[i].fail
		};
		buf_printf(out, "%s\n    \"%s\": {\"young\": ", i ? "," : "",
		    span_keys[i]);
		json_pass(out, &s->young[i]);
		buf_adds(out, ", \"mature\": ");
		json_pass(out, &s->mature[i]);
		buf_adds(out, ", \"all\": ");
		json_pass(out, &all);
		buf_addc(out, '}');
	}
	buf_adds(out, "\n  }");

	buf_adds(out, ",\n  \"days\": [");
	for (size_t i = 0; i < s->ndays; i++) {
		const struct stats_day *d = &s->days[i];
		stats_day_date(first + (long)i, date, sizeof date);
		buf_printf(out, "%s\n    {\"date\": \"%s\", \"learn\": %lld, "
		    "\"young\": %lld, \"mature\": %lld, \"relearn\": %lld, "
		    "\"again\": %lld, \"time_ms\": %lld}", i ? "," : "", date,
		    (long long)d->count[STATS_LEARN],
		    (long long)d->count[STATS_YOUNG],
		    (long long)d->count[STATS_MATURE],
		    (long long)d->count[STATS_RELEARN], (long long)d->again,
		    (long long)d->time_ms);
	}
	buf_adds(out, "\n  ]");

	buf_adds(out, ",\n  \"weeks\": [");
	for (size_t i = 0; i < s->nweeks; i++) {
		const struct stats_week *w = &s->weeks[i];
		long wfirst = s->today - (long)(s->nweeks - i) * 7 + 1;

		if (wfirst < first)
			wfirst = first;
		stats_day_date(wfirst, date, sizeof date);
		buf_printf(out, "%s\n    {\"from\": \"%s\", \"review\": ",
		    i ? "," : "", date);
		json_pass(out, &w->review);
		buf_adds(out, ", \"predicted\": ");
		jsonw_num(out, w->predicted_n > 0 ?
		    w->predicted_sum / (double)w->predicted_n : NAN);
		buf_printf(out, ", \"predicted_n\": %lld}",
		    (long long)w->predicted_n);
	}
	buf_adds(out, "\n  ]");

	buf_printf(out, ",\n  \"forecast\": {\"overdue\": %lld, \"daily_load\": ",
	    (long long)s->overdue);
	jsonw_num(out, s->daily_load);
	buf_adds(out, ", \"due\": [");
	for (size_t i = 0; i < s->ndue; i++)
		buf_printf(out, "%s%lld", i ? ", " : "", (long long)s->due[i]);
	buf_adds(out, "]}");

	stats_day_date(s->today - (STATS_CALENDAR_DAYS - 1), date, sizeof date);
	buf_printf(out, ",\n  \"calendar\": {\"from\": \"%s\", \"reviews\": [",
	    date);
	for (int i = 0; i < STATS_CALENDAR_DAYS; i++)
		buf_printf(out, "%s%lld", i ? ", " : "", (long long)s->calendar[i]);
	buf_printf(out, "]},\n  \"streaks\": {\"current\": %ld, \"longest\": %ld, "
	    "\"days_studied\": %ld}", s->streak_current, s->streak_longest,
	    s->days_studied);

	buf_printf(out, ",\n  \"counts\": {\"new\": %lld, \"learning\": %lld, "
	    "\"relearning\": %lld, \"young\": %lld, \"mature\": %lld, "
	    "\"suspended\": %lld, \"buried\": %lld, \"total\": %lld}",
	    (long long)k->new_count, (long long)k->learning,
	    (long long)k->relearning, (long long)k->young, (long long)k->mature,
	    (long long)k->suspended, (long long)k->buried, (long long)k->total);

	json_bins(out, "intervals", s->intervals, STATS_NLOG_BINS, log_labels);
	buf_adds(out, ",\n  \"mean_interval\": ");
	jsonw_num(out, s->mean_interval);
	json_bins(out, "stability", s->stability, STATS_NLOG_BINS, log_labels);
	json_bins(out, "difficulty", s->difficulty, STATS_NDIFF_BINS, tenths);
	json_bins(out, "retrievability", s->retrievability, STATS_NR_BINS,
	    tenths);
	buf_adds(out, ",\n  \"mean_retrievability\": ");
	jsonw_num(out, s->mean_retrievability);

	buf_adds(out, ",\n  \"buttons\": {");
	for (int ty = 0; ty < STATS_NBUTTON_TYPES; ty++)
		buf_printf(out, "%s\"%s\": {\"again\": %lld, \"hard\": %lld, "
		    "\"good\": %lld, \"easy\": %lld}", ty ? ", " : "",
		    stats_button_type_name(ty), (long long)s->buttons[ty][0],
		    (long long)s->buttons[ty][1], (long long)s->buttons[ty][2],
		    (long long)s->buttons[ty][3]);
	buf_adds(out, "},\n  \"hours\": [");
	for (int h = 0; h < 24; h++)
		buf_printf(out, "%s{\"hour\": %d, \"reviews\": %lld, \"pass\": %lld}",
		    h ? ", " : "", h, (long long)s->hours[h].count,
		    (long long)s->hours[h].pass);
	buf_adds(out, "]\n}\n");
}
