#!/bin/sh
# Rebuilds the binary files of test/fixtures/projects/rootfs, offline and reproducibly:
#  - usr/local/bin/gobin: a Go program whose build info lists golang.org/x/text v0.3.6 and
#    github.com/open-policy-agent/opa v0.37.0. The vendor/ tree holds stand-ins for those modules
#    (vendor mode trusts vendor/modules.txt), so no module source is downloaded.
#  - usr/local/bin/rustbin: an ELF executable carrying cargo-auditable data (zlib-compressed JSON in
#    a .dep-v0 section) that lists ammonia 2.0.0, made with binutils from rustbin-audit.json.
#  - opt/app/lib/*.jar: jars identified by their META-INF/maven/**/pom.properties.
# Needs go (Debian golang-go), binutils (objcopy, ld), python3 (zlib) and zip.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../../fixtures/projects/rootfs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r "$here/gobin" "$work/gobin"
(cd "$work/gobin" && env GO111MODULE=on GOFLAGS=-mod=vendor GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0 \
  GOCACHE="$work/gocache" GOPATH="$work/gopath" go build -trimpath -ldflags='-s -w' -o "$root/usr/local/bin/gobin" .)

python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(open(sys.argv[1], "rb").read(), 9))' \
  "$here/rustbin-audit.json" > "$work/audit.z"
(cd "$work" && objcopy -I binary -O elf64-x86-64 -B i386:x86-64 --rename-section .data=.dep-v0,alloc,load,readonly,data,contents audit.z audit.o \
  && ld -o rustbin --entry=0 -z noexecstack audit.o && strip --strip-all --keep-section=.dep-v0 rustbin)
cp "$work/rustbin" "$root/usr/local/bin/rustbin"
chmod 755 "$root/usr/local/bin/gobin" "$root/usr/local/bin/rustbin"

jar() { # jar FILE GROUP ARTIFACT VERSION
  dir="$work/jar-$3"
  mkdir -p "$dir/META-INF/maven/$2/$3"
  printf 'Manifest-Version: 1.0\r\nCreated-By: vigil e2e fixture\r\n\r\n' > "$dir/META-INF/MANIFEST.MF"
  printf 'groupId=%s\nartifactId=%s\nversion=%s\n' "$2" "$3" "$4" > "$dir/META-INF/maven/$2/$3/pom.properties"
  find "$dir" -exec touch -d '2020-01-01 00:00:00' {} +
  rm -f "$1"
  (cd "$dir" && zip -q -X -r "$1" META-INF/MANIFEST.MF META-INF/maven)
}
jar "$root/opt/app/lib/jackson-databind-2.9.10.3.jar" com.fasterxml.jackson.core jackson-databind 2.9.10.3
jar "$root/opt/app/lib/spring-beans-5.3.18.jar" org.springframework spring-beans 5.3.18
