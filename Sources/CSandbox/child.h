#ifndef COUNCIL_CSANDBOX_CHILD_H
#define COUNCIL_CSANDBOX_CHILD_H

#include "CSandbox.h"

/// The child's ends of its pipes.
struct csandbox_child_fds {
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    int artifacts_fd;
    int release_fd;
    int report_fd;
};

/// The child after the clone: sets itself up as `spec` says and execs, or reports the failure and exits.
void csandbox_child_main(const struct csandbox_spec *spec, struct csandbox_child_fds *fds) __attribute__((noreturn));

/// init, once alone: walks `policy->directory` and writes its artifact records to `fd`, then the `end` record.
/// Gives up quietly when `fd` fails (the parent stopped reading); the missing `end` record tells the parent.
void csandbox_collect_artifacts(const struct csandbox_artifact_policy *policy, int fd);

#endif
