#ifndef DBIAM_CMARIADB_SHIM_H
#define DBIAM_CMARIADB_SHIM_H
#include <mysql.h>
#endif
