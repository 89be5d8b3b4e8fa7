# libunbound's side of the side-by-side benchmark (dev.daneel.bench.SideBySide runs it with Debian's
# /usr/bin/python3 and python3-unbound). Each thread mode gets a fresh context that forwards to the
# testkit world with the world's root DS as its only anchor; every lookup is timed here, so neither the
# interpreter's start-up nor the pipe is measured.
#
#   python3 libunbound_bench.py FORWARDER ANCHOR_FILE CONF_FILE NAMES_FILE WARM_SECONDS DELAYED_FORWARDER DEEP_NAMES
#
# NAMES_FILE: "name type" per line. DEEP_NAMES: comma-separated names, each resolved cold (its own
# context) through DELAYED_FORWARDER, a server that delays every answer, to measure the critical path.
# Phases run one at a time: the script reads a line on stdin ("go"), runs the next phase and prints its
# result as "key value" lines ("verdict ..." and "sample ..." repeat) ending with "end", so that the
# caller can read the server's query log between phases.
import select, sys, time, unbound

forwarder, anchor, conf, names_file, warm_seconds, delayed, deep = sys.argv[1:8]
warm_seconds = float(warm_seconds)
questions = []
with open(names_file) as f:
    for line in f:
        if line.strip():
            n, t = line.split()
            questions.append((n, int(t)))


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def context(fwd, threaded=False):
    ctx = unbound.ub_ctx()
    if ctx.config(conf) != 0:
        sys.exit("cannot read " + conf)
    if threaded and ctx.set_async(True) != 0:
        sys.exit("cannot make the context threaded")
    if ctx.set_fwd(fwd) != 0:
        sys.exit("cannot forward to " + fwd)
    if ctx.add_ta_file(anchor) != 0:
        sys.exit("cannot read the anchor " + anchor)
    return ctx


def verdict(status, r):
    if status != 0 or r is None:
        return "INDETERMINATE"
    if r.bogus:
        return "BOGUS"
    if not r.secure and r.rcode == 2:
        return "INDETERMINATE"
    count = len(r.data.raw) if r.havedata else 0
    return "%s %s %d" % ("SECURE" if r.secure else "INSECURE", "NXDOMAIN" if r.rcode == 3 else
                         ("NOERROR" if r.rcode == 0 else "RCODE%d" % r.rcode), count)


def serial_pass(ctx, verdicts=None):
    lat = []
    start = time.perf_counter()
    for n, t in questions:
        t0 = time.perf_counter()
        status, r = ctx.resolve(n, t, unbound.RR_CLASS_IN)
        lat.append(time.perf_counter() - t0)
        if verdicts is not None:
            verdicts.append(verdict(status, r))
    return time.perf_counter() - start, lat


def concurrent_pass(ctx, window, verdicts=None):
    """Keeps WINDOW lookups in flight through resolve_async, as 8 application threads would."""
    lat = [0.0] * len(questions)
    out = [None] * len(questions)
    started = [0.0] * len(questions)
    state = {"next": 0, "done": 0}

    def callback(i, status, r):
        lat[i] = time.perf_counter() - started[i]
        out[i] = verdict(status, r)
        state["done"] += 1
        submit()

    def submit():
        i = state["next"]
        if i < len(questions):
            state["next"] = i + 1
            started[i] = time.perf_counter()
            n, t = questions[i]
            status, _ = ctx.resolve_async(n, i, callback, t, unbound.RR_CLASS_IN)
            if status != 0:
                sys.exit("resolve_async failed: " + unbound.ub_strerror(status))

    start = time.perf_counter()
    for _ in range(window):
        submit()
    fd = ctx.get_fd()
    while state["done"] < len(questions):
        select.select([fd], [], [], 1.0)
        ctx.process()
    wall = time.perf_counter() - start
    if verdicts is not None:
        verdicts.extend(out)
    return wall, lat


def warm_repeat(run):
    wall, lat, passes = 0.0, [], 0
    while passes < 2 or wall < warm_seconds:
        w, l = run()
        wall += w
        lat.extend(l)
        passes += 1
    return wall, lat


def summary(wall, lat):
    s = sorted(lat)
    return {"lookups": len(s), "wall_s": "%.6f" % wall, "median_us": "%.3f" % (s[len(s) // 2] * 1e6),
            "p99_us": "%.3f" % (s[min(len(s) - 1, int(len(s) * 0.99))] * 1e6)}


def phase(name, body):
    if not sys.stdin.readline():
        sys.exit(0)  # the caller went away
    data = body()
    print("phase " + name)
    for key, value in data.items():
        for item in (value if isinstance(value, list) else [value]):
            print("%s %s" % (key, item))
    print("end")
    sys.stdout.flush()


for threads in (1, 8):
    box = {}

    def cold(threads=threads, box=box):
        box["before"] = rss_kib()
        box["ctx"] = context(forwarder, threaded=threads > 1)
        verdicts = []
        if threads == 1:
            wall, lat = serial_pass(box["ctx"], verdicts)
        else:
            wall, lat = concurrent_pass(box["ctx"], threads, verdicts)
        out = summary(wall, lat)
        out["verdict"] = verdicts
        out["version"] = unbound.ub_version()
        return out

    def warm(threads=threads, box=box):
        ctx = box["ctx"]
        verdicts = []
        if threads == 1:
            serial_pass(ctx, verdicts)
            wall, lat = warm_repeat(lambda: serial_pass(ctx))
        else:
            concurrent_pass(ctx, threads, verdicts)
            wall, lat = warm_repeat(lambda: concurrent_pass(ctx, threads))
        out = summary(wall, lat)
        out["verdict"] = verdicts
        out["rss_growth_kib"] = rss_kib() - box["before"]
        del box["ctx"]
        return out

    phase("cold%d" % threads, cold)
    phase("warm%d" % threads, warm)


def deep_phase():
    lat = []
    for n in [x for x in deep.split(",") if x]:
        ctx = context(delayed)
        t0 = time.perf_counter()
        ctx.resolve(n, 1, unbound.RR_CLASS_IN)
        lat.append(time.perf_counter() - t0)
        del ctx
    return {"sample": lat}


phase("deep", deep_phase)
