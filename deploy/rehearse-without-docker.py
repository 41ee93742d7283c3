#!/usr/bin/env python3
"""Rehearse compose.yaml on a machine without a container engine (root, Linux, Debian).

    sudo python3 deploy/rehearse-without-docker.py [--work DIR] [--keep]

What it does, in the order `docker compose up --build` would:

1. The image. A Debian bookworm root filesystem from Debian's archive (`debootstrap
   --variant=minbase`) with Debian's CPython 3.11, `python3-venv` and `python3-pip`, and
   `/usr/local/bin/python` pointing at it, stands in for `python:3.11-slim-bookworm` (which is
   bookworm with CPython 3.11 built from source in /usr/local). Then it reads the Dockerfile
   and carries out each stage's instructions itself: FROM, WORKDIR, COPY (from the build
   context, honouring .dockerignore, or --from a stage), RUN (`/bin/sh -c` in a chroot of the
   stage, with the stage's ENV, as root), ENV, USER, VOLUME, EXPOSE, HEALTHCHECK, ENTRYPOINT,
   CMD. Each stage is an overlay on the base, rebuilt when its instructions or the files it
   copies change (`--no-cache`: always).
2. The network: compose's `internal` network as a bridge with compose's subnet; `node` and
   `proxy` each in a network namespace of their own, `proxy` at compose's fixed address (the one
   the image's CMD gives to `--behind-proxy`); names resolve through each container's
   /etc/hosts. `db` is the machine's PostgreSQL (`--pg-admin-url`), reached at `db:5432`
   through a forwarder on the bridge's gateway; a fresh database is created for the rehearsal.
   The proxy's published port 443 is a forwarder on 127.0.0.1.
3. The node container: the image's ENTRYPOINT and CMD, as the image's USER, in the image's
   WORKDIR, with the image's ENV plus compose's `environment` for `node` (interpolated from an
   .env made from deploy/compose.env.example, secrets generated; the database URL's user,
   password and database name replaced by the rehearsal's), named volumes as folders that take
   the image folder's owner and mode on first use, and the process as PID 1 of its own PID and
   mount namespaces.
4. Health: the image's HEALTHCHECK command run inside the container until it passes; then the
   proxy: Debian's `caddy` with deploy/Caddyfile unchanged, as `caddy run` in the caddy image,
   with its trust-store writes kept inside its own mount namespace.
5. Checks (each printed PASS or FAIL): through the proxy, `https://localhost/readyz` is 200 with
   the database, migrations and keys checks ok, `/healthz` is 200, `/metrics` is 404 and the
   response carries Strict-Transport-Security; the node logs the real client (the proxy's
   X-Forwarded-For is trusted); `/metrics` on the internal network needs the token and counts
   every request across the workers; SIGTERM (docker stop) ends the node within 10 s; a second
   start (the entry point again) keeps the node's keys and serves; `alianza node backup` run in
   the container (docker compose exec), and the backup restored into a new node with empty
   volumes and an empty database (`docker compose run ... alianza node restore`), whose audit
   chain verifies and which starts and answers /readyz with the original keys.

What it cannot check: the real base image (its CPython build, pip version and file layout) and
Docker's image layering and build cache; Docker's networking (embedded DNS, iptables, the
userland proxy, IPv6), compose's own parsing and interpolation (a reimplementation is used), the
caddy:2 image (Debian's caddy is 2.6), the HEALTHCHECK's timing (interval, start period, retries)
and compose's `depends_on: service_healthy` ordering beyond "healthy before the proxy starts",
`restart: unless-stopped`, capabilities, seccomp and cgroup limits. It uses the machine's
PostgreSQL (not the postgres:15 image) as its superuser.

Idempotent: every run tears down what an earlier run left (namespaces, bridge, mounts,
forwarders, databases) and starts from empty volumes; the base root filesystem and unchanged
stages are reused. Needs root, network access to Debian's archive and PyPI, and about 2 GB in
--work. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import hashlib
import ipaddress
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE_IMAGES = {"python:3.11-slim-bookworm"}
BASE_PACKAGES = [
    "python3.11",
    "python3.11-venv",
    "python3-venv",
    "python3-pip",
    "ca-certificates",
    "netbase",
    "tzdata",
]
# what the python:3.11-slim-bookworm image sets (docker inspect)
BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
}
HOST_PACKAGES = {
    "debootstrap": "debootstrap",
    "caddy": "caddy",
    "socat": "socat",
    "curl": "curl",
    "psql": "postgresql-client",
    "nsenter": "util-linux",
    "ip": "iproute2",
}
PREFIX = "alzr"  # names of the namespaces, bridge and veths
RESULTS: list[tuple[bool, str]] = []


def log(message: str) -> None:
    print(f"[rehearsal] {message}", flush=True)


def check(ok: bool, what: str, detail: str = "") -> bool:
    RESULTS.append((ok, what))
    print(f"{'PASS' if ok else 'FAIL'}  {what}" + (f"  ({detail})" if detail else ""), flush=True)
    return ok


def sh(*argv: str, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), check=check, text=True, **kwargs)


def out(*argv: str, **kwargs: Any) -> str:
    return sh(*argv, capture_output=True, **kwargs).stdout


# --- the Dockerfile ------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str
    args: str


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)


@dataclass
class Image:
    rootfs: Path
    env: dict[str, str]
    user: str = "root"
    workdir: str = "/"
    volumes: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)


def read_dockerfile(path: Path) -> list[Stage]:
    text = path.read_text("utf-8")
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # comment lines inside a continuation are dropped
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(parts[0], name))
        else:
            stages[-1].instructions.append(Instruction(keyword, args.strip()))
    return stages


def expand(value: str, env: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        return env.get(match.group(1) or match.group(2), "")

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", one, value)


def parse_env(args: str, env: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for token in shlex.split(args):
        key, sep, value = token.partition("=")
        if not sep:
            raise SystemExit(f"ENV form not handled by the rehearsal: {args}")
        result[key] = expand(value, {**env, **result})
    return result


def dockerignore(context: Path) -> list[str]:
    path = context / ".dockerignore"
    if not path.exists():
        return []
    patterns = []
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            if line.startswith("!"):
                raise SystemExit(".dockerignore exceptions (!) are not handled by the rehearsal")
            patterns.append(line.strip("/"))
    return patterns


def ignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rule, simplified: a pattern matches the path or any of its parent folders;
    `**` matches any number of folders."""
    parts = relative.split("/")
    for pattern in patterns:
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if fnmatch.fnmatchcase(prefix, pattern):
                return True
            if pattern.startswith("**/") and fnmatch.fnmatchcase(prefix, pattern[3:]):
                return True
            if pattern.startswith("**/") and fnmatch.fnmatchcase(parts[i - 1], pattern[3:]):
                return True
    return False


def context_files(context: Path, source: str, patterns: list[str]) -> list[Path]:
    base = context / source.rstrip("/")
    if not base.exists():
        raise SystemExit(f"COPY {source}: not in the build context")
    found = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
    return [p for p in found if not ignored(p.relative_to(context).as_posix(), patterns)]


def copy_into(sources: list[tuple[Path, Path]], rootfs: Path, dest: str, workdir: str) -> None:
    """COPY: each (source root, file) to dest inside rootfs; owned by root, modes kept."""
    if not dest.startswith("/"):
        dest = f"{workdir.rstrip('/')}/{dest}"
    target = rootfs / dest.lstrip("/")
    into_folder = dest.endswith("/") or len(sources) > 1 or any(s != f for s, f in sources)
    for source_root, file in sources:
        if into_folder:
            rel = file.relative_to(source_root) if source_root != file else Path(file.name)
            where = target / rel
        else:
            where = target
        where.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, where)
        os.chown(where, 0, 0)


# --- mounts and chroots --------------------------------------------------------------------


def mounted(path: Path) -> bool:
    return sh("mountpoint", "-q", str(path), check=False).returncode == 0


def umount_tree(path: Path) -> None:
    """Unmount everything at or below path (deepest first)."""
    mounts = [
        line.split()[1]
        for line in Path("/proc/self/mounts").read_text().splitlines()
        if line.split()[1] == str(path) or line.split()[1].startswith(f"{path}/")
    ]
    for mount in sorted(mounts, key=len, reverse=True):
        sh("umount", "-l", mount, check=False)


def host_ca_bundle() -> Path | None:
    """The CA bundle this machine's pip trusts (PIP_CERT, or `cert` in pip's configuration):
    a machine behind a TLS-inspecting proxy needs it for pip inside the chroot too."""
    if os.environ.get("PIP_CERT"):
        return Path(os.environ["PIP_CERT"])
    for config in (Path("/etc/pip.conf"), *Path("/etc/xdg/pip").glob("pip.conf")):
        if config.exists():
            found = re.search(r"^\s*cert\s*=\s*(\S+)", config.read_text(), re.MULTILINE)
            if found:
                return Path(found.group(1))
    return None


@contextlib.contextmanager
def build_mounts(rootfs: Path) -> Iterator[dict[str, str]]:
    """What `docker build` gives a RUN step: /proc, devices, the host's resolv.conf; and, only
    while the step runs (not in the image), this machine's pip network settings (PIP_CERT,
    PIP_INDEX_URL, ..., the CA bundle in a tmpfs at /run/rehearsal)."""
    extra = {
        k: v
        for k, v in os.environ.items()
        if k
        in (
            "PIP_INDEX_URL",
            "PIP_EXTRA_INDEX_URL",
            "PIP_TRUSTED_HOST",
            "PIP_DEFAULT_TIMEOUT",
            "PIP_PROXY",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "no_proxy",
        )
    }
    bundle = host_ca_bundle()
    scratch = rootfs / "run" / "rehearsal"
    try:
        sh("mount", "-t", "proc", "proc", str(rootfs / "proc"))
        sh("mount", "--rbind", "/dev", str(rootfs / "dev"))
        shutil.copy2("/etc/resolv.conf", rootfs / "etc/resolv.conf")
        if bundle is not None and bundle.exists():
            scratch.mkdir(parents=True, exist_ok=True)
            sh("mount", "-t", "tmpfs", "tmpfs", str(scratch))
            shutil.copy2(bundle, scratch / "ca.crt")
            extra["PIP_CERT"] = "/run/rehearsal/ca.crt"
        yield extra
    finally:
        umount_tree(scratch)
        with contextlib.suppress(OSError):
            scratch.rmdir()
        umount_tree(rootfs / "dev")
        umount_tree(rootfs / "proc")


def chroot_run(rootfs: Path, env: dict[str, str], workdir: str, command: str) -> None:
    environment = [f"{k}={v}" for k, v in env.items()]
    sh(
        "chroot",
        str(rootfs),
        "/usr/bin/env",
        "-i",
        f"--chdir={workdir}",
        *environment,
        "/bin/sh",
        "-c",
        command,
    )


def make_base(base: Path, mirror: str) -> None:
    marker = base / ".rehearsal-base"
    wanted = " ".join(BASE_PACKAGES)
    if marker.exists() and marker.read_text() == wanted:
        log(f"base root filesystem: reusing {base}")
        return
    if not (base / "usr/bin/apt-get").exists():
        log(f"debootstrap --variant=minbase bookworm {base} {mirror}")
        sh("debootstrap", "--variant=minbase", "bookworm", str(base), mirror)
    with build_mounts(base):
        env = {**BASE_ENV, "DEBIAN_FRONTEND": "noninteractive"}  # as the image's own build
        chroot_run(
            base,
            env,
            "/",
            "apt-get update -qq && apt-get install -y -qq "
            f"--no-install-recommends {wanted} && rm -rf /var/lib/apt/lists/*",
        )
        chroot_run(base, env, "/", "ln -sf /usr/bin/python3.11 /usr/local/bin/python")
    marker.write_text(wanted)


def overlay(base: Path, where: Path) -> Path:
    """A fresh writable root filesystem over base (overlayfs; a copy where it is missing)."""
    rootfs = where / "rootfs"
    umount_tree(rootfs)
    shutil.rmtree(where, ignore_errors=True)
    for name in ("upper", "work", "rootfs"):
        (where / name).mkdir(parents=True)
    options = f"lowerdir={base},upperdir={where / 'upper'},workdir={where / 'work'}"
    if sh("mount", "-t", "overlay", "overlay", "-o", options, str(rootfs), check=False).returncode:
        log("overlayfs refused: copying the base instead")
        sh("cp", "-a", "--reflink=auto", f"{base}/.", str(rootfs))
    return rootfs


def remount(base: Path, where: Path) -> Path | None:
    rootfs = where / "rootfs"
    if mounted(rootfs):
        return rootfs
    if not (where / "upper").exists():
        return None
    options = f"lowerdir={base},upperdir={where / 'upper'},workdir={where / 'work'}"
    if sh("mount", "-t", "overlay", "overlay", "-o", options, str(rootfs), check=False).returncode:
        return None
    return rootfs


def stage_key(stage: Stage, context: Path, patterns: list[str], earlier: list[str]) -> str:
    digest = hashlib.sha256()
    digest.update(" ".join(BASE_PACKAGES).encode())
    digest.update("".join(earlier).encode())
    for instruction in stage.instructions:
        digest.update(f"{instruction.keyword} {instruction.args}\n".encode())
        if instruction.keyword == "COPY" and "--from=" not in instruction.args:
            for source in shlex.split(instruction.args)[:-1]:
                for file in context_files(context, source, patterns):
                    digest.update(file.relative_to(context).as_posix().encode())
                    digest.update(file.read_bytes())
                    digest.update(oct(file.stat().st_mode).encode())
    return digest.hexdigest()


def build_image(dockerfile: Path, context: Path, base: Path, work: Path, cache: bool) -> Image:
    stages = read_dockerfile(dockerfile)
    patterns = dockerignore(context)
    built: dict[str, Path] = {}
    keys: list[str] = []
    image: Image | None = None
    for number, stage in enumerate(stages):
        if stage.base not in BASE_IMAGES:
            raise SystemExit(f"FROM {stage.base}: the rehearsal stands in only for {BASE_IMAGES}")
        where = work / "stages" / str(number)
        key = stage_key(stage, context, patterns, keys)
        keys.append(key)
        reused = None
        if cache and (where / "key").exists() and (where / "key").read_text() == key:
            reused = remount(base, where)
        if reused is not None:
            log(f"stage {number} ({stage.name or 'final'}): unchanged, reused")
            rootfs = reused
        else:
            log(f"stage {number} ({stage.name or 'final'}): building")
            rootfs = overlay(base, where)
        image = Image(rootfs, dict(BASE_ENV))
        for instruction in stage.instructions:
            image = apply(instruction, image, context, patterns, built, execute=reused is None)
        if reused is None:
            (where / "key").write_text(key)
        built[stage.name or str(number)] = rootfs
    assert image is not None
    for rootfs in built.values():  # only the last stage is the image
        if rootfs != image.rootfs:
            umount_tree(rootfs)
    return image


def apply(
    instruction: Instruction,
    image: Image,
    context: Path,
    patterns: list[str],
    built: dict[str, Path],
    *,
    execute: bool,
) -> Image:
    keyword, args = instruction.keyword, instruction.args
    if keyword == "WORKDIR":
        image.workdir = expand(args, image.env)
        if execute:
            (image.rootfs / image.workdir.lstrip("/")).mkdir(parents=True, exist_ok=True)
    elif keyword == "ENV":
        image.env.update(parse_env(args, image.env))
    elif keyword == "COPY":
        if not execute:
            return image
        tokens = shlex.split(args)
        origin = None
        if tokens[0].startswith("--from="):
            origin = built[tokens.pop(0).split("=", 1)[1]]
        if any(t.startswith("--") for t in tokens):
            raise SystemExit(f"COPY option not handled by the rehearsal: {args}")
        *sources, dest = tokens
        pairs: list[tuple[Path, Path]] = []
        for source in sources:
            if origin is None:
                root = context / source.rstrip("/")
                pairs += [(root, f) for f in context_files(context, source, patterns)]
            else:
                root = origin / source.strip("/")
                files = (
                    [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
                )
                pairs += [(root, f) for f in files]
        log(f"  COPY {args}  ({len(pairs)} files)")
        copy_into(pairs, image.rootfs, dest, image.workdir)
    elif keyword == "RUN":
        if execute:
            log(f"  RUN {args}")
            with build_mounts(image.rootfs) as network:
                chroot_run(image.rootfs, {**image.env, **network}, image.workdir, args)
    elif keyword == "USER":
        image.user = args
    elif keyword == "VOLUME":
        image.volumes = json.loads(args)
    elif keyword == "ENTRYPOINT":
        image.entrypoint = json.loads(args)
    elif keyword == "CMD":
        image.cmd = json.loads(args)
    elif keyword == "HEALTHCHECK":
        image.healthcheck = json.loads(args[args.index("CMD ") + 4 :])
    elif keyword in ("EXPOSE", "LABEL"):
        pass
    else:
        raise SystemExit(f"Dockerfile instruction not handled by the rehearsal: {keyword}")
    return image


# --- compose ---------------------------------------------------------------------------------


def read_dotenv(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[key.strip()] = value
    return values


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group(1), match.group(2) or "", match.group(3) or ""
        given = env.get(name)
        if op == ":-":
            return given if given else arg
        if op == "-":
            return given if given is not None else arg
        if op in (":?", "?"):
            if (not given) if op == ":?" else given is None:
                raise SystemExit(f"compose would refuse: {name}: {arg or 'required'}")
            return given or ""
        return given or ""

    return re.sub(r"\$\$|\$\{(\w+)(:-|-|:\?|\?)?([^}]*)\}", one, value)


# --- the containers --------------------------------------------------------------------------


@dataclass
class Network:
    subnet: ipaddress.IPv4Network
    gateway: str
    node: str
    proxy: str
    bridge: str = f"{PREFIX}0"


def teardown_network() -> None:
    for ns in (f"{PREFIX}-node", f"{PREFIX}-proxy"):
        for pid in out("ip", "netns", "pids", ns, check=False).split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        sh("ip", "netns", "del", ns, check=False, stderr=subprocess.DEVNULL)
    sh("ip", "link", "del", f"{PREFIX}0", check=False, stderr=subprocess.DEVNULL)


def make_network(net: Network) -> None:
    teardown_network()
    prefix = net.subnet.prefixlen
    sh("ip", "link", "add", net.bridge, "type", "bridge")
    sh("ip", "addr", "add", f"{net.gateway}/{prefix}", "dev", net.bridge)
    sh("ip", "link", "set", net.bridge, "up")
    for name, address in (("node", net.node), ("proxy", net.proxy)):
        ns, outside, inside = f"{PREFIX}-{name}", f"{PREFIX}-{name[0]}0", f"{PREFIX}-{name[0]}1"
        sh("ip", "netns", "add", ns)
        sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
        sh("ip", "link", "set", outside, "master", net.bridge, "up")
        sh("ip", "link", "set", inside, "netns", ns)
        sh("ip", "-n", ns, "addr", "add", f"{address}/{prefix}", "dev", inside)
        sh("ip", "-n", ns, "link", "set", inside, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "route", "add", "default", "via", net.gateway)


@dataclass
class Container:
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def init_pid(self) -> int | None:
        """The host pid of the container's PID 1 (unshare's only child)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            pids = children.read_text().split()
            return int(pids[0]) if pids else None
        return None


def docker_volume(path: Path, rootfs: Path, inside: str) -> Path:
    """A named volume: on first use it takes the image folder's owner and mode (and files)."""
    if not path.exists():
        source = rootfs / inside.lstrip("/")
        shutil.copytree(source, path, symlinks=True)
        status = source.stat()
        os.chown(path, status.st_uid, status.st_gid)
        os.chmod(path, status.st_mode & 0o7777)
    return path


def container_script(rootfs: Path, mounts: list[tuple[Path, str, bool]], hosts: str) -> str:
    """The shell run as PID 1 of new PID and mount namespaces, before the chroot."""
    lines = [
        "set -e",
        f"mount -t proc proc {rootfs}/proc",
        f"mount -t tmpfs -o mode=755,nosuid tmpfs {rootfs}/dev",
    ]
    for device in ("null", "zero", "full", "random", "urandom", "tty"):
        lines += [
            f"touch {rootfs}/dev/{device}",
            f"mount --bind /dev/{device} {rootfs}/dev/{device}",
        ]
    lines += [
        f"mkdir -p {rootfs}/dev/shm {rootfs}/dev/pts",
        f"mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs {rootfs}/dev/shm",
        f"ln -sf /proc/self/fd {rootfs}/dev/fd",
        f"printf '%s' {shlex.quote(hosts)} > {rootfs}/etc/hosts",
        f"cp /etc/resolv.conf {rootfs}/etc/resolv.conf",
    ]
    for source, inside, readonly in mounts:
        target = f"{rootfs}/{inside.lstrip('/')}"
        lines += [f"mkdir -p {target}", f"mount --bind {source} {target}"]
        if readonly:
            lines.append(f"mount -o remount,bind,ro {target}")
    return "\n".join(lines)


def start_container(
    image: Image,
    net: Network,
    env: dict[str, str],
    command: list[str],
    mounts: list[tuple[Path, str, bool]],
    log_path: Path,
    *,
    wait: bool = False,
) -> Container | subprocess.CompletedProcess[bytes]:
    hosts = f"127.0.0.1\tlocalhost\n{net.node}\tnode\n{net.gateway}\tdb\n{net.proxy}\tproxy\n"
    setup = container_script(image.rootfs, mounts, hosts)
    passwd = (image.rootfs / "etc/passwd").read_text()
    user = next(line.split(":") for line in passwd.splitlines() if line.split(":")[0] == image.user)
    environment = {
        **image.env,
        "HOSTNAME": "node",
        "HOME": user[5],
        **env,
    }
    inner = [
        "chroot",
        str(image.rootfs),
        "/usr/bin/setpriv",
        f"--reuid={user[2]}",
        f"--regid={user[3]}",
        "--init-groups",
        "/usr/bin/env",
        "-i",
        f"--chdir={image.workdir}",
        *[f"{k}={v}" for k, v in environment.items()],
        *image.entrypoint,
        *command,
    ]
    argv = [
        "ip",
        "netns",
        "exec",
        f"{PREFIX}-node",
        "unshare",
        "--pid",
        "--fork",
        "--mount",
        "--propagation",
        "private",
        "--kill-child",
        "sh",
        "-c",
        f'{setup}\nexec "$@"',
        "container",
        *inner,
    ]
    log_file = log_path.open("ab")
    if wait:
        return subprocess.run(argv, stdout=log_file, stderr=subprocess.STDOUT, check=False)
    return Container(subprocess.Popen(argv, stdout=log_file, stderr=subprocess.STDOUT), log_path)


def exec_in(
    container: Container, image: Image, env: dict[str, str], command: list[str]
) -> subprocess.CompletedProcess[str]:
    """docker compose exec: the container's namespaces, root and env, as the image's user."""
    pid = container.init_pid
    assert pid is not None, "container not running"
    passwd = (image.rootfs / "etc/passwd").read_text()
    user = next(line.split(":") for line in passwd.splitlines() if line.split(":")[0] == image.user)
    environment = [f"{k}={v}" for k, v in {**image.env, "HOME": user[5], **env}.items()]
    argv = [
        "nsenter",
        "-t",
        str(pid),
        "-m",
        "-n",
        "-p",
        "-r",
        "-S",
        user[2],
        "-G",
        user[3],
        "/usr/bin/env",
        "-i",
        f"--chdir={image.workdir}",
        *environment,
        *command,
    ]
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def stop_container(container: Container, grace: float = 10.0) -> float | None:
    """docker stop: SIGTERM to PID 1, SIGKILL after the grace period. Seconds taken, or None."""
    pid = container.init_pid
    started = time.monotonic()
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    try:
        container.process.wait(timeout=grace)
        return time.monotonic() - started
    except subprocess.TimeoutExpired:
        container.process.kill()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        container.process.wait()
        return None


def wait_healthy(container: Container, image: Image, env: dict[str, str], limit: float) -> bool:
    deadline = time.monotonic() + limit
    result = None
    while time.monotonic() < deadline:
        if container.process.poll() is not None:
            return False
        if container.init_pid is not None:
            result = exec_in(container, image, env, image.healthcheck)
            if result.returncode == 0:
                return True
        time.sleep(1)
    if result is not None:
        print(result.stderr[-2000:])
    return False


def start_proxy(net: Network, work: Path, caddyfile: Path, site: str) -> subprocess.Popen[bytes]:
    data = work / "volumes" / "caddy-data"
    config = work / "volumes" / "caddy-config"
    home = work / "caddy-home"
    for folder in (data, config, home):
        folder.mkdir(parents=True, exist_ok=True)
    hosts = work / "proxy-hosts"
    hosts.write_text(f"127.0.0.1\tlocalhost\n{net.node}\tnode\n{net.proxy}\tproxy\n")
    # Caddy (root, as in its image) installs its local CA into the trust store: keep those
    # writes in this mount namespace (tmpfs copies), not on the machine.
    setup = "\n".join(
        [
            "set -e",
            f"mount --bind {hosts} /etc/hosts",
            f"mount --bind -o ro {caddyfile} /etc/caddy/Caddyfile",
            "mount -o remount,bind,ro /etc/caddy/Caddyfile",
            f"cp -a /etc/ssl/certs {work}/certs-copy 2>/dev/null || true",
            "mount -t tmpfs tmpfs /etc/ssl/certs",
            f"cp -a {work}/certs-copy/. /etc/ssl/certs/",
            "mount -t tmpfs tmpfs /usr/local/share/ca-certificates",
            'exec "$@"',
        ]
    )
    shutil.rmtree(work / "certs-copy", ignore_errors=True)
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(data),
        "XDG_CONFIG_HOME": str(config),
        "ALIANZA_SITE": site,
    }
    argv = [
        "ip",
        "netns",
        "exec",
        f"{PREFIX}-proxy",
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        setup,
        "proxy",
        "/usr/bin/env",
        "-i",
        *[f"{k}={v}" for k, v in env.items()],
        "caddy",
        "run",
        "--config",
        "/etc/caddy/Caddyfile",
        "--adapter",
        "caddyfile",
    ]
    log_file = (work / "logs" / "proxy.log").open("ab")
    return subprocess.Popen(argv, stdout=log_file, stderr=subprocess.STDOUT)


def forwarder(listen: str, port: int, to_host: str, to_port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["socat", f"TCP-LISTEN:{port},bind={listen},reuseaddr,fork", f"TCP:{to_host}:{to_port}"],
        stderr=subprocess.DEVNULL,
    )


def curl(url: str, *options: str) -> tuple[int, dict[str, str], str]:
    result = sh(
        "curl", "-sS", "-i", "--max-time", "10", *options, url, capture_output=True, check=False
    )
    if result.returncode:
        return 0, {}, result.stderr.strip()
    head, _, body = result.stdout.partition("\n\n")  # text mode: \r\n read as \n
    status_line, *header_lines = head.split("\n")
    headers = {}
    for line in header_lines:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def psql(admin_url: str, sql: str) -> None:
    sh("psql", admin_url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql, stdout=subprocess.DEVNULL)


def fresh_database(admin_url: str, name: str) -> None:
    psql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin_url, f'CREATE DATABASE "{name}"')


def metric_sum(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def access_lines(log_path: Path, path: str) -> list[dict[str, Any]]:
    found = []
    for line in log_path.read_text("utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if entry.get("logger") == "alianza.access" and entry.get("path") == path:
                found.append(entry)
    return found


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the rehearsal -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/var/tmp/alianza-rehearsal"))
    parser.add_argument("--base", type=Path, help="base root filesystem (default WORK/base)")
    parser.add_argument("--mirror", default="http://deb.debian.org/debian")
    parser.add_argument(
        "--pg-admin-url",
        default="postgresql://postgres:postgres@127.0.0.1:5432/postgres",
        help="a superuser of the PostgreSQL that plays compose's db service",
    )
    parser.add_argument("--database", default="alianza_rehearsal")
    parser.add_argument("--publish-port", type=int, default=443)
    parser.add_argument("--no-cache", action="store_true", help="rebuild every stage")
    parser.add_argument("--keep", action="store_true", help="leave the databases and work folder")
    options = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root (namespaces, chroot, mounts)")
    missing = sorted({pkg for tool, pkg in HOST_PACKAGES.items() if shutil.which(tool) is None})
    if missing:
        log(f"apt-get install {' '.join(missing)}")
        sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing)
    work: Path = options.work
    base: Path = options.base or work / "base"
    (work / "logs").mkdir(parents=True, exist_ok=True)

    compose = __import__("yaml").safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    subnet = ipaddress.IPv4Network(compose["networks"]["internal"]["ipam"]["config"][0]["subnet"])
    proxy_address = compose["services"]["proxy"]["networks"]["internal"]["ipv4_address"]
    hosts = list(subnet.hosts())
    net = Network(subnet, str(hosts[0]), str(hosts[1]), proxy_address)

    processes: list[subprocess.Popen[bytes]] = []
    containers: list[Container] = []
    try:
        make_base(base, options.mirror)
        image = build_image(ROOT / "Dockerfile", ROOT, base, work, cache=not options.no_cache)
        check(True, "the Dockerfile's stages ran to the end (wheel built, lock installed)")
        ids = out("chroot", str(image.rootfs), "id", image.user).strip()
        check(
            "uid=10001(" in ids and "gid=10001(" in ids,
            "the image's user is uid 10001, gid 10001 (what docs/operations.md says)",
            ids,
        )
        version = out(
            "chroot",
            str(image.rootfs),
            "/opt/alianza/bin/python",
            "-c",
            "import alianza, sys; print(sys.version.split()[0])",
        ).strip()
        log(
            f"image: {image.rootfs}; python {version}; user {image.user}; "
            f"entrypoint {image.entrypoint}; cmd {image.cmd}"
        )

        # compose's .env: the example, with the secrets a team would set
        dotenv = read_dotenv(ROOT / "deploy" / "compose.env.example")
        dotenv.update(
            ALIANZA_DB_PASSWORD=secrets.token_urlsafe(24),
            ALIANZA_SECRET_KEY=secrets.token_urlsafe(48),
            ALIANZA_METRICS_TOKEN=secrets.token_urlsafe(24),
        )
        node_env = {
            k: interpolate(str(v), dotenv)
            for k, v in compose["services"]["node"]["environment"].items()
        }
        proxy_env = {
            k: interpolate(str(v), dotenv)
            for k, v in compose["services"]["proxy"]["environment"].items()
        }
        admin = urllib.parse.urlsplit(options.pg_admin_url)

        def database_url(name: str) -> str:
            url = urllib.parse.urlsplit(node_env["ALIANZA_DATABASE_URL"])
            netloc = f"{admin.username}:{admin.password}@{url.hostname}:{url.port}"
            return urllib.parse.urlunsplit((url.scheme, netloc, f"/{name}", "", ""))

        node_env["ALIANZA_DATABASE_URL"] = database_url(options.database)
        log(
            f"node environment from compose.yaml: {sorted(node_env)} (database URL: "
            f"{url_without_password(node_env['ALIANZA_DATABASE_URL'])})"
        )

        # compose down -v, then the network and db
        for name in (
            "home",
            "keys",
            "home-restored",
            "keys-restored",
            "caddy-data",
            "caddy-config",
            "backups",
        ):
            shutil.rmtree(work / "volumes" / name, ignore_errors=True)
        (work / "volumes" / "backups").mkdir(parents=True)
        for old in (work / "logs").glob("*.log"):
            old.unlink()
        fresh_database(options.pg_admin_url, options.database)
        fresh_database(options.pg_admin_url, f"{options.database}_restored")
        make_network(net)
        processes.append(
            forwarder(net.gateway, 5432, admin.hostname or "127.0.0.1", admin.port or 5432)
        )
        volume_paths = dict(zip(("home", "keys"), image.volumes, strict=True))
        home = docker_volume(work / "volumes" / "home", image.rootfs, volume_paths["home"])
        keys = docker_volume(work / "volumes" / "keys", image.rootfs, volume_paths["keys"])
        mounts = [(home, volume_paths["home"], False), (keys, volume_paths["keys"], False)]

        # node: first start
        node_log = work / "logs" / "node.log"
        node = start_container(image, net, node_env, image.cmd, mounts, node_log)
        assert isinstance(node, Container)
        containers.append(node)
        healthy = wait_healthy(node, image, node_env, limit=120)
        check(healthy, "HEALTHCHECK command passes in the node container (first start)")
        if not healthy:
            print(node_log.read_text()[-4000:])
            return 1
        key_file = keys / "node-ed25519.pem"
        check(
            key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600,
            "entry point created the node's key in the keys volume, mode 0600",
            oct(key_file.stat().st_mode & 0o777) if key_file.exists() else "missing",
        )
        key_before = sha256(key_file) if key_file.exists() else ""

        # proxy, published on 127.0.0.1
        processes.append(
            start_proxy(net, work, ROOT / "deploy" / "Caddyfile", proxy_env["ALIANZA_SITE"])
        )
        processes.append(forwarder("127.0.0.1", options.publish_port, net.proxy, 443))
        root_crt = work / "volumes" / "caddy-data" / "caddy/pki/authorities/local/root.crt"
        site = proxy_env["ALIANZA_SITE"]
        base_url = f"https://{site}" + (
            "" if options.publish_port == 443 else f":{options.publish_port}"
        )
        tls = ["--cacert", str(root_crt), "--resolve", f"{site}:{options.publish_port}:127.0.0.1"]
        status = 0
        for _ in range(60):
            if root_crt.exists():
                status, _, _ = curl(f"{base_url}/healthz", *tls)
                if status == 200:
                    break
            time.sleep(1)
        check(
            root_crt.exists(),
            "Caddy's root certificate is where the docs say",
            "/data/caddy/pki/authorities/local/root.crt",
        )
        checks_through_proxy(base_url, tls, node_log, net, "first start")

        # metrics on the internal network (Prometheus): token required, all workers counted
        token = node_env.get("ALIANZA_METRICS_TOKEN", "")
        direct = f"http://{net.node}:8000"
        code, _, _ = curl(f"{direct}/metrics")
        check(code == 403, "/metrics on the internal network without the token: 403", str(code))
        probes = 30
        for _ in range(probes):
            curl(f"{direct}/healthz", "-H", "Connection: close")
        counts = []
        for _ in range(6):
            code, _, text = curl(f"{direct}/metrics", "-H", f"Authorization: Bearer {token}")
            counts.append(
                metric_sum(text, "alianza_http_requests_total", route="/healthz", status="200")
                if code == 200
                else -1
            )
        check(code == 200, "/metrics on the internal network with the token: 200", str(code))
        check(
            min(counts) >= probes and len(set(counts)) == 1,
            f"/metrics counts every worker's requests ({probes}+ /healthz made)",
            f"six scrapes counted {counts}",
        )
        code_exec = exec_in(
            node,
            image,
            node_env,
            [
                "python",
                "-c",
                "import urllib.request as u; print(u.urlopen("
                "u.Request('http://127.0.0.1:8000/metrics', headers={'Authorization': "
                f"'Bearer {token}'}}), timeout=4).status)",
            ],
        )
        check(
            code_exec.stdout.strip() == "200",
            "/metrics from inside the container (exec)",
            code_exec.stdout.strip() or code_exec.stderr.strip()[-200:],
        )

        # some data worth backing up: an account (an audit entry) and an audit checkpoint
        for command in (
            [
                "alianza",
                "users",
                "add",
                "rehearsal-admin",
                "--role",
                "admin",
                "--agency",
                "CBP",
                "--password",
                secrets.token_urlsafe(16),
            ],
            ["alianza", "audit", "checkpoint"],
        ):
            done = exec_in(node, image, node_env, command)
            check(
                done.returncode == 0,
                f"exec: {' '.join(command[:3])}",
                (done.stdout + done.stderr).strip()[-200:],
            )
        audit_before = exec_in(node, image, node_env, ["alianza", "audit", "verify"])
        log(f"audit verify before the backup: {audit_before.stdout.strip()}")

        # backup through `docker compose exec node alianza node backup -o /tmp/...`, then cp
        backup = exec_in(
            node, image, node_env, ["alianza", "node", "backup", "-o", "/tmp/node-backup.tar.gz"]
        )
        check(
            backup.returncode == 0,
            "alianza node backup in the running container",
            (backup.stdout + backup.stderr).strip().splitlines()[-1]
            if (backup.stdout + backup.stderr).strip()
            else "",
        )
        archive = work / "volumes" / "backups" / "node-backup.tar.gz"
        shutil.copy2(image.rootfs / "tmp/node-backup.tar.gz", archive)  # docker compose cp
        # docker compose cp leaves it owned by whoever ran it (mode 0600): the restore
        # container's user must be able to read it (docs/operations.md says chown 10001)
        image_uid = int(out("chroot", str(image.rootfs), "id", "-u", image.user).strip())
        os.chown(archive, image_uid, -1)

        # docker stop, and a second start: the entry point again
        took = stop_container(node)
        containers.remove(node)
        check(
            took is not None,
            "SIGTERM to PID 1 (docker stop) ends the node within 10 s",
            f"{took:.1f} s" if took is not None else "killed",
        )
        before = node_log.read_text()
        node = start_container(image, net, node_env, image.cmd, mounts, node_log)
        assert isinstance(node, Container)
        containers.append(node)
        check(
            wait_healthy(node, image, node_env, limit=120),
            "HEALTHCHECK passes after a second start (entry point again)",
        )
        second = node_log.read_text()[len(before) :]
        check(
            sha256(key_file) == key_before and "node init" not in second.lower(),
            "second start keeps the node's key (no second node init)",
        )
        checks_through_proxy(base_url, tls, node_log, net, "second start")
        stop_container(node)
        containers.remove(node)

        # restore on a "new machine": empty volumes and database (compose run, then up)
        home2 = docker_volume(
            work / "volumes" / "home-restored", image.rootfs, volume_paths["home"]
        )
        keys2 = docker_volume(
            work / "volumes" / "keys-restored", image.rootfs, volume_paths["keys"]
        )
        restored_env = {
            **node_env,
            "ALIANZA_DATABASE_URL": database_url(f"{options.database}_restored"),
        }
        mounts2 = [
            (home2, volume_paths["home"], False),
            (keys2, volume_paths["keys"], False),
            (work / "volumes" / "backups", "/backup", True),
        ]
        restore_log = work / "logs" / "restore.log"
        run = start_container(
            image,
            net,
            restored_env,
            ["alianza", "node", "restore", "/backup/node-backup.tar.gz"],
            mounts2,
            restore_log,
            wait=True,
        )
        assert isinstance(run, subprocess.CompletedProcess)
        check(
            run.returncode == 0,
            "compose run: alianza node restore into an empty node",
            restore_log.read_text().strip().splitlines()[-1] if restore_log.exists() else "",
        )
        verify = start_container(
            image,
            net,
            restored_env,
            ["alianza", "audit", "verify"],
            mounts2,
            restore_log,
            wait=True,
        )
        assert isinstance(verify, subprocess.CompletedProcess)
        verified = restore_log.read_text().strip().splitlines()[-1]
        check(
            verify.returncode == 0 and verified == audit_before.stdout.strip(),
            "compose run: alianza audit verify on the restored node: as before the backup",
            verified,
        )
        restored_key = keys2 / "node-ed25519.pem"
        check(
            restored_key.exists() and sha256(restored_key) == key_before,
            "restored keys volume holds the original node key",
        )
        node = start_container(image, net, restored_env, image.cmd, mounts2, node_log)
        assert isinstance(node, Container)
        containers.append(node)
        check(
            wait_healthy(node, image, restored_env, limit=120),
            "restored node starts (entry point) and passes its HEALTHCHECK",
        )
        checks_through_proxy(base_url, tls, node_log, net, "restored node")
    finally:
        for container in containers:
            stop_container(container)
        for process in processes:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()
        teardown_network()
        if not options.keep:
            for name in (options.database, f"{options.database}_restored"):
                with contextlib.suppress(subprocess.CalledProcessError):
                    psql(options.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        umount_tree(work / "stages")
    failed = [what for ok, what in RESULTS if not ok]
    print(f"{len(RESULTS) - len(failed)} passed, {len(failed)} failed")
    log(f"logs: {work / 'logs'}")
    return 1 if failed else 0


def checks_through_proxy(
    base_url: str, tls: list[str], node_log: Path, net: Network, when: str
) -> None:
    code, headers, body = curl(f"{base_url}/readyz", *tls)
    ready: dict[str, Any] = {}
    with contextlib.suppress(ValueError):
        ready = json.loads(body)
    checks = ready.get("checks", {})
    check(
        code == 200
        and ready.get("status") == "ready"
        and all(checks.get(name, {}).get("ok") for name in ("database", "migrations", "keys")),
        f"{when}: GET {base_url}/readyz through the proxy: 200, database/migrations/keys ok",
        f"{code} {body[:300]}",
    )
    check(
        "strict-transport-security" in headers, f"{when}: the proxy adds Strict-Transport-Security"
    )
    code, _, body = curl(f"{base_url}/healthz", *tls)
    check(
        code == 200 and json.loads(body or "{}").get("status") == "ok",
        f"{when}: GET /healthz through the proxy: 200",
        f"{code} {body[:100]}",
    )
    code, _, _ = curl(f"{base_url}/metrics", *tls)
    check(code == 404, f"{when}: GET /metrics through the proxy: 404", str(code))
    time.sleep(0.5)
    lines = access_lines(node_log, "/readyz")
    client = lines[-1].get("client") if lines else None
    check(
        client == net.gateway,
        f"{when}: node logs the real client from the proxy's X-Forwarded-For",
        f"client={client}, expected {net.gateway} (the published port's forwarder)",
    )


def url_without_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = f"{parts.username}:***@{parts.hostname}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


if __name__ == "__main__":
    sys.exit(main())
