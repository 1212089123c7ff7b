#!/usr/bin/env bash
# Builds dcos-vnet-agent:latest, the image of a local cluster's agent containers: busybox (a shell,
# sleep, grep, sed) plus the host's iptables (nf_tables backend) with its libraries and extensions.
# An agent holds its network namespace (its address on the cluster's host network) and publishes
# bridge-mode host ports there with iptables DNAT, as the CNI portmap plugin does on a Kubernetes
# node. Made with `docker import` from Debian's files: no registry is needed.
# Usage: scripts/agentImage.sh [image-ref]   (needs /bin/busybox and iptables installed)
set -euo pipefail
ref=${1:-dcos-vnet-agent:latest}
multi=$(command -v xtables-nft-multi || echo /usr/sbin/xtables-nft-multi)
[ -x "$multi" ] || { echo "xtables-nft-multi not found: apt-get install iptables" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "/bin/busybox not found: apt-get install busybox-static" >&2; exit 1; }
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/sbin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/run" "$rootfs/var/lib"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in sh sleep grep sed cat echo ls ip nc hostname true kill; do ln -s busybox "$rootfs/bin/$applet"; done
cp "$multi" "$rootfs/sbin/xtables-nft-multi"
for tool in iptables iptables-save iptables-restore; do ln -s xtables-nft-multi "$rootfs/sbin/$tool"; done
# The binary's libraries and the extension modules (loaded with dlopen, so ldd does not list them).
xtdir=$(readlink -f "$(dirname "$(ldd "$multi" | awk '/libxtables/ {print $3}')")")/xtables
mkdir -p "$rootfs$xtdir"
cp "$xtdir"/libxt_*.so "$xtdir"/libipt_*.so "$rootfs$xtdir"/
for lib in $( (ldd "$multi"; ldd "$xtdir"/libxt_*.so "$xtdir"/libipt_*.so) | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | sort -u); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
echo "root:x:0:0:root:/root:/bin/sh" > "$rootfs/etc/passwd"
tar -C "$rootfs" -c . | docker import -c 'CMD ["sh"]' -c 'ENV PATH=/sbin:/bin' -c "ENV XTABLES_LIBDIR=$xtdir" - "$ref" >/dev/null
echo "image $ref: built"
