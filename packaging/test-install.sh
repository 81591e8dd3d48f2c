#!/usr/bin/env bash
# The package install test: builds council_<version>_<arch>.deb, installs it with apt, checks what it installed,
# runs `council config check`, starts the INSTALLED binary as the council user against a throwaway mosquitto,
# asks one question, stops it, purges the package and checks that nothing is left behind. Prints PASS or FAIL;
# cleans up after itself either way.
#
#   packaging/test-install.sh [--deb FILE] [build-deb.sh options: --package-path DIR --scratch-path DIR ...]
#
# Runs as root on a machine where the council package is not installed (it refuses otherwise, so a real install
# is never touched). When systemd runs, a temporary policy-rc.d keeps the package from starting the service, so
# the test never talks to the machine's own broker. Dependencies apt pulls in stay installed.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
deb=""
build_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) deb="$(realpath "$2")"; shift 2 ;;
        -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) build_args+=("$1"); shift ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
failures=0
check() { # check "what" command...: runs the command, records a failure with the description if it fails
    local what="$1"
    shift
    if "$@" >/dev/null 2>&1; then
        printf '  ok    %s\n' "$what"
    else
        printf '  FAIL  %s\n' "$what"
        failures=$((failures + 1))
    fi
}
fatal() {
    printf 'FAIL: %s\n' "$*"
    exit 1
}

[ "$(id -u)" = 0 ] || fatal "run as root (it installs and purges the council package)"
if dpkg-query -W -f='${Status}' council 2>/dev/null | grep -q 'installed\|config-files'; then
    fatal "a council package is already installed; this test installs and purges its own, so remove it first"
fi
if getent passwd council >/dev/null || getent group council >/dev/null; then
    fatal "a council user or group already exists; the test must see the package create and remove them"
fi
for tool in apt-get mosquitto python3 setpriv; do
    command -v "$tool" >/dev/null || fatal "$tool is needed (apt-get install mosquitto python3 util-linux)"
done

work="$(mktemp -d /tmp/council-install-test.XXXXXX)"
chmod 0755 "$work"
daemon_pid=""
broker_pid=""
installed=0
policy_created=0

cleanup() {
    local status=$?
    [ -n "$daemon_pid" ] && kill -KILL "$daemon_pid" 2>/dev/null
    [ -n "$broker_pid" ] && kill -KILL "$broker_pid" 2>/dev/null
    wait 2>/dev/null
    # Anything else running as council was started by this test (the user did not exist before it).
    if [ "$installed" = 1 ] && getent passwd council >/dev/null; then
        for pid in $(pgrep -u council); do kill -KILL "$pid" 2>/dev/null; done
    fi
    if [ "$installed" = 1 ] && dpkg-query -W council >/dev/null 2>&1; then
        say "cleanup: purging the council package"
        apt-get -o DPkg::Lock::Timeout=600 purge -y -qq council >/dev/null 2>&1 || dpkg --purge council >/dev/null 2>&1
    fi
    [ "$policy_created" = 1 ] && rm -f /usr/sbin/policy-rc.d
    rm -rf "$work"
    if [ "$status" = 0 ] && [ "$failures" = 0 ]; then
        echo "PASS: council package install test"
    else
        echo "FAIL: council package install test (exit status $status, $failures failed checks; see above)"
        [ "$status" = 0 ] && exit 1
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Build ----------------------------------------------------------------------------------------------------
if [ -z "$deb" ]; then
    say "building the package"
    deb="$("$here/build-deb.sh" --output "$work" "${build_args[@]}" | tail -n 1)" || fatal "the package did not build"
fi
[ -f "$deb" ] || fatal "no package at $deb"
version="$(dpkg-deb -f "$deb" Version)"
say "testing $deb (version $version)"

# --- Install --------------------------------------------------------------------------------------------------
if [ -d /run/systemd/system ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# council install test: do not start services\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    policy_created=1
fi
say "apt install $deb"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$deb" \
    > "$work/apt-install.log" 2>&1 || { cat "$work/apt-install.log"; fatal "apt could not install the package"; }

say "what the package installed"
check "dpkg says it is installed" sh -c "dpkg-query -W -f='\${Status}' council | grep -q 'install ok installed'"
check "/usr/bin/council runs and reports $version" sh -c "council --version | grep -qx '${version%-*}'"
check "/etc/council/council.toml is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' council | grep -q /etc/council/council.toml"
check "the unit is in /lib/systemd/system" test -f /lib/systemd/system/council.service
check "council(1) is installed" test -f /usr/share/man/man1/council.1.gz
check "docs: copyright, changelog, ACL example" test -f /usr/share/doc/council/copyright -a \
    -f /usr/share/doc/council/changelog.Debian.gz -a -f /usr/share/doc/council/mosquitto-acl.example
check "credential folders are root-only" sh -c '[ "$(stat -c %a:%U /etc/council/credentials/mqtt)" = 700:root ]'
check "the council system user exists" sh -c 'getent passwd council | grep -q "^council:x:[0-9]*:[0-9]*:.*:/var/lib/council:"'
check "the council group exists" getent group council
check "the council user is a system user" sh -c '[ "$(id -u council)" -lt 1000 ]'
check "/var/lib/council belongs to council" sh -c '[ "$(stat -c %U:%a /var/lib/council)" = council:750 ]'
if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify is clean" sh -c \
        '[ -z "$(systemd-analyze verify /lib/systemd/system/council.service 2>&1)" ]'
    systemd-analyze security --offline=yes /lib/systemd/system/council.service 2>/dev/null | tail -n 1
fi
# Run as the service runs: the council user and group, nothing inherited from root's groups.
as_council() { setpriv --reuid=council --regid=council --init-groups -- "$@"; }
check "council config check passes as the council user" \
    as_council council config check --config /etc/council/council.toml

# --- Run the installed binary as the council user -------------------------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
printf 'listener %s 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n' "$port" \
    > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker_pid=$!
for _ in $(seq 100); do (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
(exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null || fatal "mosquitto did not start on port $port"
say "throwaway mosquitto on 127.0.0.1:$port"

state="$work/state"
install -d -o council -g council -m 0750 "$state"
node="pkgtest$$"
broker="mqtt://127.0.0.1:$port"
# setpriv execs council, so $! is the daemon itself (a shell function here would put a subshell in between).
setpriv --reuid=council --regid=council --init-groups -- council serve --config /etc/council/council.toml \
    --broker "$broker" --node "$node" --state-dir "$state" > "$work/serve.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 200); do grep -q "connected to MQTT broker" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
check "the daemon runs as the council user" sh -c "ps -o user= -p $daemon_pid | grep -qx council"
check "the daemon connected to the broker" grep -q "connected to MQTT broker" "$work/serve.log"

answer=""
for _ in 1 2 3 4 5; do
    answer="$(as_council council ask --config /etc/council/council.toml --broker "$broker" \
        --timeout 5 "What is 25% of 80% of 160?" 2>> "$work/ask.log")" && break
done
printf '%s\n' "$answer" | sed 's/^/    /'
check "council ask answers 32" sh -c "printf '%s\n' \"\$1\" | tail -n 1 | grep -qx 'Answer: 32'" _ "$answer"
agent_answer="$(as_council council ask --config /etc/council/council.toml --broker "$broker" --timeout 5 \
    --agent data-analyst "What is 6 times 7?" 2>> "$work/ask.log")"
check "the shipped agent templates are loaded (ask --agent data-analyst)" \
    sh -c "printf '%s\n' \"\$1\" | tail -n 1 | grep -qx 'Answer: 42'" _ "$agent_answer"
check "the database is in the state folder, owned by council" sh -c "[ \"\$(stat -c %U '$state/council.db')\" = council ]"

kill -TERM "$daemon_pid" 2>/dev/null
stopped=""
for _ in $(seq 200); do kill -0 "$daemon_pid" 2>/dev/null || { stopped=1; break; }; sleep 0.1; done
wait "$daemon_pid" 2>/dev/null
serve_status=$?
daemon_pid=""
check "SIGTERM stops the daemon" test -n "$stopped"
check "the daemon exits cleanly (status 0)" test "$serve_status" = 0
check "the daemon said it stopped" grep -q "Council stopped" "$work/serve.log"
if [ "$failures" != 0 ]; then
    say "daemon log:"
    sed 's/^/    /' "$work/serve.log"
fi
kill -TERM "$broker_pid" 2>/dev/null
wait "$broker_pid" 2>/dev/null
broker_pid=""

# --- Purge and look for leftovers -----------------------------------------------------------------------------
say "apt purge council"
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 purge -y -qq council \
    > "$work/apt-purge.log" 2>&1 || { cat "$work/apt-purge.log"; fatal "apt could not purge the package"; }
installed=0
check "dpkg no longer knows the package" sh -c '! dpkg-query -W council 2>/dev/null'
check "no /usr/bin/council" test ! -e /usr/bin/council
check "no unit file" test ! -e /lib/systemd/system/council.service
check "no enablement symlink or deb-systemd-helper state" sh -c \
    '! ls /etc/systemd/system/*/council.service /var/lib/systemd/deb-systemd-helper-enabled/council.service* \
        /var/lib/systemd/deb-systemd-helper-masked/council.service 2>/dev/null | grep -q .'
check "no /etc/council" test ! -e /etc/council
check "no /var/lib/council" test ! -e /var/lib/council
check "no docs or man page" test ! -e /usr/share/doc/council -a ! -e /usr/share/man/man1/council.1.gz
check "no council user" sh -c '! getent passwd council'
check "no council group" sh -c '! getent group council'
[ "$failures" = 0 ]
