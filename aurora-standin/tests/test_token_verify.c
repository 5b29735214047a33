/*
 * Tests of token_verify.c and keys_file.c, without a server.
 *
 *   test_token_verify VECTORS.tsv KEYS_FILE
 *
 * VECTORS.tsv has one botocore-made token a line (made by the `test` script
 * from rds-auth-tokens.json and local-tokens.json), tab-separated:
 *   name expect endpoints region account user akid secret key_account session at token
 * Tokens expected to verify are also mutated into every failure mode.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/keys_file.h"
#include "../src/token_verify.h"

static int failures, checks;

#define CHECK(cond, ...) check((cond), __FILE__, __LINE__, __VA_ARGS__)
static void check(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void check(int ok, const char *file, int line, const char *fmt, ...)
{
    checks++;
    if (ok) return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: FAIL: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* --- An in-memory key table ------------------------------------------------ */
typedef struct {
    const char *akid, *secret, *account;
} key_entry;
typedef struct {
    key_entry keys[4];
    int count;
    int broken; /* simulate an unreadable table */
} key_table;

static tv_key_lookup_result table_lookup(void *ctx, const char *akid, tv_key *out)
{
    key_table *t = ctx;
    if (t->broken) return TV_KEY_ERROR;
    for (int i = 0; i < t->count; i++) {
        if (strcmp(t->keys[i].akid, akid) == 0) {
            snprintf(out->secret, sizeof out->secret, "%s", t->keys[i].secret);
            snprintf(out->account, sizeof out->account, "%s", t->keys[i].account);
            return TV_KEY_FOUND;
        }
    }
    return TV_KEY_NOT_FOUND;
}

/* --- Vectors ---------------------------------------------------------------- */
typedef struct {
    char *name, *expect, *endpoints, *region, *account, *user, *akid, *secret, *key_account,
        *session, *token;
    int64_t at;
} vec;

typedef struct {
    tv_config cfg;
    key_table keys;
    const char *user;
    int64_t now;
} env;

static env env_of(const vec *v)
{
    env e = {{v->account, v->region, v->endpoints, 300}, {{{v->akid, v->secret, v->key_account}}, 1, 0},
             v->user, v->at};
    return e;
}

/* Verifies and checks that the reason never leaks secret material. */
static tv_result run(const vec *v, const env *e, const char *token, size_t len, tv_outcome *o)
{
    tv_result r = tv_verify(token, len, e->user, strlen(e->user), e->now, &e->cfg, table_lookup,
                            (void *)&e->keys, o);
    CHECK(r == o->result, "%s: result %d != outcome %d", v->name, r, o->result);
    CHECK(o->reason[0] != '\0', "%s: empty reason", v->name);
    CHECK(!strstr(o->reason, v->secret), "%s: reason leaks the secret", v->name);
    const char *sig = strstr(v->token, "X-Amz-Signature=");
    if (sig) {
        char prefix[17];
        snprintf(prefix, sizeof prefix, "%s", sig + 16);
        CHECK(!strstr(o->reason, prefix), "%s: reason leaks the signature: %s", v->name, o->reason);
    }
    if (v->session[0]) {
        char prefix[13];
        snprintf(prefix, sizeof prefix, "%s", v->session);
        CHECK(!strstr(o->reason, prefix), "%s: reason leaks the session token: %s", v->name, o->reason);
    }
    return r;
}

static void expect_result(const vec *v, const env *e, const char *token, tv_result want, const char *what)
{
    tv_outcome o;
    tv_result r = run(v, e, token, strlen(token), &o);
    CHECK(r == want, "%s, %s: got %s (%s), want %s", v->name, what, tv_result_name(r), o.reason,
          tv_result_name(want));
}

static tv_result result_by_name(const char *name)
{
    for (int i = 0; i < TV_RESULT_COUNT; i++)
        if (strcmp(tv_result_name((tv_result)i), name) == 0) return (tv_result)i;
    fprintf(stderr, "unknown result name %s\n", name);
    exit(2);
}

/* Returns a malloc'd copy of s with the first occurrence of from replaced by to. */
static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    if (!at) {
        fprintf(stderr, "replace: '%s' not in token\n", from);
        exit(2);
    }
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

/* The "&Name=value" (or "?Name=value") segment of parameter name, as a malloc'd copy. */
static char *segment(const char *token, const char *name)
{
    char pat[64];
    snprintf(pat, sizeof pat, "&%s=", name);
    const char *at = strstr(token, pat);
    if (!at) {
        snprintf(pat, sizeof pat, "?%s=", name);
        at = strstr(token, pat);
    }
    if (!at) return NULL;
    const char *end = strchr(at + 1, '&');
    size_t n = end ? (size_t)(end - at) : strlen(at);
    char *out = malloc(n + 1);
    memcpy(out, at, n);
    out[n] = '\0';
    return out;
}

static const char *const all_params[] = {"Action", "DBUser", "X-Amz-Algorithm", "X-Amz-Credential",
                                         "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                                         "X-Amz-Security-Token", "X-Amz-Signature"};

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Every failure mode, derived from a token that verifies. */
static void mutate_valid(const vec *v)
{
    const char *t = v->token;
    env e;
    char buf[512];

    /* Validity window: [at - skew, at + 900]. */
    e = env_of(v); e.now = v->at + 900; expect_result(v, &e, t, TV_OK, "at the last valid second");
    e = env_of(v); e.now = v->at - 300; expect_result(v, &e, t, TV_OK, "within the clock skew");
    e = env_of(v); e.now = v->at + 901; expect_result(v, &e, t, TV_EXPIRED, "one second after expiry");
    e = env_of(v); e.now = v->at + 86400; expect_result(v, &e, t, TV_EXPIRED, "a day later");
    e = env_of(v); e.now = v->at - 301; expect_result(v, &e, t, TV_NOT_YET_VALID, "beyond the skew");
    e = env_of(v); e.cfg.max_skew = 0; e.now = v->at - 1; expect_result(v, &e, t, TV_NOT_YET_VALID, "skew 0");

    /* Keys and accounts. */
    snprintf(buf, sizeof buf, "%sx", v->secret);
    e = env_of(v); e.keys.keys[0].secret = buf; expect_result(v, &e, t, TV_BAD_SIGNATURE, "wrong secret");
    e = env_of(v); e.keys.count = 0; expect_result(v, &e, t, TV_UNKNOWN_KEY, "unknown key");
    e = env_of(v); e.keys.keys[0].akid = "AKIAOTHERKEY00000001"; expect_result(v, &e, t, TV_UNKNOWN_KEY, "other key id");
    e = env_of(v); e.keys.broken = 1; expect_result(v, &e, t, TV_KEYS_UNAVAILABLE, "unreadable key table");
    e = env_of(v); e.keys.keys[0].account = "999988887777"; expect_result(v, &e, t, TV_WRONG_ACCOUNT, "other account");
    e = env_of(v); e.cfg.account = "999988887777"; expect_result(v, &e, t, TV_WRONG_ACCOUNT, "server plays another account");

    /* Login user. */
    snprintf(buf, sizeof buf, "%sx", v->user);
    e = env_of(v); e.user = buf; expect_result(v, &e, t, TV_WRONG_USER, "longer user");
    snprintf(buf, sizeof buf, "%s", v->user);
    buf[strlen(buf) - 1] = '\0';
    e = env_of(v); e.user = buf; expect_result(v, &e, t, TV_WRONG_USER, "shorter user");
    e = env_of(v); e.user = ""; expect_result(v, &e, t, TV_WRONG_USER, "empty user");
    snprintf(buf, sizeof buf, "%s", v->user);
    for (char *c = buf; *c; c++)
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) { *c ^= 0x20; break; }
    if (strcmp(buf, v->user) != 0) {
        e = env_of(v); e.user = buf; expect_result(v, &e, t, TV_WRONG_USER, "user differs in case");
    }

    /* Server settings. */
    e = env_of(v); e.cfg.region = "us-west-2"; expect_result(v, &e, t, TV_WRONG_REGION, "other server region");
    e = env_of(v); e.cfg.endpoints = "db.example.com:3306"; expect_result(v, &e, t, TV_WRONG_ENDPOINT, "other endpoint");
    const char *host_end = strchr(t, '/');
    char host[300];
    snprintf(host, sizeof host, "%.*s", (int)(host_end - t), t);
    const char *colon = strrchr(host, ':');
    snprintf(buf, sizeof buf, "%.*s:1%s", (int)(colon - host), host, colon + 1);
    e = env_of(v); e.cfg.endpoints = buf; expect_result(v, &e, t, TV_WRONG_ENDPOINT, "other port");
    snprintf(buf, sizeof buf, "%.*s", (int)(colon - host), host);
    e = env_of(v); e.cfg.endpoints = buf; expect_result(v, &e, t, TV_WRONG_ENDPOINT, "endpoint without port");
    snprintf(buf, sizeof buf, "other:1 ,  %s , x:2", host);
    for (char *c = buf; *c; c++) if (*c >= 'a' && *c <= 'z') *c ^= 0x20;
    e = env_of(v); e.cfg.endpoints = buf; expect_result(v, &e, t, TV_OK, "endpoint in a list, other case");
    e = env_of(v); e.cfg.region = ""; expect_result(v, &e, t, TV_INTERNAL, "unconfigured region");

    /* Tampered signature: every hex digit changed. */
    e = env_of(v);
    char *tampered = strdup(t);
    char *sig = strstr(tampered, "X-Amz-Signature=") + 16;
    for (int i = 0; i < 64; i++) {
        char saved = sig[i];
        sig[i] = saved == '0' ? '1' : '0';
        expect_result(v, &e, tampered, TV_BAD_SIGNATURE, "tampered signature digit");
        sig[i] = saved;
    }
    sig[0] = 'g'; expect_result(v, &e, tampered, TV_MALFORMED, "non-hex signature");
    sig[0] = 'A'; expect_result(v, &e, tampered, TV_MALFORMED, "upper-case hex signature");
    sig[0] = '\0'; expect_result(v, &e, tampered, TV_MALFORMED, "empty signature");
    free(tampered);
    char *longer = replace(t, "X-Amz-Signature=", "X-Amz-Signature=00");
    expect_result(v, &e, longer, TV_MALFORMED, "66-digit signature");
    free(longer);

    /* Tampered signed content: signature no longer matches. */
    char *dbuser = segment(t, "DBUser");
    e = env_of(v); e.user = "intruder";
    char *other_user = replace(t, dbuser, "&DBUser=intruder");
    expect_result(v, &e, other_user, TV_BAD_SIGNATURE, "DBUser rewritten");
    free(other_user);
    free(dbuser);
    e = env_of(v);
    char *date_seg = segment(t, "X-Amz-Date");
    snprintf(buf, sizeof buf, "%s", date_seg);
    buf[strlen(buf) - 2] = buf[strlen(buf) - 2] == '0' ? '1' : '0'; /* a second later or earlier */
    char *shifted = replace(t, date_seg, buf);
    expect_result(v, &e, shifted, TV_BAD_SIGNATURE, "X-Amz-Date shifted by a second");
    free(shifted);
    /* Date of another day: the scope date no longer matches. */
    snprintf(buf, sizeof buf, "%s", date_seg);
    char *day = buf + strlen("&X-Amz-Date=") + 6;
    day[1] = day[1] == '1' ? '2' : '1';
    char *other_day = replace(t, date_seg, buf);
    expect_result(v, &e, other_day, TV_SCOPE_DATE_MISMATCH, "X-Amz-Date of another day");
    free(other_day);
    snprintf(buf, sizeof buf, "%s", date_seg);
    buf[strlen(buf) - 1] = 'X';
    char *bad_date = replace(t, date_seg, buf);
    expect_result(v, &e, bad_date, TV_MALFORMED, "X-Amz-Date without Z");
    free(bad_date);
    free(date_seg);
    char *host_case = strdup(t);
    for (char *c = host_case; *c != '/'; c++) if (*c >= 'a' && *c <= 'z') { *c ^= 0x20; break; }
    if (strcmp(host_case, t) != 0) expect_result(v, &e, host_case, TV_BAD_SIGNATURE, "host case changed");
    free(host_case);

    /* Scope and fixed parameters (checked before the signature). */
    struct { const char *from, *to; tv_result want; const char *what; } subst[] = {
        {"%2Frds-db%2F", "%2Frds%2F", TV_BAD_SERVICE, "service rds"},
        {"%2Frds-db%2F", "%2Fs3%2F", TV_BAD_SERVICE, "service s3"},
        {"%2Faws4_request", "%2Faws5_request", TV_BAD_TERMINATOR, "terminator"},
        {"%2Faws4_request", "%2Faws4_request%2Fx", TV_MALFORMED, "six scope parts"},
        {"%2Frds-db%2Faws4_request", "%2Faws4_request", TV_MALFORMED, "four scope parts"},
        {"Action=connect", "Action=Connect", TV_BAD_ACTION, "Action case"},
        {"X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA512", TV_BAD_ALGORITHM, "algorithm"},
        {"X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx-amz-date", TV_BAD_SIGNED_HEADERS, "signed headers"},
        {"X-Amz-Expires=900", "X-Amz-Expires=901", TV_BAD_EXPIRES, "expires 901"},
        {"X-Amz-Expires=900", "X-Amz-Expires=0", TV_BAD_EXPIRES, "expires 0"},
        {"X-Amz-Expires=900", "X-Amz-Expires=-1", TV_BAD_EXPIRES, "expires -1"},
        {"X-Amz-Expires=900", "X-Amz-Expires=9e2", TV_BAD_EXPIRES, "expires 9e2"},
        {"X-Amz-Expires=900", "X-Amz-Expires=", TV_BAD_EXPIRES, "expires empty"},
        {"X-Amz-Expires=900", "X-Amz-Expires=99999999999999999999", TV_BAD_EXPIRES, "expires huge"},
        {"X-Amz-Expires=900", "X-Amz-Expires=0900", TV_BAD_SIGNATURE, "expires 0900 (signed as 900)"},
        {"X-Amz-Credential=", "X-Amz-Credential=%2F", TV_MALFORMED, "empty access key id"},
        {"X-Amz-Credential=", "X-Amz-Credential=akia", TV_MALFORMED, "lower-case access key id"},
        {"/?", "?", TV_MALFORMED, "no path"},
        {"/?", "//?", TV_MALFORMED, "path //"},
        {"/?", "/x?", TV_MALFORMED, "path /x"},
        {"/?", "/?&", TV_MALFORMED, "empty first parameter"},
        {"&X-Amz-Date", "&&X-Amz-Date", TV_MALFORMED, "empty parameter"},
        {"&X-Amz-Date", "&Foo=bar&X-Amz-Date", TV_MALFORMED, "unknown parameter"},
        {"&X-Amz-Date", "&Foo&X-Amz-Date", TV_MALFORMED, "parameter without '='"},
        {"&X-Amz-Date", "&x-amz-date=1&X-Amz-Date", TV_MALFORMED, "parameter name in other case"},
        {"&X-Amz-Date", "&X-Amz-%44ate", TV_OK, "encoded parameter name"},
        {"&X-Amz-Date", "&X-Amz-Date%00", TV_MALFORMED, "NUL in parameter name"},
        {"Action=connect", "Action=conn%00ect", TV_MALFORMED, "encoded NUL"},
        {"Action=connect", "Action=conn%zzect", TV_MALFORMED, "bad escape %zz"},
        {"Action=connect", "Action=connec%G4", TV_MALFORMED, "bad escape %G4"},
        {"Action=connect", "Action=connect%", TV_MALFORMED, "truncated escape %"},
        {"Action=connect", "Action=connect%6", TV_MALFORMED, "truncated escape %6"},
        {"Action=connect", "Action=%63onnect", TV_OK, "needlessly encoded value"},
        {"Action=connect", "Action=connect#x", TV_MALFORMED, "fragment"},
        {"Action=connect", "Action=con nect", TV_MALFORMED, "space"},
        {"Action=connect", "Action=con\tnect", TV_MALFORMED, "tab"},
        {"Action=connect", "Action=con\x80nect", TV_MALFORMED, "non-ASCII byte"},
        {"%2F", "%2f", TV_OK, "lower-case escape in the credential"},
    };
    for (size_t i = 0; i < sizeof subst / sizeof subst[0]; i++) {
        char *m = replace(t, subst[i].from, subst[i].to);
        expect_result(v, &e, m, subst[i].want, subst[i].what);
        free(m);
    }
    char *with_scheme = malloc(strlen(t) + 9);
    sprintf(with_scheme, "https://%s", t);
    expect_result(v, &e, with_scheme, TV_MALFORMED, "with https:// scheme");
    free(with_scheme);
    expect_result(v, &e, "", TV_MALFORMED, "empty token");
    expect_result(v, &e, "/?", TV_MALFORMED, "no host");
    expect_result(v, &e, host, TV_MALFORMED, "host only");

    /* Missing and duplicate parameters; reordered parameters still verify. */
    for (size_t i = 0; i < sizeof all_params / sizeof all_params[0]; i++) {
        char *seg = segment(t, all_params[i]);
        if (!seg) continue;
        char *without;
        if (seg[0] == '?') { /* first parameter: drop it and the '&' after it */
            without = replace(t, seg + 1, "");
            char *fixed = replace(without, "?&", "?");
            free(without);
            without = fixed;
        } else {
            without = replace(t, seg, "");
        }
        tv_result want = strcmp(all_params[i], "X-Amz-Security-Token") == 0 ? TV_SECURITY_TOKEN : TV_MALFORMED;
        snprintf(buf, sizeof buf, "missing %s", all_params[i]);
        expect_result(v, &e, without, want, buf);
        free(without);
        size_t n = strlen(t) + strlen(seg) + 2;
        char *dup = malloc(n);
        snprintf(dup, n, "%s&%s", t, seg + 1);
        snprintf(buf, sizeof buf, "duplicate %s", all_params[i]);
        expect_result(v, &e, dup, TV_MALFORMED, buf);
        free(dup);
        free(seg);
    }
    {
        /* Reverse the parameter order. */
        char *copy = strdup(strchr(t, '?') + 1), *parts[16], *save = NULL;
        int np = 0;
        for (char *p = strtok_r(copy, "&", &save); p && np < 16; p = strtok_r(NULL, "&", &save)) parts[np++] = p;
        size_t n = strlen(t) + 1;
        char *rev = malloc(n);
        size_t off = (size_t)snprintf(rev, n, "%s/?", host);
        for (int i = np - 1; i >= 0; i--) off += (size_t)snprintf(rev + off, n - off, "%s%s", parts[i], i ? "&" : "");
        expect_result(v, &e, rev, TV_OK, "parameters in reverse order");
        free(rev);
        free(copy);
    }

    /* Truncations at every length, and huge inputs: refused, never a crash. */
    size_t len = strlen(t);
    for (size_t i = 0; i < len; i++) {
        tv_outcome o;
        tv_result r = run(v, &e, t, i, &o);
        CHECK(r != TV_OK, "%s: token truncated to %zu bytes verifies", v->name, i);
    }
    size_t huge_len = 1 << 20;
    char *huge = malloc(huge_len + 1);
    memset(huge, 'a', huge_len);
    huge[huge_len] = '\0';
    expect_result(v, &e, huge, TV_MALFORMED, "1 MiB of 'a'");
    snprintf(huge, huge_len, "%s", t);
    size_t at = strlen(huge);
    memcpy(huge + at, "&DBUser=", 8);
    memset(huge + at + 8, 'x', TV_MAX_TOKEN_LEN);
    huge[at + 8 + TV_MAX_TOKEN_LEN] = '\0';
    expect_result(v, &e, huge, TV_MALFORMED, "token with a 16 KiB parameter");
    /* At the length limit, with a DBUser whose every byte needs %-encoding in the
       canonical request: parses and is signed over in full (the signature then fails). */
    char *dbuser_seg = segment(t, "DBUser");
    size_t fill = TV_MAX_TOKEN_LEN - (len - strlen(dbuser_seg)) - strlen("&DBUser=");
    char *long_user = malloc(fill + 1);
    memset(long_user, '!', fill);
    long_user[fill] = '\0';
    snprintf(huge, huge_len, "&DBUser=%s", long_user);
    char *at_limit = replace(t, dbuser_seg, huge);
    CHECK(strlen(at_limit) == TV_MAX_TOKEN_LEN, "at-limit token is %zu bytes", strlen(at_limit));
    e.user = long_user;
    expect_result(v, &e, at_limit, TV_BAD_SIGNATURE, "token at the length limit");
    e = env_of(v);
    free(at_limit);
    free(long_user);
    free(dbuser_seg);
    free(huge);

    /* Random mutations: any result but a crash; verifying ones are rare equivalents. */
    char *m = malloc(len + 64);
    for (int round = 0; round < 3000; round++) {
        memcpy(m, t, len + 1);
        size_t mlen = len;
        for (int k = 1 + (int)(rng() % 3); k > 0; k--) {
            size_t pos = (size_t)(rng() % mlen);
            switch (rng() % 3) {
            case 0: m[pos] = (char)(rng() & 0xff); break;                               /* replace */
            case 1: memmove(m + pos, m + pos + 1, mlen - pos); mlen--; break;           /* delete */
            default: memmove(m + pos + 1, m + pos, mlen - pos + 1); m[pos] = "%&=/?0aZ"[rng() % 8]; mlen++;
            }
            if (mlen == 0) break;
        }
        tv_outcome o;
        run(v, &e, m, mlen, &o);
        CHECK((unsigned)o.result < TV_RESULT_COUNT, "%s: mutation gives result %d", v->name, o.result);
    }
    free(m);
}

static void test_vector(const vec *v)
{
    env e = env_of(v);
    tv_outcome o;
    tv_result r = run(v, &e, v->token, strlen(v->token), &o);
    tv_result want = result_by_name(v->expect);
    CHECK(r == want, "%s: got %s (%s), want %s", v->name, tv_result_name(r), o.reason, v->expect);
    if (r == TV_OK) CHECK(strcmp(o.access_key_id, v->akid) == 0, "%s: access key id '%s'", v->name, o.access_key_id);
    const char *expires = strstr(v->token, "X-Amz-Expires=");
    int seconds = expires ? atoi(expires + 14) : 0;
    if (want == TV_OK && seconds == 900) {
        mutate_valid(v);
    } else if (want == TV_OK) { /* a shorter lifetime: just the window */
        e.now = v->at + seconds;
        tv_result last = run(v, &e, v->token, strlen(v->token), &o);
        CHECK(last == TV_OK, "%s: at the last valid second: %s", v->name, o.reason);
        e.now++;
        CHECK(run(v, &e, v->token, strlen(v->token), &o) == TV_EXPIRED, "%s: after expiry: %s", v->name, o.reason);
    }
}

/* --- keys_file ------------------------------------------------------------- */
static void test_keys_file(const char *committed)
{
    tv_key k;
    CHECK(keys_file_lookup((void *)"/nonexistent/keys", "AKIALOCALTEST0000001", &k) == TV_KEY_ERROR, "missing file");
    CHECK(keys_file_lookup(NULL, "AKIALOCALTEST0000001", &k) == TV_KEY_ERROR, "no path");

    /* The committed test keys. */
    CHECK(keys_file_lookup((void *)committed, "AKIALOCALTEST0000001", &k) == TV_KEY_FOUND &&
              strcmp(k.account, "012345678901") == 0, "committed AKIALOCALTEST0000001");
    CHECK(keys_file_lookup((void *)committed, "ASIALOCALTEST0000002", &k) == TV_KEY_FOUND &&
              strcmp(k.account, "012345678901") == 0, "committed ASIALOCALTEST0000002");
    CHECK(keys_file_lookup((void *)committed, "AKIAOTHERACCOUNT0001", &k) == TV_KEY_FOUND &&
              strcmp(k.account, "999988887777") == 0, "committed AKIAOTHERACCOUNT0001");
    CHECK(keys_file_lookup((void *)committed, "ACCESS_KEY_ID", &k) == TV_KEY_NOT_FOUND, "comment is no key");

    char path[] = "/tmp/test-keys-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "# comment line AKIACOMMENTED s 1\n\n   \n");
    fprintf(f, "AKIATWOFIELDS only-two\n");
    fprintf(f, "AKIAFOURFIELDS secret 111122223333 extra\n");
    fprintf(f, "AKIALONGLINE %0*d 111122223333\n", 2000, 7);
    fprintf(f, "AKIAAFTERLONG\tsecret-after\t111122223333   # trailing comment\r\n");
    fprintf(f, "AKIADUP first 111111111111\nAKIADUP second 222222222222\n");
    fprintf(f, "AKIALAST last-secret 333333333333"); /* no final newline */
    fclose(f);
    CHECK(keys_file_lookup(path, "AKIACOMMENTED", &k) == TV_KEY_NOT_FOUND, "commented key");
    CHECK(keys_file_lookup(path, "AKIATWOFIELDS", &k) == TV_KEY_NOT_FOUND, "two fields");
    CHECK(keys_file_lookup(path, "AKIAFOURFIELDS", &k) == TV_KEY_NOT_FOUND, "four fields");
    CHECK(keys_file_lookup(path, "AKIALONGLINE", &k) == TV_KEY_NOT_FOUND, "over-long line");
    CHECK(keys_file_lookup(path, "AKIAAFTERLONG", &k) == TV_KEY_FOUND && strcmp(k.secret, "secret-after") == 0 &&
              strcmp(k.account, "111122223333") == 0, "tabs, CRLF, trailing comment");
    CHECK(keys_file_lookup(path, "AKIADUP", &k) == TV_KEY_FOUND && strcmp(k.secret, "first") == 0, "first wins");
    CHECK(keys_file_lookup(path, "AKIALAST", &k) == TV_KEY_FOUND && strcmp(k.secret, "last-secret") == 0,
          "last line without newline");
    CHECK(keys_file_lookup(path, "AKIA", &k) == TV_KEY_NOT_FOUND, "prefix is no match");
    unlink(path);
}

/* --- Main -------------------------------------------------------------------- */
static char *field(char **line)
{
    char *f = strsep(line, "\t");
    if (!f) {
        fprintf(stderr, "vectors: too few fields\n");
        exit(2);
    }
    return f;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s VECTORS.tsv KEYS_FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int vectors = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n') line[n - 1] = '\0';
        char *rest = line;
        vec v;
        v.name = field(&rest); v.expect = field(&rest); v.endpoints = field(&rest); v.region = field(&rest);
        v.account = field(&rest); v.user = field(&rest); v.akid = field(&rest); v.secret = field(&rest);
        v.key_account = field(&rest); v.session = field(&rest); v.at = strtoll(field(&rest), NULL, 10);
        v.token = field(&rest);
        int before = failures;
        test_vector(&v);
        printf("%-4s %s (expect %s)\n", failures == before ? "ok" : "FAIL", v.name, v.expect);
        vectors++;
    }
    free(line);
    fclose(f);
    CHECK(vectors >= 4, "only %d vectors", vectors);
    test_keys_file(argv[2]);
    printf("%d checks, %d failures (%d token vectors)\n", checks, failures, vectors);
    return failures ? 1 : 0;
}
