#!/usr/bin/env bash
# Build the offline base image for proclab: a Debian bookworm minbase rootfs made with
# debootstrap and `docker import`ed.  Used only when no public base image can be found or pulled
# (a machine without a container registry).  The packages are the ones docker/Dockerfile would
# otherwise install with apt, so both paths give the same Python, ps and pstree.
#
# usage: docker/make-base.sh IMAGE_NAME
set -euo pipefail

image=${1:?usage: make-base.sh IMAGE_NAME}
packages=python3,procps,psmisc,python3-psutil,python3-tabulate,python3-tqdm,python3-pip,python3-venv

if ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "make-base: installing debootstrap" >&2
    apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null
  else
    echo "make-base: no base image could be pulled and debootstrap is not installed (run as root or install debootstrap)" >&2
    exit 2
  fi
fi

rootfs=$(mktemp -d /tmp/proclab-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "make-base: debootstrap bookworm (minbase, $packages) into $rootfs" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" >/dev/null
# Keep the image small: apt lists and caches are not needed at run time.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
echo "make-base: importing as $image" >&2
tar -C "$rootfs" -c . | docker import - "$image" >/dev/null
