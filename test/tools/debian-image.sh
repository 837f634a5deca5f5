#!/usr/bin/env bash
# Builds a real Debian bookworm minbase image once per machine, for the end-to-end tests and the
# benchmark: OUT/rootfs, OUT/oci (OCI layout, tag bookworm), OUT/debian.docker.tar (docker save
# format) and OUT/dpkg-query.txt (the package list dpkg itself reports for that root).
# The mirror is read from apt's own configuration; no host name is written anywhere.
# Usage: debian-image.sh OUT      (needs root, debootstrap, umoci, skopeo; ~40 s)
set -euo pipefail
out=${1:?output directory}
if [ -f "$out/done" ]; then exit 0; fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/rootfs" "$out/oci" "$out/debian.docker.tar"
mirror=$(
  {
    for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && awk '/^URIs:/{for(i=2;i<=NF;i++)print $i}' "$f"; done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] && awk '$1=="deb"{for(i=2;i<=NF;i++) if($i ~ /^[a-z]+:\/\//){print $i; break}}' "$f"
    done
    true
  } | grep -v -- '-security' | grep -E '/debian/?$' | sed -n 1p
)
[ -n "$mirror" ] || { echo "no Debian mirror in apt's configuration" >&2; exit 1; }
debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
  bookworm "$out/rootfs" "$mirror" > "$out/debootstrap.log" 2>&1 || { tail -20 "$out/debootstrap.log" >&2; exit 1; }
for m in proc sys dev/pts dev; do mountpoint -q "$out/rootfs/$m" && umount -l "$out/rootfs/$m" || true; done
rm -rf "$out/rootfs/var/cache/apt/archives/"*.deb "$out/rootfs/var/lib/apt/lists/"*
rm -f "$out/rootfs/etc/apt/sources.list" "$out/rootfs/var/log/bootstrap.log" "$out/debootstrap.log"
: > "$out/rootfs/etc/resolv.conf"
echo localhost > "$out/rootfs/etc/hostname"
dpkg-query --admindir="$out/rootfs/var/lib/dpkg" -W -f '${Package} ${Version} ${db:Status-Abbrev}\n' | awk '$3=="ii"{print $1, $2}' | sort > "$out/dpkg-query.txt"
(cd "$out/rootfs" && tar --numeric-owner --xattrs --sort=name -cf "$out/layer.tar" $(ls -A))
umoci init --layout "$out/oci"
umoci new --image "$out/oci:bookworm"
umoci raw add-layer --image "$out/oci:bookworm" --history.created_by "debootstrap --variant=minbase bookworm" "$out/layer.tar"
rm -f "$out/layer.tar"
umoci config --image "$out/oci:bookworm" --config.cmd /bin/bash --os linux --architecture amd64
umoci gc --layout "$out/oci"
skopeo copy --quiet "oci:$out/oci:bookworm" "docker-archive:$out/debian.docker.tar:debian:bookworm"
touch "$out/done"
