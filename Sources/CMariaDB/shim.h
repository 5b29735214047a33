#ifndef DBIAM_CMARIADB_SHIM_H
#define DBIAM_CMARIADB_SHIM_H

#include <mysql.h>

/* mysql_options takes every value as `const void *`; these typed helpers keep the
   pointer casts and the option's C type in one place instead of in Swift. */

static inline int dbiam_set_uint_option(MYSQL *mysql, enum mysql_option option, unsigned int value) {
    return mysql_options(mysql, option, &value);
}

static inline int dbiam_set_bool_option(MYSQL *mysql, enum mysql_option option, int value) {
    my_bool flag = value ? 1 : 0;
    return mysql_options(mysql, option, &flag);
}

static inline int dbiam_set_string_option(MYSQL *mysql, enum mysql_option option, const char *value) {
    return mysql_options(mysql, option, value);
}

static inline unsigned long dbiam_client_multi_statements(void) {
    return CLIENT_MULTI_STATEMENTS;
}

#endif
