/*
 * The stand-in's table of test access keys: a text file with one key per line,
 *   ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID
 * separated by spaces or tabs; '#' starts a comment; other lines are ignored.
 */
#ifndef DBIAM_KEYS_FILE_H
#define DBIAM_KEYS_FILE_H

#include "token_verify.h"

/* A tv_key_lookup: ctx is the path of the keys file (const char *). The file is
   read on every call (it is tiny), so edits take effect at the next login. */
tv_key_lookup_result keys_file_lookup(void *ctx, const char *access_key_id, tv_key *out);

#endif
