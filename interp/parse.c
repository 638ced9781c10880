/*
 * parse — the command tables, the command-line parser (dbg_cmd_parse) and
 * `help`, which the tables write (cmd.h lists the commands).
 */
#include "cmd_int.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscalls.h"

/* ---- command tables ----------------------------------------------------- */

enum {
	A_NONE = 1 << 0,   /* takes no arguments */
	A_REQ = 1 << 1,    /* needs an argument */
	A_OPT = 1 << 2,    /* optional free-form argument */
	A_COUNT = 1 << 3,  /* optional count N */
	A_XFMT = 1 << 4,   /* x/NFU */
	A_PFMT = 1 << 5,   /* print/F */
	A_RAW = 1 << 6,    /* echo: keep the text, decode escapes */
	A_IDS = 1 << 7,    /* delete: breakpoint numbers */
	A_MODS = 1 << 8,   /* disassemble: /r … stay in the arguments */
	A_LOC = 1 << 9,    /* completion: a location (stages, functions) */
	A_EXPR = 1 << 10,  /* completion: an expression (symbols) */
	A_STAGE = 1 << 11, /* completion: a stage */
	A_CMDS = 1 << 12,  /* completion: a command name (help) */
};

static const struct dbg_cmd_def infos[] = {
	{ "breakpoints", "b break", DBG_INFO_BREAKPOINTS, A_NONE, "info breakpoints",
	  "list breakpoints", "info breakpoints", cmd_info_breakpoints, NULL, 0 },
	{ "registers", "r regs reg", DBG_INFO_REGISTERS, A_OPT, "info registers [REG...]",
	  "registers of the current thread", "info registers", cmd_info_registers, NULL, 0 },
	{ "tls", NULL, DBG_INFO_TLS, A_NONE, "info tls", "fs_base and the g stored at fs:-8",
	  "info tls", cmd_info_tls, NULL, 0 },
	{ "g", NULL, DBG_INFO_G, A_OPT | A_EXPR, "info g [ADDR|GOID]",
	  "one goroutine (the current g by default)", "info g", cmd_info_g, NULL, 0 },
	{ "gmp", NULL, DBG_INFO_GMP, A_OPT, "info gmp [diagram|dot]",
	  "every G, M and P and the scheduler; diagram: the Ms, the Ps they hold and the run queues drawn in boxes; dot: the same as a Graphviz graph",
	  "info gmp", cmd_info_gmp, NULL, 0 },
	{ "stack", "s", DBG_INFO_STACK, A_COUNT, "info stack [N]",
	  "N annotated 8-byte slots from rsp (default 16)", "info stack", cmd_info_stack, NULL, 0 },
	{ "auxv", NULL, DBG_INFO_AUXV, A_NONE, "info auxv",
	  "the auxiliary vector on the initial stack", "info auxv", cmd_info_auxv, NULL, 0 },
	{ "stages", NULL, DBG_INFO_STAGES, A_NONE, "info stages",
	  "the boot stages with their addresses, reached or not", "info stages", cmd_info_stages,
	  NULL, 0 },
	{ "sections", "files", DBG_INFO_SECTIONS, A_NONE, "info sections", "the ELF sections",
	  "info sections", cmd_info_sections, NULL, 0 },
	{ "threads", NULL, DBG_INFO_THREADS, A_NONE, "info threads", "the traced threads",
	  "info threads", cmd_info_threads, NULL, 0 },
	{ "record", NULL, DBG_INFO_RECORD, A_NONE, "info record",
	  "the recorded steps and the memory they take", "info record", cmd_info_record, NULL, 0 },
	{ "target", NULL, DBG_INFO_TARGET, A_NONE, "info target",
	  "the program: kind, entry, where its symbols come from, DWARF, Go version", "info target",
	  cmd_info_target, NULL, 0 },
	{ "line", NULL, DBG_INFO_LINE, A_OPT | A_LOC, "info line [LOC]",
	  "where a source line's code starts and ends (LOC: FUNCTION, FILE:LINE, *ADDR; default: the pc)",
	  "info line", cmd_info_line, NULL, 0 },
	{ "frame", "f", DBG_INFO_FRAME, A_NONE, "info frame",
	  "the selected frame: where it is, its caller, the registers it saved", "info frame",
	  cmd_info_frame, NULL, 0 },
	{ "proc", NULL, DBG_INFO_PROC, A_OPT, "info proc [mappings]",
	  "the process (command line, cwd, exe); mappings: its memory mappings, each named by its part in the program and the Go runtime",
	  "info proc", cmd_info_proc, NULL, 0 },
	{ "symbol", NULL, DBG_INFO_SYMBOL, A_OPT | A_EXPR, "info symbol ADDR",
	  "the symbol at ADDR and its section (\"NAME + OFF in section S\")", "info symbol",
	  cmd_info_symbol, NULL, 0 },
	{ "display", NULL, DBG_INFO_DISPLAY, A_NONE, "info display",
	  "the expressions display shows after every stop", "info display", cmd_info_display, NULL,
	  0 },
	{ "syscalls", NULL, DBG_INFO_SYSCALLS, A_OPT, "info syscalls [-c]",
	  "every system call and signal of this run, decoded as strace does, with its thread, M, g, stage and the runtime function that made it, then the count of each (-c: the counts only)",
	  "info syscalls", cmd_info_syscalls, NULL, 0 },
	{ "writes", NULL, DBG_INFO_WRITES, A_REQ, "info writes EXPR|*ADDR@LEN",
	  "every recorded step that changed a byte of EXPR (or of LEN bytes at ADDR): its step, thread, pc, stage, and the value before and after",
	  "info writes", cmd_info_writes, NULL, 0 },
	{ "reads", NULL, DBG_INFO_READS, A_REQ, "info reads EXPR",
	  "the recorded reads of EXPR: refused, the record keeps only what steps wrote",
	  "info reads", cmd_info_reads, NULL, 0 },
	{ "changes", NULL, DBG_INFO_CHANGES, A_OPT, "info changes [STEP]",
	  "what the shown step (or STEP) changed: each runtime field (p0.runnext, g1.atomicstatus) or global by its path, other bytes by address, before and after, and where the stored value came from",
	  "info changes", cmd_info_changes, NULL, 0 },
};

#define NINFOS (sizeof(infos) / sizeof(infos[0]))

/* One command: name, aliases, id, arguments, usage, summary, run. */
/* clang-format off */
#define CMD(name, aliases, id, flags, usage, summary, run) \
	{ name, aliases, id, flags, usage, summary, NULL, run, NULL, 0 }
/* clang-format on */

static const struct dbg_cmd_def cmds[] = {
	CMD("break", "b br brea", DBG_CMD_BREAK, A_REQ | A_LOC, "break [-force] LOC",
	    "set a breakpoint at a stage, a symbol, FILE:LINE, *ADDR or *EXPR (-force: also inside an instruction)",
	    cmd_break),
	CMD("tbreak", "tb", DBG_CMD_TBREAK, A_REQ | A_LOC, "tbreak [-force] LOC",
	    "set a breakpoint that is deleted when hit", cmd_tbreak),
	CMD("watch", NULL, DBG_CMD_WATCH, A_REQ | A_EXPR, "watch [-l|-location] EXPR",
	    "stop when EXPR's location is written with a new value (a debug register)", cmd_watch),
	CMD("rwatch", NULL, DBG_CMD_RWATCH, A_REQ | A_EXPR, "rwatch [-l|-location] EXPR",
	    "stop when EXPR's location is read", cmd_rwatch),
	CMD("awatch", NULL, DBG_CMD_AWATCH, A_REQ | A_EXPR, "awatch [-l|-location] EXPR",
	    "stop when EXPR's location is read or written", cmd_awatch),
	CMD("catch", NULL, DBG_CMD_CATCH, A_REQ, "catch syscall [NAME|NUMBER|group:NAME ...]",
	    "stop at the entry and the return of the system calls named (numbers, names, groups as group:NAME or g:NAME; every call when none is named)",
	    cmd_catch),
	CMD("tcatch", NULL, DBG_CMD_TCATCH, A_REQ, "tcatch syscall [NAME|NUMBER|group:NAME ...]",
	    "catch syscall, deleted when hit", cmd_tcatch),
	CMD("enable", "en", DBG_CMD_ENABLE, A_IDS, "enable [N...]",
	    "enable breakpoints and catchpoints (all when no number is given)", cmd_enable),
	CMD("disable", "disa dis", DBG_CMD_DISABLE, A_IDS, "disable [N...]",
	    "disable breakpoints and catchpoints (all when no number is given): kept, but never stop",
	    cmd_disable),
	CMD("delete", "d", DBG_CMD_DELETE, A_IDS, "delete [N...]",
	    "delete breakpoints (all when no number is given)", cmd_delete),
	CMD("run", "r", DBG_CMD_RUN, A_NONE, "run",
	    "start the program (again) and run to a breakpoint or the end", cmd_run),
	CMD("starti", NULL, DBG_CMD_STARTI, A_NONE, "starti",
	    "start the program (again), stopped at its first instruction", cmd_starti),
	CMD("kill", "k", DBG_CMD_KILL, A_NONE, "kill", "kill the program", cmd_kill),
	CMD("continue", "c cont fg", DBG_CMD_CONTINUE, A_COUNT, "continue [N]",
	    "resume; with N, stop at the Nth breakpoint hit", cmd_continue),
	CMD("stepi", "si", DBG_CMD_STEPI, A_COUNT, "stepi [N]",
	    "execute N instructions (default 1)", cmd_stepi),
	CMD("nexti", "ni", DBG_CMD_NEXTI, A_COUNT, "nexti [N]",
	    "like stepi, but run calls to their return", cmd_nexti),
	CMD("step", "s", DBG_CMD_STEP, A_COUNT, "step [N]",
	    "run to the next source line N times, into called functions that have line information",
	    cmd_step),
	CMD("next", "n", DBG_CMD_NEXT, A_COUNT, "next [N]",
	    "run to the next source line N times, over calls", cmd_next),
	CMD("list", "l", DBG_CMD_LIST, A_OPT | A_LOC, "list [FUNCTION|FILE:LINE|N|-]",
	    "show ten source lines around a function or line, after the last listing, or before it (-)",
	    cmd_list),
	CMD("finish", "fin", DBG_CMD_FINISH, A_NONE, "finish",
	    "run until the current function returns", cmd_finish),
	CMD("until", "u", DBG_CMD_UNTIL, A_REQ | A_LOC, "until [-force] LOC",
	    "run until LOC is reached (or an earlier stop)", cmd_until),
	CMD("advance", NULL, DBG_CMD_ADVANCE, A_REQ | A_LOC, "advance [-force] LOC",
	    "the same as until LOC", cmd_until),
	/* help lists the views after "show" */
	{ "info", "i", DBG_CMD_INFO, A_REQ, "info WHAT", "show", NULL, cmd_info, infos, NINFOS },
	CMD("x", NULL, DBG_CMD_X, A_REQ | A_XFMT | A_EXPR, "x/NFU ADDR",
	    "examine memory: N units of size U (b h w g) in format F (x d u c s i a)", cmd_x),
	CMD("disassemble", NULL, DBG_CMD_DISASSEMBLE, A_OPT | A_MODS | A_LOC,
	    "disassemble [/r] [LOC|START,END|START,+LEN]",
	    "the instructions of the function holding pc or LOC, or of a range (/r: with their bytes)",
	    cmd_disassemble),
	CMD("display", NULL, DBG_CMD_DISPLAY, A_OPT | A_XFMT | A_EXPR, "display[/F] [EXPR]",
	    "show EXPR after every stop (F as print's, or i s as x's)", cmd_display),
	CMD("undisplay", NULL, DBG_CMD_UNDISPLAY, A_IDS, "undisplay [N...]",
	    "stop showing display N (all when no number is given)", cmd_undisplay),
	CMD("print", "p inspect", DBG_CMD_PRINT, A_REQ | A_PFMT | A_EXPR, "print[/F] EXPR",
	    "evaluate an expression (F: x d u o t c a)", cmd_print),
	CMD("ptype", NULL, DBG_CMD_PTYPE, A_REQ | A_EXPR, "ptype EXPR|TYPE",
	    "show the type of an expression, or a type, with its fields", cmd_ptype),
	CMD("whatis", NULL, DBG_CMD_WHATIS, A_REQ | A_EXPR, "whatis EXPR|TYPE",
	    "name the type of an expression, or a type", cmd_whatis),
	CMD("expect", NULL, DBG_CMD_EXPECT, A_REQ | A_EXPR, "expect EXPR",
	    "check that an expression is true; a false one fails the script", cmd_expect),
	CMD("echo", NULL, DBG_CMD_ECHO, A_RAW, "echo TEXT", "print text (\\n for a newline)",
	    cmd_echo),
	CMD("help", "h", DBG_CMD_HELP, A_OPT | A_CMDS, "help [COMMAND]", "list the commands",
	    cmd_help),
	CMD("quit", "q exit", DBG_CMD_QUIT, A_NONE, "quit", "kill the program and leave", cmd_quit),
	CMD("thread", NULL, DBG_CMD_THREAD, A_OPT | A_EXPR, "thread [TID]",
	    "show the current thread, or make thread TID current", cmd_thread),
	CMD("set", NULL, DBG_CMD_SET, A_REQ,
	    "set scheduler-locking step|on|off | breakpoint pending on|off | record-continue on|off | can-use-hw-watchpoints 0|1 | substitute-path FROM TO",
	    "which threads run while one steps (step: none; on: none, also while it continues; off: all); "
	    "whether a break LOC that does not resolve is kept pending for a program exec'd later; "
	    "source files named FROM... are read from TO...",
	    cmd_set),
	CMD("unset", NULL, DBG_CMD_UNSET, A_REQ, "unset substitute-path [FROM]",
	    "remove the substitution of FROM (all when none is given)", cmd_unset),
	CMD("show", NULL, DBG_CMD_SHOW, A_REQ, "show substitute-path",
	    "the source path substitutions", cmd_show),
	CMD("reverse-stepi", "rsi", DBG_CMD_REVERSE_STEPI, A_COUNT, "reverse-stepi [N]",
	    "go back N recorded instructions (default 1)", cmd_reverse_stepi),
	CMD("reverse-nexti", "rni", DBG_CMD_REVERSE_NEXTI, A_COUNT, "reverse-nexti [N]",
	    "like reverse-stepi, but a call goes back as a whole", cmd_reverse_nexti),
	CMD("reverse-continue", "rc", DBG_CMD_REVERSE_CONTINUE, A_NONE, "reverse-continue",
	    "go back to the previous breakpoint or stage", cmd_reverse_continue),
	CMD("goto", NULL, DBG_CMD_GOTO, A_REQ | A_EXPR, "goto STEP",
	    "show the state at recorded step STEP (an expression)", cmd_goto),
	CMD("stage", NULL, DBG_CMD_STAGE, A_REQ | A_STAGE, "stage next|NAME|N",
	    "single-step to the next boot stage, or to stage NAME or number N (restarting when it is behind): every instruction counted",
	    cmd_stage),
	CMD("record", NULL, DBG_CMD_RECORD, A_OPT, "record [on|off|save FILE]",
	    "record every instruction, also while continuing; off: stop; save: write the recording",
	    cmd_record),
	CMD("backtrace", "bt where", DBG_CMD_BACKTRACE, A_OPT, "backtrace [N|-N]",
	    "the call stack of the current thread (N innermost or -N outermost frames), on into the goroutine behind a system stack",
	    cmd_backtrace),
	CMD("frame", "f", DBG_CMD_FRAME, A_OPT, "frame [N]",
	    "show the selected frame, or select frame N ($pc, $sp, $rbp then read it)", cmd_frame),
	CMD("up", NULL, DBG_CMD_UP, A_OPT, "up [N]", "select the frame N levels out (default 1)",
	    cmd_up),
	CMD("down", "do", DBG_CMD_DOWN, A_OPT, "down [N]",
	    "select the frame N levels in (default 1)", cmd_down),
	CMD("goroutine", NULL, DBG_CMD_GOROUTINE, A_REQ, "goroutine N bt [COUNT]",
	    "the call stack of goroutine N, from its saved g.sched or its thread", cmd_goroutine),
	CMD("xinfo", NULL, DBG_CMD_XINFO, A_REQ | A_EXPR, "xinfo ADDR",
	    "what ADDR is: symbol, section, mapping, and the goroutine or thread stack, heap arena or global field holding it",
	    cmd_xinfo),
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* The root of the tables: its subcommands are the commands. */
static const struct dbg_cmd_def top = { NULL, NULL, DBG_CMD_NONE, 0,    NULL,
					NULL, NULL, NULL,         cmds, NCMDS };

const char *dbg_cmd_info_name(size_t i)
{
	return i < NINFOS ? infos[i].name : NULL;
}

/* The names of d's subcommands into buf, ", " between them. */
static const char *sub_names(const struct dbg_cmd_def *d, char *buf, size_t n)
{
	size_t i, l = 0;

	buf[0] = '\0';
	for (i = 0; i < d->nsubs && l < n; i++)
		l += (size_t)snprintf(buf + l, n - l, "%s%s", i ? ", " : "", d->subs[i].name);
	return buf;
}

/* ---- parsing ------------------------------------------------------------- */

static bool has_alias(const char *aliases, const char *word, size_t n)
{
	const char *p = aliases;

	while (p && *p) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && strncmp(p, word, n) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* In the table of parent (top: the commands), the exact name or alias
 * first, then a unique prefix of a name. */
static int lookup(const struct dbg_cmd_def *parent, const char *word, size_t n,
		  const struct dbg_cmd_def **out, struct dbg_err *err)
{
	const struct dbg_cmd_def *defs = parent->subs, *found = NULL;
	const char *sp = parent == &top ? "" : " ";
	const char *pname = parent == &top ? "" : parent->name;
	char names[256] = "";
	size_t i, hits = 0;

	for (i = 0; i < parent->nsubs; i++) {
		if ((strlen(defs[i].name) == n && strncmp(defs[i].name, word, n) == 0) ||
		    has_alias(defs[i].aliases, word, n)) {
			*out = &defs[i];
			return 0;
		}
	}
	for (i = 0; i < parent->nsubs; i++) {
		if (strncmp(defs[i].name, word, n) == 0) {
			found = &defs[i];
			if (hits++)
				strncat(names, ", ", sizeof(names) - strlen(names) - 1);
			strncat(names, defs[i].name, sizeof(names) - strlen(names) - 1);
		}
	}
	if (hits == 1 && n > 0) {
		*out = found;
		return 0;
	}
	if (hits > 1)
		return dbg_err_set(err, -EINVAL, "ambiguous %s%scommand '%.*s': %s", pname, sp,
				   (int)n, word, names);
	if (parent == &top)
		return dbg_err_set(err, -EINVAL, "undefined command '%.*s'; try help", (int)n,
				   word);
	return dbg_err_set(err, -EINVAL, "undefined %s command '%.*s'; the %s commands are %s",
			   parent->name, (int)n, word, parent->name,
			   sub_names(parent, names, sizeof(names)));
}

/* A decimal or 0x-hex number filling all of s. */
bool cmd_parse_u64(const char *s, size_t n, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = (unsigned)(tolower((unsigned char)s[i]) - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

const char *cmd_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Copy s without surrounding white space (and the line's newline). */
static int copy_trimmed(char *dst, const char *s, struct dbg_err *err)
{
	size_t n;

	s = cmd_skip_ws(s);
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n >= DBG_CMD_MAX)
		return dbg_err_set(err, -E2BIG, "command line too long (%zu bytes)", n);
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int decode_echo(char *s, struct dbg_err *err)
{
	char *r = s, *w = s;

	while (*r) {
		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		switch (r[1]) {
		case 'n':
			*w++ = '\n';
			break;
		case 't':
			*w++ = '\t';
			break;
		case '\\':
			*w++ = '\\';
			break;
		case '"':
			*w++ = '"';
			break;
		case ' ':
			*w++ = ' ';
			break;
		case 'e':
			*w++ = '\033';
			break;
		case '\0':
			return dbg_err_set(err, -EINVAL, "echo: a backslash ends the text");
		default:
			return dbg_err_set(err, -EINVAL, "echo: unknown escape '\\%c'", r[1]);
		}
		r += 2;
	}
	*w = '\0';
	return 0;
}

static int parse_xfmt(const char *spec, size_t n, struct dbg_cmd *cmd, struct dbg_err *err)
{
	size_t i = 0;

	while (i < n && isdigit((unsigned char)spec[i]))
		i++;
	if (i) {
		if (!cmd_parse_u64(spec, i, &cmd->count) || cmd->count == 0)
			return dbg_err_set(err, -EINVAL, "invalid count '%.*s' in x/%.*s", (int)i,
					   spec, (int)n, spec);
		cmd->has_count = true;
	}
	for (; i < n; i++) {
		if (strchr("xducsia", spec[i]) && spec[i])
			cmd->fmt = spec[i];
		else if (strchr("bhwg", spec[i]) && spec[i])
			cmd->unit = spec[i];
		else
			return dbg_err_set(err, -EINVAL, "invalid format letter '%c' in x/%.*s",
					   spec[i], (int)n, spec);
	}
	return 0;
}

static int parse_pfmt(const char *spec, size_t n, struct dbg_cmd *cmd, struct dbg_err *err)
{
	if (n != 1 || !strchr("xduotca", spec[0]))
		return dbg_err_set(err, -EINVAL, "invalid print format '/%.*s'", (int)n, spec);
	cmd->fmt = spec[0];
	return 0;
}

static int parse_count(const char *name, struct dbg_cmd *cmd, struct dbg_err *err)
{
	if (!cmd->args[0])
		return 0;
	if (!cmd_parse_u64(cmd->args, strlen(cmd->args), &cmd->count))
		return dbg_err_set(err, -EINVAL, "invalid count '%s' for %s", cmd->args, name);
	if (cmd->count == 0)
		return dbg_err_set(err, -EINVAL, "%s count must be at least 1", name);
	cmd->has_count = true;
	cmd->args[0] = '\0';
	return 0;
}

static int check_args(const struct dbg_cmd_def *d, const char *name, struct dbg_cmd *cmd,
		      struct dbg_err *err)
{
	if ((d->flags & A_NONE) && cmd->args[0])
		return dbg_err_set(err, -EINVAL, "%s takes no arguments", name);
	if ((d->flags & A_REQ) && !cmd->args[0])
		return dbg_err_set(err, -EINVAL, "%s needs an argument: %s", name, d->usage);
	if (d->flags & A_COUNT)
		return parse_count(name, cmd, err);
	if (d->flags & A_IDS) {
		const char *p = cmd->args;

		while (*(p = cmd_skip_ws(p))) {
			size_t l = strcspn(p, " \t");
			uint64_t id;

			if (!cmd_parse_u64(p, l, &id) || id == 0 || id > INT32_MAX)
				return dbg_err_set(err, -EINVAL, "invalid %s number '%.*s'",
						   d->id == DBG_CMD_UNDISPLAY ? "display" :
										"breakpoint",
						   (int)l, p);
			p += l;
		}
	}
	return 0;
}

int dbg_cmd_parse(const char *line, struct dbg_cmd *cmd, struct dbg_err *err)
{
	const struct dbg_cmd_def *d;
	const char *p = cmd_skip_ws(line), *w;
	size_t n;
	int rc;

	memset(cmd, 0, offsetof(struct dbg_cmd, args));
	cmd->args[0] = '\0';
	cmd->count = 1;
	if (!*p || *p == '#' || *p == '\n' || *p == '\r')
		return 0;
	w = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
		p++;
	n = (size_t)(p - w);
	if (n == 0)
		return dbg_err_set(err, -EINVAL, "undefined command '%.*s'; try help",
				   (int)strcspn(w, " \t\n"), w);
	rc = lookup(&top, w, n, &d, err);
	if (rc < 0)
		return rc;
	cmd->id = (enum dbg_cmd_id)d->id;
	cmd->def = d;
	cmd->name = d->name;

	if (*p == '/') {
		const char *spec = ++p;
		size_t sl = strcspn(spec, " \t\n");

		if (d->flags & A_MODS)
			sl = 0, spec--; /* the modifiers are read with the arguments */
		else if (d->flags & A_XFMT)
			rc = parse_xfmt(spec, sl, cmd, err);
		else if (d->flags & A_PFMT)
			rc = parse_pfmt(spec, sl, cmd, err);
		else
			rc = dbg_err_set(err, -EINVAL, "%s takes no /FORMAT", d->name);
		if (rc < 0)
			return rc;
		p = spec + sl;
	} else if (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
		return dbg_err_set(err, -EINVAL, "undefined command '%.*s'; try help",
				   (int)strcspn(w, " \t\n"), w);
	}
	rc = copy_trimmed(cmd->args, p, err);
	if (rc < 0)
		return rc;

	if (d->subs) {
		const struct dbg_cmd_def *sub;
		char *a = cmd->args;
		size_t l = strcspn(a, " \t");
		char names[256];

		if (!*a)
			return dbg_err_set(err, -EINVAL, "%s needs a subcommand: %s", d->name,
					   sub_names(d, names, sizeof(names)));
		rc = lookup(d, a, l, &sub, err);
		if (rc < 0)
			return rc;
		cmd->sub = sub;
		cmd->info = (enum dbg_info_id)sub->id;
		cmd->name = sub->full;
		memmove(a, cmd_skip_ws(a + l), strlen(cmd_skip_ws(a + l)) + 1);
		if (cmd->info == DBG_INFO_STACK)
			cmd->count = 16;
		return check_args(sub, cmd->name, cmd, err);
	}
	if (d->flags & A_RAW) {
		/* echo keeps trailing blanks: re-copy without the trim. */
		const char *t = cmd_skip_ws(p);
		size_t l = strlen(t);

		while (l && (t[l - 1] == '\n' || t[l - 1] == '\r'))
			l--;
		if (l >= DBG_CMD_MAX)
			return dbg_err_set(err, -E2BIG, "command line too long");
		memcpy(cmd->args, t, l);
		cmd->args[l] = '\0';
		return decode_echo(cmd->args, err);
	}
	if ((d->flags & A_XFMT) && !cmd->has_count)
		cmd->count = 1;
	return check_args(d, d->name, cmd, err);
}

static void add_help(struct dbg_val *arr, const struct dbg_cmd_def *d)
{
	struct dbg_val *o = dbg_arr_object(arr);
	char names[256];

	dbg_obj_str(o, "name", d->full ? d->full : d->name);
	dbg_obj_str(o, "aliases", d->aliases ? d->aliases : "");
	dbg_obj_str(o, "usage", d->usage);
	if (d->subs)
		dbg_obj_strf(o, "summary", "%s %s", d->summary, sub_names(d, names, sizeof(names)));
	else
		dbg_obj_str(o, "summary", d->summary);
}

int cmd_help(struct dbg_cmd_ctx *ctx, const struct dbg_cmd *cmd, struct dbg_err *err)
{
	struct dbg_val *ev, *arr;
	const struct dbg_cmd_def *d;
	size_t i;
	int rc;

	ev = cmd_ev_new(ctx, "help");
	arr = dbg_obj_array(ev, "commands");
	if (!cmd->args[0]) {
		for (i = 0; i < NCMDS; i++)
			add_help(arr, &cmds[i]);
	} else {
		const char *a = cmd->args;
		size_t l = strcspn(a, " \t");

		rc = lookup(&top, a, l, &d, err);
		if (rc < 0) {
			dbg_arena_reset(&ctx->arena);
			return rc;
		}
		if (d->subs) {
			const struct dbg_cmd_def *sub;

			a = cmd_skip_ws(a + l);
			if (*a) {
				l = strcspn(a, " \t");
				rc = lookup(d, a, l, &sub, err);
				if (rc < 0) {
					dbg_arena_reset(&ctx->arena);
					return rc;
				}
				add_help(arr, sub);
			} else {
				for (i = 0; i < d->nsubs; i++)
					add_help(arr, &d->subs[i]);
			}
		} else {
			add_help(arr, d);
		}
	}
	cmd_ev_emit(ctx, ev);
	return 0;
}

/* ---- completion ----------------------------------------------------------- */

/* The keywords an argument may be, by command ("info proc" for a view). */
static const struct {
	const char *name;
	const char *words; /* space separated */
} arg_words[] = {
	{ "record", "on off save" },
	{ "stage", "next" },
	{ "set", "scheduler-locking breakpoint record-continue can-use-hw-watchpoints "
		 "substitute-path" },
	{ "show", "substitute-path" },
	{ "unset", "substitute-path" },
	{ "info proc", "mappings" },
	{ "info syscalls", "-c" },
};

/* catch syscall NAME...: the word syscall, then the calls' names and gdb's
 * groups. */
static int complete_catch(struct dbg_completion *c, const char *line, size_t start,
			  const char *word, size_t wl)
{
	/* candidates point into their strings: the groups as written */
	static const char *const groups[] = { "group:process", "group:signal",     "group:memory",
					      "group:file",    "group:descriptor", "group:network",
					      "group:ipc" };
	const char *p = cmd_skip_ws(line);
	int rc = 0;

	/* the command's name, then: is this word its first argument? */
	p += strcspn(p, " \t");
	if ((size_t)(cmd_skip_ws(p) - line) >= start)
		return dbg_completion_add(c, word, wl, "syscall", 7);
	for (uint64_t nr = 0; nr < DBG_SYSCALL_MAX && rc == 0; nr++)
		if (dbg_syscall_name(nr))
			rc = dbg_completion_add(c, word, wl, dbg_syscall_name(nr),
						strlen(dbg_syscall_name(nr)));
	for (size_t i = 0; i < sizeof groups / sizeof groups[0] && rc == 0; i++)
		if (dbg_syscall_group_known(groups[i] + 6))
			rc = dbg_completion_add(c, word, wl, groups[i], strlen(groups[i]));
	return rc;
}

static int add_words(struct dbg_completion *c, const char *word, size_t wl, const char *words)
{
	for (const char *p = words; *p;) {
		size_t l = strcspn(p, " ");
		int rc = dbg_completion_add(c, word, wl, p, l);
		if (rc < 0)
			return rc;
		p += l;
		p += *p == ' ';
	}
	return 0;
}

static int add_names(struct dbg_completion *c, const struct dbg_cmd_def *parent, const char *word,
		     size_t wl)
{
	for (size_t i = 0; i < parent->nsubs; i++) {
		const char *n = parent->subs[i].name;
		int rc = dbg_completion_add(c, word, wl, n, strlen(n));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The start of the word that ends at line + len: after the last blank;
 * in an expression, after the last character that cannot be in a name. */
static size_t word_start(const char *line, size_t len, bool expr)
{
	size_t i = len;
	while (i > 0 && line[i - 1] != ' ' && line[i - 1] != '\t' &&
	       (!expr || isalnum((unsigned char)line[i - 1]) || strchr("_.$", line[i - 1])))
		i--;
	return i;
}

/* What the argument of d (written d_name) at the end of line may be. */
static int complete_arg(const struct dbg_cmd_def *d, const char *d_name, const char *line,
			size_t len, struct dbg_completion *c)
{
	bool expr = (d->flags & A_EXPR) != 0;
	size_t start = word_start(line, len, expr);
	/* break *ADDR: an expression after the star */
	if ((d->flags & A_LOC) && line[start] == '*') {
		start++;
		expr = true;
		start += word_start(line + start, len - start, true);
	}
	const char *word = line + start;
	size_t wl = len - start;
	c->start = start;
	c->stages = (d->flags & (A_LOC | A_STAGE | A_EXPR)) != 0;
	c->symbols = (d->flags & (A_LOC | A_EXPR)) != 0;
	c->funcs = (d->flags & A_LOC) && !expr;
	if (d->flags & A_CMDS)
		return add_names(c, &top, word, wl);
	if (d->id == DBG_CMD_CATCH || d->id == DBG_CMD_TCATCH)
		return complete_catch(c, line, start, word, wl);
	for (size_t i = 0; i < sizeof arg_words / sizeof arg_words[0]; i++)
		if (strcmp(arg_words[i].name, d_name) == 0)
			return add_words(c, word, wl, arg_words[i].words);
	return 0;
}

int dbg_cmd_complete_words(const char *line, struct dbg_completion *c)
{
	const struct dbg_cmd_def *d;
	struct dbg_err err;
	size_t len = strlen(line);
	const char *p = cmd_skip_ws(line), *w = p;
	int rc;

	c->n = 0;
	c->stages = c->symbols = c->funcs = false;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
		p++;
	if (!*p) {
		/* the first word: a command */
		c->start = (size_t)(w - line);
		rc = add_names(c, &top, w, (size_t)(p - w));
		goto out;
	}
	rc = 0;
	c->start = len;
	if (p == w || lookup(&top, w, (size_t)(p - w), &d, &err) < 0)
		goto out;
	if (*p == '/') /* x/8gx, print/x: the format is no word to complete */
		p += strcspn(p, " \t");
	if (!*p)
		goto out;
	if (d->subs) {
		const char *a = cmd_skip_ws(p), *e = a;
		const struct dbg_cmd_def *sub;

		while (*e && *e != ' ' && *e != '\t')
			e++;
		if (!*e) {
			c->start = (size_t)(a - line);
			rc = add_names(c, d, a, (size_t)(e - a));
			goto out;
		}
		if (lookup(d, a, (size_t)(e - a), &sub, &err) < 0)
			goto out;
		rc = complete_arg(sub, sub->full, line, len, c);
		goto out;
	}
	rc = complete_arg(d, d->name, line, len, c);
out:
	cmd_completion_finish(c);
	return rc;
}
