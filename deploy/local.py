"""Run N instances of the dashboard behind nginx on this machine (README, "Running several
instances"). The instances share one database: VALUELIB_DATABASE_URL (PostgreSQL) from the
environment, as in production.

    VALUELIB_DATABASE_URL=postgresql+psycopg://... python deploy/local.py --instances 3 --port 8080

--print-config prints the nginx configuration for those instances (for /etc/nginx/conf.d/)
and exits; --proxy-only runs nginx alone, in front of instances started elsewhere (systemd's
valuelib@.service, a Procfile runner).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATE = HERE / "nginx.conf.template"
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
ENVELOPE_MB = 1  # multipart headers around one uploaded file
STREAMLIT_DEFAULT_UPLOAD_MB = 200


def upload_limit_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """server.maxUploadSize (MB per file) as the app is configured, Streamlit's default when
    unset."""
    with config.open("rb") as handle:
        return int(tomllib.load(handle).get("server", {}).get(
            "maxUploadSize", STREAMLIT_DEFAULT_UPLOAD_MB))


def nginx_http_config(ports: list[int], listen: str, host: str = "127.0.0.1") -> str:
    """The http-level nginx configuration for instances on ``host:ports``."""
    servers = "\n".join(f"    server {host}:{port} max_fails=1 fail_timeout=10s;"
                        for port in ports)
    return (TEMPLATE.read_text().replace("@SERVERS@", servers).replace("@LISTEN@", listen)
            .replace("@MAX_BODY@", f"{upload_limit_mb() + ENVELOPE_MB}m"))


def nginx_main_config(http_config: Path, workdir: Path) -> str:
    """A whole nginx.conf for an unprivileged nginx in ``workdir`` (pid, logs, temp files)."""
    temp = "\n".join(f"    {kind}_temp_path {workdir / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"worker_processes 1;\npid {workdir / 'nginx.pid'};\n"
            f"error_log {workdir / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n{temp}\n    include {http_config};\n"
            f"    access_log {workdir / 'access.log'} valuelib_route;\n}}\n")


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None)
    if found is None:
        raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx)")
    return found


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    """Until ``url`` answers 200 (Streamlit's /_stcore/health, through nginx or not)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(map(str, process.args[:4]))} … exited with "
                               f"{process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def start_instance(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """The launcher (``python -m valuelib serve``: warmed before its port opens) on
    127.0.0.1:port (only nginx faces the network)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "valuelib", "serve", "--port", str(port),
             "--address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@dataclass
class Cluster:
    """N instances and nginx in front; ``stop()`` ends every process it started."""

    url: str
    instance_urls: list[str]
    workdir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def access_log(self) -> Path:
        return self.workdir / "access.log"

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start(ports: list[int], listen_port: int, env: dict[str, str] | None = None,
          workdir: Path | None = None, *, instances: bool = True) -> Cluster:
    """Start an instance on each port (unless ``instances`` is False) and nginx on
    127.0.0.1:listen_port in front of them; returns once every one answers."""
    env = dict(os.environ if env is None else env)
    # One secret for all: a signed-in session's cookie (st.login) is then good on any
    # instance, e.g. after nginx moves a browser whose instance went away.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", os.urandom(24).hex())
    workdir = Path(workdir or tempfile.mkdtemp(prefix="valuelib-nginx-"))
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "valuelib.conf").write_text(
        nginx_http_config(ports, f"127.0.0.1:{listen_port}"))
    (workdir / "nginx.conf").write_text(nginx_main_config(workdir / "valuelib.conf", workdir))
    cluster = Cluster(f"http://127.0.0.1:{listen_port}",
                      [f"http://127.0.0.1:{p}" for p in ports], workdir)
    try:
        if instances:
            cluster.processes += [start_instance(p, env, workdir / f"instance-{p}.log")
                                  for p in ports]
        binary = nginx_binary()
        check = subprocess.run([binary, "-t", "-p", str(workdir), "-e", str(workdir / "error.log"),
                                "-c", str(workdir / "nginx.conf")], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx refused the configuration:\n{check.stderr}")
        cluster.processes.append(subprocess.Popen(
            [binary, "-p", str(workdir), "-e", str(workdir / "error.log"),
             "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"]))
        if instances:
            for process, url in zip(cluster.processes, cluster.instance_urls, strict=False):
                wait_healthy(f"{url}/_stcore/health", process)
        wait_healthy(f"{cluster.url}/_stcore/health", cluster.processes[-1])
    except BaseException:
        cluster.stop()
        raise
    return cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=2, help="how many (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--first-port", type=int, default=8501,
                        help="the first instance's port; the others follow (default 8501)")
    parser.add_argument("--proxy-only", action="store_true",
                        help="run nginx only, in front of instances already running")
    parser.add_argument("--print-config", action="store_true",
                        help="print nginx's http-level configuration and exit")
    args = parser.parse_args(argv)
    ports = list(range(args.first_port, args.first_port + args.instances))
    if args.print_config:
        print(nginx_http_config(ports, str(args.port)), end="")
        return 0
    if not args.proxy_only and "VALUELIB_DATABASE_URL" not in os.environ:
        print("deploy/local.py: VALUELIB_DATABASE_URL is not set, so the instances share the "
              "SQLite file in VALUELIB_DATA_DIR (one machine only; use PostgreSQL to spread "
              "them over machines).", file=sys.stderr)
    cluster = start(ports, args.port, instances=not args.proxy_only)
    print(f"{args.instances} instance(s) on ports {ports[0]}–{ports[-1]} behind {cluster.url} "
          f"(logs in {cluster.workdir}); Ctrl-C stops them.", flush=True)
    try:
        while all(p.poll() is None for p in cluster.processes):
            time.sleep(1)
        print("deploy/local.py: a process exited; stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
