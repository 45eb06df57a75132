# shellcheck shell=bash
# Sourced by scripts/run, scripts/test and scripts/bench: brings the machine and .venv up to date.
# Idempotent: a second run checks a stamp and a few dpkg entries and returns in about a second.
# Usage: bootstrap EXTRAS DEB_PACKAGE...

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# Qt's xcb platform plugin and the fonts it draws with.
QT_DEBS=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
         libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1
         libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)

log() { printf '[convviz] %s\n' "$*" >&2; }

ensure_debs() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        log "missing Debian packages: ${missing[*]}"
        log "install them with: sudo apt-get install -y ${missing[*]}"
        return 0
    fi
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
    # The stamp holds the hash of pyproject.toml and the extras installed with it; a request
    # for extras already installed (or none) from the same pyproject.toml installs nothing.
    local extras="$1"
    local python="${PYTHON:-python3}"
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV"
        "$python" -m venv "$VENV"
    fi
    local stamp="$VENV/.convviz-stamp"
    local hash
    hash="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    local have=""
    if [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$hash" ]; then
        have="$(sed -n 2p "$stamp")"
        local missing=0 extra
        for extra in ${extras//,/ }; do
            case ",$have," in *",$extra,"*) ;; *) missing=1 ;; esac
        done
        [ "$missing" -eq 0 ] && return 0
    fi
    local wanted
    wanted="$(printf '%s\n' ${have//,/ } ${extras//,/ } | sort -u | paste -sd, -)"
    log "installing convviz${wanted:+[$wanted]} into .venv (the first time takes a few minutes)"
    local logfile="$VENV/install.log"
    if ! { "$VENV/bin/python" -m pip install --upgrade pip \
            && "$VENV/bin/python" -m pip install -e "$ROOT${wanted:+[$wanted]}"; } \
            >"$logfile" 2>&1; then
        tail -n 30 "$logfile" >&2
        log "installing failed; the whole log is in $logfile"
        return 1
    fi
    printf '%s\n%s\n' "$hash" "$wanted" > "$stamp"
}

bootstrap() {
    local extras="$1"
    shift
    ensure_debs "${QT_DEBS[@]}" "$@"
    ensure_venv "$extras"
    export PYQTGRAPH_QT_LIB=PySide6
}
