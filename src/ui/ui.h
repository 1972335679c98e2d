/*
 * ui.h - private to src/ui: the full-screen program.
 *
 * The UI only calls the core: it holds no scheduling and no SQL. Each view
 * (deck list, study, stats, help) is a const struct view in its own file;
 * key handlers return the UI_DIRTY_* bits of what they changed, and one place
 * (ui_flush) draws the dirty windows and calls doupdate(), the only place
 * bytes reach the terminal.
 */
#ifndef LEMMA_UI_H
#define LEMMA_UI_H

#include <curses.h>
#include <panel.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "lemma/app/app.h"
#include "lemma/app/theme.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/notetype.h"
#include "lemma/ui/ui.h"

struct study;
struct deck_counts;
struct ui_stats_cache;
struct ui_options_form;
struct ui_undo_entry;
struct db_deck_undo;

/* Every action a key can trigger: id, name in keys.yaml, help text. */
#define UI_ACTIONS(X)							\
	X(NONE,		"none",		"")				\
	X(QUIT,		"quit",		"Quit lemma")			\
	X(HELP,		"help",		"Show all keys")		\
	X(BACK,		"back",		"Back to the deck list")	\
	X(UP,		"up",		"Move up")			\
	X(DOWN,		"down",		"Move down")			\
	X(TOP,		"top",		"Go to the first row")		\
	X(BOTTOM,	"bottom",	"Go to the last row")		\
	X(PAGE_UP,	"page-up",	"Half a page up")		\
	X(PAGE_DOWN,	"page-down",	"Half a page down")		\
	X(OPEN,		"open",		"Study the selected deck")	\
	X(EXPAND,	"expand",	"Expand the deck")		\
	X(COLLAPSE,	"collapse",	"Collapse the deck")		\
	X(TOGGLE,	"toggle",	"Expand or collapse")		\
	X(PANE,		"pane",		"Switch pane")			\
	X(STATS,	"stats",	"Statistics")			\
	X(REDRAW,	"redraw",	"Repaint the screen")		\
	X(REVEAL,	"reveal",	"Show the answer / Good")	\
	X(AGAIN,	"again",	"Grade: Again (forgot)")	\
	X(HARD,		"hard",		"Grade: Hard")			\
	X(GOOD,		"good",		"Grade: Good")			\
	X(EASY,		"easy",		"Grade: Easy")			\
	X(UNDO,		"undo",		"Undo the last action (any view's)")		\
	X(EDIT,		"edit",		"Edit the note here")		\
	X(EDIT_EXTERNAL, "edit-external", "Edit the note in $EDITOR")	\
	X(ADD,		"add",		"Add a note to the deck")	\
	X(BROWSE,	"browse",	"Browse and search cards")	\
	X(SEARCH,	"search",	"Search (Anki syntax)")		\
	X(SORT,		"sort",		"Sort by the next column")	\
	X(SORT_REVERSE,	"sort-reverse",	"Reverse the sort order")	\
	X(SELECT,	"select",	"Select the card (for bulk actions)") \
	X(TOGGLE_SUSPEND, "toggle-suspend", "Suspend / unsuspend")	\
	X(MOVE,		"move",		"Move to a deck")		\
	X(TAG_ADD,	"tag-add",	"Add a tag")			\
	X(TAG_REMOVE,	"tag-remove",	"Remove a tag")			\
	X(RESET,	"reset",	"Reset to new (asks first)")	\
	X(DELETE,	"delete",	"Delete notes (asks first)")	\
	X(EMPTY_CARDS,	"empty-cards",	"Empty Cards: list, delete (asks)") \
	X(SAVE,		"save",		"Save the note")		\
	X(NEXT_FIELD,	"next-field",	"Next field")			\
	X(PREV_FIELD,	"prev-field",	"Previous field")		\
	X(CANCEL,	"cancel",	"Cancel")			\
	X(OPTIONS,	"options",	"Deck options")			\
	X(DECK_ADD,	"add-deck",	"Add a deck (a::b adds b under a)") \
	X(RENAME,	"rename",	"Rename the deck (a new parent moves it)") \
	X(CUSTOM_STUDY,	"custom-study",	"Custom study (Anki's six kinds)") \
	X(SUSPEND,	"suspend",	"Suspend the card")		\
	X(BURY,		"bury",		"Bury the card until tomorrow")	\
	X(MARK,		"mark",		"Mark the note (tag marked)")	\
	X(FLAG,		"flag",		"Flag: f then 1-7 (0 clears)")	\
	X(MORE_NEW,	"more-new",	"Study 10 more new cards")	\
	X(AHEAD,	"ahead",	"Study ahead (due tomorrow)")	\
	X(PREV_GRAPH,	"prev-graph",	"Previous graph")		\
	X(NEXT_GRAPH,	"next-graph",	"Next graph")			\
	X(PERIOD,	"period",	"Change the period")		\
	X(HINT,		"hint",		"Show the card's hints")	\
	X(OPTIMIZE,	"optimize",	"FSRS: fit the parameters to the review log") \
	X(EVALUATE,	"evaluate",	"FSRS: evaluate the parameters, health check") \
	X(DECIDE,	"help-me-decide", "FSRS: workload by desired retention") \
	X(MEDIA,	"media",	"The card's images and sounds (xdg-open opens)")

enum ui_action {
#define X(id, name, help) UI_##id,
	UI_ACTIONS(X)
#undef X
	UI_NACTIONS
};

/* Keys are curses key codes or characters; a character above U+00FF has
 * this bit set (see ui_read_key), ui_key_char() gives it back. */
#define UI_KEY_CHAR_BIT		0x20000000
#define UI_KEY_IS_CHAR(k)	((k) >= 0x20 && (k) != 0x7F && \
				 ((k) < KEY_MIN || ((k) & UI_KEY_CHAR_BIT)))
#define ui_key_char(k)		((uint32_t)(k) & ~(uint32_t)UI_KEY_CHAR_BIT)

/* keys.yaml binds an action to this many keys at most (good: [g, G]). */
#define UI_KEYS_PER_ACTION	4

/* A key in a view's table. key: a curses key code or character. */
struct ui_binding {
	int		 key;
	enum ui_action	 action;
};

#define UI_DIRTY_HEADER		0x01u
#define UI_DIRTY_STATUS		0x02u
#define UI_DIRTY_LEFT		0x04u
#define UI_DIRTY_RIGHT		0x08u
#define UI_DIRTY_OVERLAY	0x10u
#define UI_DIRTY_LAYOUT		0x20u	/* windows must be rebuilt */
#define UI_DIRTY_DATA		0x40u	/* deck counts must be re-read */
#define UI_DIRTY_ALL		0x3Fu

struct ui;

/* An editable UTF-8 text (ui-text.c). */
struct ui_text {
	struct buf	 b;
	size_t		 cursor;	/* byte offset */
	int		 multiline;
	int		 top;		/* first visible row */
};

/* A view's own words for an action where the shared help text would be
 * wrong for it (the browser's undo brings back a delete, not a grade). */
struct ui_action_text {
	enum ui_action	 action;
	const char	*help;
};

struct view {
	const char		*name;
	const struct ui_binding	*keys;
	/* UI_NONE-terminated; NULL: the shared texts (UI_ACTIONS) only. */
	const struct ui_action_text *help_texts;
	unsigned	(*action)(struct ui *, enum ui_action, int key);
	void		(*draw)(struct ui *, WINDOW *);
	/* A mouse click at (row, col) of the view's window; may be NULL. */
	unsigned	(*click)(struct ui *, int row, int col);
	/* The actions the status line names now, UI_NONE-terminated; NULL
	 * for the view's whole table. */
	const enum ui_action *(*hints)(struct ui *);
};

extern const struct view ui_decks_view, ui_study_view, ui_stats_view,
    ui_browse_view, ui_editor_view, ui_options_view;

/* The deck list: the counts and which rows are visible. */
struct ui_deck_row {
	int		 index;		/* into counts */
	int		 depth;
	int		 has_children;
};

struct ui_decks {
	struct deck_counts	*counts;
	size_t			 ncounts;
	int			*collapsed;	/* per counts[] entry */
	struct ui_deck_row	*rows;
	int			 nrows;
	int			 selected;
	int			 top;
	int64_t			 selected_id;	/* kept across reloads */
	int			 prompt;	/* UI_DECK_ADD, UI_RENAME */
	struct ui_text		 prompt_text;
	int64_t			 moving_id;	/* 'm': the deck to move */
	int			 custom_kind;	/* the custom study asked for */
};

enum ui_study_side { STUDY_FRONT, STUDY_BACK, STUDY_DONE, STUDY_EMPTY };

/* The note type of the card on screen, read once per type (ui-card.c). */
struct ui_nt_cache {
	struct notetype		 nt;
	int			 valid;
};

/* A {{type:Field}} box: what was typed, and whether keys go to it. */
struct ui_card_typing {
	struct ui_text		*text;
	int			 focused;
	const char		*expected;	/* the field's text (answer side) */
};

struct ui_study {
	struct study		*study;
	int64_t			 deck_id;
	char			 deck_name[256];
	enum ui_study_side	 side;
	long			 shown_ms;	/* the question appeared (monotonic
						 * ms): for the answer time */
	char			 labels[4][16];
	int			 pending_flag;	/* 'f' was pressed */
	int			 scroll;
	time_t			 next_due;	/* when nothing is due */
	int			 has_next_due;
	struct ui_nt_cache	 nt;
	struct ui_text		 typed;		/* the answer to a type: card */
	int			 typing;	/* keys go to typed */
	int			 hints;		/* the card's hints are shown */
};

struct search_result;
struct search_row;
struct cardops_undo;

/* The card browser (ui-browse.c). */
struct ui_browse {
	struct ui_text		 query;
	int			 editing_query;
	struct search_result	*result;
	int			 sort;		/* enum search_sort */
	int			 descending;
	size_t			 selected, top;
	char			 error[520];
	int			 error_col;	/* 1-based; 0 none */
	int64_t			*marked;
	size_t			 nmarked, marked_cap;
	int			 prompt;	/* UI_MOVE, UI_TAG_ADD, UI_TAG_REMOVE */
	struct ui_text		 prompt_text;
	int			 confirm;	/* UI_RESET, UI_DELETE,
						 * UI_EMPTY_CARDS awaiting y */
	int			 pending_flag;	/* f was pressed: 0-7 next */
	int			 opened;
};

/* The note editor (ui-editor.c). */
struct ui_editor {
	int64_t			 note_id;	/* 0: a new note */
	int64_t			 deck_id;
	int			 notetype;
	int			 is_html;
	struct ui_text		*fields;
	char			**original;
	size_t			 nfields;
	struct ui_text		 tags;
	char			*original_tags;
	size_t			 focus;		/* nfields = the tags */
	int			 confirm_discard;
	int			 choose_type;	/* asking for the note type */
	struct notetype		 nt;		/* the note's type */
	struct notetype		*types;		/* choose_type: all of them */
	size_t			 ntypes, type_sel;
	const struct view	*return_to;
	int			 return_focus_right;
};

struct ui {
	struct app	*app;
	struct theme	 theme;
	int		 use_color;	/* colour pairs are set up */
	char		 theme_error[600];
	int		 rows, cols;
	int		 too_small;
	int		 wide;		/* two panes side by side */
	WINDOW		*header, *status, *left, *right, *overlay;
	PANEL		*p_header, *p_status, *p_left, *p_right, *p_overlay;
	const struct view *left_view, *right_view;
	int		 focus_right;	/* narrow: the right pane is shown */
	int		 help_open;
	int		 help_top;	/* first help entry shown (scrolled) */
	unsigned	 dirty;
	int		 quit;
	int		 decks_stale;	/* the deck counts need re-reading */
	int		 idle_tick;	/* the loop is idle: time for slow work */
	char		 message[256];
	int		 message_is_error;
#define UI_LOG_MAX	12
	/* Recent messages, oldest first. */
	char		 log[UI_LOG_MAX][256];
	int		 log_n;
	const char	*status_hint;	/* a view's override of the hints */
	struct ui_decks	 decks;
	struct ui_study	 st;
	struct ui_browse br;
	struct ui_editor ed;
	int		 stats_graph;	/* short panes: the graph shown */
	int		 stats_scroll;	/* tall panes: rows scrolled */
	int		 stats_more;	/* more graphs below the pane */
	int		 stats_period;	/* enum stats_period */
	int64_t		 stats_deck_id;	/* 0: all decks */
	long		 stats_generation;	/* of the data: changes bump it */
	struct ui_stats_cache *stats_cache;	/* ui-stats.c's figures */
	struct ui_options_form *options;	/* ui-options.c's form, if open */
	long		 studied_today;	/* today's grades, from the file */
	int		 today_stale;	/* studied_today to be re-read */
	/* ui-undo.c's stack, newest last. */
	struct ui_undo_entry *undo;
	size_t		 nundo, undo_cap;
	long		 study_serial;	/* counts study sessions opened */
	/* keys.yaml: the keys of a rebound action, 0-terminated; all 0:
	 * the view tables' defaults. */
	int		 keymap_key[UI_NACTIONS][UI_KEYS_PER_ACTION + 1];
};

/* ui.c */
void		 ui_message(struct ui *ui, int is_error, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
time_t		 ui_now(const struct ui *ui);
/* The view that takes keys now. */
const struct view *ui_focus_view(const struct ui *ui);
/* Show a view in the main (right, or only) pane and focus it. */
void		 ui_show(struct ui *ui, const struct view *v);
/* Leave curses for an external program (the editor), and come back. */
void		 ui_suspend(struct ui *ui);
void		 ui_resume(struct ui *ui);
/* The signal (SIGHUP, SIGTERM) that is ending the program, or 0. */
int		 ui_terminating(void);
/* While lemma waits on child pid, SIGHUP and SIGTERM are passed on to it
 * (0: to nobody). */
void		 ui_forward_signals(pid_t pid);
/* Run file with argv on the terminal as $EDITOR runs (ui-edit.c); the
 * caller suspends curses first and resumes it after. Its exit status, or
 * -1. */
int		 ui_run_program(const char *file, char *const argv[]);
/* Ask a question that must be answered before anything else happens: the
 * title, the problem and one line per choice over the screen, until a key
 * in answers (lower case) is pressed; returns it. Returns -1 when a signal
 * is ending the program; the caller unwinds and the loop then exits. */
int		 ui_ask(struct ui *ui, const char *title, const char *problem,
		    const char *const choices[], const char *answers);

/* ui-keys.c */
enum ui_action	 ui_key_action(const struct ui *ui, const struct view *v, int key);
const char	*ui_action_name(enum ui_action a);
const char	*ui_action_help(enum ui_action a);
/* The display name of the first key bound to a in v ("Space", "^Z", "q"). */
const char	*ui_key_for(const struct ui *ui, const struct view *v,
		    enum ui_action a, char *buf, size_t len);
const char	*ui_key_name(int key, char *buf, size_t len);
const char	*ui_keys_named(const int *keys, char *buf, size_t len);
/* Read $XDG_CONFIG_HOME/lemma/keys.yaml; errors go to ui_message. */
void		 ui_keys_load(struct ui *ui);

/* ui-colors.c */
void		 ui_colors_init(struct ui *ui);
attr_t		 ui_attr(const struct ui *ui, enum theme_element el);

/* ui-draw.c */
/* Draw UTF-8 s at (row, col) in element el, clipped to width cells;
 * returns the cells used. Control characters never reach the terminal. */
int		 ui_draw_text(struct ui *ui, WINDOW *w, int row, int col,
		    int width, enum theme_element el, const char *s);
/* ui_draw_text, but a text wider than width keeps its start and its end
 * around a "…": the end is what tells "Book · Ch 02" from "Book · Ch 03". */
int		 ui_draw_text_cut(struct ui *ui, WINDOW *w, int row, int col,
		    int width, enum theme_element el, const char *s);
/* ui_draw_text, but a text wider than width ends in "…": for prose,
 * whose start says what it is. */
int		 ui_draw_text_end(struct ui *ui, WINDOW *w, int row, int col,
		    int width, enum theme_element el, const char *s);
/* Fill a row from col to the window's edge with el's background. */
void		 ui_fill_row(struct ui *ui, WINDOW *w, int row, int col,
		    enum theme_element el);
int		 ui_text_width(const char *s);
/* Draw a field rendered by the core (formulas, cloze, HTML styles) from row;
 * returns the next free row. */
int		 ui_draw_field(struct ui *ui, WINDOW *w, int row, int col,
		    int width, enum theme_element base, const char *text,
		    int is_html, int cloze, int reveal, int center);

/* ui-decks.c */
void		 ui_decks_reload(struct ui *ui);
void		 ui_decks_free(struct ui *ui);
/* At quit: ui_decks_free and the prompt's text. */
void		 ui_decks_close(struct ui *ui);
/* The wide layout's deck pane: as wide as the names need, within limits. */
int		 ui_decks_pane_cols(const struct ui *ui, int screen_cols);
/* Custom study on deck_id: the deck list takes the focus and asks which
 * kind (from the congratulations screen too). */
void		 ui_decks_custom_study(struct ui *ui, int64_t deck_id);
/* The full name of the deck under the cursor, or NULL. */
const char	*ui_decks_selected_name(const struct ui *ui);

/* ui-study.c */
void		 ui_study_start(struct ui *ui, int64_t deck_id, const char *name);
/* A custom study session: more new cards or reviews today (o), or a
 * filtered session of ids (o NULL; reschedule 0: a preview). */
struct study_options;
void		 ui_study_start_custom(struct ui *ui, int64_t deck_id,
		    const char *name, const struct study_options *o,
		    const int64_t *ids, size_t n, int reschedule);
void		 ui_study_stop(struct ui *ui);
unsigned	 ui_study_edit(struct ui *ui);

/* ui-card.c: a card through its note type's templates. */
void		 ui_nt_cache_free(struct ui_nt_cache *c);
/* The note type id, from the cache or the progress file; NULL with a
 * message set when it cannot be read. */
const struct notetype *ui_nt_get(struct ui *ui, struct ui_nt_cache *c,
		    int64_t id);
/* The question or answer of a card as HTML into out. On a template error
 * out holds the error as text and -1 is returned. tags as stored
 * (" a b ") or "a b". */
int		 ui_card_html(struct ui *ui, struct ui_nt_cache *c,
		    int notetype, const char *fields, int is_html,
		    const char *tags, const char *deck, int ord, int flag,
		    int64_t card_id, int answer, int hints, struct buf *out);
/* Whether html holds a {{type:}} box; its field's name into name. */
int		 ui_card_type_field(const char *html, char *name, size_t len);
/* The text of the field a type: box in html names ("" when none); *copy
 * is for the caller to free. */
const char	*ui_card_type_expected(struct ui *ui, struct ui_nt_cache *c,
		    int notetype, const char *fields, int ord, const char *html,
		    char **copy);
/* html past its <hr id=answer>, or all of it. */
const char	*ui_card_after_rule(const char *html);
/* Draw html from row at col, width wide: the answer split at <hr
 * id=answer> by a rule, a type: box as an input line (question) or the
 * comparison with ty->expected (answer). Returns the next row. */
int		 ui_card_draw(struct ui *ui, WINDOW *w, int row, int col,
		    int width, const char *html, int answer, int cloze,
		    struct ui_card_typing *ty);

/* ui-edit.c: edit a note in $EDITOR; 1 when it was saved. */
int		 ui_edit_note(struct ui *ui, int64_t note_id);
/* The media files the card's question and answer HTML name, with their
 * paths and whether each is there; the chosen one opened with xdg-open
 * (ui-media.c). */
void		 ui_media_show(struct ui *ui, const char *question,
		    const char *answer);

/* ui-text.c */
void		 ui_text_init(struct ui_text *t, const char *s, int multiline);
void		 ui_text_free(struct ui_text *t);
const char	*ui_text_str(const struct ui_text *t);
void		 ui_text_set(struct ui_text *t, const char *s);
/* An editing key: 1 when it was one (the text or cursor may have changed),
 * 0 when the caller should handle it. */
int		 ui_text_key(struct ui_text *t, int key);
/* Draw in a box of width x height at (row, col); returns the rows the
 * whole text takes. */
int		 ui_text_draw(struct ui *ui, WINDOW *w, int row, int col,
		    int width, int height, struct ui_text *t,
		    enum theme_element el, int focused);

/* ui-browse.c */
void		 ui_browse_open(struct ui *ui, const char *query);
void		 ui_browse_free(struct ui *ui);

/* ui-editor.c: edit note_id (0: add a note to deck_id) in place. */
void		 ui_editor_open(struct ui *ui, int64_t note_id, int64_t deck_id);
void		 ui_editor_free(struct ui *ui);

/* ui-stats.c: the figures are cached until the data changes. */
void		 ui_stats_invalidate(struct ui *ui);
void		 ui_stats_free(struct ui *ui);

/* ui-options.c */
void		 ui_options_open(struct ui *ui, int64_t deck_id, const char *name);
void		 ui_options_free(struct ui *ui);

/* ui-fsrs.c: the deck options' FSRS tools, on the form's values c. */
struct deckconf;
struct ui_fsrs_sim;
/* Optimize: 1 with the better parameters' text in out, 0 when the
 * current ones stay, -1 when it could not run or was cancelled (the
 * status line says why). *report gets the lines to show, or NULL. */
int		 ui_fsrs_optimize(struct ui *ui, const struct deckconf *c,
		    char *out, size_t len, char **report);
/* Evaluate: 0 with *report, or -1. */
int		 ui_fsrs_evaluate(struct ui *ui, const struct deckconf *c,
		    char **report);
/* Help me decide: the simulation, or NULL (the status line says why). */
struct ui_fsrs_sim *ui_fsrs_simulate(struct ui *ui, const struct deckconf *c);
void		 ui_fsrs_sim_free(struct ui_fsrs_sim *s);
/* A key: 0 taken, 1 close, 2 close with *chosen set (a retention). */
int		 ui_fsrs_sim_key(struct ui_fsrs_sim *s, int key, double *chosen);
void		 ui_fsrs_sim_draw(struct ui *ui, WINDOW *w,
		    const struct ui_fsrs_sim *s);

/* ui-undo.c: the one undo stack of every view. */
void		 ui_undo_push_decks(struct ui *ui, struct db_deck_undo *rec);
void		 ui_undo_push_cards(struct ui *ui, const char *label,
		    struct cardops_undo *rec);
/*
 * Edit note_id undoably ("Update Note"): edit(ui, arg, e) saves it inside
 * one transaction with the record of the note and its cards as they were.
 * Returns edit's result: 0 saved (the record is on the stack), 1 nothing
 * to save, -1 not saved (e says why); only 0 writes anything.
 */
int		 ui_undo_note_edit(struct ui *ui, int64_t note_id,
		    int (*edit)(struct ui *, void *, struct err *), void *arg,
		    struct err *e);
/* The study session's newest raise of today's limits (custom study's
 * "increase today's limit", "10 more"), onto the stack ("Custom
 * Study"). */
void		 ui_undo_take_extend(struct ui *ui);
/* The study session's newest action (grade, suspend, bury), taken out of
 * the session onto the stack. */
void		 ui_undo_take_study(struct ui *ui);
/* Whether the newest entry is the open study session's own. */
int		 ui_undo_top_is_session(const struct ui *ui);
/* The label of what undo would take back ("Delete Deck"), or NULL. */
const char	*ui_undo_label(const struct ui *ui);
/* Take the newest action back; 1 when it was (message set either way). */
int		 ui_undo_pop(struct ui *ui);
void		 ui_undo_free(struct ui *ui);

/* ui-flags.c: flag 1-7's name ("Red") and theme element; "" and muted
 * for 0. */
const char	*ui_flag_name(int flag);
enum theme_element ui_flag_element(int flag);

/* ui-help.c */
void		 ui_help_draw(struct ui *ui, WINDOW *w);
int		 ui_help_scroll(struct ui *ui, int key);
const char	*ui_view_action_help(const struct view *v, enum ui_action a);

#endif
