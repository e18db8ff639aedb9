/* behaviour: the CPUs given with THREAD_AFFINITY_CPU_ADD become the CPU affinity of the context's I/O threads (ZMQbg/IO/n), not of the application's thread */
#include "testutil.h"
#include <dirent.h>
#include <sched.h>

/* The Cpus_allowed_list line of /proc/self/task/TID/status ("" if none). */
static void allowed_list (const char *tid, char *out, size_t len)
{
    char path[128], line[256];
    snprintf (path, sizeof path, "/proc/self/task/%s/status", tid);
    out[0] = 0;
    FILE *f = fopen (path, "r");
    if (!f)
        return;
    while (fgets (line, sizeof line, f))
        if (sscanf (line, "Cpus_allowed_list: %63s", out) == 1)
            break;
    fclose (f);
}

int main (void)
{
    test_deadline (20);
    cpu_set_t mine;
    CHECK (sched_getaffinity (0, sizeof mine, &mine) == 0);
    int cpu = -1;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET (c, &mine))
            cpu = c; /* the highest CPU this process may use */
    CHECK (cpu >= 0);
    char want[16];
    snprintf (want, sizeof want, "%d", cpu);

    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, cpu));
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    send_str (b, "x", 0);
    recv_str_eq (a, "x", 0);

    int io_threads = 0;
    DIR *d = opendir ("/proc/self/task");
    CHECK (d);
    struct dirent *e;
    while ((e = readdir (d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[128], comm[64] = "";
        snprintf (path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen (path, "r");
        if (!f)
            continue;
        if (!fgets (comm, sizeof comm, f))
            comm[0] = 0;
        fclose (f);
        comm[strcspn (comm, "\n")] = 0;
        char allowed[64];
        allowed_list (e->d_name, allowed, sizeof allowed);
        if (strncmp (comm, "ZMQbg/IO/", 9) == 0) {
            io_threads++;
            if (strcmp (allowed, want) != 0)
                FAIL ("%s may run on CPUs %s, expected only %s", comm, allowed,
                      want);
        } else if (atoi (e->d_name) == (int) getpid ()) {
            if (CPU_COUNT (&mine) > 1 && strcmp (allowed, want) == 0)
                FAIL ("the application's thread was pinned to CPU %s too",
                      want);
        }
    }
    closedir (d);
    if (io_threads == 0)
        FAIL ("no thread named ZMQbg/IO/n found");

    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
