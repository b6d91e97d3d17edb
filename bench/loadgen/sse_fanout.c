/*
 * sse_fanout: holds N server-sent event streams open and times how long one event takes to
 * reach every one of them.
 *
 * Opens N connections (at most --opening at a time), each sending
 *   GET PATH HTTP/1.1 with "Authorization: Bearer <token>" (tokens from --tokens, one
 *   "<user id> <token>" line each, used in turn),
 * and counts a stream as open once its "retry:" line has arrived. Then it prints
 *   {"open": N, ...}
 * on stdout and reads commands on stdin, one per line:
 *   fire   send one trigger request (PATCH TRIGGER_PATH with {"status": "<marker>"}, a new
 *          marker each time) on a new connection, then time, for every open stream, the
 *          arrival of the marker from the moment the request was written; prints one JSON
 *          line with the percentiles once every stream has it (or after --timeout)
 *   quit   close everything and exit
 * Every stream is read as data arrives (heartbeats, other events), as a browser would.
 * The arrival time of the marker on a stream is the kernel's receive timestamp of the data
 * that completed it (SO_TIMESTAMPNS), not the moment this loop got to read it: so however
 * long the loop takes over N sockets, it does not count. The read times are reported too
 * ("read_ms"), with this process's CPU time during each fan-out. Written in C on one epoll
 * loop, so that reading N sockets costs little next to the server writing them.
 *
 * Build: cc -O2 -o sse_fanout sse_fanout.c -lm
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define TAIL 63 /* bytes kept from the previous read, so a marker split by reads is found */
#define MAX_EVENTS 1024
#define STDIN_TAG ((void *)1)
#define TRIGGER_TAG ((void *)2)

enum state { FREE, CONNECTING, WAITING_RETRY, OPEN, CLOSED };

struct stream {
    int fd;
    enum state state;
    int token;
    int got; /* the current marker arrived */
    double at, read_at; /* kernel receive time, and when it was read */
    int tail_len;
    char tail[TAIL];
};

static struct {
    int port, streams, opening;
    double timeout;
    const char *path, *tokens_file, *trigger_path, *trigger_token;
} opt = {0, 1000, 100, 10.0, "/api/events", NULL, NULL, NULL};

static struct stream *streams;
static char **tokens;
static int ntokens, epfd, trigger_fd = -1, trigger_status;
static struct sockaddr_in target;
static char readbuf[65536], marker[64];
static double fired_at, fired_at_wall;
static int fire_seq, firing, waiting_for, open_count, opening, dropped, open_errors;
static double *arrivals, *reads;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_now(void) { /* the clock of the kernel's receive timestamps */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* recv(), plus the kernel's receive time of the data read (0 if none came with it). */
static ssize_t recv_stamped(int fd, char *buf, size_t size, double *stamp) {
    char control[CMSG_SPACE(sizeof(struct timespec))];
    struct iovec iov = {.iov_base = buf, .iov_len = size};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof control};
    ssize_t n = recvmsg(fd, &msg, 0);
    *stamp = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n > 0 && c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            *stamp = ts.tv_sec + ts.tv_nsec / 1e9;
        }
    }
    return n;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static void load_tokens(void) {
    FILE *f = fopen(opt.tokens_file, "r");
    if (!f) die(opt.tokens_file);
    char line[512];
    int cap = 0;
    while (fgets(line, sizeof line, f)) {
        char token[400];
        int id;
        if (sscanf(line, "%d %399s", &id, token) != 2) continue;
        if (ntokens == cap) {
            cap = cap ? 2 * cap : 1024;
            tokens = realloc(tokens, cap * sizeof *tokens);
            if (!tokens) die("realloc");
        }
        tokens[ntokens++] = strdup(token);
    }
    fclose(f);
    if (ntokens == 0) {
        fprintf(stderr, "no tokens in %s\n", opt.tokens_file);
        exit(2);
    }
}

/* Whether `needle` occurs in what the stream received, counting the kept tail. */
static int seen(struct stream *s, const char *buf, size_t n, const char *needle) {
    size_t len = strlen(needle);
    int found = 0;
    if (s->tail_len) {
        char joint[2 * TAIL];
        size_t take = n < TAIL ? n : TAIL;
        memcpy(joint, s->tail, s->tail_len);
        memcpy(joint + s->tail_len, buf, take);
        found = memmem(joint, s->tail_len + take, needle, len) != NULL;
    }
    if (!found) found = memmem(buf, n, needle, len) != NULL;
    if (n >= TAIL) {
        memcpy(s->tail, buf + n - TAIL, TAIL);
        s->tail_len = TAIL;
    } else {
        int keep = s->tail_len + (int)n > TAIL ? TAIL - (int)n : s->tail_len;
        memmove(s->tail, s->tail + s->tail_len - keep, keep);
        memcpy(s->tail + keep, buf, n);
        s->tail_len = keep + (int)n;
    }
    return found;
}

static void start_stream(struct stream *s) {
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (s->fd < 0) die("socket");
    s->tail_len = 0;
    s->state = CONNECTING;
    opening++;
    int one = 1;
    if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0)
        die("SO_TIMESTAMPNS");
    if (connect(s->fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS)
        die("connect");
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = s};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev) < 0) die("epoll_ctl add");
}

static void drop(struct stream *s) {
    close(s->fd);
    s->fd = -1;
    if (s->state == OPEN) {
        open_count--;
        dropped++;
        s->state = CLOSED;
        if (firing && !s->got) waiting_for--;
    } else {
        open_errors++;
        opening--;
        start_stream(s); /* refused or reset while opening: try again */
    }
}

static void send_request(struct stream *s) {
    char request[1024];
    int size = snprintf(request, sizeof request,
                        "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                        "Authorization: Bearer %s\r\n\r\n",
                        opt.path, tokens[s->token]);
    if (send(s->fd, request, size, MSG_NOSIGNAL) != size) {
        drop(s);
        return;
    }
    s->state = WAITING_RETRY;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = s};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev) < 0) die("epoll_ctl mod");
}

static void on_stream(struct stream *s, uint32_t events) {
    if (s->state == CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) drop(s);
        else send_request(s);
        return;
    }
    for (;;) {
        double stamp;
        ssize_t n = recv_stamped(s->fd, readbuf, sizeof readbuf, &stamp);
        if (n > 0) {
            if (s->state == WAITING_RETRY && seen(s, readbuf, n, "retry:")) {
                s->state = OPEN;
                open_count++;
                opening--;
            } else if (s->state == OPEN && firing && !s->got && seen(s, readbuf, n, marker)) {
                s->got = 1;
                s->read_at = now() - fired_at;
                s->at = stamp > 0 ? stamp - fired_at_wall : s->read_at;
                waiting_for--;
            } else if (s->state == OPEN && !(firing && !s->got)) {
                seen(s, readbuf, n, "\n"); /* only keeps the tail up to date */
            }
            if ((size_t)n < sizeof readbuf && !(events & EPOLLRDHUP)) return;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n < 0 && errno == EINTR) continue;
        drop(s);
        return;
    }
}

static void fire(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0 || connect(fd, (struct sockaddr *)&target, sizeof target) < 0) die("trigger");
    fire_seq++;
    snprintf(marker, sizeof marker, "fanout-%d-%04d", (int)getpid(), fire_seq);
    char body[128], request[1024];
    int body_len = snprintf(body, sizeof body, "{\"status\": \"%s\"}", marker);
    int size = snprintf(request, sizeof request,
                        "PATCH %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                        "Content-Type: application/json\r\nContent-Length: %d\r\n"
                        "Connection: close\r\n\r\n%s",
                        opt.trigger_path, opt.trigger_token, body_len, body);
    for (int i = 0; i < opt.streams; i++) streams[i].got = 0;
    waiting_for = open_count;
    trigger_status = 0;
    firing = 1;
    fired_at_wall = wall_now();
    fired_at = now();
    if (send(fd, request, size, MSG_NOSIGNAL) != size) die("trigger send");
    trigger_fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = TRIGGER_TAG};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl trigger");
}

static void on_trigger_reply(void) {
    char reply[4096];
    ssize_t n = recv(trigger_fd, reply, sizeof reply - 1, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n > 12 && trigger_status == 0) {
        reply[n] = 0;
        sscanf(reply, "HTTP/1.%*d %d", &trigger_status);
    }
    if (n <= 0 || trigger_status) {
        close(trigger_fd);
        trigger_fd = -1;
    }
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, int count, double p) {
    if (count == 0) return 0;
    int rank = (int)ceil(p * count);
    return sorted[(rank < 1 ? 1 : rank) - 1] * 1000.0;
}

static void report(double cpu_before) {
    double wall = now() - fired_at;
    int expected = open_count, missing = waiting_for;
    int count = 0;
    for (int i = 0; i < opt.streams; i++) {
        if (!streams[i].got) continue;
        reads[count] = streams[i].read_at;
        arrivals[count++] = streams[i].at;
    }
    qsort(arrivals, count, sizeof(double), compare_doubles);
    qsort(reads, count, sizeof(double), compare_doubles);
    printf("{\"marker\": \"%s\", \"streams\": %d, \"received\": %d, \"missing\": %d, "
           "\"dropped\": %d, \"trigger_status\": %d, \"latency_ms\": {\"min\": %.3f, "
           "\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"max\": %.3f}, "
           "\"read_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}, "
           "\"client_cpu_s\": %.4f, \"wall_s\": %.4f}\n",
           marker, expected, count, missing, dropped, trigger_status,
           count ? arrivals[0] * 1000.0 : 0.0, pct(arrivals, count, 0.5),
           pct(arrivals, count, 0.9), pct(arrivals, count, 0.99),
           count ? arrivals[count - 1] * 1000.0 : 0.0, pct(reads, count, 0.5),
           pct(reads, count, 0.99), count ? reads[count - 1] * 1000.0 : 0.0,
           cpu_seconds() - cpu_before, wall);
    fflush(stdout);
    firing = 0;
}

/* Reads what stdin has: each "fire" line adds one to fire after the current one, "quit"
 * or the end of input ends the run once those are done. */
static int pending_fires, quitting;

static void read_commands(void) {
    static char buf[4096];
    static size_t used;
    ssize_t n = read(0, buf + used, sizeof buf - 1 - used);
    if (n <= 0) {
        quitting = 1;
        epoll_ctl(epfd, EPOLL_CTL_DEL, 0, NULL); /* or it stays readable, and the loop spins */
        return;
    }
    used += (size_t)n;
    buf[used] = 0;
    char *line = buf, *end;
    while ((end = strchr(line, '\n')) != NULL) {
        if (strncmp(line, "fire", 4) == 0) pending_fires++;
        if (strncmp(line, "quit", 4) == 0) quitting = 1;
        line = end + 1;
    }
    used = strlen(line);
    memmove(buf, line, used);
}

static void parse_options(int argc, char **argv) {
    static struct option longopts[] = {
        {"port", required_argument, 0, 'p'},         {"streams", required_argument, 0, 'n'},
        {"opening", required_argument, 0, 'o'},      {"timeout", required_argument, 0, 't'},
        {"path", required_argument, 0, 'P'},         {"tokens", required_argument, 0, 'T'},
        {"trigger-path", required_argument, 0, 'r'}, {"trigger-token", required_argument, 0, 'k'},
        {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'p': opt.port = atoi(optarg); break;
        case 'n': opt.streams = atoi(optarg); break;
        case 'o': opt.opening = atoi(optarg); break;
        case 't': opt.timeout = atof(optarg); break;
        case 'P': opt.path = optarg; break;
        case 'T': opt.tokens_file = optarg; break;
        case 'r': opt.trigger_path = optarg; break;
        case 'k': opt.trigger_token = optarg; break;
        default: exit(2);
        }
    }
    if (opt.port <= 0 || opt.streams < 1 || opt.opening < 1 || !opt.tokens_file ||
        !opt.trigger_path || !opt.trigger_token) {
        fprintf(stderr, "usage: %s --port P --tokens FILE --trigger-path PATH "
                        "--trigger-token TOKEN [--streams 1000] [--opening 100] "
                        "[--timeout 10] [--path /api/events]\n", argv[0]);
        exit(2);
    }
}

int main(int argc, char **argv) {
    parse_options(argc, argv);
    load_tokens();
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    target.sin_family = AF_INET;
    target.sin_port = htons((uint16_t)opt.port);
    inet_pton(AF_INET, "127.0.0.1", &target.sin_addr);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    streams = calloc(opt.streams, sizeof *streams);
    arrivals = calloc(opt.streams, sizeof *arrivals);
    reads = calloc(opt.streams, sizeof *reads);
    if (!streams || !arrivals || !reads) die("calloc");

    struct epoll_event events[MAX_EVENTS];
    double started = now();
    int next = 0;
    while (open_count + dropped < opt.streams) {
        while (next < opt.streams && opening < opt.opening) {
            streams[next].token = next % ntokens;
            start_stream(&streams[next++]);
        }
        int n = epoll_wait(epfd, events, MAX_EVENTS, 100);
        for (int i = 0; i < n; i++) on_stream(events[i].data.ptr, events[i].events);
        if (now() - started > 60.0 + opt.streams / 50.0) {
            fprintf(stderr, "only %d of %d streams opened\n", open_count, opt.streams);
            break;
        }
    }
    printf("{\"open\": %d, \"dropped\": %d, \"open_errors\": %d, \"seconds\": %.3f}\n",
           open_count, dropped, open_errors, now() - started);
    fflush(stdout);

    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = STDIN_TAG};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev) < 0) die("epoll_ctl stdin");
    double cpu_before = 0;
    for (;;) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, firing ? 5 : 200);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == STDIN_TAG) {
                read_commands();
            } else if (tag == TRIGGER_TAG) {
                on_trigger_reply();
            } else {
                on_stream(tag, events[i].events);
            }
        }
        if (firing && (waiting_for <= 0 || now() - fired_at > opt.timeout)) {
            /* the trigger's reply may still be on its way: it is not what is timed */
            report(cpu_before);
        }
        if (!firing && pending_fires > 0) {
            pending_fires--;
            cpu_before = cpu_seconds();
            fire();
        } else if (!firing && quitting) {
            return 0;
        }
    }
}
