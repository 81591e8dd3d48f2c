#ifndef COUNCIL_CSQLITE_SHIM_H
#define COUNCIL_CSQLITE_SHIM_H

#include <sqlite3.h>

/*
 * Typed wrappers for what Swift cannot import from sqlite3.h: the SQLITE_TRANSIENT destructor is a
 * function-like cast macro ((sqlite3_destructor_type)-1), so binds that need it are wrapped here.
 */

/// Binds `byte_count` bytes of UTF-8 text; SQLite copies them before returning (SQLITE_TRANSIENT).
static inline int council_sqlite3_bind_text_transient(sqlite3_stmt *statement, int index, const char *text,
                                                      int byte_count) {
    return sqlite3_bind_text(statement, index, text, byte_count, SQLITE_TRANSIENT);
}

/// Binds `byte_count` bytes of blob; SQLite copies them before returning (SQLITE_TRANSIENT).
static inline int council_sqlite3_bind_blob_transient(sqlite3_stmt *statement, int index, const void *bytes,
                                                      int byte_count) {
    return sqlite3_bind_blob(statement, index, bytes, byte_count, SQLITE_TRANSIENT);
}

#endif
