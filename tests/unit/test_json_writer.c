// SPDX-License-Identifier: GPL-2.0
/*
 * test_json_writer.c - unit tests for src/json_writer.c: exact compact and
 * pretty output, commas and nesting, number and string formatting, misuse
 * and write errors, and a randomized check that any byte string comes out
 * as a valid JSON string that decodes back to the input (with invalid
 * UTF-8 replaced by U+FFFD).
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "json_writer.h"
#include "test.h"

struct sink {
	FILE *f;
	char *buf;
	size_t len;
	struct json_writer *w;
};

static struct json_writer *sink_open(struct sink *s, bool pretty)
{
	memset(s, 0, sizeof(*s));
	s->f = open_memstream(&s->buf, &s->len);
	if (!s->f)
		return NULL;
	s->w = jsonw_new(s->f);
	if (s->w)
		jsonw_pretty(s->w, pretty);
	return s->w;
}

/* Finish and return what was written; the caller frees it. */
static char *sink_close(struct sink *s)
{
	jsonw_destroy(&s->w);
	if (s->f)
		fclose(s->f);
	return s->buf;
}

#define CHECK_OUTPUT(s, want)                                              \
	do {                                                               \
		char *_out = sink_close(s);                                \
		CHECK_STR(_out, want);                                     \
		free(_out);                                                \
	} while (0)

static void write_sample(struct json_writer *w)
{
	jsonw_start_object(w);
	jsonw_string_field(w, "comm", "bash");
	jsonw_uint_field(w, "pid", 42);
	jsonw_int_field(w, "delta", -7);
	jsonw_name(w, "sizes");
	jsonw_start_array(w);
	jsonw_uint(w, 8);
	jsonw_uint(w, 16);
	jsonw_start_array(w);
	jsonw_end_array(w);
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_end_array(w);
	jsonw_name(w, "empty");
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_bool_field(w, "ok", true);
	jsonw_bool_field(w, "bad", false);
	jsonw_null_field(w, "none");
	jsonw_hex_field(w, "addr", 0xffffffff81000000ULL);
	jsonw_float_field(w, "ratio", 0.25);
	jsonw_end_object(w);
}

TEST(compact_object)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);

	CHECK(w != NULL);
	if (!w)
		return;
	write_sample(w);
	CHECK_INT(jsonw_error(w), ==, 0);
	CHECK_OUTPUT(&s, "{\"comm\":\"bash\",\"pid\":42,\"delta\":-7,"
			 "\"sizes\":[8,16,[],{}],\"empty\":{},\"ok\":true,"
			 "\"bad\":false,\"none\":null,"
			 "\"addr\":\"0xffffffff81000000\",\"ratio\":0.25}");
}

TEST(pretty_object)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, true);

	CHECK(w != NULL);
	if (!w)
		return;
	write_sample(w);
	CHECK_INT(jsonw_error(w), ==, 0);
	CHECK_OUTPUT(&s, "{\n"
			 "  \"comm\": \"bash\",\n"
			 "  \"pid\": 42,\n"
			 "  \"delta\": -7,\n"
			 "  \"sizes\": [\n"
			 "    8,\n"
			 "    16,\n"
			 "    [],\n"
			 "    {}\n"
			 "  ],\n"
			 "  \"empty\": {},\n"
			 "  \"ok\": true,\n"
			 "  \"bad\": false,\n"
			 "  \"none\": null,\n"
			 "  \"addr\": \"0xffffffff81000000\",\n"
			 "  \"ratio\": 0.25\n"
			 "}\n");
}

static void write_nested(struct json_writer *w)
{
	jsonw_start_array(w);
	jsonw_start_array(w);
	jsonw_start_object(w);
	jsonw_name(w, "a");
	jsonw_start_array(w);
	jsonw_uint(w, 1);
	jsonw_hex(w, 0xff);
	jsonw_end_array(w);
	jsonw_name(w, "b");
	jsonw_start_object(w);
	jsonw_string_field(w, "c", "d");
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_end_array(w);
	jsonw_null(w);
	jsonw_end_array(w);
}

TEST(nested)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);

	CHECK(w != NULL);
	if (!w)
		return;
	write_nested(w);
	CHECK_INT(jsonw_error(w), ==, 0);
	CHECK_OUTPUT(&s, "[[{\"a\":[1,\"0xff\"],\"b\":{\"c\":\"d\"}}],null]");

	w = sink_open(&s, true);
	CHECK(w != NULL);
	if (!w)
		return;
	write_nested(w);
	CHECK_INT(jsonw_error(w), ==, 0);
	CHECK_OUTPUT(&s, "[\n"
			 "  [\n"
			 "    {\n"
			 "      \"a\": [\n"
			 "        1,\n"
			 "        \"0xff\"\n"
			 "      ],\n"
			 "      \"b\": {\n"
			 "        \"c\": \"d\"\n"
			 "      }\n"
			 "    }\n"
			 "  ],\n"
			 "  null\n"
			 "]\n");
}

TEST(top_level_values)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);

	CHECK(w != NULL);
	if (!w)
		return;
	/* Consecutive documents: one per line, no commas between; the
	 * last line is left for the caller to end. */
	jsonw_uint(w, 5);
	jsonw_string(w, "x");
	jsonw_start_object(w);
	jsonw_uint_field(w, "n", 1);
	jsonw_end_object(w);
	jsonw_start_array(w);
	jsonw_end_array(w);
	CHECK_INT(jsonw_error(w), ==, 0);
	CHECK_OUTPUT(&s, "5\n\"x\"\n{\"n\":1}\n[]");

	w = sink_open(&s, true);
	CHECK(w != NULL);
	if (!w)
		return;
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_start_object(w);
	jsonw_uint_field(w, "n", 1);
	jsonw_end_object(w);
	CHECK_OUTPUT(&s, "{}\n{\n  \"n\": 1\n}\n");
}

TEST(integers)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);

	CHECK(w != NULL);
	if (!w)
		return;
	jsonw_start_array(w);
	jsonw_uint(w, 0);
	jsonw_uint(w, ULLONG_MAX);
	jsonw_int(w, 0);
	jsonw_int(w, LLONG_MIN);
	jsonw_int(w, LLONG_MAX);
	jsonw_hex(w, 0);
	jsonw_hex(w, ULLONG_MAX);
	jsonw_end_array(w);
	CHECK_OUTPUT(&s, "[0,18446744073709551615,0,-9223372036854775808,"
			 "9223372036854775807,\"0x0\","
			 "\"0xffffffffffffffff\"]");
}

TEST(floats)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);

	CHECK(w != NULL);
	if (!w)
		return;
	jsonw_start_array(w);
	jsonw_float(w, 0.25);
	jsonw_float(w, 1.0);
	jsonw_float(w, 0.0);
	jsonw_float(w, -0.0);
	jsonw_float(w, -1.5);
	jsonw_float(w, 1e20);
	jsonw_float(w, 123456789.0);
	jsonw_float(w, 1e-7);
	jsonw_float(w, 1.0 / 3);
	jsonw_float(w, NAN);
	jsonw_float(w, -NAN);
	jsonw_float(w, INFINITY);
	jsonw_float(w, -INFINITY);
	jsonw_end_array(w);
	jsonw_start_object(w);
	jsonw_float_field(w, "inf", HUGE_VAL);
	jsonw_float_field(w, "max", 1.7976931348623157e308);
	jsonw_end_object(w);
	CHECK_INT(jsonw_error(w), ==, 0);
	CHECK_OUTPUT(&s, "[0.25,1,0,-0,-1.5,1e+20,1.23457e+08,1e-07,0.333333,"
			 "null,null,null,null]\n"
			 "{\"inf\":null,\"max\":1.79769e+308}");
}

/* A locale with a decimal comma must not leak into the JSON. */
TEST(float_locale)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8",
					     "fr_FR.UTF-8", "de_DE", "fr_FR" };
	char *old = setlocale(LC_NUMERIC, NULL);
	struct sink s;
	struct json_writer *w;
	size_t i;

	old = old ? strdup(old) : NULL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(LC_NUMERIC, names[i]))
			break;
	if (i == sizeof(names) / sizeof(names[0])) {
		free(old);
		SKIP("no decimal-comma locale installed");
	}
	w = sink_open(&s, false);
	CHECK(w != NULL);
	if (w) {
		jsonw_float(w, 2.5);
		CHECK_OUTPUT(&s, "2.5");
	}
	setlocale(LC_NUMERIC, old ? old : "C");
	free(old);
}

TEST(string_escapes)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);

	CHECK(w != NULL);
	if (!w)
		return;
	jsonw_start_array(w);
	jsonw_string(w, "");
	jsonw_string(w, "q\"b\\s/\b\f\n\r\t");
	jsonw_string(w, "\x01\x02\x1b\x1f \x7f~");
	jsonw_string(w, NULL);
	jsonw_end_array(w);
	jsonw_start_object(w);
	jsonw_uint_field(w, "k\"e\ty", 1);
	jsonw_end_object(w);
	CHECK_OUTPUT(&s, "[\"\",\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\","
			 "\"\\u0001\\u0002\\u001b\\u001f \x7f~\",null]\n"
			 "{\"k\\\"e\\ty\":1}");
}

TEST(string_utf8)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);

	CHECK(w != NULL);
	if (!w)
		return;
	jsonw_start_array(w);
	/* Well-formed: passed through byte for byte. */
	jsonw_string(w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
			"\xf4\x8f\xbf\xbf");
	jsonw_string(w, "\xff");		/* never valid */
	jsonw_string(w, "a\xc3");		/* truncated at the end */
	jsonw_string(w, "\xe2\x82" "A");	/* truncated mid-string */
	jsonw_string(w, "\xc0\xaf");		/* overlong '/' */
	jsonw_string(w, "\xe0\x80\xaf");	/* overlong, 3 bytes */
	jsonw_string(w, "\xed\xa0\x80");	/* UTF-16 surrogate */
	jsonw_string(w, "\xf4\x90\x80\x80");	/* above U+10FFFF */
	jsonw_string(w, "\x80\xbf");		/* lone continuations */
	jsonw_string(w, "kworker/0:1\xfe\xff");	/* a hostile comm */
	jsonw_end_array(w);
	CHECK_OUTPUT(&s, "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
			 "\xf4\x8f\xbf\xbf\","
			 "\"\\ufffd\","
			 "\"a\\ufffd\","
			 "\"\\ufffd\\ufffdA\","
			 "\"\\ufffd\\ufffd\","
			 "\"\\ufffd\\ufffd\\ufffd\","
			 "\"\\ufffd\\ufffd\\ufffd\","
			 "\"\\ufffd\\ufffd\\ufffd\\ufffd\","
			 "\"\\ufffd\\ufffd\","
			 "\"kworker/0:1\\ufffd\\ufffd\"]");
}

/*
 * An independent reader for one JSON string token: checks the grammar
 * (RFC 8259) and that raw bytes are well-formed UTF-8, and decodes it to
 * UTF-8.  Returns the decoded length, or -1 when the token is invalid.
 */
static int put_utf8(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | ((cp >> 6) & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | ((cp >> 12) & 0x3f);
	out[2] = 0x80 | ((cp >> 6) & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* Decode one raw UTF-8 character; 0 when malformed. */
static int get_utf8(const unsigned char *s, unsigned long *cp)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	int n, i;

	if (s[0] < 0x80)
		n = 1;
	else if ((s[0] & 0xe0) == 0xc0)
		n = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4;
	else
		return 0;
	*cp = n == 1 ? s[0] : s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min[n] || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

static int get_escape(const char *s, unsigned long *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p = strchr(from, s[0]);
	char hex[5];
	char *end;

	if (s[0] && p) {
		*cp = (unsigned char)to[p - from];
		return 1;
	}
	if (s[0] != 'u')
		return 0;
	memcpy(hex, s + 1, 4);
	hex[4] = '\0';
	if (strlen(hex) != 4)
		return 0;
	*cp = strtoul(hex, &end, 16);
	/* The writer never needs surrogate pairs; treat them as invalid. */
	if (*end || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return 5;
}

static long decode_json_string(const char *in, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned long cp;
	long len = 0;
	int n;

	if (*s++ != '"')
		return -1;
	while (*s != '"') {
		if (*s < 0x20)
			return -1;	/* raw control bytes, or the end */
		if (*s == '\\')
			n = get_escape((const char *)s + 1, &cp) + 1;
		else
			n = get_utf8(s, &cp);
		if (n <= 1 && *s == '\\')
			return -1;
		if (!n)
			return -1;
		s += n;
		len += put_utf8(cp, out + len);
	}
	return !s[1] ? len : -1;
}

/* What the writer must produce from raw bytes: U+FFFD per bad byte. */
static size_t expected_decoding(const unsigned char *in, size_t len,
				char *out)
{
	size_t i = 0, o = 0;
	unsigned long cp;
	int n;

	while (i < len) {
		n = get_utf8(in + i, &cp);
		if (n && cp) {
			memcpy(out + o, in + i, n);
			i += n;
			o += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			i++;
			o += 3;
		}
	}
	return o;
}

static unsigned int rnd(unsigned long long *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

TEST(random_strings_roundtrip)
{
	enum { ROUNDS = 20000, MAXLEN = 24 };
	unsigned long long seed = 1;
	unsigned char in[MAXLEN + 1];
	char want[MAXLEN * 3], got[MAXLEN * 12];
	int round, bad = 0;

	for (round = 0; round < ROUNDS && bad < 5; round++) {
		size_t len = rnd(&seed) % (MAXLEN + 1), want_len, i;
		unsigned int mode = rnd(&seed) % 3;
		struct json_writer *w;
		struct sink s;
		long got_len;
		char *out;

		/* Mix pure noise with mostly-valid text, where bugs hide. */
		for (i = 0; i < len; i++) {
			unsigned int b = rnd(&seed) & 0xff;

			if (mode == 1 && b < 0x80)
				b = 0x20 + b % 0x5f;
			else if (mode == 2 && b % 4)
				b = 0x80 | (b & 0x3f);
			in[i] = b ? b : 'z';
		}
		in[len] = '\0';
		want_len = expected_decoding(in, len, want);

		w = sink_open(&s, false);
		if (!w) {
			T_FAIL("sink_open failed");
			return;
		}
		jsonw_string(w, (const char *)in);
		out = sink_close(&s);
		got_len = decode_json_string(out, got);
		if (got_len < 0 || (size_t)got_len != want_len ||
		    memcmp(got, want, want_len)) {
			T_FAIL("round %d: bad output for %zu-byte input: %s",
			       round, len, out);
			bad++;
		}
		free(out);
	}
}

TEST(misuse)
{
	struct sink s;
	struct json_writer *w;

	/* A value where a name is due. */
	w = sink_open(&s, false);
	jsonw_start_object(w);
	jsonw_uint(w, 1);
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	/* Sticky, and nothing more is written. */
	jsonw_end_object(w);
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	CHECK_OUTPUT(&s, "{");

	w = sink_open(&s, false);
	jsonw_name(w, "top");
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	CHECK_OUTPUT(&s, "");

	w = sink_open(&s, false);
	jsonw_start_array(w);
	jsonw_name(w, "in_array");
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	CHECK_OUTPUT(&s, "[");

	w = sink_open(&s, false);
	jsonw_start_object(w);
	jsonw_name(w, "a");
	jsonw_name(w, "b");
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	sink_close(&s);
	free(s.buf);

	w = sink_open(&s, false);
	jsonw_start_object(w);
	jsonw_name(w, "dangling");
	jsonw_end_object(w);
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	sink_close(&s);
	free(s.buf);

	w = sink_open(&s, false);
	jsonw_start_object(w);
	jsonw_end_array(w);
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	sink_close(&s);
	free(s.buf);

	w = sink_open(&s, false);
	jsonw_end_object(w);
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	CHECK_OUTPUT(&s, "");

	w = sink_open(&s, false);
	jsonw_start_object(w);
	jsonw_name(w, NULL);
	CHECK_INT(jsonw_error(w), ==, -EINVAL);
	sink_close(&s);
	free(s.buf);
}

TEST(depth_limit)
{
	struct sink s;
	struct json_writer *w = sink_open(&s, false);
	char *out;
	int i;

	CHECK(w != NULL);
	if (!w)
		return;
	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_start_array(w);
	CHECK_INT(jsonw_error(w), ==, 0);
	jsonw_start_array(w);
	CHECK_INT(jsonw_error(w), ==, -EOVERFLOW);
	out = sink_close(&s);
	CHECK_INT(strlen(out), ==, JSONW_MAX_DEPTH);
	free(out);
}

TEST(write_errors)
{
	struct json_writer *w;
	FILE *f;
	int i;

	/* Buffered: the failure surfaces when jsonw_error() flushes. */
	f = fopen("/dev/full", "w");
	if (!f)
		SKIP("/dev/full not available");
	w = jsonw_new(f);
	CHECK(w != NULL);
	jsonw_start_array(w);
	jsonw_string(w, "x");
	CHECK_INT(jsonw_error(w), ==, -ENOSPC);
	jsonw_end_array(w);
	CHECK_INT(jsonw_error(w), ==, -ENOSPC);
	jsonw_destroy(&w);
	CHECK(w == NULL);
	fclose(f);

	/* Unbuffered: the writer notices on its own and stops. */
	f = fopen("/dev/full", "w");
	CHECK(f != NULL);
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	w = jsonw_new(f);
	for (i = 0; i < 100; i++)
		jsonw_uint(w, i);
	CHECK_INT(jsonw_error(w), <, 0);
	jsonw_destroy(&w);
	fclose(f);
}

TEST(lifecycle)
{
	struct json_writer *w = NULL;

	errno = 0;
	CHECK(jsonw_new(NULL) == NULL);
	CHECK_INT(errno, ==, EINVAL);
	jsonw_destroy(NULL);
	jsonw_destroy(&w);
	CHECK(w == NULL);
}

int main(void)
{
	t_suite = "json_writer";
	RUN(compact_object);
	RUN(pretty_object);
	RUN(nested);
	RUN(top_level_values);
	RUN(integers);
	RUN(floats);
	RUN(float_locale);
	RUN(string_escapes);
	RUN(string_utf8);
	RUN(random_strings_roundtrip);
	RUN(misuse);
	RUN(depth_limit);
	RUN(write_errors);
	RUN(lifecycle);
	return test_done();
}
