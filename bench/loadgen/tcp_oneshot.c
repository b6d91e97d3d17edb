/*
 * tcp_oneshot: load generator for one-request-per-connection TCP servers.
 *
 * Keeps C connections in flight on one epoll loop; each connects, sends a fixed payload
 * (without half-closing, like the course's clients), reads until EOF, closes and records its
 * latency, then starts over. Runs a warm-up, then measures for D seconds and prints one JSON
 * object. It is written in C so that one core of load is far more than one core of server:
 * its own CPU time (getrusage) is part of the output to show it was not the bottleneck.
 *
 * Optionally holds N idle connections open beside the load (they connect and never send;
 * one dropped by the server is reopened), and samples the CPU time of a server process and
 * the busy share of every core over the measured window.
 *
 * Build: cc -O2 -o tcp_oneshot tcp_oneshot.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 256
#define RETRY_AFTER_REFUSED 0.01 /* seconds; a refused connect must not spin the loop */

enum state { CONNECTING, READING, WAITING_RETRY, IDLE_HELD };
enum error_kind { ERR_CONNECT, ERR_RESET, ERR_TIMEOUT, ERR_EMPTY, ERR_UNEXPECTED, ERR_KINDS };
static const char *ERROR_NAMES[ERR_KINDS] = {"connect", "reset", "timeout", "empty_reply",
                                             "unexpected_reply"};

struct conn {
    int fd;
    int idle; /* held open without sending, not part of the load */
    enum state state;
    double started;
    double retry_at;
    size_t received;
};

struct options {
    const char *host;
    int port;
    int concurrency;
    int idle;
    double duration;
    double warmup;
    double timeout;
    const char *payload;
    const char *expect;
    int watch_pid;
    int sources; /* spread connections over 127.0.0.1..127.0.0.N */
};

struct stats {
    uint64_t requests;
    uint64_t errors[ERR_KINDS];
    uint64_t idle_reopened;
    double *latencies; /* seconds, measured window only */
    size_t count, capacity;
};

struct cpu_sample {
    double self_user, self_system; /* seconds of CPU time of this process */
    double self_cpu;
    double server_cpu; /* same for the watched process, or -1 */
    double self_wait, server_wait; /* seconds spent runnable but waiting for a CPU, or -1 */
    int ncpus;
    unsigned long long busy[MAX_CPUS], total[MAX_CPUS];
};

static struct options opt = {"127.0.0.1", 0, 50, 0, 5.0, 1.0, 2.0, "hello\n", NULL, 0, 1};
static struct stats st;
static struct sockaddr_in target;
static int epfd;
static int measuring;
static double window_start, window_end;
static char readbuf[65536];

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

static void record_latency(double seconds) {
    if (st.count == st.capacity) {
        st.capacity = st.capacity ? st.capacity * 2 : 65536;
        st.latencies = realloc(st.latencies, st.capacity * sizeof(double));
        if (!st.latencies) die("realloc");
    }
    st.latencies[st.count++] = seconds;
}

static void count_error(enum error_kind kind) {
    if (measuring) st.errors[kind]++;
}

static void start_conn(struct conn *c, double t);

/* Send the payload: 1 if sent, 0 if the socket is not writable yet, -1 on error. */
static int try_send(struct conn *c) {
    size_t size = strlen(opt.payload);
    ssize_t n = send(c->fd, opt.payload, size, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN)) return 0;
    return n == (ssize_t)size ? 1 : -1; /* so small a payload fits an empty send buffer */
}

/* Open a non-blocking socket and start connecting; the epoll event says when it is done. */
static void open_socket(struct conn *c, double t, unsigned index) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (c->fd < 0) die("socket");
    if (opt.sources > 1) {
        /* The port is chosen at connect time, per destination, not at bind time. */
        int one = 1;
        setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in src = {.sin_family = AF_INET};
        src.sin_addr.s_addr = htonl(0x7f000001u + index % (unsigned)opt.sources);
        if (bind(c->fd, (struct sockaddr *)&src, sizeof src) < 0) die("bind source address");
    }
    c->started = t;
    c->received = 0;
    int rc = connect(c->fd, (struct sockaddr *)&target, sizeof target);
    if (rc < 0 && errno != EINPROGRESS) {
        close(c->fd);
        c->fd = -1;
        if (!c->idle) count_error(ERR_CONNECT);
        c->state = WAITING_RETRY;
        c->retry_at = t + RETRY_AFTER_REFUSED;
        return;
    }
    struct epoll_event ev = {.data.ptr = c};
    if (c->idle) {
        c->state = IDLE_HELD;
        ev.events = EPOLLIN | EPOLLRDHUP;
    } else if (try_send(c) == 1) {
        /* On loopback the handshake is usually done when connect returns: skip a wake-up. */
        c->state = READING;
        ev.events = EPOLLIN | EPOLLRDHUP;
    } else {
        c->state = CONNECTING;
        ev.events = EPOLLOUT;
    }
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl add");
}

static unsigned conn_index(struct conn *c);

static void start_conn(struct conn *c, double t) { open_socket(c, t, conn_index(c)); }

static void finish(struct conn *c, double t, int failed, enum error_kind kind) {
    close(c->fd); /* also removes it from the epoll set */
    c->fd = -1;
    if (failed) {
        count_error(kind);
        if (kind == ERR_CONNECT) {
            c->state = WAITING_RETRY;
            c->retry_at = t + RETRY_AFTER_REFUSED;
            return;
        }
    } else if (measuring && c->started >= window_start) {
        st.requests++;
        record_latency(t - c->started);
    }
    start_conn(c, t);
}

static void on_writable(struct conn *c, double t) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
        finish(c, t, 1, ERR_CONNECT);
        return;
    }
    int sent = try_send(c);
    if (sent == 0) return;
    if (sent < 0) {
        finish(c, t, 1, ERR_RESET);
        return;
    }
    c->state = READING;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl mod");
}

static void on_readable(struct conn *c, double t, uint32_t events) {
    for (;;) {
        ssize_t n = recv(c->fd, readbuf, sizeof readbuf, 0);
        if (n > 0) {
            if (c->received == 0 && opt.expect &&
                strncmp(readbuf, opt.expect, strlen(opt.expect)) != 0) {
                finish(c, t, 1, ERR_UNEXPECTED);
                return;
            }
            c->received += (size_t)n;
            /* The FIN had arrived, so everything before it is read: spare the recv of EOF. */
            if ((events & EPOLLRDHUP) && (size_t)n < sizeof readbuf) {
                finish(c, t, 0, 0);
                return;
            }
            continue;
        }
        if (n == 0) {
            if (c->received == 0)
                finish(c, t, 1, ERR_EMPTY);
            else
                finish(c, t, 0, 0);
            return;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        if (errno == EINTR) continue;
        finish(c, t, 1, c->received ? ERR_RESET : ERR_CONNECT);
        return;
    }
}

static void on_idle_event(struct conn *c, double t) {
    /* The server dropped (or answered) an idle connection: reopen it to keep N held. */
    close(c->fd);
    c->fd = -1;
    if (measuring) st.idle_reopened++;
    start_conn(c, t);
}

static struct conn *conns;
static int nconns;

static unsigned conn_index(struct conn *c) { return (unsigned)(c - conns); }

static void check_timeouts(double t) {
    for (int i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        if (c->state == WAITING_RETRY && t >= c->retry_at) {
            start_conn(c, t);
        } else if (!c->idle && (c->state == CONNECTING || c->state == READING) &&
                   t - c->started > opt.timeout) {
            finish(c, t, 1, ERR_TIMEOUT);
        }
    }
}

static double process_cpu_seconds(int pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the command name may contain spaces */
    if (!p) return -1;
    unsigned long utime = 0, stime = 0;
    /* after ')': state(3) ... utime is field 14, stime 15 */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* Run-queue wait of a task: time it was ready to run while another task held its CPU. This
 * is how a run disturbed by other work on a shared machine is recognized. */
static double runqueue_wait_seconds(const char *pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/schedstat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    unsigned long long run_ns = 0, wait_ns = 0;
    int n = fscanf(f, "%llu %llu", &run_ns, &wait_ns);
    fclose(f);
    return n == 2 ? wait_ns / 1e9 : -1;
}

static void sample_cpu(struct cpu_sample *s) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    s->self_user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
    s->self_system = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    s->self_cpu = s->self_user + s->self_system;
    s->server_cpu = opt.watch_pid ? process_cpu_seconds(opt.watch_pid) : -1;
    char pid[16];
    snprintf(pid, sizeof pid, "%d", opt.watch_pid);
    s->server_wait = opt.watch_pid ? runqueue_wait_seconds(pid) : -1;
    s->self_wait = runqueue_wait_seconds("self");
    s->ncpus = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f) && s->ncpus < MAX_CPUS) {
        int cpu;
        unsigned long long v[8] = {0};
        if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9') continue;
        if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1],
                   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 5)
            continue;
        unsigned long long total = 0;
        for (int i = 0; i < 8; i++) total += v[i];
        s->total[s->ncpus] = total;
        s->busy[s->ncpus] = total - v[3] - v[4]; /* minus idle and iowait */
        s->ncpus++;
    }
    fclose(f);
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile_ms(double p) {
    if (st.count == 0) return 0;
    size_t rank = (size_t)ceil(p * (double)st.count);
    if (rank < 1) rank = 1;
    return st.latencies[rank - 1] * 1000.0;
}

static void print_json(const struct cpu_sample *a, const struct cpu_sample *b) {
    double window = window_end - window_start;
    uint64_t errors = 0;
    for (int k = 0; k < ERR_KINDS; k++) errors += st.errors[k];
    qsort(st.latencies, st.count, sizeof(double), compare_doubles);
    double sum = 0;
    for (size_t i = 0; i < st.count; i++) sum += st.latencies[i];
    printf("{\"requests\": %llu, \"errors\": %llu, \"errors_by_kind\": {",
           (unsigned long long)st.requests, (unsigned long long)errors);
    for (int k = 0; k < ERR_KINDS; k++)
        printf("%s\"%s\": %llu", k ? ", " : "", ERROR_NAMES[k], (unsigned long long)st.errors[k]);
    printf("}, \"duration_s\": %.3f, \"rps\": %.1f, ", window, st.requests / window);
    printf("\"latency_ms\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"max\": %.3f, "
           "\"mean\": %.3f}, ",
           percentile_ms(0.50), percentile_ms(0.90), percentile_ms(0.99),
           st.count ? st.latencies[st.count - 1] * 1000.0 : 0.0,
           st.count ? sum / st.count * 1000.0 : 0.0);
    printf("\"concurrency\": %d, \"idle\": %d, \"idle_reopened\": %llu, \"warmup_s\": %.3f, ",
           opt.concurrency, opt.idle, (unsigned long long)st.idle_reopened, opt.warmup);
    double self = b->self_cpu - a->self_cpu;
    printf("\"loadgen_cpu_s\": %.3f, \"loadgen_cpu_pct\": %.1f, ", self, 100.0 * self / window);
    printf("\"loadgen_user_pct\": %.1f, \"loadgen_system_pct\": %.1f, ",
           100.0 * (b->self_user - a->self_user) / window,
           100.0 * (b->self_system - a->self_system) / window);
    if (a->server_cpu >= 0 && b->server_cpu >= 0)
        printf("\"server_cpu_pct\": %.1f, ", 100.0 * (b->server_cpu - a->server_cpu) / window);
    else
        printf("\"server_cpu_pct\": null, ");
    if (a->server_wait >= 0 && b->server_wait >= 0)
        printf("\"server_wait_pct\": %.1f, ", 100.0 * (b->server_wait - a->server_wait) / window);
    else
        printf("\"server_wait_pct\": null, ");
    if (a->self_wait >= 0 && b->self_wait >= 0)
        printf("\"loadgen_wait_pct\": %.1f, ", 100.0 * (b->self_wait - a->self_wait) / window);
    else
        printf("\"loadgen_wait_pct\": null, ");
    printf("\"cpu_busy_pct\": [");
    int n = a->ncpus < b->ncpus ? a->ncpus : b->ncpus;
    for (int i = 0; i < n; i++) {
        unsigned long long total = b->total[i] - a->total[i];
        double pct = total ? 100.0 * (double)(b->busy[i] - a->busy[i]) / (double)total : 0;
        printf("%s%.1f", i ? ", " : "", pct);
    }
    printf("]}\n");
}

static void usage(const char *prog) {
    fprintf(stderr,
            "usage: %s --port P [--host 127.0.0.1] [--concurrency 50] [--duration 5]\n"
            "          [--warmup 1] [--timeout 2] [--payload TEXT] [--expect PREFIX]\n"
            "          [--idle N] [--watch-pid PID] [--sources N]\n",
            prog);
    exit(2);
}

static void parse_options(int argc, char **argv) {
    static struct option longopts[] = {
        {"host", required_argument, 0, 'h'},     {"port", required_argument, 0, 'p'},
        {"concurrency", required_argument, 0, 'c'}, {"duration", required_argument, 0, 'd'},
        {"warmup", required_argument, 0, 'w'},   {"timeout", required_argument, 0, 't'},
        {"payload", required_argument, 0, 'P'},  {"expect", required_argument, 0, 'e'},
        {"idle", required_argument, 0, 'i'},     {"watch-pid", required_argument, 0, 'W'},
        {"sources", required_argument, 0, 's'},  {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'h': opt.host = optarg; break;
        case 'p': opt.port = atoi(optarg); break;
        case 'c': opt.concurrency = atoi(optarg); break;
        case 'd': opt.duration = atof(optarg); break;
        case 'w': opt.warmup = atof(optarg); break;
        case 't': opt.timeout = atof(optarg); break;
        case 'P': opt.payload = optarg; break;
        case 'e': opt.expect = optarg; break;
        case 'i': opt.idle = atoi(optarg); break;
        case 'W': opt.watch_pid = atoi(optarg); break;
        case 's': opt.sources = atoi(optarg); break;
        default: usage(argv[0]);
        }
    }
    if (opt.port <= 0 || opt.concurrency < 1 || opt.duration <= 0 || opt.idle < 0 ||
        opt.sources < 1 || opt.sources > 254)
        usage(argv[0]);
}

int main(int argc, char **argv) {
    parse_options(argc, argv);
    target.sin_family = AF_INET;
    target.sin_port = htons((uint16_t)opt.port);
    if (inet_pton(AF_INET, opt.host, &target.sin_addr) != 1) usage(argv[0]);

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");

    nconns = opt.idle + opt.concurrency;
    conns = calloc((size_t)nconns, sizeof *conns);
    if (!conns) die("calloc");
    double t = now();
    /* Idle connections first, so that they are ahead of the load in the accept queue. */
    for (int i = 0; i < opt.idle; i++) {
        conns[i].idle = 1;
        start_conn(&conns[i], t);
    }
    struct epoll_event events[1024];
    if (opt.idle) { /* let the handshakes complete before the load starts */
        double until = now() + 0.2;
        while (now() < until) epoll_wait(epfd, events, 1024, 10);
    }
    t = now();
    for (int i = opt.idle; i < nconns; i++) start_conn(&conns[i], t);

    window_start = t + opt.warmup;
    window_end = window_start + opt.duration;
    struct cpu_sample before, after;
    double next_check = t;
    for (;;) {
        int n = epoll_wait(epfd, events, 1024, 5);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        t = now();
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->fd < 0) continue;
            if (c->state == IDLE_HELD) {
                on_idle_event(c, t);
            } else if (c->state == CONNECTING) {
                on_writable(c, t);
            } else if (c->state == READING) {
                on_readable(c, t, events[i].events);
            }
        }
        if (!measuring && t >= window_start) {
            sample_cpu(&before);
            measuring = 1;
        }
        if (t >= window_end) break;
        if (t >= next_check) {
            check_timeouts(t);
            next_check = t + 0.005;
        }
    }
    sample_cpu(&after);
    window_end = t;
    measuring = 0;
    print_json(&before, &after);
    return 0;
}
