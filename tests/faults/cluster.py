#!/usr/bin/env python3
"""`make test-cluster-faults`: faults of the cluster stack (tests/stack/start.sh
cluster: three Galera nodes, two app hosts, nginx on 127.0.0.1:8084) under
load: wrk sends logged-in GETs while POSTer threads write posts, each
remembering the posts acknowledged by a 302.

    tests/faults/cluster.py [node|pool ...]   (default: both, in order)

node: `kill -9` Galera node 1 (host 1's first choice) under load, then start
      it again (--wsrep-recover, then --wsrep_start_position: IST).
      Aims: < 0.1 % failed requests, 0 acknowledged posts lost, host 1 back
      on another node, node 1 Synced again by IST.
pool: `kill -9` host 1's whole pool under GET load.
      Aim: 0 failed GETs (nginx goes to host 2).

Prints the aims and the measured figures; the last line is `N passed, M
failed`. 127.0.0.1 and unix sockets under var/cluster only. Reuses the fault
suite's HTTP client and wrk runner (tests/faults/run.py).
"""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as faults  # noqa: E402  the fault suite's helpers

ROOT = faults.ROOT
STACK = faults.STACK
LOAD_SECONDS = int(os.environ.get("CLUSTER_FAULTS_SECONDS", "30"))
USERS = 4


def say(*parts):
    print("[cluster-faults]", *parts, flush=True)


def cluster_env():
    os.environ.setdefault("INKWELL_HTTP_PORT", "8084")
    os.environ.setdefault("INKWELL_SMTP_PORT", "8590")
    out = subprocess.run(
        ["bash", "-c", f'source "{STACK}/env.sh" cluster >/dev/null && env -0'],
        check=True, capture_output=True).stdout
    env = dict(kv.split("=", 1) for kv in out.decode().split("\0") if "=" in kv)
    faults.ENV.update(env)
    faults.ENV["HTTP_PORT"] = env["INKWELL_HTTP_PORT"]
    faults.ENV["STACK_DIR"] = env["INKWELL_STACK_DIR"]
    faults.APP_ENV.update(env)
    return env


def sh(*cmd, check=True, env=None):
    r = subprocess.run(list(cmd), capture_output=True, text=True, env=env)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stdout}{r.stderr}")
    return r.stdout


def sql(env, query, node=2):
    sock = os.path.join(env["INKWELL_CLUSTER_DIR"], f"node{node}", "run", "mysqld.sock")
    return sh("mariadb", "--no-defaults", f"--socket={sock}", "-uroot", "-N", "-B",
              env["INKWELL_DB_NAME"], "-e",
              "SET SESSION wsrep_sync_wait = 1; " + query)


# The posts counter minus the posts; authors whose post_count is not their
# posts; readers whose feed count is not their feed rows.
COUNTS_DRIFT = (
    "SELECT (SELECT value FROM counters WHERE name = 'posts') - (SELECT COUNT(*) FROM posts), "
    "(SELECT COUNT(*) FROM users u WHERE post_count <> "
    "(SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id)), "
    "(SELECT COUNT(*) FROM feed_counts c WHERE c.entries <> "
    "(SELECT COUNT(*) FROM feed_entries e WHERE e.reader_id = c.reader_id))")


def make_users(env):
    """USERS confirmed accounts, logged in: their session cookies."""
    sessions = []
    stamp = int(time.time())
    for i in range(USERS):
        email = f"cf{stamp}x{i}@example.com"
        p = subprocess.run([os.path.join(env["INKWELL_BUILD_DIR"], "inkwell"), "create-user",
                            "--email", email, "--username", f"cf{stamp}x{i}", "--confirmed"],
                           input=faults.PASSWORD + "\n", capture_output=True, text=True, env=env)
        if p.returncode != 0:
            raise RuntimeError(f"create-user: {p.stdout}{p.stderr}")
        sessions.append(faults.login(email))
    return sessions


class Poster:
    """A thread that writes posts one after another as one user and records
    which were acknowledged (302) and which failed."""

    def __init__(self, tag, session):
        self.tag, self.session = tag, session
        self.acked, self.failed, self.sent = [], [], 0
        self.stop_flag = False
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def headers(self):
        return {"Cookie": f"session={self.session}"}

    def loop(self):
        token = None
        n = 0
        while not self.stop_flag:
            if token is None:
                page = faults.request("GET", "/", self.headers())
                token = faults.csrf_of(page.body)
                if token is None:
                    time.sleep(0.2)
                    continue
            n += 1
            body = f"cluster fault post {self.tag} {n}"
            r = faults.request("POST", "/", self.headers(), {"body": body, "csrf_token": token})
            self.sent += 1
            # Acknowledged: the redirect home after the post was stored (a
            # redirect to the login page would be a lost session, a failure).
            if r.status in (302, 303) and (r.header("Location") or "").rstrip("/") in ("", "/"):
                self.acked.append(body)
            elif r.status in (302, 303):
                self.failed.append((body, r.status, "Location: " + str(r.header("Location"))))
                token = None
            else:
                self.failed.append((body, r.status, r.body[:120]))
                token = None
            time.sleep(0.05)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stop_flag = True
        self.thread.join(timeout=60)


def reader_headers(session):
    """wrk's logged-in GETs: the session's cookie and the User-Agent it was
    made with (a session used with another one is ended: its binding)."""
    return {"Cookie": f"session={session}", "User-Agent": faults.UA}


def check_still_logged_in(name, session):
    """The GETs measured were a logged-in reader's to the end."""
    page = faults.request("GET", "/", {"Cookie": f"session={session}"})
    check(f"{name}: the readers' session stayed logged in", page.status == 200 and
          "Hello, " in page.body and "Hello, Stranger" not in page.body,
          f"GET / answered {page.status}")


def count_log(path, needle, offset=0):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace").count(needle)
    except OSError:
        return 0


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


RESULTS = []


def check(name, ok, detail):
    RESULTS.append(ok)
    say(("PASS " if ok else "FAIL ") + name + ": " + detail)


def experiment_node(env, sessions):
    cluster = env["INKWELL_CLUSTER_DIR"]
    host1_log = os.path.join(cluster, "host1", "log", "inkwell.log")
    node1_log = os.path.join(cluster, "node1", "log", "mysqld.log")
    log_at, node_log_at = size(host1_log), size(node1_log)
    say(f"node: {LOAD_SECONDS} s of wrk (logged-in GETs) and {len(sessions)} posting users; "
        "kill -9 of Galera node 1 after 5 s, restarted after 15 s")
    say("aims: < 0.1 % failed requests; 0 acknowledged posts lost; host 1 reconnects to "
        "another node; node 1 rejoins by IST")
    wrk = faults.Wrk("/", LOAD_SECONDS, connections=8, headers=reader_headers(sessions[0]),
                     timeout=30)
    posters = [Poster(f"u{i}t{int(time.time())}", s) for i, s in enumerate(sessions)]
    for p in posters:
        p.start()
    time.sleep(5)
    killed_at = time.monotonic()
    sh(os.path.join(STACK, "galera.sh"), "kill-node", "1", "cluster", env=env)
    time.sleep(10)
    restart_at = time.monotonic()
    sh(os.path.join(STACK, "galera.sh"), "start-node", "1", "cluster", env=env)
    rejoined = time.monotonic() - restart_at
    w = wrk.result()
    for p in posters:
        p.stop()
    check_still_logged_in("node", sessions[0])
    sent = sum(p.sent for p in posters)
    acked = [b for p in posters for b in p.acked]
    failed_posts = [f for p in posters for f in p.failed]
    wrk_failed = w["non2xx"] + w["socket_errors"]
    total = w["requests"] + sent
    failed = wrk_failed + len(failed_posts)
    rate = 100.0 * failed / total if total else 100.0
    say(f"measured: {w['requests']} GETs ({w['non2xx']} non-2xx/3xx, {w['socket_errors']} "
        f"socket errors, p99 {w['p99_ms']} ms, max {w['max_ms']} ms); {sent} POSTs "
        f"({len(acked)} acknowledged, {len(failed_posts)} failed)")
    for f in failed_posts[:5]:
        say(f"  failed POST: {f}")
    check("node: failed requests < 0.1 %", total > 0 and rate < 0.1,
          f"{failed} of {total} ({rate:.3f} %)")
    # Every acknowledged post is on every node (node 1 too, after IST).
    missing = []
    per_node = {}
    for node in (1, 2, 3):
        found = set()
        for b in range(0, len(acked), 200):
            chunk = acked[b:b + 200]
            quoted = ",".join("'" + x.replace("'", "''") + "'" for x in chunk)
            found |= set(sql(env, f"SELECT body FROM posts WHERE body IN ({quoted})",
                             node).splitlines())
        missing += [(node, x) for x in acked if x not in found]
        per_node[node] = sum(1 for x in acked if x not in found)
    for m in missing[:3]:
        say(f"  missing: {m}")
    check("node: 0 acknowledged posts lost", len(acked) > 0 and not missing,
          f"{len(acked)} acknowledged, missing per node {per_node}")
    moved = count_log(host1_log, "database: connected to " +
                      os.path.join(cluster, "node3"), log_at)
    check("node: host 1 reconnected to another node", moved > 0,
          f"{moved} worker connection(s) of host 1 went to node 3")
    ist = count_log(node1_log, "IST received", node_log_at) + \
        count_log(node1_log, "Receiving IST", node_log_at)
    sst = count_log(node1_log, "rsync SST completed", node_log_at)
    size3 = sql(env, "SHOW STATUS LIKE 'wsrep_cluster_size'", 1).split()
    check("node: node 1 rejoined by IST", ist > 0 and sst == 0 and size3[-1:] == ["3"],
          f"Synced {rejoined:.1f} s after its start (killed at +5 s), IST lines {ist}, "
          f"SST {sst}, cluster size {size3[-1:]}")
    # Every count still agrees with its rows: a unit of work is all or
    # nothing on the cluster too (a post lost from a unit whose later
    # statements committed would leave the feeds' counts one too high).
    drift = sql(env, COUNTS_DRIFT).split()
    check("node: counters agree with their rows", drift == ["0", "0", "0"],
          f"posts counter off by {drift[0:1]}, authors' post counts wrong {drift[1:2]}, "
          f"feed counts wrong {drift[2:3]}")
    return killed_at


def experiment_pool(env, sessions):
    say(f"pool: 15 s of wrk (logged-in GETs); kill -9 of host 1's whole pool after 5 s")
    say("aim: 0 failed GETs (nginx fails over to host 2)")
    pid = sh(os.path.join(STACK, "cluster.sh"), "host", "1", "pool", "pid", env=env).strip()
    wrk = faults.Wrk("/", 15, connections=8, headers=reader_headers(sessions[0]), timeout=30)
    time.sleep(5)
    subprocess.run(["kill", "-KILL", "--", f"-{pid}"], check=False)
    w = wrk.result()
    failed = w["non2xx"] + w["socket_errors"]
    say(f"measured: {w['requests']} GETs, {w['non2xx']} non-2xx/3xx, {w['socket_errors']} "
        f"socket errors, p99 {w['p99_ms']} ms")
    check("pool: 0 failed GETs", w["requests"] > 0 and failed == 0,
          f"{failed} of {w['requests']}")
    check_still_logged_in("pool", sessions[0])
    sh(os.path.join(STACK, "cluster.sh"), "host", "1", "pool", "start", env=env)


def main(argv):
    wanted = argv[1:] or ["node", "pool"]
    env = cluster_env()
    say("starting the cluster stack")
    r = subprocess.run([os.path.join(STACK, "start.sh"), "cluster"], env=env)
    if r.returncode != 0:
        print("0 passed, 1 failed")
        return 1
    try:
        sessions = make_users(env)
        if "node" in wanted:
            experiment_node(env, sessions)
        if "pool" in wanted:
            experiment_pool(env, sessions)
    except Exception as e:  # a broken experiment is a failure, the stack still stops
        check("experiment ran", False, repr(e))
    finally:
        subprocess.run([os.path.join(STACK, "stop.sh"), "cluster"], env=env,
                       stdout=subprocess.DEVNULL)
    passed = sum(1 for x in RESULTS if x)
    failed = len(RESULTS) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
