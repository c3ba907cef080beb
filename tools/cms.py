"""The web editor on this machine: `make cms`.

    python tools/cms.py [-s pelicanconf.py] [-c content] [-o output]
                        [--host 127.0.0.1] [--port 8000] [--backend-port 0]

Starts two processes and watches over them:

- decap-server (node_modules/.bin, from package-lock.json) on 127.0.0.1 and
  a free port (or --backend-port): it reads and writes the files of this
  working copy for the editor, with no account and no network;
- the live preview of `make serve` (tools/serve.py), which also serves the
  editor at /admin/ with a configuration made from the content model
  (tools/cms_config.py, written to cache/cms/).

Ctrl+C or SIGTERM stops both, with everything they started; nothing keeps
the ports. When one of them stops by itself, the other is stopped too.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "plugins"))
from serve import add_site_arguments, group_alive  # noqa: E402


def free_port(host):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def listening(host, port):
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((host, port)) == 0


def stop(process, grace=10.0, group=False):
    """SIGTERM to the process (or its whole group), SIGKILL to the group
    after `grace` seconds; returns when it has ended."""
    if process is None:
        return
    send = (lambda sig: os.killpg(process.pid, sig)) if group else process.send_signal
    if process.poll() is None:
        try:
            send(signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    # Whatever the process started in its session goes with it.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not group_alive(process.pid):
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline and group_alive(process.pid):
            process.poll()
            time.sleep(0.05)
    process.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description="The web editor with the live preview.")
    add_site_arguments(parser)
    parser.add_argument("--backend-port", type=int, default=0,
                        help="the port of decap-server (0: a free one)")
    parser.add_argument("--config-folder", default="cache/cms")
    args = parser.parse_args(argv)

    server_bin = Path("node_modules/.bin/decap-server")
    if not server_bin.exists() or shutil.which("node") is None:
        print("make cms: decap-server is not installed; install Node.js and npm, then run "
              "npm ci (make node-tools)", file=sys.stderr)
        return 2
    if not Path(args.content).is_dir():
        print(f"{args.content}: folder: the content folder does not exist", file=sys.stderr)
        return 2

    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    import cms_config
    from portal import model

    backend_port = args.backend_port or free_port("127.0.0.1")
    settings = dict(model.project_settings(os.path.abspath(args.settings)),
                    PATH=os.path.abspath(args.content))
    cms_config.write(settings, args.config_folder, args.content, backend_port)

    os.environ.setdefault("SITEURL", f"http://localhost:{args.port}")
    backend = preview = None
    code = 0
    try:
        backend = subprocess.Popen(
            [str(server_bin)], start_new_session=True, stdin=subprocess.DEVNULL,
            env=dict(os.environ, PORT=str(backend_port), BIND_HOST="127.0.0.1", MODE="fs",
                     GIT_REPO_DIRECTORY=os.getcwd(), LOG_LEVEL="warn"))
        # The preview stops its own build processes on SIGTERM; a session of
        # its own keeps Ctrl+C in the terminal from reaching it twice.
        preview = subprocess.Popen(
            [sys.executable, str(ROOT / "tools" / "serve.py"), "-s", args.settings,
             "-c", args.content, "-o", args.output, "--host", args.host,
             "--port", str(args.port), "--admin", os.path.abspath(args.config_folder)],
            start_new_session=True, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not stopping and time.monotonic() < deadline:
            if backend.poll() is not None or preview.poll() is not None:
                break
            if listening("127.0.0.1", backend_port) and listening(args.host, args.port):
                address = os.environ["SITEURL"].rstrip("/") + "/admin/"
                print(f"Editor: {address}  (files saved by decap-server on 127.0.0.1:"
                      f"{backend_port}; Ctrl+C stops the editor and the preview)", flush=True)
                break
            time.sleep(0.1)
        while not stopping:
            for name, process in (("decap-server", backend), ("the preview", preview)):
                if process.poll() is not None:
                    print(f"make cms: {name} stopped (exit status {process.returncode}); "
                          "stopping the other too", file=sys.stderr, flush=True)
                    code = process.returncode or 1
                    stopping.append(None)
                    break
            time.sleep(0.1)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("Stopping the editor and the preview.", flush=True)
        stop(preview)
        stop(backend, grace=3.0, group=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
