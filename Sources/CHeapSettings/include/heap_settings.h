#ifndef DBIAM_HEAP_SETTINGS_H
#define DBIAM_HEAP_SETTINGS_H

/* Nothing to call: heap_settings.c works as a constructor, before main. */

#endif
