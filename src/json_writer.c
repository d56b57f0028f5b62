// SPDX-License-Identifier: GPL-2.0
/*
 * json_writer.c - a streaming JSON writer over a FILE *, bpftool style.
 *
 * Owns only its small state (the stack of open containers and the first
 * error); the FILE belongs to the caller.  Nothing is buffered here, so
 * arbitrarily large documents stream in constant memory.  Strings go out
 * byte-exact where that is valid JSON and escaped otherwise: comm names,
 * cache names and paths come from the kernel and may hold any byte.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

struct json_writer {
	FILE *out;
	int err;
	unsigned int depth;
	bool pretty;
	bool empty;	/* the innermost open container has no item yet */
	bool named;	/* a name is out, its value is due */
	bool top_sep;	/* a compact top-level value wants a '\n' before it */
	char open[JSONW_MAX_DEPTH];	/* '{' or '[' per level */
};

struct json_writer *jsonw_new(FILE *f)
{
	struct json_writer *w;

	if (!f) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->out = f;
	return w;
}

void jsonw_destroy(struct json_writer **w)
{
	if (!w || !*w)
		return;
	fflush((*w)->out);
	free(*w);
	*w = NULL;
}

void jsonw_pretty(struct json_writer *w, bool on)
{
	w->pretty = on;
}

static void set_err(struct json_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

int jsonw_close(struct json_writer **w)
{
	int err;

	if (!w || !*w)
		return 0;
	/* Pretty output ends with its newline; a compact document gets one here. */
	if (!(*w)->pretty && !(*w)->err && fputc('\n', (*w)->out) == EOF)
		set_err(*w, ferror((*w)->out) && errno ? -errno : -EIO);
	err = jsonw_error(*w);
	jsonw_destroy(w);
	return err;
}

int jsonw_error(struct json_writer *w)
{
	if (fflush(w->out))
		set_err(w, errno ? -errno : -EIO);
	else if (ferror(w->out))
		set_err(w, -EIO);
	return w->err;
}

/* Once anything went wrong the output is broken: stop adding to it. */
static bool writable(struct json_writer *w)
{
	if (!w->err && ferror(w->out))
		set_err(w, -EIO);
	return !w->err;
}

static void newline_indent(struct json_writer *w)
{
	unsigned int i;

	if (!w->pretty)
		return;
	putc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Comma and placement for a new item (a name, or an array element). */
static void next_item(struct json_writer *w)
{
	if (!w->empty)
		putc(',', w->out);
	w->empty = false;
	newline_indent(w);
}

static bool in_object(const struct json_writer *w)
{
	return w->depth && w->open[w->depth - 1] == '{';
}

static bool value_begin(struct json_writer *w)
{
	if (!writable(w))
		return false;
	if (w->named) {
		w->named = false;
		return true;
	}
	if (in_object(w)) {
		set_err(w, -EINVAL);
		return false;
	}
	if (w->depth)
		next_item(w);
	else if (w->top_sep)
		putc('\n', w->out);
	w->top_sep = false;
	return true;
}

/*
 * Pretty documents end their last line.  Compact ones leave it open so
 * that the caller decides how a record ends; a second one still starts
 * on its own line, so that a stream of them is JSON Lines.
 */
static void value_end(struct json_writer *w)
{
	if (w->depth)
		return;
	if (w->pretty)
		putc('\n', w->out);
	else
		w->top_sep = true;
}

static bool is_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Length of the well-formed UTF-8 sequence at s, or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF).  Stops at the
 * terminating NUL since that is never a continuation byte. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		lo = s[0] == 0xe0 ? 0xa0 : lo;
		hi = s[0] == 0xed ? 0x9f : hi;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		lo = s[0] == 0xf0 ? 0x90 : lo;
		hi = s[0] == 0xf4 ? 0x8f : hi;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

static void put_escape(struct json_writer *w, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", w->out);
		break;
	case '\\':
		fputs("\\\\", w->out);
		break;
	case '\b':
		fputs("\\b", w->out);
		break;
	case '\f':
		fputs("\\f", w->out);
		break;
	case '\n':
		fputs("\\n", w->out);
		break;
	case '\r':
		fputs("\\r", w->out);
		break;
	case '\t':
		fputs("\\t", w->out);
		break;
	default:
		if (c < 0x20)
			fprintf(w->out, "\\u%04x", c);
		else	/* a byte that is not part of valid UTF-8 */
			fputs("\\ufffd", w->out);
	}
}

static void put_string(struct json_writer *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;
	size_t n;

	putc('"', w->out);
	while (*s) {
		if (is_plain(*s)) {
			s++;
			continue;
		}
		if (*s >= 0x80 && (n = utf8_len(s))) {
			s += n;
			continue;
		}
		fwrite(run, 1, s - run, w->out);
		put_escape(w, *s++);
		run = s;
	}
	fwrite(run, 1, s - run, w->out);
	putc('"', w->out);
}

static void begin(struct json_writer *w, char c)
{
	if (!w->err && w->depth >= JSONW_MAX_DEPTH)
		set_err(w, -EOVERFLOW);
	if (!value_begin(w))
		return;
	putc(c, w->out);
	w->open[w->depth++] = c;
	w->empty = true;
}

static void end(struct json_writer *w, char open, char close)
{
	if (!writable(w))
		return;
	if (!w->depth || w->open[w->depth - 1] != open || w->named) {
		set_err(w, -EINVAL);
		return;
	}
	w->depth--;
	if (!w->empty)
		newline_indent(w);
	putc(close, w->out);
	w->empty = false;
	value_end(w);
}

void jsonw_start_object(struct json_writer *w)
{
	begin(w, '{');
}

void jsonw_end_object(struct json_writer *w)
{
	end(w, '{', '}');
}

void jsonw_start_array(struct json_writer *w)
{
	begin(w, '[');
}

void jsonw_end_array(struct json_writer *w)
{
	end(w, '[', ']');
}

void jsonw_name(struct json_writer *w, const char *name)
{
	if (!writable(w))
		return;
	if (!in_object(w) || w->named || !name) {
		set_err(w, -EINVAL);
		return;
	}
	next_item(w);
	put_string(w, name);
	fputs(w->pretty ? ": " : ":", w->out);
	w->named = true;
}

static void put_raw(struct json_writer *w, const char *text)
{
	if (!value_begin(w))
		return;
	fputs(text, w->out);
	value_end(w);
}

void jsonw_string(struct json_writer *w, const char *val)
{
	if (!val) {
		jsonw_null(w);
		return;
	}
	if (!value_begin(w))
		return;
	put_string(w, val);
	value_end(w);
}

void jsonw_uint(struct json_writer *w, unsigned long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", val);
	put_raw(w, buf);
}

void jsonw_int(struct json_writer *w, long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", val);
	put_raw(w, buf);
}

void jsonw_hex(struct json_writer *w, unsigned long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "\"0x%llx\"", val);
	put_raw(w, buf);
}

/* printf honours LC_NUMERIC; JSON wants '.' whatever the caller's locale. */
static void c_decimal_point(char *buf)
{
	const char *dp = localeconv()->decimal_point;
	size_t dp_len = dp ? strlen(dp) : 0;
	char *p;

	if (!dp_len || !strcmp(dp, "."))
		return;
	p = strstr(buf, dp);
	if (!p)
		return;
	*p = '.';
	memmove(p + 1, p + dp_len, strlen(p + dp_len) + 1);
}

void jsonw_float(struct json_writer *w, double val)
{
	char buf[64];

	if (!isfinite(val)) {
		jsonw_null(w);
		return;
	}
	snprintf(buf, sizeof(buf), "%.6g", val);
	c_decimal_point(buf);
	put_raw(w, buf);
}

void jsonw_bool(struct json_writer *w, bool val)
{
	put_raw(w, val ? "true" : "false");
}

void jsonw_null(struct json_writer *w)
{
	put_raw(w, "null");
}

void jsonw_string_field(struct json_writer *w, const char *name,
			const char *val)
{
	jsonw_name(w, name);
	jsonw_string(w, val);
}

void jsonw_uint_field(struct json_writer *w, const char *name,
		      unsigned long long val)
{
	jsonw_name(w, name);
	jsonw_uint(w, val);
}

void jsonw_int_field(struct json_writer *w, const char *name, long long val)
{
	jsonw_name(w, name);
	jsonw_int(w, val);
}

void jsonw_float_field(struct json_writer *w, const char *name, double val)
{
	jsonw_name(w, name);
	jsonw_float(w, val);
}

void jsonw_bool_field(struct json_writer *w, const char *name, bool val)
{
	jsonw_name(w, name);
	jsonw_bool(w, val);
}

void jsonw_null_field(struct json_writer *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_null(w);
}

void jsonw_hex_field(struct json_writer *w, const char *name,
		     unsigned long long val)
{
	jsonw_name(w, name);
	jsonw_hex(w, val);
}
