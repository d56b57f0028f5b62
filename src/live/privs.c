// SPDX-License-Identifier: GPL-2.0
/*
 * privs.c - see privs.h.
 */
#include <errno.h>
#include <sys/capability.h>

#include "privs.h"

int privs__drop(void)
{
	cap_value_t keep[] = { CAP_DAC_OVERRIDE };
	cap_t c = cap_init();	/* every set empty */
	int err = 0;

	if (!c)
		return -errno;
	if (cap_set_flag(c, CAP_PERMITTED, 1, keep, CAP_SET) ||
	    cap_set_flag(c, CAP_EFFECTIVE, 1, keep, CAP_SET) || cap_set_proc(c))
		err = -errno;
	cap_free(c);
	return err;
}
