#!/usr/bin/env python3
"""`make test-cluster-faults`: faults of the cluster stack (tests/stack/start.sh
cluster: three Galera nodes, two app hosts, nginx on 127.0.0.1:8084) under
load: wrk sends logged-in GETs while writer threads, one per user, post,
comment on the users' first posts and follow or unfollow the other users in
turn, each remembering what a 302 acknowledged.

    tests/faults/cluster.py [node|pool ...]   (default: both, in order)

node: `kill -9` Galera node 1 (host 1's first choice) under load, then start
      it again (--wsrep-recover, then --wsrep_start_position: IST).
      Aims: < 0.1 % failed requests; 0 acknowledged posts, comments or
      follows/unfollows lost on any node; every counter equal to its rows;
      host 1 back on another node, node 1 Synced again by IST.
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
# posts; readers whose feed count is not their feed rows; the comments
# counter minus the comments; posts whose comment_count is not their
# comments; users whose followers or following count is not their follows
# (the self-follow left out, as the counts leave it out).
COUNTS_DRIFT = (
    "SELECT (SELECT value FROM counters WHERE name = 'posts') - (SELECT COUNT(*) FROM posts), "
    "(SELECT COUNT(*) FROM users u WHERE post_count <> "
    "(SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id)), "
    "(SELECT COUNT(*) FROM feed_counts c WHERE c.entries <> "
    "(SELECT COUNT(*) FROM feed_entries e WHERE e.reader_id = c.reader_id)), "
    "(SELECT value FROM counters WHERE name = 'comments') - (SELECT COUNT(*) FROM comments), "
    "(SELECT COUNT(*) FROM posts p WHERE comment_count <> "
    "(SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)), "
    "(SELECT COUNT(*) FROM users u WHERE followers_count <> "
    "(SELECT COUNT(*) FROM follows f WHERE f.followed_id = u.id AND f.follower_id <> u.id) "
    "OR following_count <> "
    "(SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id AND f.followed_id <> u.id))")
DRIFT_NAMES = ("posts counter off by", "authors' post counts wrong", "feed counts wrong",
               "comments counter off by", "posts' comment counts wrong",
               "users' follow counts wrong")


def make_users(env):
    """USERS confirmed accounts, logged in: their usernames and session
    cookies."""
    users = []
    stamp = int(time.time())
    for i in range(USERS):
        name = f"cf{stamp}x{i}"
        email = f"{name}@example.com"
        p = subprocess.run([os.path.join(env["INKWELL_BUILD_DIR"], "inkwell"), "create-user",
                            "--email", email, "--username", name, "--confirmed"],
                           input=faults.PASSWORD + "\n", capture_output=True, text=True, env=env)
        if p.returncode != 0:
            raise RuntimeError(f"create-user: {p.stdout}{p.stderr}")
        users.append((name, faults.login(email)))
    return users


def quoted(values):
    return ",".join("'" + str(x).replace("'", "''") + "'" for x in values)


def seed_posts(env, users):
    """One post by each user before the load, written through the site: the
    posts the writers comment on. Their ids."""
    bodies = []
    for name, session in users:
        h = {"Cookie": f"session={session}"}
        token = faults.csrf_of(faults.request("GET", "/", h).body)
        body = f"cluster fault seed {name}"
        r = faults.request("POST", "/", h, {"body": body, "csrf_token": token})
        if r.status not in (302, 303):
            raise RuntimeError(f"seed post of {name}: {r.status}")
        bodies.append(body)
    return [int(x) for x in sql(env, f"SELECT id FROM posts WHERE body IN ({quoted(bodies)})")
            .split()]


class Writer:
    """A thread that writes as one user, in turn: a post, a comment on one of
    the seed posts, a follow or unfollow of one of the other users (each
    target followed, then unfollowed, and so on). It records what was
    acknowledged (the 302 to where the site sends a stored change) and what
    failed. A follow's 302 says the user follows the target now (newly or
    already); an unfollow's that they do not."""

    KINDS = ("post", "comment", "follow")

    def __init__(self, tag, session, others, posts):
        self.tag, self.session, self.others, self.posts = tag, session, others, posts
        self.acked, self.comments, self.failed = [], [], []
        self.sent = dict.fromkeys(self.KINDS, 0)
        # target -> [(wants to follow, acknowledged)] in order
        self.follows = {t: [] for t in others}
        self.stop_flag = False
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def headers(self):
        return {"Cookie": f"session={self.session}"}

    def write(self, n, token):
        """Sends write n: (its record, the Location that acknowledges it,
        the reply)."""
        kind = self.KINDS[n % len(self.KINDS)]
        self.sent[kind] += 1
        if kind == "post":
            body = f"cluster fault post {self.tag} {n}"
            r = faults.request("POST", "/", self.headers(), {"body": body, "csrf_token": token})
            return (kind, body), ("", "/"), r
        if kind == "comment":
            post = self.posts[(n // 3) % len(self.posts)]
            body = f"cluster fault comment {self.tag} {n}"
            r = faults.request("POST", f"/post/{post}", self.headers(),
                               {"body": body, "csrf_token": token})
            return (kind, body), (f"/post/{post}?page=-1#comments",), r
        target = self.others[(n // 3) % len(self.others)]
        want = len(self.follows[target]) % 2 == 0
        path = ("/follow/" if want else "/unfollow/") + target
        r = faults.request("POST", path, self.headers(), {"csrf_token": token})
        return (kind, (target, want)), (f"/user/{target}",), r

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
            (kind, what), places, r = self.write(n, token)
            # Acknowledged: the redirect to where the site goes after the
            # change was stored (a redirect to the login page would be a
            # lost session, a failure).
            location = r.header("Location") or ""
            ok = r.status in (302, 303) and (location.rstrip("/") if kind == "post"
                                             else location) in places
            if kind == "post" and ok:
                self.acked.append(what)
            elif kind == "comment" and ok:
                self.comments.append(what)
            elif kind == "follow":
                self.follows[what[0]].append((what[1], ok))
            if not ok:
                detail = "Location: " + location if r.status in (302, 303) else r.body[:120]
                self.failed.append((kind, what, r.status, detail))
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
    line = ("PASS " if ok else "FAIL ") + name + ": " + detail
    RESULTS.append((ok, line))
    say(line)


def present_on(env, node, query_prefix, values):
    """The values of `values` found by query_prefix + "IN (...)" on a node."""
    found = set()
    for b in range(0, len(values), 200):
        chunk = values[b:b + 200]
        found |= set(sql(env, f"{query_prefix} IN ({quoted(chunk)})", node).splitlines())
    return found


def check_all_on_every_node(env, what, acked, query_prefix):
    """Every acknowledged body is on every node (node 1 too, after IST)."""
    missing, per_node = [], {}
    for node in (1, 2, 3):
        found = present_on(env, node, query_prefix, acked)
        missing += [(node, x) for x in acked if x not in found]
        per_node[node] = sum(1 for x in acked if x not in found)
    for m in missing[:3]:
        say(f"  missing: {m}")
    check(f"node: 0 acknowledged {what} lost", len(acked) > 0 and not missing,
          f"{len(acked)} acknowledged, missing per node {per_node}")


def check_follows(env, users, writers):
    """Each writer's last follow or unfollow of each target, if it was
    acknowledged, is what every node has (one that failed last leaves the
    pair unknown: the change may or may not have been stored)."""
    expected, unknown = {}, 0
    for (name, _), w in zip(users, writers):
        for target, actions in w.follows.items():
            if not actions:
                continue
            want, acked = actions[-1]
            if acked:
                expected[(name, target)] = want
            else:
                unknown += 1
    names = quoted(name for name, _ in users)
    wrong = {}
    for node in (1, 2, 3):
        rows = sql(env, "SELECT a.username, b.username FROM follows f "
                   "JOIN users a ON a.id = f.follower_id JOIN users b ON b.id = f.followed_id "
                   f"WHERE a.username IN ({names}) AND f.follower_id <> f.followed_id", node)
        have = {tuple(line.split("\t")) for line in rows.splitlines()}
        wrong[node] = sum(1 for pair, want in expected.items() if (pair in have) != want)
    acked_actions = sum(1 for w in writers for a in w.follows.values() for _, ok in a if ok)
    check("node: 0 acknowledged follows/unfollows lost",
          acked_actions > 0 and len(expected) > 0 and not any(wrong.values()),
          f"{acked_actions} acknowledged; last state of {len(expected)} pairs checked "
          f"({unknown} left unknown by a failed last request), wrong per node {wrong}")


def experiment_node(env, users):
    cluster = env["INKWELL_CLUSTER_DIR"]
    host1_log = os.path.join(cluster, "host1", "log", "inkwell.log")
    node1_log = os.path.join(cluster, "node1", "log", "mysqld.log")
    sessions = [s for _, s in users]
    posts = seed_posts(env, users)
    log_at, node_log_at = size(host1_log), size(node1_log)
    say(f"node: {LOAD_SECONDS} s of wrk (logged-in GETs) and {len(users)} writing users "
        "(posts, comments, follows and unfollows); kill -9 of Galera node 1 after 5 s, "
        "restarted after 15 s")
    say("aims: < 0.1 % failed requests; 0 acknowledged posts, comments, follows or unfollows "
        "lost; every counter equal to its rows; host 1 reconnects to another node; node 1 "
        "rejoins by IST")
    wrk = faults.Wrk("/", LOAD_SECONDS, connections=8, headers=reader_headers(sessions[0]),
                     timeout=30)
    stamp = int(time.time())
    writers = [Writer(f"u{i}t{stamp}", s, [o for o, _ in users if o != name], posts)
               for i, (name, s) in enumerate(users)]
    for w in writers:
        w.start()
    time.sleep(5)
    killed_at = time.monotonic()
    sh(os.path.join(STACK, "galera.sh"), "kill-node", "1", "cluster", env=env)
    time.sleep(10)
    restart_at = time.monotonic()
    sh(os.path.join(STACK, "galera.sh"), "start-node", "1", "cluster", env=env)
    rejoined = time.monotonic() - restart_at
    w = wrk.result()
    for wr in writers:
        wr.stop()
    check_still_logged_in("node", sessions[0])
    sent = {k: sum(wr.sent[k] for wr in writers) for k in Writer.KINDS}
    acked = [b for wr in writers for b in wr.acked]
    comments = [b for wr in writers for b in wr.comments]
    follows = sum(1 for wr in writers for a in wr.follows.values() for _, ok in a if ok)
    failed_writes = [f for wr in writers for f in wr.failed]
    wrk_failed = w["non2xx"] + w["socket_errors"]
    total = w["requests"] + sum(sent.values())
    failed = wrk_failed + len(failed_writes)
    rate = 100.0 * failed / total if total else 100.0
    say(f"measured: {w['requests']} GETs ({w['non2xx']} non-2xx/3xx, {w['socket_errors']} "
        f"socket errors, p99 {w['p99_ms']} ms, max {w['max_ms']} ms); {sum(sent.values())} "
        f"POSTs: {sent['post']} posts ({len(acked)} acknowledged), {sent['comment']} comments "
        f"({len(comments)} acknowledged), {sent['follow']} follows/unfollows ({follows} "
        f"acknowledged); {len(failed_writes)} failed")
    for f in failed_writes[:5]:
        say(f"  failed POST: {f}")
    check("node: failed requests < 0.1 %", total > 0 and rate < 0.1,
          f"{failed} of {total} ({rate:.3f} %)")
    check_all_on_every_node(env, "posts", acked, "SELECT body FROM posts WHERE body")
    check_all_on_every_node(env, "comments", comments, "SELECT body FROM comments WHERE body")
    check_follows(env, users, writers)
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
    # Every count still agrees with its rows, on every node: a unit of work
    # is all or nothing on the cluster too (a post, comment or follow lost
    # from a unit whose later statements committed would leave a count one
    # too high).
    for node in (1, 2, 3):
        drift = sql(env, COUNTS_DRIFT, node).split()
        check(f"node: counters agree with their rows on node {node}",
              drift == ["0"] * len(DRIFT_NAMES),
              ", ".join(f"{name} {value}" for name, value in zip(DRIFT_NAMES, drift)))
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
        users = make_users(env)
        if "node" in wanted:
            experiment_node(env, users)
        if "pool" in wanted:
            experiment_pool(env, [s for _, s in users])
    except Exception as e:  # a broken experiment is a failure, the stack still stops
        check("experiment ran", False, repr(e))
    finally:
        subprocess.run([os.path.join(STACK, "stop.sh"), "cluster"], env=env,
                       stdout=subprocess.DEVNULL)
    passed = sum(1 for ok, _ in RESULTS if ok)
    failed = len(RESULTS) - passed
    # The failures again at the end, where a CI log's tail shows them.
    for ok, line in RESULTS:
        if not ok:
            print(line)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
