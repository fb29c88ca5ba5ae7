#!/usr/bin/env bash
# Assembles a base image for the service images without a registry or a container daemon: a docker-archive tarball
# (the `docker save` format, which Jib reads as tar://FILE) holding a jlink'd Java runtime of this machine's JDK at
# /opt/java/openjdk (where eclipse-temurin keeps its JRE, so the images' entrypoint and flags are the same on either
# base), the C and C++ runtime libraries that runtime and TensorFlow's natives link against, /etc/passwd and /etc/group
# with the images' user (uid 65532), and a world-writable /tmp. There is no shell in it.
#
# It stands in for the real bases (container-images/pom.xml names them) where no image registry is reachable: the
# images built on it are what the tests inspect. A CUDA runtime is not here, so an image on this base runs on CPU only.
#
# Usage: scripts/base-image.sh OUT.tar
# Running it again with the same JDK rewrites the same bytes (fixed times, owners and order), so Jib's cache holds it once.
set -euo pipefail

out="${1:?usage: base-image.sh OUT.tar}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
root="$tmp/rootfs"
mkdir -p "$root/opt/java" "$root/etc" "$root/tmp"

# What a JRE holds (java.se), plus what netty, javacpp and TLS use from the jdk.* modules. A JDK without jmods/
# cannot be jlink'd: its whole runtime is copied instead (larger, the same behaviour).
if [[ -d "$java_home/jmods" ]]; then
  "$java_home/bin/jlink" --output "$root/opt/java/openjdk" \
      --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs,jdk.naming.dns \
      --strip-debug --no-man-pages --no-header-files --compress=2
else
  echo "base-image: $java_home has no jmods/ (Debian: openjdk-17-jmods), so its whole runtime is copied" >&2
  mkdir -p "$root/opt/java/openjdk"
  # Links followed (Debian's point into /etc), dangling ones (Debian's src.zip) left out.
  dangling=()
  while IFS= read -r link; do dangling+=("--exclude=$link"); done \
      < <(cd "$java_home" && find -L bin lib conf release -type l)
  tar -C "$java_home" --dereference "${dangling[@]}" -cf - bin lib conf release | tar -C "$root/opt/java/openjdk" -xf -
fi

# Every shared library the runtime loads headless (not the X11, sound and splash-screen ones), the C++ runtime
# TensorFlow's natives need and glibc's vector math library the fused GroupNorm kernel needs, at the paths this
# machine has them (the dynamic loader's own included).
libraries() {
  find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) \
      ! -name libawt_xawt.so ! -name libjawt.so ! -name libsplashscreen.so ! -name libjsound.so \
      -exec ldd {} \; 2>/dev/null \
      | awk -v own="$root" '$2 == "=>" && $3 ~ /^\// && index($3, own) != 1 {print $3} $1 ~ /^\// {print $1}'
  for name in libstdc++.so.6 libgcc_s.so.1 libmvec.so.1; do
    "$(command -v ldconfig || echo /sbin/ldconfig)" -p | awk -v n="$name" '$1 == n && /x86-64/ {print $NF; exit}'
  done
}
for library in $(libraries | sort -u); do
  mkdir -p "$root$(dirname "$library")"
  cp -L "$library" "$root$library"
done

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"

layer="$tmp/layer.tar"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$layer" .
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"

cat > "$tmp/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "JAVA_HOME=/opt/java/openjdk"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/base-image.sh: jlink of $("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')"}]}
EOF
echo '[{"Config":"config.json","RepoTags":["ddpm-suite/local-base:latest"],"Layers":["layer.tar"]}]' > "$tmp/manifest.json"

mkdir -p "$(dirname "$out")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$tmp" -cf "$out.partial" manifest.json config.json layer.tar
mv "$out.partial" "$out"
echo "base-image: $out ($(du -h "$out" | cut -f1), layer $diff_id)"
