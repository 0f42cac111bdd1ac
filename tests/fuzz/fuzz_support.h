/*
 * Shared helpers of the libFuzzer targets: the fuzzer's bytes written to a
 * per-process temporary file, since the reader takes a path.
 */
#ifndef TFP_FUZZ_SUPPORT_H
#define TFP_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/* Writes data to this process's scratch file and returns its path. */
const char *fuzz_write_file(const uint8_t *data, size_t size);

#endif /* TFP_FUZZ_SUPPORT_H */
