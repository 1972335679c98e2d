/*
 * ui-flags.c - Anki's seven flags as the screen shows them: a name and a
 * theme element each (flag.red ... flag.purple); the number goes with
 * them everywhere, so a theme without colour (mono) still tells them
 * apart.
 */
#include "config.h"

#include "ui.h"

static const char *const names[8] = { "", "Red", "Orange", "Green", "Blue",
	"Pink", "Turquoise", "Purple" };

const char *
ui_flag_name(int flag)
{
	return flag >= 1 && flag <= 7 ? names[flag] : "";
}

enum theme_element
ui_flag_element(int flag)
{
	return flag >= 1 && flag <= 7 ?
	    (enum theme_element)(THEME_FLAG_RED + flag - 1) : THEME_MUTED;
}
