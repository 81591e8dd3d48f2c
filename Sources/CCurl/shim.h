#ifndef COUNCIL_CCURL_SHIM_H
#define COUNCIL_CCURL_SHIM_H
// libcurl for Swift: curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic and do not import,
// so each argument type gets one small typed wrapper.
#include <curl/curl.h>
#include <sys/types.h>

/// The signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION callbacks.
typedef size_t (*council_curl_data_callback)(char *data, size_t size, size_t count, void *context);
/// The signature of the CURLOPT_XFERINFOFUNCTION callback.
typedef int (*council_curl_progress_callback)(
    void *context, curl_off_t download_total, curl_off_t downloaded, curl_off_t upload_total, curl_off_t uploaded);

/// curl_easy_setopt for options that take a long.
static inline CURLcode council_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options that take a pointer (strings, curl_slist, callback context).
static inline CURLcode council_curl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options that take a curl_off_t.
static inline CURLcode council_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode council_curl_easy_setopt_data_callback(
    CURL *handle, CURLoption option, council_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// curl_easy_setopt for CURLOPT_XFERINFOFUNCTION.
static inline CURLcode council_curl_easy_setopt_progress_callback(
    CURL *handle, CURLoption option, council_curl_progress_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// curl_easy_getinfo for information returned as a long.
static inline CURLcode council_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// curl_easy_getinfo for information returned as a pointer (strings, the private pointer).
static inline CURLcode council_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

/// curl_easy_getinfo for information returned as a curl_off_t (times in microseconds, sizes).
static inline CURLcode council_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// curl_multi_setopt for options that take a long.
static inline CURLMcode council_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// curl_multi_setopt for options that take a pointer.
static inline CURLMcode council_curl_multi_setopt_pointer(CURLM *handle, CURLMoption option, const void *value) {
    return curl_multi_setopt(handle, option, value);
}

/// curl_multi_setopt for options that take a curl_off_t.
static inline CURLMcode council_curl_multi_setopt_off_t(CURLM *handle, CURLMoption option, curl_off_t value) {
    return curl_multi_setopt(handle, option, value);
}

/// The CURLMsg's result for a CURLMSG_DONE message (a member of a union, awkward from Swift).
static inline CURLcode council_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

/// CURL_WRITEFUNC_PAUSE, a macro.
static inline size_t council_curl_writefunc_pause(void) {
    return CURL_WRITEFUNC_PAUSE;
}

#endif
