/*
 * labreport — a lab run's identity, its results and the report files. See
 * labreport.h.
 */
#include "labreport.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"

/* The sha256 of the file at path in hex (65 bytes), "" when unreadable. */
static void file_sha256(const char *path, char *hex)
{
	unsigned char buf[65536], md[SHA256_DIGEST_SIZE];
	struct sha256_ctx c;
	ssize_t n;
	int fd;

	hex[0] = '\0';
	/* a regular file only: a FIFO or a device would block or never end */
	struct stat st;
	if (!path || (fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	sha256_init(&c);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_update(&c, (size_t)n, buf);
	sha256_digest(&c, sizeof(md), md);
	if (n == 0)
		for (size_t i = 0; i < sizeof(md); i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
	close(fd);
}

void ui_lab_meta_init(struct ui_lab_meta *m, const char *version, const char *program,
		      const char *go_version, const char *student)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(m, 0, sizeof(*m));
	m->version = version;
	m->program = program;
	m->go_version = go_version;
	m->student = student;
	file_sha256(program, m->sha256);
	gmtime_r(&now, &tm);
	strftime(m->started, sizeof(m->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	clock_gettime(CLOCK_MONOTONIC, &m->t0);
}

void ui_lab_meta_set_program(struct ui_lab_meta *m, const char *program, const char *go_version)
{
	m->program = program;
	m->go_version = go_version;
	file_sha256(program, m->sha256);
}

uint64_t ui_lab_meta_elapsed_ms(const struct ui_lab_meta *m)
{
	struct timespec t;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ms = (int64_t)(t.tv_sec - m->t0.tv_sec) * 1000 + (t.tv_nsec - m->t0.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (uint64_t)ms;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

void ui_lab_results_add(struct ui_lab_results *r, const char *name, bool pass, bool skipped,
			const char *output)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->v = dbg_xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	r->v[r->n++] = (struct ui_lab_result){
		.name = xstrdup(name),
		.pass = pass,
		.skipped = skipped,
		.output = xstrdup(output),
	};
}

void ui_lab_results_release(struct ui_lab_results *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].output);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int ui_answers_load(struct ui_answers *a, const char *path, struct dbg_err *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, no = 0;
	ssize_t len;

	memset(a, 0, sizeof(*a));
	if (!f)
		return dbg_err_errno(err, -errno, "cannot read answers %s", path);
	while ((len = getline(&line, &cap, f)) >= 0) {
		unsigned step, q;
		int used = 0;
		char *p = line, *e;

		no++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			continue;
		if (sscanf(p, "%u.%u:%n", &step, &q, &used) != 2 || !used || !step || !q) {
			fclose(f);
			free(line);
			ui_answers_release(a);
			return dbg_err_set(err, -EINVAL, "%s:%zu: want STEP.Q: ANSWER, not '%s'",
					   path, no, p);
		}
		p += used;
		p += strspn(p, " \t");
		for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t');)
			*--e = '\0';
		size_t i;
		for (i = 0; i < a->n && (a->v[i].step != step || a->v[i].q != q); i++)
			;
		if (i == a->n) {
			a->v = dbg_xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
			a->v[a->n++] = (struct ui_answer){ .step = step, .q = q, .text = NULL };
		}
		free(a->v[i].text);
		a->v[i].text = xstrdup(p);
	}
	free(line);
	if (ferror(f)) {
		int rc = dbg_err_errno(err, -EIO, "cannot read answers %s", path);
		fclose(f);
		ui_answers_release(a);
		return rc;
	}
	fclose(f);
	return 0;
}

const char *ui_answers_find(const struct ui_answers *a, unsigned step, unsigned q)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (a->v[i].step == step && a->v[i].q == q)
			return a->v[i].text;
	return NULL;
}

void ui_answers_release(struct ui_answers *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].text);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int ui_report_kind_parse(const char *name, enum ui_report_kind *kind)
{
	if (strcmp(name, "gradescope") == 0)
		*kind = UI_REPORT_GRADESCOPE;
	else if (strcmp(name, "junit") == 0)
		*kind = UI_REPORT_JUNIT;
	else
		return -EINVAL;
	return 0;
}

/* s as a JSON string. */
static void json_str(FILE *f, const char *s)
{
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			putc(*p, f);
	}
	putc('"', f);
}

/* s as XML character data or an attribute value (quotes escaped too);
 * control characters XML 1.0 cannot hold become '?'. */
static void xml_str(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\n':
			fputs("&#10;", f);
			break;
		case '\t':
			fputs("&#9;", f);
			break;
		default:
			putc(*p < 0x20 ? '?' : *p, f);
		}
	}
}

/* The run's identity, one line each: the output of the whole run. */
static void identity(FILE *f, const struct ui_lab_meta *m, const struct dbg_lab *lab, int number,
		     const char *msg, char *buf, size_t len)
{
	snprintf(buf, len,
		 "bootscope %s, lab %d%s%s%s\nprogram %s (sha256 %s, %s)\nstudent %s%s%s\n"
		 "started %s%s%s",
		 m->version, number, lab ? " (" : "", lab ? lab->title : "", lab ? ")" : "",
		 m->program ? m->program : "(none)", m->sha256[0] ? m->sha256 : "unreadable",
		 m->go_version ? m->go_version : "no Go build info",
		 m->student ? m->student : "(none)", m->variant ? ", variant " : "",
		 m->variant ? m->variant : "", m->started, msg ? "\nthe lab could not run: " : "",
		 msg ? msg : "");
	(void)f;
}

static void gradescope(FILE *f, const struct ui_lab_meta *m, const struct dbg_lab *lab, int number,
		       const struct ui_lab_results *r, const char *msg)
{
	char id[2048];
	unsigned score = 0;
	size_t i;

	for (i = 0; i < r->n; i++)
		score += r->v[i].pass;
	identity(f, m, lab, number, msg, id, sizeof(id));
	fprintf(f, "{\n  \"score\": %u,\n  \"execution_time\": %.3f,\n  \"output\": ", score,
		(double)ui_lab_meta_elapsed_ms(m) / 1000.0);
	json_str(f, id);
	fputs(",\n  \"stdout_visibility\": \"hidden\",\n  \"extra_data\": {\"student\": ", f);
	json_str(f, m->student);
	fputs(", \"variant\": ", f);
	json_str(f, m->variant);
	fputs(", \"program_sha256\": ", f);
	json_str(f, m->sha256);
	fputs("},\n  \"tests\": [", f);
	for (i = 0; i < r->n; i++) {
		const struct ui_lab_result *t = &r->v[i];

		fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
		json_str(f, t->name);
		/* a check for another kind of binary is worth nothing: not
		 * a failure of the student's */
		if (t->skipped)
			fprintf(f,
				", \"number\": \"%zu\", \"score\": 0, \"max_score\": 0, "
				"\"output\": ",
				i + 1);
		else
			fprintf(f,
				", \"number\": \"%zu\", \"score\": %d, \"max_score\": 1, "
				"\"status\": \"%s\", \"output\": ",
				i + 1, t->pass ? 1 : 0, t->pass ? "passed" : "failed");
		json_str(f, t->output);
		fputc('}', f);
	}
	fputs(r->n ? "\n  ]\n}\n" : "]\n}\n", f);
}

static void junit(FILE *f, const struct ui_lab_meta *m, const struct dbg_lab *lab, int number,
		  const struct ui_lab_results *r, const char *msg)
{
	char id[2048], name[64];
	size_t i, failures = 0, skipped = 0;

	for (i = 0; i < r->n; i++) {
		skipped += r->v[i].skipped;
		failures += !r->v[i].pass && !r->v[i].skipped;
	}
	snprintf(name, sizeof(name), "lab %d", number);
	identity(f, m, lab, number, msg, id, sizeof(id));
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"", f);
	xml_str(f, name);
	fprintf(f,
		"\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\" skipped=\"%zu\" time=\"%.3f\" "
		"timestamp=\"%s\">\n    <properties>\n",
		r->n, failures, msg ? 1 : 0, skipped, (double)ui_lab_meta_elapsed_ms(m) / 1000.0,
		m->started);
	const char *props[][2] = {
		{ "bootscope_version", m->version }, { "lab_title", lab ? lab->title : NULL },
		{ "program", m->program },           { "program_sha256", m->sha256 },
		{ "go_version", m->go_version },     { "student", m->student },
		{ "variant", m->variant },
	};
	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		if (!props[i][1])
			continue;
		fprintf(f, "      <property name=\"%s\" value=\"", props[i][0]);
		xml_str(f, props[i][1]);
		fputs("\"/>\n", f);
	}
	fputs("    </properties>\n", f);
	for (i = 0; i < r->n; i++) {
		const struct ui_lab_result *t = &r->v[i];

		fputs("    <testcase classname=\"", f);
		xml_str(f, name);
		fputs("\" name=\"", f);
		xml_str(f, t->name);
		fputs("\">\n", f);
		if (t->skipped) {
			fputs("      <skipped message=\"", f);
			xml_str(f, t->output);
			fputs("\"/>\n", f);
		} else if (!t->pass) {
			fputs("      <failure message=\"", f);
			xml_str(f, t->output);
			fputs("\"/>\n", f);
		}
		fputs("    </testcase>\n", f);
	}
	if (msg) {
		fputs("    <testcase classname=\"", f);
		xml_str(f, name);
		fputs("\" name=\"the lab runs\">\n      <error message=\"", f);
		xml_str(f, msg);
		fputs("\"/>\n    </testcase>\n", f);
	}
	fputs("    <system-out>", f);
	xml_str(f, id);
	fputs("</system-out>\n  </testsuite>\n</testsuites>\n", f);
}

int ui_lab_report_write(enum ui_report_kind kind, const char *path, const struct ui_lab_meta *m,
			const struct dbg_lab *lab, int number, const struct ui_lab_results *r,
			const char *msg, struct dbg_err *err)
{
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	FILE *f;
	int fd, rc = 0;

	if (!tmp)
		abort();
	snprintf(tmp, len, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = dbg_err_errno(err, -errno, "cannot write report %s", path);
		free(tmp);
		return rc;
	}
	f = fdopen(fd, "w");
	if (!f)
		abort();
	if (kind == UI_REPORT_GRADESCOPE)
		gradescope(f, m, lab, number, r, msg);
	else
		junit(f, m, lab, number, r, msg);
	errno = 0;
	if (fflush(f) == EOF || ferror(f) || fchmod(fd, 0644) < 0)
		rc = -(errno ? errno : EIO);
	if (fclose(f) == EOF && rc == 0)
		rc = -(errno ? errno : EIO);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		dbg_err_errno(err, rc, "cannot write report %s", path);
	}
	free(tmp);
	return rc;
}
