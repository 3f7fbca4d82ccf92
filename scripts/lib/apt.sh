# Sourced by the install scripts: `apt_install_missing TAG PKG...` installs Debian packages with
# apt-get unless `dpkg -s` already reports every one installed (a rerun is instant), using sudo
# only when not root and waiting for another apt run's lock instead of failing on it.

apt_install_missing() {
  local tag=$1
  shift
  if dpkg -s "$@" >/dev/null 2>&1; then
    printf '[%s] already installed: %s\n' "$tag" "$*"
    return 0
  fi
  local sudo=()
  [[ "$(id -u)" != 0 ]] && sudo=(sudo)
  printf '[%s] installing %s with apt-get\n' "$tag" "$*"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@"
  dpkg -s "$@" >/dev/null
  printf '[%s] installed: %s\n' "$tag" "$*"
}
