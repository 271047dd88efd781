#!/usr/bin/env python3
"""The fault suite (`make test-faults`): faults injected into a throwaway
Inkwell stack (tests/stack/start.sh faults: var/faults, nginx on
127.0.0.1:$INKWELL_HTTP_PORT, default 8083, SMTP sink on $INKWELL_SMTP_PORT,
default 8028) under wrk load, each experiment asserting its numbers.

    tests/faults/run.py [EXPERIMENT...]     (default: all, in order)
    FAULTS_QUICK=1 tests/faults/run.py      (shorter loads and soak, for CI)

Every experiment prints what it measured; the last line is
`N passed, M failed`; the exit status is non-zero if any failed. Only
127.0.0.1 and unix sockets under var/ are used. Python 3 standard library,
wrk, curl-free.
"""
import email
import email.header
import fcntl
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STACK = os.path.join(ROOT, "tests", "stack")
QUICK = os.environ.get("FAULTS_QUICK") == "1"
UA = "inkwell-faults/1"
PASSWORD = "faults-password-1"


def say(*parts):
    print("[faults]", *parts, flush=True)


# ---------------------------------------------------------------- the stack

def stack_env():
    """The faults stack's environment, as env.sh sets it (--paths-only)."""
    out = subprocess.run(
        ["bash", "-c", f'source "{STACK}/env.sh" faults --paths-only && env -0'],
        check=True, capture_output=True).stdout
    env = dict(kv.split("=", 1) for kv in out.decode().split("\0") if "=" in kv)
    return env


ENV = {}


def setup_env():
    os.environ.setdefault("INKWELL_HTTP_PORT", "8083")
    os.environ.setdefault("INKWELL_SMTP_PORT", "8028")
    # Short mail timeouts and back-off: the mail experiments stay short.
    os.environ.setdefault("INKWELL_MAIL_TIMEOUT", "3")
    os.environ.setdefault("INKWELL_MAIL_RETRY_MAX", "2")
    os.environ.setdefault("INKWELL_MAIL_POLL_MS", "200")
    os.environ.setdefault("INKWELL_MAIL_MAX_ATTEMPTS", "2")
    os.environ.setdefault("INKWELL_DB_TIMEOUT_MS", "5000")
    ENV.update(stack_env())
    # The full application environment (secret key...) once the stack exists.


def full_env():
    out = subprocess.run(
        ["bash", "-c", f'source "{STACK}/env.sh" faults >/dev/null && env -0'],
        check=True, capture_output=True).stdout
    return dict(kv.split("=", 1) for kv in out.decode().split("\0") if "=" in kv)


def script(name, *args, check=True, capture=False, env_changes=None):
    """Runs tests/stack/NAME.sh ARGS... faults-stack scripts."""
    cmd = [os.path.join(STACK, name + ".sh"), *args]
    env = dict(APP_ENV or os.environ)
    env.update(env_changes or {})
    r = subprocess.run(cmd, env=env, capture_output=capture, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stdout}{r.stderr}")
    return r


APP_ENV = {}


def port():
    return int(ENV["HTTP_PORT"])


def stack_dir():
    return ENV["STACK_DIR"]


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return False


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d))
        except (OSError, IndexError, ValueError):
            pass
    return out


def master_pid():
    return read_pid(os.path.join(stack_dir(), "run", "inkwell.pid"))


def stack_processes(name):
    """Every live process of this stack running NAME (as stack_pids in lib.sh)."""
    out = []
    marker = ("INKWELL_STACK_DIR=" + stack_dir()).encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                argv0 = f.read().split(b"\0")[0]
            if os.path.basename(argv0) != name.encode():
                continue
            with open(f"/proc/{d}/environ", "rb") as f:
                if marker not in f.read().split(b"\0"):
                    continue
            if alive(int(d)):
                out.append(int(d))
        except OSError:
            pass
    return out


ACCEPT_SYSCALLS = {"43", "288"}  # x86_64 accept, accept4


def busy_workers():
    """Workers inside a request (not waiting in accept)."""
    busy = []
    for pid in children(master_pid() or -1):
        try:
            with open(f"/proc/{pid}/syscall") as f:
                nr = f.read().split()[0]
        except (OSError, IndexError):
            continue
        if nr not in ACCEPT_SYSCALLS:
            busy.append(pid)
    return busy


def find_busy_worker(seconds):
    """A worker inside a request, waiting up to SECONDS for one; else None."""
    deadline = time.monotonic() + seconds
    while True:
        busy = busy_workers()
        if busy or time.monotonic() >= deadline:
            return busy[0] if busy else None
        time.sleep(0.01)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def mysqld_pid():
    return read_pid(os.path.join(stack_dir(), "run", "mysqld.pid"))


def log_path(name):
    return os.path.join(stack_dir(), "log", name)


def count_in_log(name, needle, offset=0):
    try:
        with open(log_path(name), "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace").count(needle)
    except OSError:
        return 0


def log_size(name):
    try:
        return os.path.getsize(log_path(name))
    except OSError:
        return 0


# ----------------------------------------------------------------- HTTP

class Resp:
    def __init__(self, status, headers, body, elapsed, started, ended):
        self.status, self.headers, self.body = status, headers, body
        self.elapsed, self.started, self.ended = elapsed, started, ended

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def cookies(self):
        out = {}
        for k, v in self.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                out[name] = rest.split(";")[0]
        return out


def request(method, path, headers=None, body=None, timeout=30):
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port(), timeout=timeout)
    try:
        h = {"User-Agent": UA}
        h.update(headers or {})
        if body is not None and not isinstance(body, bytes):
            body = urllib.parse.urlencode(body).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        ended = time.monotonic()
        return Resp(r.status, r.getheaders(), data.decode(errors="replace"), ended - started,
                    started, ended)
    except (OSError, http.client.HTTPException) as e:
        ended = time.monotonic()
        return Resp(0, [], str(e), ended - started, started, ended)
    finally:
        conn.close()


def csrf_of(body):
    m = re.search(r'name="csrf_token" value="([^"]*)"', body)
    return m.group(1) if m else None


def login(email_addr):
    r = request("GET", "/auth/login")
    token, cookies = csrf_of(r.body), r.cookies()
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    r = request("POST", "/auth/login", {"Cookie": cookie},
                {"email": email_addr, "password": PASSWORD, "csrf_token": token})
    session = r.cookies().get("session")
    if r.status not in (302, 303) or not session:
        raise RuntimeError(f"login as {email_addr}: {r.status}, session={session!r}")
    return session


def register(email_addr, username):
    r = request("GET", "/auth/register")
    token, cookies = csrf_of(r.body), r.cookies()
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    r = request("POST", "/auth/register", {"Cookie": cookie},
                {"email": email_addr, "username": username, "password": PASSWORD,
                 "password2": PASSWORD, "csrf_token": token})
    return r.status


SESSION = None


def logged_in():
    return {"Cookie": f"session={SESSION}", "User-Agent": UA}


# ----------------------------------------------------------------- wrk

class Wrk:
    """wrk in the background; .result() waits and parses its report."""

    def __init__(self, path, seconds, connections=8, headers=None, timeout=20):
        self.seconds = seconds
        cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s",
               "--latency"]
        for k, v in (headers or {}).items():
            cmd += ["-H", f"{k}: {v}"]
        cmd.append(f"http://127.0.0.1:{port()}{path}")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)

    def result(self):
        out, _ = self.proc.communicate(timeout=self.seconds + 60)
        r = wrk_counts(out)
        m = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out)
        r["max_ms"] = to_ms(m.group(1)) if m else None
        m = re.search(r"99%\s+(\S+)", out)
        r["p99_ms"] = to_ms(m.group(1)) if m else None
        r["ok"] = self.proc.returncode == 0 and r["requests"] > 0
        return r


def wrk_counts(out):
    """wrk's report: its text, the requests, the non-2xx/3xx answers and the socket errors."""
    r = {"output": out}
    m = re.search(r"(\d+) requests in", out)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return r


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        return None
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v if unit == "ms" else v * 1000 if unit == "s" else v * 60000


# ----------------------------------------------------------------- a prober

class Prober:
    """Threads sending GET PATH one after another, recording each answer."""

    def __init__(self, path, headers, threads=2, interval=0.1):
        self.path, self.headers, self.interval = path, headers, interval
        self.results, self.stop_flag = [], False
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(threads)]
        for i, t in enumerate(self.threads):
            t.start()
            time.sleep(interval / len(self.threads))

    def loop(self):
        while not self.stop_flag:
            r = request("GET", self.path, self.headers, timeout=30)
            with self.lock:
                self.results.append(r)
            time.sleep(self.interval)

    def stop(self):
        self.stop_flag = True
        for t in self.threads:
            t.join(timeout=40)
        return self.results


# ----------------------------------------------------------------- mail

def maildir_recipients():
    out = []
    d = os.path.join(stack_dir(), "mail", "new")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            msg = email.message_from_binary_file(f)
        out.append((msg.get("To", ""), str(email.header.make_header(
            email.header.decode_header(msg.get("Subject", ""))))))
    return out


def confirmations_to(addresses):
    addresses = set(addresses)
    return [to for to, subject in maildir_recipients()
            if to in addresses and "Confirm" in subject]


def outbox_id_to(address):
    """The outbox id of the newest message to address (the mailer logs ids, not addresses)."""
    r = subprocess.run(
        ["mariadb", "--no-defaults", f"--socket={APP_ENV['INKWELL_DB_SOCKET']}",
         "--batch", "--skip-column-names", APP_ENV["INKWELL_DB_NAME"], "-e",
         f"SELECT MAX(id) FROM mail_outbox WHERE recipient = '{address}'"],
        capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ""


def outbox_count(where):
    r = subprocess.run(
        ["mariadb", "--no-defaults", f"--socket={APP_ENV['INKWELL_DB_SOCKET']}",
         "--batch", "--skip-column-names", APP_ENV["INKWELL_DB_NAME"], "-e",
         f"SELECT COUNT(*) FROM mail_outbox WHERE {where}"],
        capture_output=True, text=True)
    return int(r.stdout.strip() or -1) if r.returncode == 0 else -1


# ----------------------------------------------------------------- experiments

RESULTS = []


def check(name, ok, numbers):
    line = f"{'PASS' if ok else 'FAIL'} {name}: {numbers}"
    RESULTS.append((name, ok, line))
    say(line)


def wait_for(predicate, seconds, step=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def exp_worker_kills():
    """kill -9 of a busy worker every 2 s under wrk on a logged-in page."""
    seconds = 12 if QUICK else 20
    load = Wrk("/", seconds, connections=8, headers=logged_in())
    kills = misses = 0
    # Kills on a fixed 2 s schedule from 1 s into the load to 2 s before its
    # end, so a slow search for a busy worker does not shorten the count.
    start = time.monotonic() + 1
    attempts = (seconds - 3) // 2 + 1
    for k in range(attempts):
        time.sleep(max(0.0, start + 2 * k - time.monotonic()))
        victim = find_busy_worker(0.5)
        if victim:
            try:
                os.kill(victim, signal.SIGKILL)
                kills += 1
            except ProcessLookupError:
                misses += 1
        else:
            misses += 1
    r = load.result()
    check("kill -9 of a busy worker every 2 s under load",
          r["ok"] and kills >= attempts - 2 and r["non2xx"] == 0 and r["socket_errors"] == 0,
          f"{kills} kills of {attempts} tries ({misses} found no busy worker), "
          f"{r['requests']} requests, {r['non2xx']} non-2xx, {r['socket_errors']} socket errors")


def exp_post_meets_dead_worker():
    """A POST whose worker dies gets Inkwell's own 502 page, not nginx's."""
    # Every worker idle in accept first: a worker still starting (one the
    # last experiment's kills made the master spawn) would look busy too.
    wait_for(lambda: len(children(master_pid())) >= 2 and not busy_workers(), 10)
    db = mysqld_pid()
    os.kill(db, signal.SIGSTOP)  # the worker waits inside the request
    try:
        result = {}
        t = threading.Thread(target=lambda: result.update(
            r=request("POST", "/", logged_in(), {"x": "1"}, timeout=30)))
        t.start()
        victim = find_busy_worker(3)
        if victim:
            os.kill(victim, signal.SIGKILL)
        t.join(30)
    finally:
        os.kill(db, signal.SIGCONT)
    r = result.get("r")
    ok = victim is not None and r is not None and r.status == 502 and \
        "Temporarily Unavailable" in r.body and "nginx" not in r.body
    check("a POST that meets a dead worker gets Inkwell's 502 page", ok,
          f"status {r.status if r else None}, Inkwell page "
          f"{'yes' if r and 'Temporarily Unavailable' in r.body else 'no'}")
    wait_for(lambda: request("GET", "/", logged_in()).status == 200, 10)


def exp_master_kill():
    """kill -9 of the master: no orphan survives 1 s; the scripts see it."""
    master = master_pid()
    workers = children(master)
    os.kill(master, signal.SIGKILL)
    t0 = time.monotonic()
    gone = wait_for(lambda: not any(alive(w) for w in workers), 5, 0.01)
    orphan_s = time.monotonic() - t0
    status = script("pool", "status", "faults", check=False, capture=True)
    status_ok = status.returncode != 0 and "orphan" not in status.stdout
    # The scripts must also see and stop orphans the kernel did not stop: a
    # worker stopped (SIGSTOP) when its master died keeps its SIGTERM pending.
    script("pool", "start", "faults", capture=True)
    master = master_pid()
    wait_for(lambda: len(children(master)) >= 2, 10)
    frozen = children(master)[0]
    os.kill(frozen, signal.SIGSTOP)
    os.kill(master, signal.SIGKILL)
    time.sleep(0.5)
    seen = script("pool", "status", "faults", check=False, capture=True)
    seen_ok = seen.returncode == 3 and str(frozen) in seen.stdout
    stop = script("pool", "stop", "faults", check=False, capture=True)
    stopped_ok = stop.returncode == 0 and not stack_processes("inkwell-fcgi")
    script("pool", "start", "faults", capture=True)
    serving = wait_for(lambda: request("GET", "/", logged_in()).status == 200, 10)
    check("kill -9 of the master", gone and orphan_s <= 1.0 and status_ok and seen_ok and
          stopped_ok and serving,
          f"workers gone after {orphan_s:.2f} s; status after: exit {status.returncode}; "
          f"a frozen orphan reported: {'yes' if seen_ok else 'no'}, stopped: "
          f"{'yes' if stopped_ok else 'no'}; restarted and serving: {'yes' if serving else 'no'}")


def exp_db_stall():
    """SIGSTOP MariaDB 10 s under load."""
    timeout_s = -(-int(APP_ENV.get("INKWELL_DB_TIMEOUT_MS", "5000")) // 1000)
    stall = 10
    offset = log_size("inkwell.log")
    load = Wrk("/", stall + 6, connections=8, headers=logged_in())
    probe = Prober("/", logged_in(), threads=2, interval=0.1)
    time.sleep(2)
    db = mysqld_pid()
    os.kill(db, signal.SIGSTOP)
    t_stop = time.monotonic()
    time.sleep(stall)
    os.kill(db, signal.SIGCONT)
    t_cont = time.monotonic()
    time.sleep(4)
    results = probe.stop()
    r = load.result()
    during = [x for x in results if t_stop + 0.5 < x.ended < t_cont]
    unavailable = [x for x in during if x.status == 503 and x.header("Retry-After")]
    after = [x for x in results if x.status == 200 and x.ended > t_cont]
    recovery = min(x.ended for x in after) - t_cont if after else None
    slowest = max([x.elapsed for x in results] + [(r["max_ms"] or 0) / 1000])
    log_lines = count_in_log("inkwell.log", "database unavailable", offset)
    ok = (r["ok"] and r["socket_errors"] == 0 and slowest <= timeout_s + 1 and
          len(unavailable) > 0 and recovery is not None and recovery <= 2 and
          log_lines <= stall + 6)
    check(f"SIGSTOP MariaDB {stall} s under load", ok,
          f"slowest response {slowest:.2f} s (limit {timeout_s + 1} s); "
          f"{len(unavailable)} of {len(during)} probes during the stall got 503 + Retry-After; "
          f"first 200 {recovery if recovery is None else round(recovery, 2)} s after SIGCONT; "
          f"{log_lines} 'database unavailable' log lines")


def exp_db_restart():
    """SIGTERM MariaDB, restart it: 503 then 200, no pool restart."""
    master = master_pid()
    script("mariadb", "stop", "faults", capture=True)
    down = request("GET", "/", logged_in())
    t0 = time.monotonic()
    script("mariadb", "start", "faults", capture=True)
    t_up = time.monotonic()
    back = wait_for(lambda: request("GET", "/", logged_in()).status == 200, 10, 0.1)
    recovery = time.monotonic() - t_up
    ok = down.status == 503 and bool(down.header("Retry-After")) and back and \
        master_pid() == master and alive(master)
    check("SIGTERM MariaDB, then restart it", ok,
          f"while down: {down.status} in {down.elapsed * 1000:.0f} ms; 200 again "
          f"{recovery:.2f} s after it answered (restart took {t_up - t0:.1f} s); "
          f"pool master unchanged: {'yes' if master_pid() == master else 'no'}")


def exp_broken_db_at_start():
    """The pool started with a wrong database password: 503, one clear line."""
    script("pool", "stop", "faults", capture=True)
    offset = log_size("inkwell.log")
    script("pool", "start", "faults", capture=True,
           env_changes={"INKWELL_DB_PASSWORD": "not-the-password"})
    wait_for(lambda: count_in_log("inkwell.log", "DATABASE UNAVAILABLE AT START", offset) > 0, 15)
    answers = [request("GET", "/", logged_in()) for _ in range(5)]
    statuses = sorted({r.status for r in answers})
    lines = count_in_log("inkwell.log", "DATABASE UNAVAILABLE AT START", offset)
    denied = count_in_log("inkwell.log", "Access denied", offset)
    script("pool", "stop", "faults", capture=True)
    script("pool", "start", "faults", capture=True)
    serving = wait_for(lambda: request("GET", "/", logged_in()).status == 200, 10)
    check("the pool started with a wrong database password",
          statuses == [503] and all(r.header("Retry-After") for r in answers) and lines == 1 and
          denied >= 1 and serving,
          f"answers {statuses} (5 requests, Retry-After on each: "
          f"{'yes' if all(r.header('Retry-After') for r in answers) else 'no'}); "
          f"{lines} start-up line naming the cause; 200 again after a restart with the right "
          f"password: {'yes' if serving else 'no'}")


def exp_smtp_outage():
    """SMTP sink down during 5 registrations, mailer kill -9, both back."""
    script("mailsink", "stop", "faults", capture=True)
    tag = str(int(time.time()))
    addresses = [f"outage{i}-{tag}@example.com" for i in range(5)]
    codes = [register(a, f"outage{i}_{tag}") for i, a in enumerate(addresses)]
    # Let the mailer claim and fail them, then kill it mid-outage.
    time.sleep(2)
    mailer = read_pid(os.path.join(stack_dir(), "run", "mailer.pid"))
    os.kill(mailer, signal.SIGKILL)
    wait_for(lambda: not alive(mailer), 5)
    script("mailsink", "start", "faults", capture=True)
    t0 = time.monotonic()
    script("mailer", "start", "faults", capture=True)
    delivered = wait_for(lambda: len(confirmations_to(addresses)) >= 5, 60, 0.2)
    took = time.monotonic() - t0
    time.sleep(3)  # a duplicate would show up now
    n = len(confirmations_to(addresses))
    check("SMTP outage, mailer kill -9 during it", all(c in (302, 303) for c in codes) and
          delivered and n == 5,
          f"{n} confirmation mails for 5 registrations, the last {took:.1f} s after the sink "
          f"and mailer came back (limit 60 s)")


class FakeSmtp:
    """A listener on the sink's port, each accepted connection given to
    self.handle(conn) by a thread until close()."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", int(ENV["SMTP_PORT"])))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn = self.sock.accept()[0]
            except socket.timeout:
                continue
            self.handle(conn)

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


class BlackHole(FakeSmtp):
    """An SMTP listener on the sink's port that accepts and never greets."""

    def __init__(self):
        self.held = []
        super().__init__()

    def handle(self, conn):
        self.held.append(conn)

    def close(self):
        super().close()
        for c in self.held:
            c.close()
        return len(self.held)


class RefusingSmtp(FakeSmtp):
    """An SMTP server on the sink's port that refuses every recipient (550)."""

    def __init__(self):
        self.refused = 0
        super().__init__()

    def handle(self, conn):
        with conn:
            self.session(conn)

    def session(self, conn):
        conn.settimeout(5)
        f = conn.makefile("rb")
        conn.sendall(b"220 refuser ESMTP\r\n")
        try:
            for line in f:
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250 refuser\r\n")
                elif verb == b"RCPT":
                    self.refused += 1
                    conn.sendall(b"550 5.1.1 no such mailbox\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                elif verb == b"DATA":
                    conn.sendall(b"554 5.5.1 no valid recipients\r\n")
                else:
                    conn.sendall(b"250 ok\r\n")
        except OSError:
            pass


def inkwell_cli(*args):
    return subprocess.run([os.path.join(APP_ENV["BUILD_DIR"], "inkwell"), *args], env=APP_ENV,
                          capture_output=True, text=True)


def exp_smtp_refusal():
    """A recipient refused for good (550): given up, shown, retried by the CLI."""
    max_attempts = int(APP_ENV.get("INKWELL_MAIL_MAX_ATTEMPTS", "5"))
    script("mailsink", "stop", "faults", capture=True)
    refuser = RefusingSmtp()
    tag = str(int(time.time()))
    address = f"refused-{tag}@example.com"
    code = register(address, f"refused_{tag}")
    where = f"recipient = '{address}' AND failed_at IS NOT NULL AND sent_at IS NULL"
    t0 = time.monotonic()
    given_up = wait_for(lambda: outbox_count(where) == 1, 60, 0.2)
    took = time.monotonic() - t0
    refuser.close()
    status = inkwell_cli("outbox-status")
    shown = status.returncode == 0 and address in status.stdout
    with open(os.path.join(ROOT, "sql", "admin", "outbox_status.sql")) as script_file:
        sql_status = subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={APP_ENV['INKWELL_DB_SOCKET']}", "--batch",
             APP_ENV["INKWELL_DB_NAME"]], stdin=script_file, capture_output=True, text=True)
    sql_shown = sql_status.returncode == 0 and address in sql_status.stdout
    script("mailsink", "start", "faults", capture=True)
    time.sleep(2)
    still_failed = outbox_count(where) == 1 and not confirmations_to([address])
    retry = inkwell_cli("outbox-retry", "--all")
    delivered = wait_for(lambda: len(confirmations_to([address])) == 1, 30, 0.2)
    check("an SMTP server that refuses the recipient (550)",
          code in (302, 303) and given_up and shown and sql_shown and still_failed and
          retry.returncode == 0 and delivered,
          f"given up after {max_attempts} refusals in {took:.1f} s; shown as failed by "
          f"`inkwell outbox-status`: {'yes' if shown else 'no'}, by outbox_status.sql: "
          f"{'yes' if sql_shown else 'no'}; not tried again: {'yes' if still_failed else 'no'}; "
          f"delivered after `inkwell outbox-retry --all`: {'yes' if delivered else 'no'}")


def exp_mailer_killed_mid_send():
    """The mailer killed while it waits on an SMTP server: its claim runs out."""
    script("mailsink", "stop", "faults", capture=True)
    hole = BlackHole()
    tag = str(int(time.time()))
    addresses = [f"midsend{i}-{tag}@example.com" for i in range(3)]
    codes = [register(a, f"midsend{i}_{tag}") for i, a in enumerate(addresses)]
    # The mailer has claimed the batch and waits for a greeting: kill it.
    waiting = wait_for(lambda: len(hole.held) > 0, 10)
    mailer = read_pid(os.path.join(stack_dir(), "run", "mailer.pid"))
    os.kill(mailer, signal.SIGKILL)
    wait_for(lambda: not alive(mailer), 5)
    t0 = time.monotonic()
    hole.close()
    script("mailsink", "start", "faults", capture=True)
    script("mailer", "start", "faults", capture=True)
    limit = 30 + 10  # the claim lease, plus a poll, a retry and some slack
    delivered = wait_for(lambda: len(confirmations_to(addresses)) >= 3, limit + 20, 0.2)
    took = time.monotonic() - t0
    time.sleep(3)  # a duplicate would show up now
    n = len(confirmations_to(addresses))
    check("mailer kill -9 in the middle of an SMTP session",
          all(c in (302, 303) for c in codes) and waiting and delivered and n == 3 and
          took <= limit,
          f"{n} confirmation mails for 3 registrations, the last {took:.1f} s after the kill "
          f"(limit {limit} s: a 30 s lease, renewed while sending)")


def exp_smtp_black_hole():
    """An SMTP listener that accepts and never greets: delivery goes on."""
    mail_timeout = int(APP_ENV.get("INKWELL_MAIL_TIMEOUT", "10"))
    retry_max = int(APP_ENV.get("INKWELL_MAIL_RETRY_MAX", "300"))
    script("mailsink", "stop", "faults", capture=True)
    hole = BlackHole()
    tag = str(int(time.time()))
    address = f"blackhole-{tag}@example.com"
    offset = log_size("mailer.log")
    code = register(address, f"blackhole_{tag}")
    # The mailer's attempt meets the black hole, and gives up on the greeting
    # after its timeout...
    wait_for(lambda: len(hole.held) > 0, 10, 0.01)
    t_conn = time.monotonic()
    msg_id = outbox_id_to(address)
    gave_up = wait_for(lambda: count_in_log("mailer.log", f"message {msg_id} <", offset) > 0 and
                       count_in_log("mailer.log", ": failed (attempt", offset) > 0,
                       mail_timeout + 10, 0.05)
    gave_up_s = time.monotonic() - t_conn
    connections = hole.close()
    # ...and a real sink comes back.
    script("mailsink", "start", "faults", capture=True)
    t0 = time.monotonic()
    limit = mail_timeout + retry_max + 5
    delivered = wait_for(lambda: len(confirmations_to([address])) >= 1, limit + 30, 0.2)
    took = time.monotonic() - t0
    check("a black-holed SMTP listener", code in (302, 303) and connections > 0 and gave_up and
          gave_up_s <= mail_timeout + 1 and delivered and took <= limit,
          f"the mailer gave up on the silent server after {gave_up_s:.1f} s (limit "
          f"{mail_timeout + 1} s); delivered {took:.1f} s after the real sink returned (limit "
          f"{limit} s = timeout {mail_timeout} + retry {retry_max} + 5)")


def exp_reloads():
    """SIGHUP ×3 under load: 0 errors."""
    seconds = 10
    load = Wrk("/", seconds, connections=8, headers=logged_in())
    for _ in range(3):
        time.sleep(2.5)
        script("pool", "reload", "faults", capture=True)
    r = load.result()
    check("SIGHUP x3 under load", r["ok"] and r["non2xx"] == 0 and r["socket_errors"] == 0,
          f"{r['requests']} requests, {r['non2xx']} non-2xx, {r['socket_errors']} socket errors")


def exp_half_open():
    """200 half-open connections: p99 of GET / under 100 ms."""
    held = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", port()), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
        held.append(s)
    time.sleep(0.5)
    r = Wrk("/", 5, connections=4).result()
    for s in held:
        s.close()
    check("200 half-open connections", r["ok"] and r["non2xx"] == 0 and r["p99_ms"] is not None
          and r["p99_ms"] < 100,
          f"p99 of GET / {r['p99_ms']} ms (limit 100 ms), {r['requests']} requests")


def exp_soak():
    """A soak on one cached and one uncached page: 0 errors, flat RSS."""
    seconds = 20 if QUICK else 60
    warm = [Wrk("/", 3, 4), Wrk("/", 3, 4, logged_in())]
    for w in warm:
        w.result()
    workers = children(master_pid())
    before = {w: rss_kib(w) for w in workers}
    loads = [Wrk("/", seconds, 4), Wrk("/", seconds, 4, logged_in())]
    rs = [w.result() for w in loads]
    same = sorted(children(master_pid())) == sorted(workers)
    growth = {w: rss_kib(w) - before[w] for w in workers if alive(w)}
    worst = max(growth.values()) if growth else None
    errors = sum(r["non2xx"] + r["socket_errors"] for r in rs)
    check(f"{seconds} s soak (cached and uncached page)",
          all(r["ok"] for r in rs) and errors == 0 and same and worst is not None and
          worst < 1024,
          f"{rs[0]['requests']} cached + {rs[1]['requests']} uncached requests, {errors} "
          f"errors; worker RSS growth {worst} KiB (limit 1024), same workers: "
          f"{'yes' if same else 'no'}")


EXPERIMENTS = [
    ("worker-kills", exp_worker_kills),
    ("post-dead-worker", exp_post_meets_dead_worker),
    ("master-kill", exp_master_kill),
    ("db-stall", exp_db_stall),
    ("db-restart", exp_db_restart),
    ("db-broken-at-start", exp_broken_db_at_start),
    ("smtp-outage", exp_smtp_outage),
    ("smtp-black-hole", exp_smtp_black_hole),
    ("mailer-mid-send", exp_mailer_killed_mid_send),
    ("smtp-refusal", exp_smtp_refusal),
    ("reloads", exp_reloads),
    ("half-open", exp_half_open),
    ("soak", exp_soak),
]


def main(argv):
    global SESSION
    wanted = argv[1:] or [name for name, _ in EXPERIMENTS]
    unknown = set(wanted) - {name for name, _ in EXPERIMENTS}
    if unknown:
        print(f"unknown experiments: {' '.join(sorted(unknown))}; known: "
              f"{' '.join(n for n, _ in EXPERIMENTS)}", file=sys.stderr)
        return 2
    setup_env()
    # One fault run per tree at a time: the stack's directory and ports are shared.
    os.makedirs(os.path.join(ROOT, "var"), exist_ok=True)
    lock = open(os.path.join(ROOT, "var", "faults.lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    say(f"starting the faults stack in {stack_dir()} (http 127.0.0.1:{port()})")
    started = subprocess.run([os.path.join(STACK, "start.sh"), "faults"])
    if started.returncode != 0:
        subprocess.run([os.path.join(STACK, "stop.sh"), "faults"])
        print("0 passed, 1 failed")
        return 1
    APP_ENV.update(full_env())
    t_start = time.monotonic()
    try:
        inkwell = os.path.join(APP_ENV["BUILD_DIR"], "inkwell")
        subprocess.run([inkwell, "create-user", "--email", "faults@example.com", "--username",
                        "faults", "--confirmed"], input=PASSWORD + "\n", text=True, env=APP_ENV,
                       check=True, capture_output=True)
        SESSION = login("faults@example.com")
        for name, fn in EXPERIMENTS:
            if name not in wanted:
                continue
            say(f"--- {name}: {fn.__doc__.strip()}")
            try:
                fn()
            except Exception as e:  # an experiment that could not run failed
                check(name, False, f"could not run: {e!r}")
    finally:
        say(f"experiments took {time.monotonic() - t_start:.0f} s; stopping the stack")
        subprocess.run([os.path.join(STACK, "stop.sh"), "faults"], env=APP_ENV,
                       capture_output=True)
    passed = sum(1 for _, ok, _ in RESULTS if ok)
    failed = len(RESULTS) - passed
    # The failures again at the end, where a CI log's tail shows them.
    for _, ok, line in RESULTS:
        if not ok:
            print(line)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
