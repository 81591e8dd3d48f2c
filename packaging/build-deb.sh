#!/usr/bin/env bash
# Builds council_<version>_<arch>.deb from a release build: /usr/bin/council, /etc/council/council.toml
# (conffile), the systemd unit, the council(1) man page generated from the argument parser, docs and the example
# mosquitto ACL. Then runs lintian, which must report no errors.
#
#   packaging/build-deb.sh [--package-path DIR] [--scratch-path DIR] [--output DIR] [--no-lintian]
#
# --package-path  the Swift package to build (default: this repository)
# --scratch-path  SwiftPM's build folder (default: <package-path>/.build-deb, apart from development builds)
# --output        where the .deb goes (default: the repository root)
# Needs: swift, dpkg-dev (dpkg-shlibdeps), binutils (strip), lintian (unless --no-lintian).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
package_path="$repo"
scratch_path=""
output="$repo"
run_lintian=1
while [ $# -gt 0 ]; do
    case "$1" in
        --package-path) package_path="$(cd "$2" && pwd)"; shift 2 ;;
        --scratch-path) scratch_path="$2"; shift 2 ;;
        --output) output="$2"; shift 2 ;;
        --no-lintian) run_lintian=0; shift ;;
        -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-deb: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
scratch_path="${scratch_path:-$package_path/.build-deb}"
mkdir -p "$output" "$scratch_path"
output="$(cd "$output" && pwd)"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build-deb: %s\n' "$*" >&2; exit 1; }

# --- Version, architecture, maintainer ------------------------------------------------------------------------
upstream_version="$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' "$package_path/Sources/Council/Version.swift")"
[ -n "$upstream_version" ] || die "no version found in $package_path/Sources/Council/Version.swift"
version="$upstream_version-1"
arch="$(dpkg --print-architecture)"
maintainer="$(git -C "$repo" log -1 --format='%an <%ae>' 2>/dev/null || true)"
maintainer="${maintainer:-Council maintainers <council@localhost>}"
# Reproducible timestamps: the last commit's time (falls back to now outside git).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}"
deb="$output/council_${version}_${arch}.deb"
say "council $version for $arch -> $deb"

swift_flags=(--package-path "$package_path" --scratch-path "$scratch_path")
work="$(mktemp -d "${TMPDIR:-/tmp}/council-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- Build ----------------------------------------------------------------------------------------------------
say "release build (static Swift standard library)"
binary="$(swift build "${swift_flags[@]}" -c release --static-swift-stdlib --show-bin-path)/council"
# Relink every time: SwiftPM may keep a dynamically linked council from another release build in the same
# scratch folder (the generate-manual plugin makes one) and call it up to date.
rm -f "$binary"
nice swift build "${swift_flags[@]}" -c release --static-swift-stdlib --product council >&2
[ -x "$binary" ] || die "no binary at $binary"
if ldd "$binary" | grep -q 'libswift\|libFoundation\|libdispatch'; then
    die "$binary links the Swift runtime dynamically: $(ldd "$binary" | grep -o 'lib[A-Za-z_]*swift[^ ]*' | tr '\n' ' ')"
fi

# council(1) from the argument parser: swift-argument-parser's generate-manual tool (what its plugin runs), on
# the binary just built, so that the plugin's own release build cannot replace it.
say "generating council(1) from the argument parser"
nice swift build "${swift_flags[@]}" --product generate-manual >&2
generator="$(swift build "${swift_flags[@]}" --show-bin-path)/generate-manual"
man_date="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"
mkdir "$work/man"
"$generator" "$binary" --date "$man_date" --authors "Council maintainers" --output-directory "$work/man" >&2
manual="$work/man/council.1"
[ -s "$manual" ] || die "generate-manual wrote no $manual"

# --- Stage the tree -------------------------------------------------------------------------------------------
root="$work/root"
doc="$root/usr/share/doc/council"
install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/etc/council" "$root/lib/systemd/system" \
    "$root/usr/share/man/man1" "$doc" "$root/usr/share/lintian/overrides"
# Secrets for LoadCredential= (see the unit): root-only folders, empty until the admin adds files.
install -d -m 0700 "$root/etc/council/credentials" "$root/etc/council/credentials/mqtt" \
    "$root/etc/council/credentials/api_key" "$root/etc/council/credentials/control"

install -m 0755 "$binary" "$root/usr/bin/council"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/council"
# The configuration and README of the package being built (they document its keys), else this repository's.
source_file() { if [ -f "$package_path/$1" ]; then echo "$package_path/$1"; else echo "$repo/$1"; fi; }
install -m 0644 "$(source_file etc/council.toml)" "$root/etc/council/council.toml"
# The agent profile templates, read-only under /usr/share, and enabled in the packaged configuration.
install -d -m 0755 "$root/usr/share/council/agents"
for profile in "$repo"/etc/agents/*.toml; do install -m 0644 "$profile" "$root/usr/share/council/agents/"; done
sed -i '/^\[agents\]/,/^\[/ s|^dir = ""$|dir = "/usr/share/council/agents"|' "$root/etc/council/council.toml"
grep -q '^dir = "/usr/share/council/agents"$' "$root/etc/council/council.toml" ||
    die "could not point [agents] dir at /usr/share/council/agents in the packaged council.toml"
install -m 0644 "$repo/systemd/council.service" "$root/lib/systemd/system/council.service"
gzip -9n < "$manual" > "$root/usr/share/man/man1/council.1.gz"
chmod 0644 "$root/usr/share/man/man1/council.1.gz"

install -m 0644 "$here/debian/copyright" "$doc/copyright"
install -m 0644 "$here/mosquitto-acl.example" "$doc/mosquitto-acl.example"
gzip -9n < "$(source_file README.md)" > "$doc/README.md.gz"
changelog_date="$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
cat > "$work/changelog" << EOF
council ($version) unstable; urgency=medium

  * Council $upstream_version, built from its repository: the daemon, its
    systemd unit and this package. See /usr/share/doc/council/README.md.gz.

 -- $maintainer  $changelog_date
EOF
gzip -9n < "$work/changelog" > "$doc/changelog.Debian.gz"
chmod 0644 "$doc"/*.gz
install -m 0644 "$here/debian/council.lintian-overrides" "$root/usr/share/lintian/overrides/council"

for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"
done
echo "/etc/council/council.toml" > "$root/DEBIAN/conffiles"
chmod 0644 "$root/DEBIAN/conffiles"

# --- Dependencies ---------------------------------------------------------------------------------------------
# The shared libraries the binary links, with the versions their symbols need (dpkg-shlibdeps reads a
# debian/control, so give it a minimal one), then what it loads or runs without linking: python3 for the
# sandbox, and the C libraries of modules not linked in yet.
mkdir -p "$work/src/debian"
printf 'Source: council\n\nPackage: council\nArchitecture: any\n' > "$work/src/debian/control"
shlibs="$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/council" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependencies for the binary"
depends="$shlibs"
for required in libmosquitto1 libcurl4 libsqlite3-0 libseccomp2 python3 adduser; do
    case ", $depends," in
        *", $required "* | *", $required,"*) ;;
        *) depends="$depends, $required" ;;
    esac
done

installed_size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" << EOF
Package: council
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Suggests: mosquitto, mosquitto-clients
Section: net
Priority: optional
Description: AI assistant appliance for home labs, on MQTT
 Council is one daemon that listens on MQTT for questions and control
 messages, answers them through a cascade of exact local skills and LLM
 backends within a budget, runs code in its own sandbox, journals every
 request in SQLite so none is lost, and publishes answers, metrics and its
 own state back onto MQTT for dashboards such as Home Assistant.
 .
 This package installs the council command, the council systemd service
 (running as the council system user) and /etc/council/council.toml.
EOF
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
    > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

# --- Build and check ------------------------------------------------------------------------------------------
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
say "built $deb ($(du -h "$deb" | cut -f1); Depends: $depends)"
if [ "$run_lintian" = 1 ]; then
    say "lintian"
    lintian --fail-on error --info "$deb" >&2 || die "lintian reports errors in $deb"
fi
echo "$deb"
