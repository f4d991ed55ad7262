# Sourced by the set-up scripts: `apt_install_missing LABEL PACKAGE...` installs the Debian packages given (the caller
# has already left out what is there), updating the package lists first; without root it says what is missing and fails.
apt_install_missing() {
  local label="$1"
  shift
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ]; then
    echo "$label: missing Debian packages ($*); run as root or install them" >&2
    exit 1
  fi
  echo "$label: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
