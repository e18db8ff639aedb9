/* One message of `size` bytes over tcp (PUSH to PULL, one process): it
 * arrives whole, zmq_msg_recv reports min(size, INT_MAX), sampled bytes
 * match. The sender's buffer is calloc'ed and handed over with
 * zmq_msg_init_data (no copy, and only the sampled pages are touched), so
 * the case needs about `size` bytes of memory, for the receiver. Exits 77
 * when /proc/meminfo's MemAvailable is short of that plus a margin. */
#ifndef COMPAT_LARGEMSG_H
#define COMPAT_LARGEMSG_H
#include "testutil.h"
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#define LARGEMSG_STRIDE ((size_t) 256 << 20)

static long long mem_available_bytes (void)
{
    FILE *f = fopen ("/proc/meminfo", "r");
    if (!f)
        return -1;
    char line[256];
    long long kib = -1;
    while (fgets (line, sizeof line, f))
        if (sscanf (line, "MemAvailable: %lld kB", &kib) == 1)
            break;
    fclose (f);
    return kib < 0 ? -1 : kib * 1024;
}

static void free_buffer (void *data, void *hint)
{
    (void) hint;
    free (data);
}

static unsigned char sample_at (size_t i)
{
    return (unsigned char) (0x5a ^ (i >> 20));
}

static int large_message_over_tcp (size_t size)
{
    long long avail = mem_available_bytes ();
    long long need = (long long) size + ((long long) 1 << 30);
    if (avail < need) {
        printf ("SKIP: needs %lld MiB of available memory, MemAvailable is "
                "%lld MiB\n",
                need >> 20, avail >> 20);
        return SKIP_EXIT;
    }
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && pull && push);
    set_int (pull, ZMQ_RCVTIMEO, 60000);
    set_int (push, ZMQ_LINGER, 0);
    set_int (pull, ZMQ_LINGER, 0);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));

    unsigned char *data = (unsigned char *) calloc (size, 1);
    if (!data) {
        printf ("SKIP: cannot allocate %zu bytes\n", size);
        return SKIP_EXIT;
    }
    for (size_t i = 0; i + 1 < size; i += LARGEMSG_STRIDE)
        data[i] = sample_at (i);
    data[size - 1] = 0xa5;
    zmq_msg_t out;
    CHECK_OK (zmq_msg_init_data (&out, data, size, free_buffer, NULL));
    int sent = zmq_msg_send (&out, push, 0);
    if (sent < 0)
        FAIL ("send of %zu bytes failed: %s", size, zmq_strerror (zmq_errno ()));
    CHECK_EQ_INT (sent, size > INT_MAX ? INT_MAX : (int) size);

    zmq_msg_t in;
    CHECK_OK (zmq_msg_init (&in));
    int got = zmq_msg_recv (&in, pull, 0);
    if (got < 0)
        FAIL ("no message of %zu bytes within 60 s: %s", size,
              zmq_strerror (zmq_errno ()));
    CHECK_EQ_INT (got, size > INT_MAX ? INT_MAX : (int) size);
    CHECK (zmq_msg_size (&in) == size);
    CHECK (!zmq_msg_more (&in));
    const unsigned char *d = (const unsigned char *) zmq_msg_data (&in);
    for (size_t i = 0; i + 1 < size; i += LARGEMSG_STRIDE)
        if (d[i] != sample_at (i))
            FAIL ("byte %zu differs", i);
    CHECK_EQ_INT (d[size - 1], 0xa5);
    CHECK_OK (zmq_msg_close (&in));
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
#endif
