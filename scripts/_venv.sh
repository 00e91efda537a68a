# Sourced by scripts/test and scripts/serve: find Python 3.11+, then create or refresh .venv.
# Reinstalls only when pyproject.toml is newer than the stamp left by the last install,
# so a second run starts at once.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

python_ok() {  # python_ok CMD: true when CMD runs Python 3.11 or newer
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

find_python() {
    local candidate
    for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11 python; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11 if it is elsewhere)" >&2
    return 1
}

# ensure_venv [EXTRA]: the venv with the blog installed editable, plus the optional extra (e.g. test).
ensure_venv() {
    local extra="${1:-}" spec="." stamp="$VENV/.installed-base" python one
    if [ -n "$extra" ]; then
        spec=".[$extra]"
        stamp="$VENV/.installed-$extra"
    fi
    # A venv whose interpreter vanished (Python upgraded or removed) or is too old is rebuilt.
    if [ -e "$VENV" ] && ! python_ok "$VENV/bin/python"; then
        echo "==> $VENV is broken or too old; recreating it"
        rm -rf "$VENV"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python)" || return 1
        echo "==> Creating $VENV with $("$python" --version)"
        "$python" -m venv "$VENV" || return 1
    fi
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        echo "==> Installing the blog and its dependencies ($spec) into $VENV"
        (cd "$ROOT" && "$VENV/bin/python" -m pip install -q -e "$spec") || return 1
        touch "$stamp"
        # An extra includes everything the base install has, and "test,dev" both extras.
        if [ -n "$extra" ]; then
            touch "$VENV/.installed-base"
            for one in ${extra//,/ }; do touch "$VENV/.installed-$one"; done
        fi
    fi
    compile_translations
}

# compile_translations: the .mo files of the translations, whenever a .po is newer than its .mo
# (they are build output, not in git; the app would also write them when it starts).
compile_translations() {
    local po
    for po in "$ROOT"/blog/translations/*/LC_MESSAGES/*.po; do
        [ -e "$po" ] || continue
        if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
            echo "==> Compiling the translations (blog/translations)"
            "$VENV/bin/pybabel" -q compile -d "$ROOT/blog/translations" || return 1
            return 0
        fi
    done
    return 0
}
