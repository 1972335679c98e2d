# lemma.m4 - configure checks of lemma's own (see configure.ac).

# LEMMA_CHECK_CFLAG(FLAG, [IF-YES], [IF-NO])
# ------------------------------------------
# Does $CC accept FLAG? With -Werror, since clang only warns about an
# unknown -W option and would otherwise always say yes.
AC_DEFUN([LEMMA_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([lemma_cache], [lemma_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [lemma_cache], [
    lemma_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([lemma_cache], [yes])], [AS_VAR_SET([lemma_cache], [no])])
    CFLAGS=$lemma_save_CFLAGS])
  AS_VAR_IF([lemma_cache], [yes], [$2], [$3])
  AS_VAR_POPDEF([lemma_cache])
])

# LEMMA_SEARCH_LIB(VAR, HEADER, FUNCTION, LIBRARIES, MESSAGE)
# ----------------------------------------------------------
# For a library pkg-config does not know: HEADER must compile and FUNCTION
# link, alone or with one of LIBRARIES; sets VAR_LIBS (VAR_CFLAGS stays as
# given, normally empty), or stops with MESSAGE.
AC_DEFUN([LEMMA_SEARCH_LIB], [
  AC_MSG_NOTICE([no pkg-config file for $4: looking for the library itself])
  lemma_save_CPPFLAGS=$CPPFLAGS
  lemma_save_LIBS=$LIBS
  CPPFLAGS="$CPPFLAGS $$1_CFLAGS"
  LIBS=
  AC_CHECK_HEADER([$2], [], [AC_MSG_ERROR([$5])])
  AC_SEARCH_LIBS([$3], [$4], [], [AC_MSG_ERROR([$5])])
  $1_LIBS=$LIBS
  CPPFLAGS=$lemma_save_CPPFLAGS
  LIBS=$lemma_save_LIBS
])

# LEMMA_SEARCH_CURSES
# -------------------
# Wide-character curses and its panel library without pkg-config: ncursesw
# and panelw, or a curses of the system's own with the wide functions
# (NetBSD's, macOS's ncurses). lemma needs the X/Open wide API (setcchar,
# wadd_wch), which curses.h declares only under _XOPEN_SOURCE_EXTENDED
# (NCURSES_WIDECHAR for ncurses).
AC_DEFUN([LEMMA_SEARCH_CURSES], [
  AC_MSG_NOTICE([no pkg-config file for ncursesw: looking for the libraries])
  AS_IF([test "x$CURSES_CFLAGS" = x],
    [CURSES_CFLAGS="-D_XOPEN_SOURCE_EXTENDED -DNCURSES_WIDECHAR=1"])
  lemma_save_CPPFLAGS=$CPPFLAGS
  lemma_save_LIBS=$LIBS
  CPPFLAGS="$CPPFLAGS $CURSES_CFLAGS"
  LIBS=
  lemma_curses_error="ncursesw with its panel library not found: apt-get install libncurses-dev (or set CURSES_CFLAGS and CURSES_LIBS)"
  AC_CHECK_HEADERS([curses.h panel.h term.h], [],
    [AC_MSG_ERROR([$lemma_curses_error])], [[#include <curses.h>]])
  AC_SEARCH_LIBS([setcchar], [ncursesw curses ncurses], [],
    [AC_MSG_ERROR([$lemma_curses_error])])
  AC_SEARCH_LIBS([new_panel], [panelw panel], [],
    [AC_MSG_ERROR([$lemma_curses_error])])
  dnl terminfo is its own library where ncurses is built with --with-termlib.
  AC_SEARCH_LIBS([tigetstr], [tinfow tinfo], [],
    [AC_MSG_ERROR([$lemma_curses_error])])
  AC_MSG_CHECKING([whether curses.h declares the wide-character functions])
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <curses.h>
#include <panel.h>
#include <term.h>]], [[
    cchar_t c;
    wchar_t w[2] = { L'x', 0 };
    setcchar(&c, w, A_NORMAL, 0, NULL);
    (void)wadd_wch(stdscr, &c);
    (void)new_panel(stdscr);
    return tigetstr("smcup") == NULL;]])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([$lemma_curses_error])])
  CURSES_LIBS=$LIBS
  CPPFLAGS=$lemma_save_CPPFLAGS
  LIBS=$lemma_save_LIBS
])
