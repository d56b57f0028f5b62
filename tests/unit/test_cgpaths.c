// SPDX-License-Identifier: GPL-2.0
/*
 * test_cgpaths.c - unit tests for src/cgpaths.c: cgroup paths by id, the
 * CGROUPS section's text both ways (damaged lines cost only themselves),
 * and the labels reports give the special rows and unnamed ids.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgpaths.h"
#include "collect.h"
#include "test.h"

TEST(add_get_replace)
{
	struct cgpaths *p = cgpaths__new();

	CHECK(p);
	if (!p)
		return;
	CHECK_INT(cgpaths__add(p, 300, "/system.slice/ssh.service"), ==, 0);
	CHECK_INT(cgpaths__add(p, 1, "/"), ==, 0);
	CHECK_INT(cgpaths__add(p, 20, "/user.slice"), ==, 0);
	CHECK_STR(cgpaths__get(p, 20), "/user.slice");
	CHECK_STR(cgpaths__get(p, 1), "/");
	CHECK(!cgpaths__get(p, 21));
	CHECK_INT(cgpaths__add(p, 20, "/user.slice/user-0.slice"), ==, 0);
	CHECK_STR(cgpaths__get(p, 20), "/user.slice/user-0.slice");
	CHECK_INT(cgpaths__count(p), ==, 3);
	/* A path is one line of the section. */
	CHECK_INT(cgpaths__add(p, 5, "/a\nb"), ==, -EINVAL);
	CHECK_INT(cgpaths__add(p, 5, ""), ==, -EINVAL);
	CHECK(!cgpaths__get(NULL, 1));
	cgpaths__free(p);
}

TEST(write_parse)
{
	struct cgpaths *p = cgpaths__new(), *q = cgpaths__new();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK(p && q && f);
	if (!p || !q || !f)
		return;
	cgpaths__add(p, 7777, "/kms test/with space");
	cgpaths__add(p, 1, "/");
	CHECK_INT(cgpaths__write(p, f), ==, 0);
	fclose(f);
	CHECK_STR(text, "1 /\n7777 /kms test/with space\n");
	CHECK_INT(cgpaths__parse(q, text, len), ==, 0);
	CHECK_STR(cgpaths__get(q, 7777), "/kms test/with space");
	CHECK_STR(cgpaths__get(q, 1), "/");
	free(text);
	cgpaths__free(q);
	/* Damaged lines are skipped, the others kept, and the damage said. */
	q = cgpaths__new();
	CHECK_INT(cgpaths__parse(q, "x /a\n12\n13 \n14 /ok\n-1 /neg\n15 /last", 36), ==, -EINVAL);
	CHECK_STR(cgpaths__get(q, 14), "/ok");
	CHECK_STR(cgpaths__get(q, 15), "/last");
	CHECK_INT(cgpaths__count(q), ==, 2);
	cgpaths__free(q);
	cgpaths__free(p);
}

TEST(labels)
{
	struct cgpaths *p = cgpaths__new();
	char buf[64];

	CHECK(p);
	if (!p)
		return;
	cgpaths__add(p, 42, "/system.slice");
	CHECK_STR(cgpaths__label(p, 42, buf, sizeof(buf)), "/system.slice");
	CHECK_STR(cgpaths__label(p, 43, buf, sizeof(buf)), "cgroup id 43");
	CHECK_STR(cgpaths__label(NULL, 43, buf, sizeof(buf)), "cgroup id 43");
	CHECK_STR(cgpaths__label(p, KMS_CGROUP_IRQ, buf, sizeof(buf)), "(interrupts)");
	CHECK_STR(cgpaths__label(p, KMS_CGROUP_OTHER, buf, sizeof(buf)), "(other cgroups)");
	CHECK_STR(cgpaths__label(p, KMS_CGROUP_UNKNOWN, buf, sizeof(buf)), "(unknown)");
	cgpaths__free(p);
}

int main(void)
{
	t_suite = "cgpaths";
	RUN(add_get_replace);
	RUN(write_parse);
	RUN(labels);
	return test_done();
}
