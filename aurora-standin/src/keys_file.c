#include "keys_file.h"

#include <stdio.h>
#include <string.h>

#define MAX_LINE 1024

tv_key_lookup_result keys_file_lookup(void *ctx, const char *access_key_id, tv_key *out)
{
    const char *path = ctx;
    if (!path || !*path) return TV_KEY_ERROR;
    FILE *f = fopen(path, "re");
    if (!f) return TV_KEY_ERROR;

    tv_key_lookup_result result = TV_KEY_NOT_FOUND;
    char line[MAX_LINE];
    int skipping = 0; /* inside an over-long line: ignore it to its end */
    while (result == TV_KEY_NOT_FOUND && fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        int complete = len > 0 && line[len - 1] == '\n';
        if (skipping || (!complete && !feof(f))) {
            skipping = !complete;
            continue;
        }
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *save = NULL;
        char *id = strtok_r(line, " \t\r\n", &save);
        char *secret = strtok_r(NULL, " \t\r\n", &save);
        char *account = strtok_r(NULL, " \t\r\n", &save);
        char *extra = strtok_r(NULL, " \t\r\n", &save);
        if (!id || !account || extra || strcmp(id, access_key_id) != 0) continue;
        if (strlen(secret) > TV_MAX_SECRET_LEN || strlen(account) > TV_MAX_ACCOUNT_LEN) continue;
        strcpy(out->secret, secret);
        strcpy(out->account, account);
        result = TV_KEY_FOUND;
    }
    if (ferror(f)) result = TV_KEY_ERROR;
    fclose(f);
    explicit_bzero(line, sizeof line);
    return result;
}
