/*
 * Verification of AWS SigV4 "rds-db" IAM authentication tokens. See token_verify.h.
 *
 * A token is a SigV4 presigned URL without scheme for "GET /" on host HOST:PORT:
 *   HOST:PORT/?Action=connect&DBUser=U&X-Amz-Algorithm=AWS4-HMAC-SHA256
 *   &X-Amz-Credential=AKID%2FYYYYMMDD%2FREGION%2Frds-db%2Faws4_request
 *   &X-Amz-Date=YYYYMMDDTHHMMSSZ&X-Amz-Expires=900&X-Amz-SignedHeaders=host
 *   [&X-Amz-Security-Token=T]&X-Amz-Signature=HEX
 */
#include "token_verify.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICE "rds-db"
#define ALGORITHM "AWS4-HMAC-SHA256"
#define TERMINATOR "aws4_request"
/* SHA-256 of the empty payload: botocore signs the (empty) body of GET /. */
#define EMPTY_PAYLOAD_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define MAX_HOST_LEN 255
#define MAX_AKID_LEN 128

static const char *const result_names[TV_RESULT_COUNT] = {
    [TV_OK] = "ok",
    [TV_MALFORMED] = "malformed",
    [TV_BAD_ACTION] = "bad-action",
    [TV_BAD_ALGORITHM] = "bad-algorithm",
    [TV_BAD_SIGNED_HEADERS] = "bad-signed-headers",
    [TV_BAD_SERVICE] = "bad-service",
    [TV_BAD_TERMINATOR] = "bad-terminator",
    [TV_WRONG_REGION] = "wrong-region",
    [TV_SCOPE_DATE_MISMATCH] = "scope-date-mismatch",
    [TV_BAD_EXPIRES] = "bad-expires",
    [TV_KEYS_UNAVAILABLE] = "keys-unavailable",
    [TV_UNKNOWN_KEY] = "unknown-key",
    [TV_WRONG_ACCOUNT] = "wrong-account",
    [TV_SECURITY_TOKEN] = "security-token",
    [TV_BAD_SIGNATURE] = "bad-signature",
    [TV_WRONG_USER] = "wrong-user",
    [TV_EXPIRED] = "expired",
    [TV_NOT_YET_VALID] = "not-yet-valid",
    [TV_WRONG_ENDPOINT] = "wrong-endpoint",
    [TV_INTERNAL] = "internal",
};

const char *tv_result_name(tv_result r)
{
    return (unsigned)r < TV_RESULT_COUNT ? result_names[r] : "unknown";
}

/* The parameters a token may carry; anything else is refused. */
enum { P_ACTION, P_DBUSER, P_ALGORITHM, P_CREDENTIAL, P_DATE, P_EXPIRES,
       P_SIGNED_HEADERS, P_SECURITY_TOKEN, P_SIGNATURE, P_COUNT };
static const char *const param_names[P_COUNT] = {
    "Action", "DBUser", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
    "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
};

typedef struct {
    const char *p; /* decoded, NUL-terminated (no NUL inside: %00 is refused) */
    size_t n;
    int present;
} value;

/* A bounded output buffer; every append checks the capacity. */
typedef struct {
    char *p;
    size_t len, cap;
} buf;

static char *buf_append(buf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len)
        return NULL;
    char *start = b->p + b->len;
    memcpy(start, s, n);
    b->len += n;
    return start;
}

static int buf_puts(buf *b, const char *s) { return buf_append(b, s, strlen(s)) != NULL; }

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == '~';
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* SigV4 URI encoding: unreserved characters kept, everything else %XX uppercase. */
static int buf_encode(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
        if (!(is_unreserved(c) ? buf_append(b, (const char *)&s[i], 1) : buf_append(b, esc, 3)))
            return 0;
    }
    return 1;
}

/* Percent-decodes s[0..n) into b, NUL-terminated; refuses bad escapes and %00. */
static const char *buf_decode(buf *b, const char *s, size_t n, size_t *out_len)
{
    char *start = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (n - i < 3) return NULL;
            int hi = hex_value((unsigned char)s[i + 1]), lo = hex_value((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0 || (hi | lo) == 0) return NULL;
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (!buf_append(b, &c, 1)) return NULL;
    }
    *out_len = (size_t)(b->p + b->len - start);
    if (!buf_append(b, "", 1)) return NULL;
    return start;
}

/* Copies an untrusted value for a log message: printable ASCII only, cut to fit cap. */
static void sanitize(char *dst, size_t cap, const char *s, size_t n)
{
    size_t keep = n < cap ? n : cap - 4; /* cap >= 8: leaves room for "..." and NUL */
    for (size_t i = 0; i < keep; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[i] = (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') ? (char)c : '?';
    }
    strcpy(dst + keep, keep < n ? "..." : "");
}

/* For values read before the signature is checked (a mangled token can put
   anything, e.g. part of its session token, in any field): shows only short
   identifiers such as a region or a parameter name. */
static const char *ident(char *dst, size_t cap, const char *s, size_t n)
{
    if (n == 0 || n > 24 || n >= cap) return "(not shown)";
    for (size_t i = 0; i < n; i++)
        if (!is_unreserved((unsigned char)s[i])) return "(not shown)";
    memcpy(dst, s, n);
    dst[n] = '\0';
    return dst;
}

static tv_result fail(tv_outcome *out, tv_result r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tv_result fail(tv_outcome *out, tv_result r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
    out->result = r;
    return r;
}

static int span_eq(const char *p, size_t n, const char *s) { return strlen(s) == n && memcmp(p, s, n) == 0; }

static int all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return 0;
    return 1;
}

static int digits(const char *p, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (p[i] - '0');
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Parses YYYYMMDDTHHMMSSZ into Unix seconds; 0 on success. */
static int parse_amz_date(const char *s, size_t n, int64_t *epoch)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 16 || s[8] != 'T' || s[15] != 'Z' || !all_digits(s, 8) || !all_digits(s + 9, 6))
        return -1;
    int y = digits(s, 4), mo = digits(s + 4, 2), d = digits(s + 6, 2);
    int h = digits(s + 9, 2), mi = digits(s + 11, 2), se = digits(s + 13, 2);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || se > 59)
        return -1;
    *epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

static int hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                       unsigned char out[32])
{
    unsigned int out_len = 0;
    return HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, out, &out_len) != NULL && out_len == 32;
}

static void to_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Is host (n bytes) one of the comma-separated endpoints (case-insensitive, spaces trimmed)? */
static int endpoint_allowed(const char *endpoints, const char *host, size_t n)
{
    const char *p = endpoints;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && *a == ' ') a++;
        while (b > a && b[-1] == ' ') b--;
        if ((size_t)(b - a) == n && strncasecmp(a, host, n) == 0) return 1;
        p = *end ? end + 1 : end;
    }
    return 0;
}

typedef struct {
    const char *name;
    size_t name_len;
    const char *val;
    size_t val_len;
} canon_param;

static int canon_cmp(const void *a, const void *b)
{
    const canon_param *x = a, *y = b;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);
    return c ? c : (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

/* Builds the canonical request and string to sign, and compares signatures. */
static tv_result check_signature(const char *host, size_t host_len, const value *v,
                                 const char *date8, const char *region, const tv_key *key,
                                 buf *b, tv_outcome *out)
{
    /* Canonical query string: every parameter but the signature, encoded, sorted by encoded name. */
    canon_param cp[P_COUNT];
    size_t count = 0;
    for (int i = 0; i < P_COUNT; i++) {
        if (i == P_SIGNATURE || !v[i].present) continue;
        size_t at = b->len;
        if (!buf_encode(b, param_names[i], strlen(param_names[i]))) goto overflow;
        cp[count].name = b->p + at;
        cp[count].name_len = b->len - at;
        at = b->len;
        if (!buf_encode(b, v[i].p, v[i].n)) goto overflow;
        cp[count].val = b->p + at;
        cp[count].val_len = b->len - at;
        count++;
    }
    qsort(cp, count, sizeof cp[0], canon_cmp);

    size_t cr_start = b->len;
    if (!buf_puts(b, "GET\n/\n")) goto overflow;
    for (size_t i = 0; i < count; i++) {
        if ((i && !buf_puts(b, "&")) || !buf_append(b, cp[i].name, cp[i].name_len) ||
            !buf_puts(b, "=") || !buf_append(b, cp[i].val, cp[i].val_len))
            goto overflow;
    }
    if (!buf_puts(b, "\nhost:") || !buf_append(b, host, host_len) ||
        !buf_puts(b, "\n\nhost\n" EMPTY_PAYLOAD_SHA256))
        goto overflow;

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (!EVP_Digest(b->p + cr_start, b->len - cr_start, digest, &digest_len, EVP_sha256(), NULL) ||
        digest_len != 32)
        return fail(out, TV_INTERNAL, "SHA-256 failed");
    char digest_hex[65];
    to_hex(digest, 32, digest_hex);

    char scope[128];
    int scope_len = snprintf(scope, sizeof scope, "%s/%s/" SERVICE "/" TERMINATOR, date8, region);
    if (scope_len < 0 || (size_t)scope_len >= sizeof scope)
        return fail(out, TV_MALFORMED, "credential scope too long");

    size_t sts_start = b->len;
    if (!buf_puts(b, ALGORITHM "\n") || !buf_append(b, v[P_DATE].p, v[P_DATE].n) ||
        !buf_puts(b, "\n") || !buf_puts(b, scope) || !buf_puts(b, "\n") || !buf_puts(b, digest_hex))
        goto overflow;

    /* Signing key: HMAC chain from "AWS4" + secret over date, region, service, terminator. */
    unsigned char k_secret[4 + TV_MAX_SECRET_LEN], k1[32], k2[32], sig[32], given[32];
    size_t secret_len = strnlen(key->secret, TV_MAX_SECRET_LEN);
    memcpy(k_secret, "AWS4", 4);
    memcpy(k_secret + 4, key->secret, secret_len);
    int ok = hmac_sha256(k_secret, 4 + secret_len, date8, strlen(date8), k1) &&
             hmac_sha256(k1, 32, region, strlen(region), k2) &&
             hmac_sha256(k2, 32, SERVICE, strlen(SERVICE), k1) &&
             hmac_sha256(k1, 32, TERMINATOR, strlen(TERMINATOR), k2) &&
             hmac_sha256(k2, 32, b->p + sts_start, b->len - sts_start, sig);
    OPENSSL_cleanse(k_secret, sizeof k_secret);
    OPENSSL_cleanse(k1, sizeof k1);
    OPENSSL_cleanse(k2, sizeof k2);
    if (!ok) return fail(out, TV_INTERNAL, "HMAC-SHA256 failed");

    for (int i = 0; i < 32; i++) /* format checked by the caller: 64 lowercase hex digits */
        given[i] = (unsigned char)(hex_value((unsigned char)v[P_SIGNATURE].p[2 * i]) << 4 |
                                   hex_value((unsigned char)v[P_SIGNATURE].p[2 * i + 1]));
    int match = CRYPTO_memcmp(sig, given, 32) == 0;
    OPENSSL_cleanse(sig, sizeof sig);
    if (!match) return fail(out, TV_BAD_SIGNATURE, "signature does not match");
    return TV_OK;

overflow:
    return fail(out, TV_INTERNAL, "canonical request buffer overflow");
}

static tv_result verify(const char *token, size_t token_len, const char *user, size_t user_len,
                        int64_t now, const tv_config *cfg, tv_key_lookup lookup, void *lookup_ctx,
                        buf *b, tv_outcome *out)
{
    char s1[72], s2[72];

    /* 1. Shape: HOST:PORT/?QUERY, printable ASCII, no scheme, path "/". */
    for (size_t i = 0; i < token_len; i++) {
        unsigned char c = (unsigned char)token[i];
        if (c <= 0x20 || c >= 0x7f)
            return fail(out, TV_MALFORMED, "invalid character at offset %zu", i);
    }
    const char *slash = memchr(token, '/', token_len);
    if (!slash) return fail(out, TV_MALFORMED, "no '/?' after host:port");
    const char *host = token;
    size_t host_len = (size_t)(slash - token);
    if (host_len == 0 || host_len > MAX_HOST_LEN) return fail(out, TV_MALFORMED, "bad host length");
    if (host[host_len - 1] == ':' && token_len - host_len > 1 && slash[1] == '/')
        return fail(out, TV_MALFORMED, "token has a URL scheme");
    for (size_t i = 0; i < host_len; i++)
        if (strchr("?#@&=%", host[i])) return fail(out, TV_MALFORMED, "invalid character in host");
    if (token_len - host_len < 2 || slash[1] != '?') return fail(out, TV_MALFORMED, "path is not '/?'");
    const char *q = slash + 2, *end = token + token_len;
    if (q == end) return fail(out, TV_MALFORMED, "empty query string");
    if (memchr(q, '#', (size_t)(end - q))) return fail(out, TV_MALFORMED, "token has a fragment");

    value v[P_COUNT];
    memset(v, 0, sizeof v);
    while (q <= end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *pe = amp ? amp : end;
        const char *eq = memchr(q, '=', (size_t)(pe - q));
        if (pe == q) return fail(out, TV_MALFORMED, "empty query parameter");
        if (!eq) return fail(out, TV_MALFORMED, "query parameter without '='");
        size_t name_len;
        size_t mark = b->len;
        const char *name = buf_decode(b, q, (size_t)(eq - q), &name_len);
        if (!name) return fail(out, TV_MALFORMED, "bad percent-encoding in parameter name");
        int idx = -1;
        for (int i = 0; i < P_COUNT; i++)
            if (span_eq(name, name_len, param_names[i])) idx = i;
        if (idx < 0) {
            return fail(out, TV_MALFORMED, "unexpected parameter '%s'", ident(s1, sizeof s1, name, name_len));
        }
        if (v[idx].present) return fail(out, TV_MALFORMED, "duplicate parameter %s", param_names[idx]);
        b->len = mark; /* the decoded name is not needed any more */
        v[idx].p = buf_decode(b, eq + 1, (size_t)(pe - eq - 1), &v[idx].n);
        if (!v[idx].p) return fail(out, TV_MALFORMED, "bad percent-encoding in %s", param_names[idx]);
        v[idx].present = 1;
        if (!amp) break;
        q = amp + 1;
        if (q == end) return fail(out, TV_MALFORMED, "empty query parameter");
    }
    for (int i = 0; i < P_COUNT; i++)
        if (i != P_SECURITY_TOKEN && !v[i].present)
            return fail(out, TV_MALFORMED, "missing parameter %s", param_names[i]);

    if (!span_eq(v[P_ACTION].p, v[P_ACTION].n, "connect"))
        return fail(out, TV_BAD_ACTION, "Action is '%s', not 'connect'",
                    ident(s1, sizeof s1, v[P_ACTION].p, v[P_ACTION].n));
    if (!span_eq(v[P_ALGORITHM].p, v[P_ALGORITHM].n, ALGORITHM))
        return fail(out, TV_BAD_ALGORITHM, "X-Amz-Algorithm is '%s', not '" ALGORITHM "'",
                    ident(s1, sizeof s1, v[P_ALGORITHM].p, v[P_ALGORITHM].n));
    if (!span_eq(v[P_SIGNED_HEADERS].p, v[P_SIGNED_HEADERS].n, "host"))
        return fail(out, TV_BAD_SIGNED_HEADERS, "X-Amz-SignedHeaders is '%s', not 'host'",
                    ident(s1, sizeof s1, v[P_SIGNED_HEADERS].p, v[P_SIGNED_HEADERS].n));
    int64_t signed_at;
    if (parse_amz_date(v[P_DATE].p, v[P_DATE].n, &signed_at) != 0)
        return fail(out, TV_MALFORMED, "X-Amz-Date is not a valid YYYYMMDDTHHMMSSZ time");
    const value *sig = &v[P_SIGNATURE];
    if (sig->n != 64) return fail(out, TV_MALFORMED, "X-Amz-Signature is not 64 hex digits");
    for (size_t i = 0; i < 64; i++)
        if (!((sig->p[i] >= '0' && sig->p[i] <= '9') || (sig->p[i] >= 'a' && sig->p[i] <= 'f')))
            return fail(out, TV_MALFORMED, "X-Amz-Signature is not 64 lowercase hex digits");

    /* 2. Credential scope: AKID/YYYYMMDD/REGION/rds-db/aws4_request. */
    const char *part[5];
    size_t part_len[5];
    const char *c = v[P_CREDENTIAL].p, *c_end = c + v[P_CREDENTIAL].n;
    for (int i = 0; i < 5; i++) {
        const char *s = memchr(c, '/', (size_t)(c_end - c));
        if (i < 4 && !s) return fail(out, TV_MALFORMED, "X-Amz-Credential has fewer than 5 parts");
        if (i == 4 && s) return fail(out, TV_MALFORMED, "X-Amz-Credential has more than 5 parts");
        part[i] = c;
        part_len[i] = (size_t)((s ? s : c_end) - c);
        if (part_len[i] == 0) return fail(out, TV_MALFORMED, "X-Amz-Credential has an empty part");
        c = s ? s + 1 : c_end;
    }
    if (part_len[0] > MAX_AKID_LEN) return fail(out, TV_MALFORMED, "access key id too long");
    for (size_t i = 0; i < part_len[0]; i++)
        if (!((part[0][i] >= 'A' && part[0][i] <= 'Z') || (part[0][i] >= '0' && part[0][i] <= '9')))
            return fail(out, TV_MALFORMED, "access key id has characters other than A-Z 0-9");
    memcpy(out->access_key_id, part[0], part_len[0]);
    out->access_key_id[part_len[0]] = '\0';
    if (!span_eq(part[3], part_len[3], SERVICE))
        return fail(out, TV_BAD_SERVICE, "credential scope service is '%s', not '" SERVICE "'",
                    ident(s1, sizeof s1, part[3], part_len[3]));
    if (!span_eq(part[4], part_len[4], TERMINATOR))
        return fail(out, TV_BAD_TERMINATOR, "credential scope does not end in '" TERMINATOR "'");
    if (!span_eq(part[2], part_len[2], cfg->region)) {
        sanitize(s2, 40, cfg->region, strlen(cfg->region));
        return fail(out, TV_WRONG_REGION, "credential scope region is '%s', the server's is '%s'",
                    ident(s1, sizeof s1, part[2], part_len[2]), s2);
    }
    if (part_len[1] != 8 || memcmp(part[1], v[P_DATE].p, 8) != 0)
        return fail(out, TV_SCOPE_DATE_MISMATCH, "credential scope date is not the date of X-Amz-Date");
    char date8[9];
    memcpy(date8, part[1], 8);
    date8[8] = '\0';
    if (v[P_EXPIRES].n < 1 || v[P_EXPIRES].n > 4 || !all_digits(v[P_EXPIRES].p, v[P_EXPIRES].n))
        return fail(out, TV_BAD_EXPIRES, "X-Amz-Expires is not a number of seconds");
    int expires = digits(v[P_EXPIRES].p, v[P_EXPIRES].n);
    if (expires < 1 || expires > TV_MAX_EXPIRES)
        return fail(out, TV_BAD_EXPIRES, "X-Amz-Expires is %d, not in 1..%d", expires, TV_MAX_EXPIRES);

    /* 3./4. The access key: known, of the server's account, session token iff temporary. */
    tv_key key;
    memset(&key, 0, sizeof key);
    tv_key_lookup_result found = lookup(lookup_ctx, out->access_key_id, &key);
    key.secret[TV_MAX_SECRET_LEN] = '\0';
    key.account[TV_MAX_ACCOUNT_LEN] = '\0';
    if (found == TV_KEY_ERROR) return fail(out, TV_KEYS_UNAVAILABLE, "the access key table cannot be read");
    if (found != TV_KEY_FOUND)
        return fail(out, TV_UNKNOWN_KEY, "access key id %s is unknown", out->access_key_id);
    tv_result r = TV_OK;
    if (strcmp(key.account, cfg->account) != 0) {
        sanitize(s1, 40, key.account, strlen(key.account));
        r = fail(out, TV_WRONG_ACCOUNT, "access key id %s belongs to account %s, not the server's",
                 out->access_key_id, s1);
    } else {
        int temporary = strncmp(out->access_key_id, "ASIA", 4) == 0;
        int has_token = v[P_SECURITY_TOKEN].present && v[P_SECURITY_TOKEN].n > 0;
        if (temporary && !has_token)
            r = fail(out, TV_SECURITY_TOKEN, "temporary access key %s without X-Amz-Security-Token",
                     out->access_key_id);
        else if (!temporary && v[P_SECURITY_TOKEN].present)
            r = fail(out, TV_SECURITY_TOKEN, "long-term access key %s with X-Amz-Security-Token",
                     out->access_key_id);
        else /* 5. The signature. */
            r = check_signature(host, host_len, v, date8, cfg->region, &key, b, out);
    }
    OPENSSL_cleanse(&key, sizeof key);
    if (r != TV_OK) return r;

    /* 6. The login user. */
    if (!(v[P_DBUSER].n == user_len && memcmp(v[P_DBUSER].p, user, user_len) == 0)) {
        sanitize(s1, 40, v[P_DBUSER].p, v[P_DBUSER].n);
        sanitize(s2, 40, user, user_len);
        return fail(out, TV_WRONG_USER, "token is for DBUser '%s', login is for '%s'", s1, s2);
    }
    /* 7. Validity period. */
    if (now > signed_at + expires)
        return fail(out, TV_EXPIRED, "token expired %lld s ago", (long long)(now - signed_at - expires));
    if (signed_at > now + (int64_t)cfg->max_skew)
        return fail(out, TV_NOT_YET_VALID, "X-Amz-Date is %lld s in the future (allowed skew %u s)",
                    (long long)(signed_at - now), cfg->max_skew);
    /* 8. The endpoint. */
    if (!endpoint_allowed(cfg->endpoints, host, host_len)) {
        sanitize(s1, 70, host, host_len);
        return fail(out, TV_WRONG_ENDPOINT, "token is for host '%s', not one of the server's endpoints", s1);
    }
    return fail(out, TV_OK, "ok");
}

tv_result tv_verify(const char *token, size_t token_len, const char *user, size_t user_len,
                    int64_t now, const tv_config *cfg, tv_key_lookup lookup, void *lookup_ctx,
                    tv_outcome *out)
{
    memset(out, 0, sizeof *out);
    if (!cfg || !cfg->account || !cfg->region || !cfg->endpoints || !lookup || !*cfg->account ||
        !*cfg->region || !*cfg->endpoints)
        return fail(out, TV_INTERNAL, "the server's account, region or endpoints are not configured");
    if (!token || token_len == 0) return fail(out, TV_MALFORMED, "empty token");
    if (token_len > TV_MAX_TOKEN_LEN)
        return fail(out, TV_MALFORMED, "token longer than %d bytes", TV_MAX_TOKEN_LEN);
    if (!user) user_len = 0;

    /* Room for the decoded parameters (<= token), their encoding (<= 3 x token) and the
       canonical request / string to sign (<= that again plus the fixed parts). */
    buf b = {NULL, 0, 8 * token_len + 1024};
    b.p = malloc(b.cap);
    if (!b.p) return fail(out, TV_INTERNAL, "out of memory");
    tv_result r = verify(token, token_len, user ? user : "", user_len, now, cfg, lookup, lookup_ctx, &b, out);
    OPENSSL_cleanse(b.p, b.cap); /* it held the session token */
    free(b.p);
    return r;
}
