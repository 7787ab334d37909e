# Shared helpers for shell tests (sourced).  Tests run from the build tree;
# automake exports top_srcdir, top_builddir, FIXTURES, PYTHON3, TMUX_BIN.

set -eu

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

# A private scratch directory removed on exit.
tq_tmpdir() {
	TQ_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tqtest.XXXXXX")
	trap 'tq_cleanup' EXIT
}

tq_cleanup_hooks=""
tq_on_exit() { tq_cleanup_hooks="$1; $tq_cleanup_hooks"; }
tq_cleanup() {
	eval "$tq_cleanup_hooks" || true
	[ -n "${TQ_TMP:-}" ] && rm -rf "$TQ_TMP"
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# assert_contains WHAT NEEDLE HAYSTACK
assert_contains() {
	case "$3" in
	*"$2"*) ;;
	*) fail "$1: expected to contain '$2', got: $3" ;;
	esac
}
