#!/usr/bin/python3
"""Zero-downtime test: restarts and binary upgrades of the pool under wrk load.

Starts the 'faults' throwaway stack (INKWELL_HTTP_PORT / INKWELL_SMTP_PORT
choose its ports), replaces its pool by one started the way systemd's
inkwell.socket starts it: this script holds the listening unix socket (as
systemd does) and hands it to inkwell-fcgi by the LISTEN_FDS/LISTEN_PID
protocol. Then, while wrk loads '/' and '/healthz':

  1. restart: SIGTERM to the pool (it drains), a new pool on the same socket;
  2. upgrade: a new binary renamed over the installed one, then SIGHUP (the
     master re-execs itself from it, keeping the socket and its pid);
  3. a second SIGHUP.

Passes when wrk saw no socket error and no non-2xx/3xx answer, each step
did what it says (new master pid after the restart, same pid and the new
file after SIGHUP), and the socket file outlived the restart.
Ends with 'N passed, M failed'; exit status 1 on any failure.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "faults"))
import run as faults  # noqa: E402  the fault suite's helpers (wrk's report)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STACK = "faults"
LOAD_SECONDS = 24

results = []


def check(name, ok, detail=""):
    results.append((name, ok))
    print(f"{'PASS' if ok else 'FAIL'}: {name}" + (f" ({detail})" if detail else ""), flush=True)


def stack_env():
    out = subprocess.run(
        ["bash", "-c", f"source '{ROOT}/tests/stack/env.sh' {STACK} && env -0"],
        check=True, capture_output=True).stdout
    env = {}
    for item in out.split(b"\0"):
        if b"=" in item:
            k, v = item.split(b"=", 1)
            env[k.decode()] = v.decode()
    return env


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    print(f"timed out after {timeout}s waiting for {what}", flush=True)
    return False


class SocketHolder:
    """What systemd's inkwell.socket does: holds the socket, starts the pool with it."""

    def __init__(self, env, binary, log_path):
        self.env = env
        self.binary = binary
        self.log_path = log_path
        path = env["INKWELL_SOCKET"]
        if os.path.exists(path):
            os.unlink(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        os.chmod(path, 0o666)
        self.sock.listen(1024)
        self.pid = None

    def start(self):
        log = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()
                os.dup2(self.sock.fileno(), 3)
                os.set_inheritable(3, True)
                os.dup2(log, 1)
                os.dup2(log, 2)
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
                env = dict(self.env, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
                os.execve(self.binary, [self.binary], env)
            finally:
                os._exit(127)
        os.close(log)
        self.pid = pid
        return pid

    def stop(self, timeout=40):
        if self.pid is None:
            return True
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.pid = None
                return True
            time.sleep(0.02)
        os.killpg(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.pid = None
        return False

    def close(self):
        self.sock.close()
        try:
            os.unlink(self.env["INKWELL_SOCKET"])
        except FileNotFoundError:
            pass


class Wrk:
    def __init__(self, url, seconds, connections):
        self.seconds = seconds
        self.proc = subprocess.Popen(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout=20s", url],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def result(self):
        out, _ = self.proc.communicate(timeout=self.seconds + 60)
        return faults.wrk_counts(out)


def log_has(path, text, start):
    with open(path, errors="replace") as f:
        f.seek(start)
        return text in f.read()


def main():
    subprocess.run([f"{ROOT}/tests/stack/start.sh", STACK], check=True)
    env = stack_env()
    holder = None
    try:
        subprocess.run([f"{ROOT}/tests/stack/pool.sh", "stop", STACK], check=True)
        stack_dir = env["STACK_DIR"]
        bin_dir = os.path.join(stack_dir, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        built = os.path.join(env["BUILD_DIR"], "inkwell-fcgi")
        installed = os.path.join(bin_dir, "inkwell-fcgi")
        shutil.copy2(built, installed)
        log_path = os.path.join(stack_dir, "log", "inkwell.log")
        holder = SocketHolder(env, installed, log_path)
        base = f"http://127.0.0.1:{env['HTTP_PORT']}"

        mark = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        first = holder.start()
        check("the pool starts on the inherited socket",
              wait_until(lambda: log_has(log_path, "serving the inherited socket", mark), 10,
                         "the pool's start") and
              wait_until(lambda: log_has(log_path, "the database answers", mark), 15,
                         "the database check"))

        loads = [Wrk(base + "/", LOAD_SECONDS, 8), Wrk(base + "/healthz", LOAD_SECONDS, 4)]
        time.sleep(4)

        # 1. restart: the socket stays with the holder while the pool drains.
        stopped = holder.stop()
        check("the old pool drained and stopped within 40 s", stopped)
        check("the socket file outlives the pool", os.path.exists(env["INKWELL_SOCKET"]))
        second = holder.start()
        check("a new master after the restart", second != first)
        time.sleep(5)

        # 2. upgrade: a new file renamed over the binary, then SIGHUP.
        staged = installed + ".new"
        shutil.copy2(built, staged)
        os.rename(staged, installed)
        new_inode = os.stat(installed).st_ino
        mark = os.path.getsize(log_path)
        os.kill(second, signal.SIGHUP)
        check("SIGHUP re-execs the master",
              wait_until(lambda: log_has(log_path, "re-executed;", mark), 15, "the re-exec"))
        exe = os.readlink(f"/proc/{second}/exe")
        check("the master keeps its pid and runs the new file",
              holder.pid == second and not exe.endswith("(deleted)") and
              os.stat(f"/proc/{second}/exe").st_ino == new_inode, exe)
        time.sleep(5)

        # 3. once more, same binary.
        mark = os.path.getsize(log_path)
        os.kill(second, signal.SIGHUP)
        check("a second SIGHUP re-execs again",
              wait_until(lambda: log_has(log_path, "re-executed;", mark), 15, "the re-exec"))

        for name, w in zip(["/", "/healthz"], loads):
            r = w.result()
            print(r["output"], flush=True)
            check(f"wrk {name}: requests served", r["requests"] > 0, f"{r['requests']}")
            check(f"wrk {name}: 0 socket errors", r["socket_errors"] == 0, f"{r['socket_errors']}")
            check(f"wrk {name}: 0 non-2xx/3xx", r["non2xx"] == 0, f"{r['non2xx']}")
    finally:
        if holder:
            holder.stop()
            holder.close()
        subprocess.run([f"{ROOT}/tests/stack/stop.sh", STACK])
    failed = sum(1 for _, ok in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
