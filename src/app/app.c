/*
 * app.c - the running program's context. See app.h.
 */
#include "config.h"

#include "lemma/app/app.h"

time_t
app_now(const struct app *app)
{
	return app->has_fixed_now ? app->fixed_now : time(NULL);
}
