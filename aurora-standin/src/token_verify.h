/*
 * Verification of AWS SigV4 "rds-db" IAM authentication tokens, as Amazon
 * Aurora MySQL / RDS MySQL does it. Pure functions: no I/O, no global state,
 * no clock; the caller passes "now", the server's settings and a key lookup.
 */
#ifndef DBIAM_TOKEN_VERIFY_H
#define DBIAM_TOKEN_VERIFY_H

#include <stddef.h>
#include <stdint.h>

/* Upper bound for a token (a session token makes it ~2-3 KB; AWS allows ~4 KB). */
#define TV_MAX_TOKEN_LEN 16384
#define TV_MAX_EXPIRES 900
#define TV_MAX_SECRET_LEN 256
#define TV_MAX_ACCOUNT_LEN 32

typedef enum {
    TV_OK = 0,
    TV_MALFORMED,          /* does not parse as a presigned rds-db URL */
    TV_BAD_ACTION,         /* Action is not "connect" */
    TV_BAD_ALGORITHM,      /* X-Amz-Algorithm is not AWS4-HMAC-SHA256 */
    TV_BAD_SIGNED_HEADERS, /* X-Amz-SignedHeaders is not "host" */
    TV_BAD_SERVICE,        /* credential scope service is not rds-db */
    TV_BAD_TERMINATOR,     /* credential scope does not end in aws4_request */
    TV_WRONG_REGION,       /* credential scope region is not the server's */
    TV_SCOPE_DATE_MISMATCH,/* credential scope date is not the date of X-Amz-Date */
    TV_BAD_EXPIRES,        /* X-Amz-Expires is not in 1..900 */
    TV_KEYS_UNAVAILABLE,   /* the key table could not be read */
    TV_UNKNOWN_KEY,        /* access key id not in the key table */
    TV_WRONG_ACCOUNT,      /* access key belongs to another AWS account */
    TV_SECURITY_TOKEN,     /* temporary key without session token, or vice versa */
    TV_BAD_SIGNATURE,      /* signature does not match */
    TV_WRONG_USER,         /* DBUser is not the login user */
    TV_EXPIRED,            /* now > X-Amz-Date + X-Amz-Expires */
    TV_NOT_YET_VALID,      /* X-Amz-Date is in the future beyond the allowed skew */
    TV_WRONG_ENDPOINT,     /* host:port is not one of the server's endpoints */
    TV_INTERNAL,           /* out of memory, crypto failure */
    TV_RESULT_COUNT
} tv_result;

/* Stable short name of a result, e.g. "bad-signature". */
const char *tv_result_name(tv_result r);

typedef struct {
    const char *account;     /* AWS account the server plays, e.g. "012345678901" */
    const char *region;      /* e.g. "ap-northeast-1" */
    const char *endpoints;   /* comma-separated host:port list, e.g. "127.0.0.1:33306,localhost:33306" */
    unsigned int max_skew;   /* seconds X-Amz-Date may lie in the future */
} tv_config;

/* What the key table knows about an access key id. */
typedef struct {
    char secret[TV_MAX_SECRET_LEN + 1];
    char account[TV_MAX_ACCOUNT_LEN + 1];
} tv_key;

typedef enum { TV_KEY_FOUND, TV_KEY_NOT_FOUND, TV_KEY_ERROR } tv_key_lookup_result;

/* Looks up access_key_id (NUL-terminated); fills *out when found. */
typedef tv_key_lookup_result (*tv_key_lookup)(void *ctx, const char *access_key_id, tv_key *out);

typedef struct {
    tv_result result;
    /* Human-readable reason for logs. Never contains the token, its signature,
       its session token or a secret; untrusted values are sanitized and cut. */
    char reason[256];
    /* Access key id of the token when it parsed (not secret; for logs). */
    char access_key_id[130];
} tv_outcome;

/*
 * Verifies token (token_len bytes, need not be NUL-terminated) for a login as
 * user (user_len bytes) at time now (Unix seconds, UTC). Returns out->result.
 */
tv_result tv_verify(const char *token, size_t token_len,
                    const char *user, size_t user_len,
                    int64_t now, const tv_config *config,
                    tv_key_lookup lookup, void *lookup_ctx,
                    tv_outcome *out);

#endif
