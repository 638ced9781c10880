/*
 * paths — bundled programs and lab files, relative to the binary. See
 * paths.h.
 */
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootscope_config.h"

/* The directory holding this binary, with a trailing '/'. */
static int exe_dir(char *out, size_t n, struct dbg_err *err)
{
	ssize_t len = readlink("/proc/self/exe", out, n - 1);
	char *slash;

	if (len < 0)
		return dbg_err_errno(err, -errno, "cannot read /proc/self/exe");
	if ((size_t)len >= n - 1)
		return dbg_err_set(err, -ENAMETOOLONG,
				   "cannot read /proc/self/exe: the path is too long");
	out[len] = '\0';
	slash = strrchr(out, '/');
	if (slash)
		slash[1] = '\0';
	return 0;
}

/* dir + rel, canonical, into out when it fits; true when it names a
 * regular file (a directory when want_dir) that passes access(mode). */
static bool try_path(char *out, size_t n, const char *dir, const char *rel, int mode, bool want_dir)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;
	int len;

	/* An install directory outside the prefix is configured absolute. */
	if (rel[0] == '/')
		dir = "";
	len = snprintf(path, sizeof(path), "%s%s", dir, rel);
	if (len < 0 || (size_t)len >= sizeof(path) || access(path, mode) != 0)
		return false;
	if (stat(path, &st) != 0 || !(want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
		return false;
	/* "…/bin/../libexec/…" would show in argv[0] and in messages. */
	if (!realpath(path, real))
		return false;
	return snprintf(out, n, "%s", real) < (int)n;
}

int ui_paths_program(const char *name, char *out, size_t n, struct dbg_err *err)
{
	char dir[PATH_MAX], rel[PATH_MAX];
	int rc;

	if (!*name || strchr(name, '/'))
		return dbg_err_set(err, -EINVAL, "bad bundled program name '%s'", name);
	rc = exe_dir(dir, sizeof(dir), err);
	if (rc < 0)
		return rc;
	snprintf(rel, sizeof(rel), "target-runtime/%s", name);
	if (try_path(out, n, dir, rel, X_OK, false))
		return 0;
	snprintf(rel, sizeof(rel), "%s/%s", BOOTSCOPE_LIBEXEC_REL, name);
	if (try_path(out, n, dir, rel, X_OK, false))
		return 0;
	return dbg_err_set(err, -ENOENT,
			   "cannot find the bundled program %s in %starget-runtime or %s%s", name,
			   dir, dir, BOOTSCOPE_LIBEXEC_REL);
}

bool ui_paths_is_bundled(const char *path)
{
	char real[PATH_MAX], bundled[PATH_MAX];
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return *base && realpath(path, real) &&
	       ui_paths_program(base, bundled, sizeof(bundled), NULL) == 0 &&
	       strcmp(real, bundled) == 0;
}

/* This binary is the one in the build directory it was built in. */
static bool in_build_tree(const char *dir)
{
	char a[PATH_MAX], b[PATH_MAX];

	return realpath(dir, a) && realpath(BOOTSCOPE_BUILD_ROOT, b) && strcmp(a, b) == 0;
}

int ui_paths_labs(char *out, size_t n, struct dbg_err *err)
{
	const char *env = getenv("BOOTSCOPE_LABS");
	char dir[PATH_MAX];
	int rc;

	if (env && *env) {
		if (snprintf(out, n, "%s", env) >= (int)n)
			return dbg_err_set(err, -ENAMETOOLONG, "BOOTSCOPE_LABS is too long");
		return 0;
	}
	rc = exe_dir(dir, sizeof(dir), err);
	if (rc < 0)
		return rc;
	if (try_path(out, n, dir, BOOTSCOPE_LABS_REL, R_OK | X_OK, true))
		return 0;
	if (in_build_tree(dir) && try_path(out, n, "", BOOTSCOPE_SOURCE_LABS, R_OK | X_OK, true))
		return 0;
	return dbg_err_set(err, -ENOENT,
			   "cannot find the lab files in %s%s; set BOOTSCOPE_LABS to their directory",
			   dir, BOOTSCOPE_LABS_REL);
}
