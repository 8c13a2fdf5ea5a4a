/*
 * The physical limit: a bare INSTREAM client outside ScanWorker's code, one connection per scan, 64 KiB chunks.
 *   raw-instream HOST PORT SIZE_BYTES COUNT CONNECTIONS
 * Prints "<scans> <seconds> <scans/s>"; exits 1 if any reply is not "stream: OK".
 * Every scan's content is unique (its first bytes name the run and the scan): clamd answers a repeat from its
 * clean-result cache, keyed by the content's hash, so a bench that resends one object measures the cache.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *host;
static int port;
static long size;
static long count;
static long next_scan;
static int failed;
static unsigned char *content;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int send_all(int fd, const void *data, size_t length) {
    const unsigned char *p = data;
    while (length > 0) {
        ssize_t sent = send(fd, p, length, MSG_NOSIGNAL);
        if (sent <= 0) return -1;
        p += sent;
        length -= (size_t)sent;
    }
    return 0;
}

/* The content's first bytes for scan N of this run: the same length for every scan, so sizes stay exact. Every path
 * stamps the same form ("bench <path> <hex> <n>\n"): clamd's cost depends on the first bytes (a 22-byte stamp that
 * began "wrk " cost it less than half, bench/RESULTS.md 2026-12-07), so the paths must not differ there. */
static void stamp(unsigned char *first, long scan) {
    char text[40];
    int n = snprintf(text, sizeof text, "bench raw %08lx %012ld\n", (unsigned long)getpid() ^ (unsigned long)time(NULL), scan);
    memcpy(first, text, (size_t)n < (size_t)size ? (size_t)n : (size_t)size);
}

static int scan_once(long scan, unsigned char *first) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    inet_pton(AF_INET, host, &address.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) return -1;
    int ok = send_all(fd, "zINSTREAM", 10) == 0;
    for (long offset = 0; ok && offset < size; offset += 65536) {
        uint32_t chunk = (uint32_t)(size - offset < 65536 ? size - offset : 65536);
        uint32_t header = htonl(chunk);
        const unsigned char *data = content + offset;
        if (offset == 0) {
            memcpy(first, content, chunk);
            stamp(first, scan);
            data = first;
        }
        ok = send_all(fd, &header, 4) == 0 && send_all(fd, data, chunk) == 0;
    }
    uint32_t end = 0;
    ok = ok && send_all(fd, &end, 4) == 0;
    char reply[256];
    size_t got = 0;
    while (ok && got < sizeof reply - 1) {
        ssize_t n = recv(fd, reply + got, sizeof reply - 1 - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
        if (memchr(reply, 0, got)) break;
    }
    reply[got] = 0;
    close(fd);
    return ok && strcmp(reply, "stream: OK") == 0 ? 0 : -1;
}

static void *worker(void *unused) {
    (void)unused;
    unsigned char first[65536];
    for (;;) {
        pthread_mutex_lock(&lock);
        long mine = next_scan < count ? next_scan++ : -1;
        pthread_mutex_unlock(&lock);
        if (mine < 0) return NULL;
        if (scan_once(mine, first) != 0) __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s HOST PORT SIZE_BYTES COUNT CONNECTIONS\n", argv[0]);
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    size = atol(argv[3]);
    count = atol(argv[4]);
    int connections = atoi(argv[5]);
    content = malloc((size_t)size + 1);
    /* Pseudo-random bytes (xorshift, fixed seed), as bench/wrk-upload.lua and the queue bench send. */
    uint32_t x = 2463534242u;
    for (long i = 0; i < size; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        content[i] = (unsigned char)x;
    }
    pthread_t threads[256];
    if (connections > 256) connections = 256;
    struct timespec start, stop;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < connections; i++) pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < connections; i++) pthread_join(threads[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &stop);
    double seconds = (double)(stop.tv_sec - start.tv_sec) + (double)(stop.tv_nsec - start.tv_nsec) / 1e9;
    printf("%ld %.3f %.1f\n", count, seconds, (double)count / seconds);
    return failed ? 1 : 0;
}
