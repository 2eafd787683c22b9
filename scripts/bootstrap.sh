#!/usr/bin/env bash
# Make a fresh Debian/Ubuntu machine ready for vsop. Idempotent; a repeated run takes seconds.
#   scripts/bootstrap.sh runtime   apt tesseract-ocr, .venv with vsop
#   scripts/bootstrap.sh test      also the X tools, apps and fonts the tests drive, .venv with vsop[test]
# Installs only from apt and PyPI.
set -euo pipefail

# at-spi2-core: the accessibility bus (at-spi-bus-launcher) that names the elements a step acts on
RUNTIME_APT=(tesseract-ocr at-spi2-core)
# What Qt's xcb platform plugin (the tray, PySide6) loads, named so a minimal machine has it too.
QT_APT=(libegl1 libgl1 libfontconfig1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
    libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1)
# dbus (dbus-daemon) and at-spi2-core: the test display's own session bus and accessibility bus
# python3-tk: tkinter for Debian's python3, and libtk8.6 for a Python built against it (the corpus's Tk window)
TEST_APT=(xvfb xserver-xephyr xdotool openbox x11-utils tesseract-ocr mousepad zenity fonts-dejavu-core trayer git
    libreoffice-writer-nogui dbus at-spi2-core python3-tk libtk8.6 "${QT_APT[@]}")
# Debian ships "chromium"; Ubuntu ships a "chromium-browser" deb that installs a snap.
BROWSERS=(chromium chromium-browser)

say() { echo "bootstrap: $*"; }
warn() { echo "bootstrap: warning: $*" >&2; }
die() { echo "bootstrap: error: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 runtime|test" >&2
    exit 2
}

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "installing needs root: run as root, or install sudo ('$*' was to run)"
    fi
}

apt_updated=false
apt_update_once() {
    if [[ $apt_updated == false ]]; then
        say "apt-get update"
        as_root apt-get update -qq
        apt_updated=true
    fi
}

is_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
    [[ $status == *" ok installed" ]]
}

apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    apt_update_once
    say "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

has_candidate() {
    local candidate
    candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    [[ -n $candidate && $candidate != "(none)" ]]
}

install_browser() {
    local pkg
    for pkg in "${BROWSERS[@]}"; do
        is_installed "$pkg" && return 0
    done
    apt_update_once
    for pkg in "${BROWSERS[@]}"; do
        if has_candidate "$pkg" && apt_install "$pkg"; then
            return 0
        fi
    done
    warn "could not install Chromium from apt (tried: ${BROWSERS[*]});" \
        "the browser tests will fail; install Chromium so that 'chromium' or 'chromium-browser' is on PATH"
}

ensure_python() {
    command -v python3 >/dev/null || apt_install python3 python3-venv
    # pynput pulls in evdev, which PyPI ships as source: it needs a C compiler and the Python headers.
    command -v cc >/dev/null || apt_install gcc libc6-dev python3-dev
}

make_venv() {
    if [[ -x .venv/bin/python ]] && .venv/bin/python -c 'import pip' 2>/dev/null; then
        return 0
    fi
    rm -rf .venv
    say "creating .venv"
    if ! python3 -m venv .venv; then
        rm -rf .venv
        say "python3 -m venv failed (ensurepip missing?); installing python3-venv and retrying"
        apt_install python3-venv
        python3 -m venv .venv || die "python3 -m venv .venv failed even with python3-venv installed"
    fi
}

# What decides what pip installs: the package's build files and the extras asked for ($1, the pip spec). Their
# contents, not their times: a touch or a git checkout that changes nothing installs nothing again.
install_digest() {
    sha256sum pyproject.toml setup.py
    echo "spec $1"
}

# .venv holds vsop as installed with spec $2, stamped ($1) with the digest of what decided it.
is_current() {
    [[ -f $1 && -x .venv/bin/vsop && $(<"$1") == "$(install_digest "$2")" ]]
}

install_package() {
    local mode=$1 spec=.
    local stamp=.venv/.installed-$mode
    [[ $mode == test ]] && spec='.[test]'
    # The test install is a superset of the runtime one.
    if is_current "$stamp" "$spec" || { [[ $mode == runtime ]] && is_current .venv/.installed-test '.[test]'; }; then
        say "vsop already installed in .venv ($mode)"
        return 0
    fi
    local digest
    digest=$(install_digest "$spec") # before pip runs: a file changed meanwhile installs again next time
    local log=.venv/pip-$mode.log
    say "pip install -e '$spec' into .venv (log: $log)"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    if ! { .venv/bin/python -m pip install --upgrade pip &&
        .venv/bin/python -m pip install -e "$spec"; } >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "pip install -e '$spec' failed; the whole log is in $log"
    fi
    echo "$digest" >"$stamp"
}

main() {
    [[ $# -eq 1 ]] || usage
    local mode=$1
    case $mode in
        runtime) apt_install "${RUNTIME_APT[@]}" ;;
        test)
            apt_install "${TEST_APT[@]}"
            install_browser
            ;;
        *) usage ;;
    esac
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    ensure_python
    make_venv
    install_package "$mode"
    say "ready ($mode)"
}

main "$@"
