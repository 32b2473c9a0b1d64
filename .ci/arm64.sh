#!/usr/bin/env bash
# Sets up the official aarch64 glibc Deno under qemu-user on an x86_64 machine (Debian packages
# plus the npm package), and prints the path of a `deno`-like wrapper. Idempotent; cached in
# $CORESHIFT_ARM64_DIR (default ~/.cache/coreshift-arm64). Timings under qemu mean nothing.
set -euo pipefail
version="${DENO_VERSION:-2.9.5}"
root="${CORESHIFT_ARM64_DIR:-$HOME/.cache/coreshift-arm64}/$version"
wrapper="$root/deno-arm64"

missing=()
command -v qemu-aarch64-static >/dev/null || missing+=(qemu-user-static)
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || missing+=(libc6-arm64-cross)
[ -e /usr/aarch64-linux-gnu/lib/libgcc_s.so.1 ] || missing+=(libgcc-s1-arm64-cross)
if [ ${#missing[@]} -gt 0 ]; then
  echo "arm64: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -x "$root/package/deno" ]; then
  mkdir -p "$root"
  echo "arm64: fetching @deno/linux-arm64-glibc@$version from npm" >&2
  (cd "$root" && npm pack --silent "@deno/linux-arm64-glibc@$version" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  chmod +x "$root/package/deno"
fi
printf '#!/usr/bin/env bash\nexec qemu-aarch64-static -L /usr/aarch64-linux-gnu "%s" "$@"\n' \
  "$root/package/deno" > "$wrapper"
chmod +x "$wrapper"
echo "$wrapper"
