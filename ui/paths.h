/*
 * paths — where bootscope finds its bundled programs and lab files.
 *
 * Everything is found relative to the binary's own path
 * (/proc/self/exe), so an installed tree can be moved as a whole:
 *
 *   bundled programs   <exe dir>/target-runtime/NAME       (build tree)
 *                      <exe dir>/BOOTSCOPE_LIBEXEC_REL/NAME (installed;
 *                      ../libexec/bootscope by default)
 *   lab files          $BOOTSCOPE_LABS when set
 *                      <exe dir>/BOOTSCOPE_LABS_REL         (installed;
 *                      ../share/bootscope/labs by default)
 *                      the source tree's labs, only for the binary
 *                      that sits in the build directory it was built in
 *
 * An installed binary never looks into the source tree.
 */
#ifndef UI_PATHS_H
#define UI_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The bundled program name ("hello", "pingpong" …) into out (n bytes).
 * 0, or -ENOENT "cannot find the bundled program NAME (looked in …)". */
int ui_paths_program(const char *name, char *out, size_t n, struct dbg_err *err);

/* Whether path is one of the bundled programs (the file itself). */
bool ui_paths_is_bundled(const char *path);

/* The directory of lab files into out (n bytes). 0, or -ENOENT naming
 * the places looked in. */
int ui_paths_labs(char *out, size_t n, struct dbg_err *err);

#endif
