/*
 * AWSAuthenticationPlugin: a MariaDB server authentication plugin that accepts
 * AWS IAM database authentication tokens (SigV4 presigned "rds-db" URLs) the
 * way Amazon Aurora MySQL / RDS MySQL do, for a local stand-in of Aurora.
 *
 *   CREATE USER 'u'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
 *
 * The client sends the token as a cleartext password (client plugin
 * mysql_clear_password). The verification itself is in token_verify.c; this
 * file reads the token, applies the settings and logs refusals.
 */
#include <mysql/plugin_auth.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "keys_file.h"
#include "token_verify.h"

static char *opt_account;
static char *opt_region;
static char *opt_endpoints;
static char *opt_keys_file;
static unsigned int opt_max_clock_skew;

static MYSQL_SYSVAR_STR(account, opt_account, PLUGIN_VAR_READONLY | PLUGIN_VAR_RQCMDARG,
                        "AWS account id the server plays; tokens from other accounts' keys are refused",
                        NULL, NULL, "");
static MYSQL_SYSVAR_STR(region, opt_region, PLUGIN_VAR_READONLY | PLUGIN_VAR_RQCMDARG,
                        "AWS region the server plays, e.g. ap-northeast-1", NULL, NULL, "");
static MYSQL_SYSVAR_STR(endpoints, opt_endpoints, PLUGIN_VAR_READONLY | PLUGIN_VAR_RQCMDARG,
                        "Comma-separated host:port list a token may be made for, e.g. 127.0.0.1:33306",
                        NULL, NULL, "");
static MYSQL_SYSVAR_STR(keys_file, opt_keys_file, PLUGIN_VAR_READONLY | PLUGIN_VAR_RQCMDARG,
                        "File of test access keys, one 'ACCESS_KEY_ID SECRET ACCOUNT_ID' a line",
                        NULL, NULL, "");
static MYSQL_SYSVAR_UINT(max_clock_skew, opt_max_clock_skew, PLUGIN_VAR_READONLY | PLUGIN_VAR_RQCMDARG,
                         "Seconds X-Amz-Date may lie in the future", NULL, NULL, 300, 0, 3600, 0);

static struct st_mysql_sys_var *system_variables[] = {
    MYSQL_SYSVAR(account), MYSQL_SYSVAR(region), MYSQL_SYSVAR(endpoints),
    MYSQL_SYSVAR(keys_file), MYSQL_SYSVAR(max_clock_skew), NULL,
};

/* A line in the server's error log format, "YYYY-MM-DD HH:MM:SS THREAD [LEVEL] ...". */
static void log_line(MYSQL_THD thd, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void log_line(MYSQL_THD thd, const char *level, const char *fmt, ...)
{
    char message[512], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", localtime_r(&now, &tm));
    fprintf(stderr, "%s %lu [%s] AWSAuthenticationPlugin: %s\n", stamp,
            thd ? thd_get_thread_id(thd) : 0UL, level, message);
    fflush(stderr);
}

static void copy_printable(char *dst, size_t cap, const char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; s && i < n && j + 1 < cap; i++)
        dst[j++] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\'') ? s[i] : '?';
    dst[j] = '\0';
}

static int authenticate(MYSQL_PLUGIN_VIO *vio, MYSQL_SERVER_AUTH_INFO *info)
{
    unsigned char *packet;
    int len = vio->read_packet(vio, &packet);
    if (len < 0) return CR_ERROR;
    info->password_used = PASSWORD_USED_YES;

    char user[2 * 80 + 1], host[64 + 1];
    copy_printable(user, sizeof user, info->user_name, info->user_name ? info->user_name_length : 0);
    copy_printable(host, sizeof host, info->host_or_ip, info->host_or_ip ? info->host_or_ip_length : 0);

    /* Aurora's accounts say IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'. */
    if (!(info->auth_string_length == 3 && memcmp(info->auth_string, "RDS", 3) == 0)) {
        log_line(info->thd, "Warning", "access denied for '%s'@'%s': bad-auth-string: the account is "
                 "not IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'", user, host);
        return CR_ERROR;
    }
    /* mysql_clear_password sends the password with a terminating NUL. */
    size_t token_len = (size_t)len;
    if (token_len > 0 && packet[token_len - 1] == '\0') token_len--;

    tv_config config = {opt_account, opt_region, opt_endpoints, opt_max_clock_skew};
    tv_outcome outcome;
    tv_result r = tv_verify((const char *)packet, token_len, info->user_name,
                            info->user_name ? info->user_name_length : 0, (int64_t)time(NULL),
                            &config, keys_file_lookup, opt_keys_file, &outcome);
    if (r != TV_OK) {
        log_line(info->thd, "Warning", "access denied for '%s'@'%s': %s: %s%s%s", user, host,
                 tv_result_name(r), outcome.reason, outcome.access_key_id[0] ? ", access key id " : "",
                 outcome.access_key_id);
        return CR_ERROR;
    }
    return CR_OK;
}

static int plugin_init(void *p)
{
    (void)p;
    const char *missing = !opt_account || !*opt_account     ? "account"
                          : !opt_region || !*opt_region     ? "region"
                          : !opt_endpoints || !*opt_endpoints ? "endpoints"
                          : !opt_keys_file || !*opt_keys_file ? "keys-file"
                                                              : NULL;
    if (missing) {
        log_line(NULL, "ERROR", "--awsauthenticationplugin-%s is required", missing);
        return 1;
    }
    log_line(NULL, "Note", "account %s, region %s, endpoints %s, keys file %s, max clock skew %u s",
             opt_account, opt_region, opt_endpoints, opt_keys_file, opt_max_clock_skew);
    return 0;
}

static struct st_mysql_auth aws_auth_handler = {
    MYSQL_AUTHENTICATION_INTERFACE_VERSION,
    "mysql_clear_password", /* the client sends the token in clear (over TLS) */
    authenticate,
    NULL, /* hash_password: AS 'RDS' is stored as is */
    NULL, /* preprocess_hash */
};

#pragma GCC visibility push(default)
maria_declare_plugin(aws_authentication)
{
    MYSQL_AUTHENTICATION_PLUGIN,
    &aws_auth_handler,
    "AWSAuthenticationPlugin",
    "dbiam",
    "AWS IAM database authentication (SigV4 rds-db tokens), local Aurora stand-in",
    PLUGIN_LICENSE_GPL,
    plugin_init,
    NULL,
    0x0100,
    NULL,
    system_variables,
    "1.0",
    MariaDB_PLUGIN_MATURITY_STABLE,
}
maria_declare_plugin_end;
#pragma GCC visibility pop
