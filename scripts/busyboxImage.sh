#!/usr/bin/env bash
# Builds busybox:latest, the image of the local cluster's apps and of the probes the README runs:
# Debian's busybox-static (a static binary: the health checks mount it into any app's image) with
# every applet it has linked in /bin, as on Docker Hub's busybox, made with `docker import` (no
# registry is needed). Debian builds its wget without timeout support and `wget -T N` segfaulted:
# the copy in the image has that fixed (scripts/busyboxWgetFix.js; -T is accepted and ignored).
#
# The image carries the label io.dcos-vnet.image-version: a hash of this recipe and of the binary.
# With --if-stale (what setup runs) the image is built when missing, rebuilt when an earlier setup
# built it with another recipe (labelled otherwise, or unlabelled as setup's imports before the
# label were: comment "Imported from -", PATH=/bin, CMD sh), and otherwise left alone, e.g. a
# busybox:latest pulled from a registry. Re-pointing the tag does not touch running containers:
# they keep the image they were created from (by id), which is then kept; an unused one is removed.
# Usage: scripts/busyboxImage.sh [--if-stale] [image-ref]   (needs /bin/busybox, node and docker)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if_stale=false
if [ "${1:-}" = "--if-stale" ]; then if_stale=true; shift; fi
ref=${1:-busybox:latest}
LABEL=io.dcos-vnet.image-version
[ -x /bin/busybox ] || { echo "/bin/busybox not found: apt-get install busybox-static" >&2; exit 1; }
stamp=$(cat "$here/busyboxImage.sh" "$here/busyboxWgetFix.js" /bin/busybox | sha256sum | cut -c1-16)

if $if_stale && docker image inspect "$ref" >/dev/null 2>&1; then
  have=$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$ref")
  if [ "$have" = "$stamp" ]; then
    echo "image $ref: present"
    exit 0
  fi
  if [ -z "$have" ]; then
    shape=$(docker image inspect -f '{{.Comment}} {{json .Config.Env}} {{json .Config.Cmd}}' "$ref")
    if [ "$shape" != 'Imported from - ["PATH=/bin"] ["sh"]' ]; then
      echo "image $ref: present, not built by setup (left as it is)"
      exit 0
    fi
  fi
  echo "image $ref: built by an earlier setup (${have:-unlabelled}); rebuilding it"
  earlier=$(docker image inspect -f '{{.Id}}' "$ref")
fi

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/root" "$rootfs/tmp" "$rootfs/var/www"
chmod 1777 "$rootfs/tmp"
if /bin/busybox wget --help 2>&1 | grep -q -- '-T SEC'; then
  cp /bin/busybox "$rootfs/bin/busybox" # built with wget's timeout support: -T works as it is
else
  node "$here/busyboxWgetFix.js" /bin/busybox "$rootfs/bin/busybox" >/dev/null
fi
# The crash was in option parsing, before any connection: a URL wget rejects without connecting will do.
set +e
"$rootfs/bin/busybox" wget -T 1 -q -O /dev/null 'bogus://x' 2>/dev/null
code=$?
set -e
[ "$code" -lt 128 ] || { echo "the busybox for $ref still dies on wget -T (exit $code)" >&2; exit 1; }
for applet in $("$rootfs/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
tar -C "$rootfs" -c . | docker import -c 'CMD ["sh"]' -c 'ENV PATH=/bin' -c "LABEL $LABEL=$stamp" - "$ref" >/dev/null
echo "image $ref: built"
# The earlier image goes unless something uses it: a tag of its own (the user's `docker tag`), or a
# container, running or stopped, created from it, or a child image (docker refuses, without --force,
# to remove an image in those two cases).
if [ -n "${earlier:-}" ]; then
  if [ "$(docker image inspect -f '{{len .RepoTags}}' "$earlier")" = 0 ] && docker image rm "$earlier" >/dev/null 2>&1; then
    echo "image $ref: the earlier one (${earlier:7:12}) removed"
  else
    echo "image $ref: the earlier one (${earlier:7:12}) kept: a container or another tag uses it"
  fi
fi
