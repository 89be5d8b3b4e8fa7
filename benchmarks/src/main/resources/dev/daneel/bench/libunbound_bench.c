/*
 * libunbound's side of the side-by-side benchmark through its C API, with nothing between the caller and
 * the library: the same phases, arguments and output as libunbound_bench.py, so dev.daneel.bench.Libunbound
 * drives either. The benchmark compiles this file at run time (gcc, Debian's libunbound-dev); no binary is
 * kept in the source tree.
 *
 *   cc -O2 -o libunbound_bench libunbound_bench.c -lunbound
 *   ./libunbound_bench FORWARDER ANCHOR_FILE CONF_FILE NAMES_FILE WARM_SECONDS DELAYED_FORWARDER DEEP_NAMES
 *
 * 1 in flight: synchronous ub_resolve, one name after the other. 8 in flight: ub_ctx_async(ctx, 1) (a
 * resolver thread) and ub_resolve_async with 8 lookups outstanding, the results collected by ub_process
 * when the context's file descriptor is readable. Each phase also reports the CPU seconds this process
 * used (getrusage), so CPU per cold lookup can be compared without the interpreter's share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>
#include <unbound.h>

#define MAX_NAME 256

struct question {
    char name[MAX_NAME];
    int type;
};

static const char *forwarder, *anchor, *conf, *delayed, *deep;
static double warm_seconds;
static struct question *questions;
static size_t question_count;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    if (f == NULL) {
        return 0;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

static void die(const char *what, const char *detail) {
    fprintf(stderr, "libunbound_bench: %s: %s\n", what, detail);
    exit(2);
}

static struct ub_ctx *context(const char *fwd, int threaded) {
    struct ub_ctx *ctx = ub_ctx_create();
    int rc;
    if (ctx == NULL) {
        die("ub_ctx_create", "returned NULL");
    }
    if ((rc = ub_ctx_config(ctx, conf)) != 0) {
        die(conf, ub_strerror(rc));
    }
    if (threaded && (rc = ub_ctx_async(ctx, 1)) != 0) {
        die("ub_ctx_async", ub_strerror(rc));
    }
    if ((rc = ub_ctx_set_fwd(ctx, fwd)) != 0) {
        die(fwd, ub_strerror(rc));
    }
    if ((rc = ub_ctx_add_ta_file(ctx, anchor)) != 0) {
        die(anchor, ub_strerror(rc));
    }
    return ctx;
}

/* The verdict in the benchmark's common form, as libunbound_bench.py writes it. */
static void verdict(int status, struct ub_result *r, char *out, size_t size) {
    int count = 0;
    if (status != 0 || r == NULL) {
        snprintf(out, size, "INDETERMINATE");
        return;
    }
    if (r->bogus) {
        snprintf(out, size, "BOGUS");
        return;
    }
    if (!r->secure && r->rcode == 2) {
        snprintf(out, size, "INDETERMINATE");
        return;
    }
    if (r->havedata) {
        while (r->data[count] != NULL) {
            count++;
        }
    }
    if (r->rcode == 3) {
        snprintf(out, size, "%s NXDOMAIN %d", r->secure ? "SECURE" : "INSECURE", count);
    } else if (r->rcode == 0) {
        snprintf(out, size, "%s NOERROR %d", r->secure ? "SECURE" : "INSECURE", count);
    } else {
        snprintf(out, size, "%s RCODE%d %d", r->secure ? "SECURE" : "INSECURE", r->rcode, count);
    }
}

/* Latencies of one or more passes, grown as needed. */
struct samples {
    double *v;
    size_t n, cap;
};

static void add(struct samples *s, double x) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = realloc(s->v, s->cap * sizeof(double));
        if (s->v == NULL) {
            die("realloc", strerror(errno));
        }
    }
    s->v[s->n++] = x;
}

static double serial_pass(struct ub_ctx *ctx, struct samples *lat, char (*verdicts)[64]) {
    double start = now();
    for (size_t i = 0; i < question_count; i++) {
        struct ub_result *r = NULL;
        double t0 = now();
        int status = ub_resolve(ctx, questions[i].name, questions[i].type, 1, &r);
        add(lat, now() - t0);
        if (verdicts != NULL) {
            verdict(status, r, verdicts[i], 64);
        }
        if (r != NULL) {
            ub_resolve_free(r);
        }
    }
    return now() - start;
}

/* Lookups started but not yet collected: the next to start, how many are done, their start times. */
struct window {
    struct ub_ctx *ctx;
    size_t next, done;
    double *started;
    struct samples *lat;
    char (*verdicts)[64];
};

static void submit(struct window *w);

/* The index of a lookup travels in a small heap cell with its window. */
struct cell {
    struct window *w;
    size_t index;
};

static void done(void *data, int status, struct ub_result *r) {
    struct cell *c = data;
    struct window *w = c->w;
    add(w->lat, now() - w->started[c->index]);
    if (w->verdicts != NULL) {
        verdict(status, r, w->verdicts[c->index], 64);
    }
    if (r != NULL) {
        ub_resolve_free(r);
    }
    w->done++;
    free(c);
    submit(w);
}

static void submit(struct window *w) {
    size_t i = w->next;
    struct cell *c;
    int rc;
    if (i >= question_count) {
        return;
    }
    w->next = i + 1;
    c = malloc(sizeof *c);
    if (c == NULL) {
        die("malloc", strerror(errno));
    }
    c->w = w;
    c->index = i;
    w->started[i] = now();
    rc = ub_resolve_async(w->ctx, questions[i].name, questions[i].type, 1, c, done, NULL);
    if (rc != 0) {
        die("ub_resolve_async", ub_strerror(rc));
    }
}

static double concurrent_pass(struct ub_ctx *ctx, int in_flight, struct samples *lat, char (*verdicts)[64]) {
    struct window w = {ctx, 0, 0, calloc(question_count, sizeof(double)), lat, verdicts};
    int fd = ub_fd(ctx);
    double start = now();
    for (int k = 0; k < in_flight; k++) {
        submit(&w);
    }
    while (w.done < question_count) {
        fd_set set;
        struct timeval tv = {1, 0};
        FD_ZERO(&set);
        FD_SET(fd, &set);
        select(fd + 1, &set, NULL, NULL, &tv);
        ub_process(ctx);
    }
    free(w.started);
    return now() - start;
}

static double run_pass(struct ub_ctx *ctx, int in_flight, struct samples *lat, char (*verdicts)[64]) {
    return in_flight == 1 ? serial_pass(ctx, lat, verdicts) : concurrent_pass(ctx, in_flight, lat, verdicts);
}

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static void summary(double wall, struct samples *lat, double cpu) {
    qsort(lat->v, lat->n, sizeof(double), compare);
    size_t p99 = (size_t) (lat->n * 0.99);
    if (p99 >= lat->n) {
        p99 = lat->n - 1;
    }
    printf("lookups %zu\nwall_s %.6f\nmedian_us %.3f\np99_us %.3f\ncpu_s %.6f\n", lat->n, wall,
           lat->v[lat->n / 2] * 1e6, lat->v[p99] * 1e6, cpu);
}

/* Waits for the caller's "go"; false when it went away. */
static int go(const char *phase) {
    char line[16];
    if (fgets(line, sizeof line, stdin) == NULL) {
        return 0;
    }
    (void) phase;
    return 1;
}

static void read_questions(const char *file) {
    FILE *f = fopen(file, "r");
    char name[MAX_NAME];
    int type;
    size_t cap = 0;
    if (f == NULL) {
        die(file, strerror(errno));
    }
    while (fscanf(f, "%255s %d", name, &type) == 2) {
        if (question_count == cap) {
            cap = cap ? cap * 2 : 1024;
            questions = realloc(questions, cap * sizeof *questions);
            if (questions == NULL) {
                die("realloc", strerror(errno));
            }
        }
        strcpy(questions[question_count].name, name);
        questions[question_count].type = type;
        question_count++;
    }
    fclose(f);
}

int main(int argc, char **argv) {
    static const int modes[] = {1, 8};
    if (argc < 8) {
        fprintf(stderr, "usage: %s FORWARDER ANCHOR_FILE CONF_FILE NAMES_FILE WARM_SECONDS DELAYED_FORWARDER DEEP_NAMES\n",
                argv[0]);
        return 2;
    }
    forwarder = argv[1];
    anchor = argv[2];
    conf = argv[3];
    read_questions(argv[4]);
    warm_seconds = strtod(argv[5], NULL);
    delayed = argv[6];
    deep = argv[7];
    if (question_count == 0) {
        die(argv[4], "holds no questions");
    }
    char (*verdicts)[64] = calloc(question_count, 64);

    for (int m = 0; m < 2; m++) {
        int in_flight = modes[m];
        struct samples lat = {0};
        long before;
        double cpu0, wall;
        struct ub_ctx *ctx;

        if (!go("cold")) {
            return 0;
        }
        before = rss_kib();
        cpu0 = cpu_seconds();
        ctx = context(forwarder, in_flight > 1);
        wall = run_pass(ctx, in_flight, &lat, verdicts);
        printf("phase cold%d\n", in_flight);
        summary(wall, &lat, cpu_seconds() - cpu0);
        printf("version %s\n", ub_version());
        for (size_t i = 0; i < question_count; i++) {
            printf("verdict %s\n", verdicts[i]);
        }
        printf("end\n");
        fflush(stdout);

        if (!go("warm")) {
            return 0;
        }
        lat.n = 0;
        cpu0 = cpu_seconds();
        wall = 0;
        run_pass(ctx, in_flight, &lat, verdicts); /* the verdicts of the first warm pass */
        lat.n = 0;
        for (int passes = 0; passes < 2 || wall < warm_seconds; passes++) {
            wall += run_pass(ctx, in_flight, &lat, NULL);
        }
        printf("phase warm%d\n", in_flight);
        summary(wall, &lat, cpu_seconds() - cpu0);
        for (size_t i = 0; i < question_count; i++) {
            printf("verdict %s\n", verdicts[i]);
        }
        printf("rss_growth_kib %ld\nend\n", rss_kib() - before);
        fflush(stdout);
        ub_ctx_delete(ctx);
        free(lat.v);
    }

    if (!go("deep")) {
        return 0;
    }
    printf("phase deep\n");
    char *names = strdup(deep);
    for (char *n = strtok(names, ","); n != NULL; n = strtok(NULL, ",")) {
        struct ub_ctx *ctx = context(delayed, 0);
        struct ub_result *r = NULL;
        double t0 = now();
        ub_resolve(ctx, n, 1, 1, &r);
        printf("sample %.6f\n", now() - t0);
        if (r != NULL) {
            ub_resolve_free(r);
        }
        ub_ctx_delete(ctx);
    }
    printf("end\n");
    fflush(stdout);
    free(names);
    return 0;
}
