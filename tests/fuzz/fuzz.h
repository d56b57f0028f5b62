/* SPDX-License-Identifier: GPL-2.0 */
/* fuzz.h - the libFuzzer entry point every target defines. */
#ifndef KMS_FUZZ_H
#define KMS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* KMS_FUZZ_H */
