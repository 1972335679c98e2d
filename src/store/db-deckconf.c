/* db-deckconf.c - deck options presets; see deckconf.h. */
#include "config.h"

#include "lemma/store/deckconf.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-decks.h"

/* ---- the options, one row each -------------------------------------------------- */

static const char *const leech_actions[] = { "suspend", "tag-only", NULL };
static const char *const gather_orders[] = { "deck",
	"deck-then-random-notes", "ascending-position", "descending-position",
	"random-notes", "random-cards", NULL };
static const char *const new_sorts[] = { "template", "gather",
	"template-then-random", "random-note-then-template", "random", NULL };
static const char *const mixes[] = { "mix", "after-reviews",
	"before-reviews", NULL };
static const char *const review_orders[] = { "due", "due-then-deck",
	"deck-then-due", "interval-ascending", "interval-descending",
	"difficulty-ascending", "difficulty-descending",
	"retrievability-ascending", "random", "added", "reverse-added",
	"retrievability-descending", NULL };

#define OFF(f)	offsetof(struct deckconf, f)
#define SZ(f)	sizeof ((struct deckconf *)0)->f

/* In the order of the options view; the first nine are where they were
 * before presets had Anki's full set, so fingers and scripts that Tab to
 * a field still find it. */
const struct deckconf_key deckconf_keys[] = {
	{ "desired-retention", "Desired retention", DC_REAL,
	    OFF(desired_retention), 0, 0.70, 0.99, NULL },
	{ "learning-steps", "Learning steps", DC_TEXT, OFF(learning_steps),
	    SZ(learning_steps), 0, 0, NULL },
	{ "relearning-steps", "Relearning steps", DC_TEXT,
	    OFF(relearning_steps), SZ(relearning_steps), 0, 0, NULL },
	{ "new-per-day", "New cards/day", DC_INT, OFF(new_per_day), 0, 0,
	    9999, NULL },
	{ "reviews-per-day", "Maximum reviews/day", DC_INT,
	    OFF(reviews_per_day), 0, 0, 99999, NULL },
	{ "maximum-interval", "Maximum interval (days)", DC_INT,
	    OFF(max_interval), 0, 1, 36500, NULL },
	{ "leech-threshold", "Leech threshold (lapses)", DC_INT,
	    OFF(leech_threshold), 0, 1, 99, NULL },
	{ "bury-new", "Bury new siblings", DC_BOOL, OFF(bury_new), 0, 0, 1,
	    NULL },
	{ "fsrs-params", "FSRS parameters (empty: defaults)", DC_TEXT,
	    OFF(fsrs_params), SZ(fsrs_params), 0, 0, NULL },
	{ "leech-action", "Leech action", DC_ENUM, OFF(leech_action), 0, 0, 0,
	    leech_actions },
	{ "minimum-interval", "Minimum interval (days)", DC_INT,
	    OFF(min_interval), 0, 1, 36500, NULL },
	{ "limits-from-top", "Limits start from top", DC_BOOL,
	    OFF(limits_from_top), 0, 0, 1, NULL },
	{ "bury-reviews", "Bury review siblings", DC_BOOL, OFF(bury_reviews),
	    0, 0, 1, NULL },
	{ "bury-interday", "Bury interday learning siblings", DC_BOOL,
	    OFF(bury_interday), 0, 0, 1, NULL },
	{ "new-gather-order", "New card gather order", DC_ENUM,
	    OFF(new_gather_order), 0, 0, 0, gather_orders },
	{ "new-sort-order", "New card sort order", DC_ENUM,
	    OFF(new_sort_order), 0, 0, 0, new_sorts },
	{ "new-review-order", "New/review order", DC_ENUM, OFF(new_mix), 0, 0,
	    0, mixes },
	{ "interday-review-order", "Interday learning/review order", DC_ENUM,
	    OFF(interday_mix), 0, 0, 0, mixes },
	{ "review-sort-order", "Review sort order", DC_ENUM,
	    OFF(review_order), 0, 0, 0, review_orders },
};
const size_t deckconf_nkeys = sizeof deckconf_keys / sizeof deckconf_keys[0];

const struct deckconf_key *
deckconf_key_find(const char *key)
{
	for (size_t i = 0; i < deckconf_nkeys; i++)
		if (strcmp(deckconf_keys[i].key, key) == 0)
			return &deckconf_keys[i];
	return NULL;
}

static int *
int_field(struct deckconf *c, const struct deckconf_key *k)
{
	return (int *)(void *)((char *)c + k->offset);
}

static const int *
int_field_c(const struct deckconf *c, const struct deckconf_key *k)
{
	return (const int *)(const void *)((const char *)c + k->offset);
}

int
deckconf_key_set(struct deckconf *c, const struct deckconf_key *k,
    const char *value, struct err *e)
{
	char *end;
	long v;
	double d;

	switch (k->type) {
	case DC_TEXT:
		if (strlen(value) >= k->size)
			return err_set(e, NULL, 0, 0, "%s: too long (at most %zu "
			    "bytes)", k->label, k->size - 1);
		for (const char *p = value; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return err_set(e, NULL, 0, 0, "%s: control "
				    "characters are not allowed", k->label);
		memcpy((char *)c + k->offset, value, strlen(value) + 1);
		return 0;
	case DC_REAL:
		errno = 0;
		d = strtod(value, &end);
		if (*value == '\0' || *end != '\0' || errno != 0 ||
		    !(d >= k->min && d <= k->max))
			return err_set(e, NULL, 0, 0, "%s must be between %.2f and "
			    "%.2f (it is '%.40s')", k->label, k->min, k->max, value);
		*(double *)(void *)((char *)c + k->offset) = d;
		return 0;
	case DC_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "y") == 0 ||
		    strcmp(value, "1") == 0 || strcmp(value, "on") == 0 ||
		    strcmp(value, "true") == 0)
			*int_field(c, k) = 1;
		else if (strcmp(value, "no") == 0 || strcmp(value, "n") == 0 ||
		    strcmp(value, "0") == 0 || strcmp(value, "off") == 0 ||
		    strcmp(value, "false") == 0)
			*int_field(c, k) = 0;
		else
			return err_set(e, NULL, 0, 0, "%s: '%.40s' is not yes or "
			    "no", k->label, value);
		return 0;
	case DC_ENUM:
		for (int i = 0; k->names[i] != NULL; i++)
			if (strcmp(k->names[i], value) == 0) {
				*int_field(c, k) = i;
				return 0;
			}
		{
			char list[512] = "";

			for (int i = 0; k->names[i] != NULL; i++)
				snprintf(list + strlen(list), sizeof list -
				    strlen(list), "%s%s", i > 0 ? ", " : "",
				    k->names[i]);
			return err_set(e, NULL, 0, 0, "%s: '%.40s' is not one of "
			    "%s", k->label, value, list);
		}
	case DC_INT:
		errno = 0;
		v = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 ||
		    v < (long)k->min || v > (long)k->max)
			return err_set(e, NULL, 0, 0, "%s: '%.40s' is not a whole "
			    "number from %ld to %ld", k->label, value,
			    (long)k->min, (long)k->max);
		*int_field(c, k) = (int)v;
		return 0;
	}
	return err_set(e, NULL, 0, 0, "%s: unknown type", k->label);
}

void
deckconf_key_format(const struct deckconf *c, const struct deckconf_key *k,
    char *buf, size_t len)
{
	int v;

	switch (k->type) {
	case DC_TEXT:
		snprintf(buf, len, "%s", (const char *)c + k->offset);
		return;
	case DC_REAL:
		snprintf(buf, len, "%.2f",
		    *(const double *)(const void *)((const char *)c + k->offset));
		return;
	case DC_BOOL:
		snprintf(buf, len, "%s", *int_field_c(c, k) ? "yes" : "no");
		return;
	case DC_ENUM:
		v = *int_field_c(c, k);
		for (int i = 0; k->names[i] != NULL; i++)
			if (i == v) {
				snprintf(buf, len, "%s", k->names[i]);
				return;
			}
		snprintf(buf, len, "%d", v);
		return;
	case DC_INT:
		snprintf(buf, len, "%d", *int_field_c(c, k));
		return;
	}
}

int
deckconf_check(const struct deckconf *c, struct err *e)
{
	struct fsrs_params p;
	int secs[FSRS_MAX_STEPS], n;
	struct err why;
	char buf[1100];
	struct deckconf tmp = *c;

	/* Each option in its range, by the same rules as a typed value. */
	for (size_t i = 0; i < deckconf_nkeys; i++) {
		const struct deckconf_key *k = &deckconf_keys[i];

		if (k->type == DC_TEXT)
			continue;
		deckconf_key_format(c, k, buf, sizeof buf);
		if (deckconf_key_set(&tmp, k, buf, e) < 0)
			return -1;
	}
	err_clear(&why);
	if (fsrs_steps_parse(c->learning_steps, secs, &n, &why) < 0)
		return err_set(e, NULL, 0, 0, "Learning steps: %s", why.msg);
	if (fsrs_steps_parse(c->relearning_steps, secs, &n, &why) < 0)
		return err_set(e, NULL, 0, 0, "Relearning steps: %s", why.msg);
	if (c->min_interval > c->max_interval)
		return err_set(e, NULL, 0, 0, "Minimum interval (%d days) must "
		    "not be above the maximum interval (%d days)",
		    c->min_interval, c->max_interval);
	if (c->fsrs_params[0] != '\0') {
		fsrs_params_default(&p);
		/* The parser's message names the FSRS parameters. */
		if (fsrs_params_parse_weights(&p, c->fsrs_params, &why) < 0)
			return err_set(e, NULL, 0, 0, "%s", why.msg);
	}
	return 0;
}

#define CONF_COLS "c.id, c.name, c.desired_retention, c.learning_steps, " \
	"c.relearning_steps, c.max_interval, c.new_per_day, " \
	"c.reviews_per_day, c.leech_threshold, c.leech_action, " \
	"coalesce(c.fsrs_params, ''), (SELECT count(*) FROM decks u WHERE " \
	"u.config_id = c.id), c.min_interval, c.limits_from_top, " \
	"c.bury_new, c.bury_reviews, c.bury_interday, c.new_gather_order, " \
	"c.new_sort_order, c.new_mix, c.interday_mix, c.review_order"

static void
conf_row(sqlite3_stmt *st, struct deckconf *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->name, sizeof out->name, "%s", sqlite3_column_text(st, 1));
	out->desired_retention = sqlite3_column_double(st, 2);
	snprintf(out->learning_steps, sizeof out->learning_steps, "%s",
	    sqlite3_column_text(st, 3));
	snprintf(out->relearning_steps, sizeof out->relearning_steps, "%s",
	    sqlite3_column_text(st, 4));
	out->max_interval = sqlite3_column_int(st, 5);
	out->new_per_day = sqlite3_column_int(st, 6);
	out->reviews_per_day = sqlite3_column_int(st, 7);
	out->leech_threshold = sqlite3_column_int(st, 8);
	out->leech_action = sqlite3_column_int(st, 9);
	snprintf(out->fsrs_params, sizeof out->fsrs_params, "%s",
	    sqlite3_column_text(st, 10));
	out->decks_using = sqlite3_column_int(st, 11);
	out->min_interval = sqlite3_column_int(st, 12);
	out->limits_from_top = sqlite3_column_int(st, 13);
	out->bury_new = sqlite3_column_int(st, 14);
	out->bury_reviews = sqlite3_column_int(st, 15);
	out->bury_interday = sqlite3_column_int(st, 16);
	out->new_gather_order = sqlite3_column_int(st, 17);
	out->new_sort_order = sqlite3_column_int(st, 18);
	out->new_mix = sqlite3_column_int(st, 19);
	out->interday_mix = sqlite3_column_int(st, 20);
	out->review_order = sqlite3_column_int(st, 21);
}

static int
get_one(struct db *db, const char *sql, int64_t id, struct deckconf *out,
    const char *none, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, sql, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		conf_row(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, NULL, 0, 0, "%s", none);
	return rc == SQLITE_ROW ? 0 : db_sql_err(db, e, "cannot read deck options");
}

int
deckconf_get(struct db *db, int64_t deck_id, struct deckconf *out,
    struct err *e)
{
	return get_one(db, "SELECT " CONF_COLS " FROM decks d JOIN deck_config "
	    "c ON c.id = d.config_id WHERE d.id = ?", deck_id, out,
	    "no such deck", e);
}

int
deckconf_get_preset(struct db *db, int64_t preset_id, struct deckconf *out,
    struct err *e)
{
	return get_one(db, "SELECT " CONF_COLS " FROM deck_config c WHERE "
	    "c.id = ?", preset_id, out, "no such preset", e);
}

int
deckconf_list(struct db *db, struct deckconf **out, size_t *n, struct err *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, "SELECT " CONF_COLS " FROM deck_config c "
	    "ORDER BY c.id", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(*out, cap, *n + 1, 4);
		conf_row(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return db_sql_err(db, e, "cannot read the presets");
	}
	return 0;
}

int
deckconf_save(struct db *db, const struct deckconf *c,
    struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	sqlite3_stmt *st;

	if (undo != NULL)
		*undo = NULL;
	if (deckconf_check(c, e) < 0)
		return -1;
	if ((u = db_deck_action_begin(db, "Options", e)) == NULL)
		return -1;
	if ((st = db_prepare(db, "UPDATE deck_config SET desired_retention = ?, "
	    "learning_steps = ?, relearning_steps = ?, max_interval = ?, "
	    "new_per_day = ?, reviews_per_day = ?, leech_threshold = ?, "
	    "bury_siblings = ?, fsrs_params = nullif(?, ''), leech_action = ?, "
	    "min_interval = ?, limits_from_top = ?, bury_new = ?, "
	    "bury_reviews = ?, bury_interday = ?, new_gather_order = ?, "
	    "new_sort_order = ?, new_mix = ?, interday_mix = ?, "
	    "review_order = ? WHERE id = ?", e)) == NULL)
		return db_deck_action_fail(db, u);
	sqlite3_bind_double(st, 1, c->desired_retention);
	sqlite3_bind_text(st, 2, c->learning_steps, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->relearning_steps, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, c->max_interval);
	sqlite3_bind_int(st, 5, c->new_per_day);
	sqlite3_bind_int(st, 6, c->reviews_per_day);
	sqlite3_bind_int(st, 7, c->leech_threshold);
	sqlite3_bind_int(st, 8, c->bury_new || c->bury_reviews);
	sqlite3_bind_text(st, 9, c->fsrs_params, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, c->leech_action);
	sqlite3_bind_int(st, 11, c->min_interval);
	sqlite3_bind_int(st, 12, c->limits_from_top != 0);
	sqlite3_bind_int(st, 13, c->bury_new != 0);
	sqlite3_bind_int(st, 14, c->bury_reviews != 0);
	sqlite3_bind_int(st, 15, c->bury_interday != 0);
	sqlite3_bind_int(st, 16, c->new_gather_order);
	sqlite3_bind_int(st, 17, c->new_sort_order);
	sqlite3_bind_int(st, 18, c->new_mix);
	sqlite3_bind_int(st, 19, c->interday_mix);
	sqlite3_bind_int(st, 20, c->review_order);
	sqlite3_bind_int64(st, 21, c->id);
	if (db_step_done(db, st, e) < 0)
		return db_deck_action_fail(db, u);
	if (sqlite3_changes(db->sql) == 0) {
		err_set(e, NULL, 0, 0, "no such preset (id %lld)",
		    (long long)c->id);
		return db_deck_action_fail(db, u);
	}
	return db_deck_action_end(db, u, undo, e);
}

int
deckconf_set(struct db *db, int64_t deck_id, const struct deckconf *c,
    struct err *e)
{
	struct deckconf old, c2;

	if (deckconf_get(db, deck_id, &old, e) < 0)
		return -1;
	c2 = *c;
	c2.id = old.id;
	return deckconf_save(db, &c2, NULL, e);
}

/* A preset name: not empty, no control characters, not taken by another
 * preset (case-insensitive). */
static int
check_name(struct db *db, const char *name, int64_t self, struct err *e)
{
	int64_t other;

	if (name[0] == '\0' || strlen(name) >= sizeof ((struct deckconf *)0)->name)
		return err_set(e, NULL, 0, 0, "a preset needs a name of 1 to "
		    "127 bytes");
	for (const char *p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, NULL, 0, 0, "preset name has a control "
			    "character");
	if ((other = deckconf_find(db, name, e)) < 0)
		return -1;
	if (other != 0 && other != self)
		return err_set(e, NULL, 0, 0, "a preset named '%.127s' exists "
		    "already", name);
	return 0;
}

int
deckconf_add(struct db *db, const char *name, int64_t from_id, int64_t *id,
    struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	struct deckconf from;
	sqlite3_stmt *st;

	if (undo != NULL)
		*undo = NULL;
	if (from_id != 0 && deckconf_get_preset(db, from_id, &from, e) < 0)
		return -1;
	if ((u = db_deck_action_begin(db, from_id != 0 ? "Clone Preset" :
	    "Add Preset", e)) == NULL)
		return -1;
	if (check_name(db, name, 0, e) < 0)
		return db_deck_action_fail(db, u);
	/* A new preset has the columns' defaults, which are Anki's but for
	 * burying: lemma buried siblings before it had Anki's switches, and
	 * the Default preset keeps that; a new one starts as Anki's. */
	if ((st = db_prepare(db, "INSERT INTO deck_config (name, bury_siblings, "
	    "rollover_hour) VALUES (?, 0, coalesce((SELECT rollover_hour FROM "
	    "deck_config WHERE id = 1), 4))", e)) == NULL)
		return db_deck_action_fail(db, u);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (db_step_done(db, st, e) < 0)
		return db_deck_action_fail(db, u);
	*id = sqlite3_last_insert_rowid(db->sql);
	if (from_id != 0) {
		from.id = *id;
		if (deckconf_save(db, &from, NULL, e) < 0)
			return db_deck_action_fail(db, u);
	}
	return db_deck_action_end(db, u, undo, e);
}

int
deckconf_rename(struct db *db, int64_t id, const char *name,
    struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	sqlite3_stmt *st;

	if (undo != NULL)
		*undo = NULL;
	if ((u = db_deck_action_begin(db, "Rename Preset", e)) == NULL)
		return -1;
	if (check_name(db, name, id, e) < 0 ||
	    (st = db_prepare(db, "UPDATE deck_config SET name = ? WHERE id = ?",
	    e)) == NULL)
		return db_deck_action_fail(db, u);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	if (db_step_done(db, st, e) < 0)
		return db_deck_action_fail(db, u);
	if (sqlite3_changes(db->sql) == 0) {
		err_set(e, NULL, 0, 0, "no such preset");
		return db_deck_action_fail(db, u);
	}
	return db_deck_action_end(db, u, undo, e);
}

int
deckconf_delete(struct db *db, int64_t id, struct db_deck_undo **undo,
    struct err *e)
{
	struct db_deck_undo *u;

	if (undo != NULL)
		*undo = NULL;
	if (id == 1)
		return err_set(e, NULL, 0, 0, "the Default preset cannot be "
		    "deleted (decks fall back to it)");
	if ((u = db_deck_action_begin(db, "Delete Preset", e)) == NULL)
		return -1;
	{
		sqlite3_stmt *st = db_prepare(db, "UPDATE decks SET config_id = 1 "
		    "WHERE config_id = ?", e);
		sqlite3_stmt *del;

		if (st == NULL)
			return db_deck_action_fail(db, u);
		sqlite3_bind_int64(st, 1, id);
		if (db_step_done(db, st, e) < 0 ||
		    (del = db_prepare(db, "DELETE FROM deck_config WHERE id = ?",
		    e)) == NULL)
			return db_deck_action_fail(db, u);
		sqlite3_bind_int64(del, 1, id);
		if (db_step_done(db, del, e) < 0)
			return db_deck_action_fail(db, u);
		if (sqlite3_changes(db->sql) == 0) {
			err_set(e, NULL, 0, 0, "no such preset");
			return db_deck_action_fail(db, u);
		}
	}
	return db_deck_action_end(db, u, undo, e);
}

int
deckconf_global_get(struct db *db, struct deckconf_global *out,
    struct err *e)
{
	char v[32];

	(void)e;
	out->learn_ahead_mins = 20;
	out->next_day_starts_at = 4;
	if (db_setting_get(db, "learn_ahead_mins", v, sizeof v) == 0)
		out->learn_ahead_mins = atoi(v);
	if (db_setting_get(db, "next_day_starts_at", v, sizeof v) == 0)
		out->next_day_starts_at = atoi(v);
	return 0;
}

int
deckconf_global_set(struct db *db, const struct deckconf_global *g,
    struct err *e)
{
	sqlite3_stmt *st;
	char v[32];

	if (g->learn_ahead_mins < 0 || g->learn_ahead_mins > 1440)
		return err_set(e, NULL, 0, 0, "Learn ahead limit: minutes from "
		    "0 to 1440");
	if (g->next_day_starts_at < 0 || g->next_day_starts_at > 23)
		return err_set(e, NULL, 0, 0, "Next day starts at: an hour from "
		    "0 to 23");
	if (db_begin(db, e) < 0)
		return -1;
	snprintf(v, sizeof v, "%d", g->learn_ahead_mins);
	if (db_setting_set(db, "learn_ahead_mins", v, e) < 0)
		goto fail;
	snprintf(v, sizeof v, "%d", g->next_day_starts_at);
	if (db_setting_set(db, "next_day_starts_at", v, e) < 0)
		goto fail;
	/* Every preset's rollover_hour says the same: the search language and
	 * the statistics read the day boundary there. */
	if ((st = db_prepare(db, "UPDATE deck_config SET rollover_hour = ?",
	    e)) == NULL)
		goto fail;
	sqlite3_bind_int(st, 1, g->next_day_starts_at);
	if (db_step_done(db, st, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int64_t
deckconf_find(struct db *db, const char *name, struct err *e)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if ((st = db_prepare(db, "SELECT id, name FROM deck_config ORDER BY id",
	    e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (db_deck_name_same((const char *)sqlite3_column_text(st, 1),
		    name)) {
			id = sqlite3_column_int64(st, 0);
			break;
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the presets");
	return id;
}

int
deckconf_assign(struct db *db, int64_t deck_id, int64_t preset_id,
    int children, struct db_deck_undo **undo, struct err *e)
{
	struct db_deck_undo *u;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0;

	if (undo != NULL)
		*undo = NULL;
	if ((u = db_deck_action_begin(db, "Options", e)) == NULL)
		return -1;
	if (children) {
		if (db_deck_subtree(db, deck_id, &ids, &n, e) < 0)
			goto fail;
	} else {
		ids = xmalloc(sizeof *ids);
		ids[0] = deck_id;
		n = 1;
	}
	if ((st = db_prepare(db, "UPDATE decks SET config_id = ?2 WHERE id = ?1",
	    e)) == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, preset_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot set the deck's preset");
			sqlite3_finalize(st);
			goto fail;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	free(ids);
	return db_deck_action_end(db, u, undo, e);
fail:
	free(ids);
	return db_deck_action_fail(db, u);
}
