/* One side of an interop scenario, on JeroMQ (Debian's libjeromq-java 0.3.6).
 *
 *   java -cp interop/build/jeromq:/usr/share/java/jeromq.jar JPeer \
 *        SCENARIO TYPE bind|connect ENDPOINT SYNCFILE
 *
 * The JeroMQ twin of interop/peer.c: the same scenarios, the same message
 * set, the same fill() bytes and the same SYNCFILE barrier, so a case pairs
 * this with peer.c running on the libzmq under test. The binding side binds
 * tcp://127.0.0.1 on a free port and prints "tcp://127.0.0.1:PORT" as the
 * first stdout line. Every received frame is checked byte for byte; on any
 * difference, exception or timeout it prints one line "jpeer ...: what went
 * wrong" on stderr and exits non-zero (3 on timeout: PEER_TIMEOUT seconds,
 * default 8).
 *
 * Scenarios (as in peer.c): pair, pushpull, dealer-router, dealer-router-id,
 * reqrep, pubsub, xpubsub, hb-bind/hb-connect (the libzmq side sets the
 * heartbeat options: JeroMQ 0.3.6 has none; this side is a plain router or
 * dealer doing the same round trips), and
 *   refused   the libzmq side uses PLAIN or a ZAP domain, which a ZMTP 2.0
 *             peer cannot satisfy: a dealer sends one message, any type then
 *             checks that nothing ever arrives until the libzmq side has seen
 *             its refusals and creates SYNCFILE.
 *   resub-1, resub-2   a pub says Ahello-1 until SYNCFILE.1 exists, then
 *             exits; the runner starts resub-2 on the same endpoint, which
 *             says Chello-2 until SYNCFILE.2 exists, then AEND-2 (guard.c's
 *             resub is the subscriber).
 *   oversize-N  a push sends one N-byte message (over the libzmq side's
 *             ZMQ_MAXMSGSIZE), then waits for SYNCFILE.
 */
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import org.zeromq.ZMQ;

public class JPeer {
    static String sc = "?", type = "?", mode = "?";
    static volatile String phase = "starting";

    static void die(String what) {
        System.err.println("jpeer " + sc + " " + type + " " + mode + " (JeroMQ, ZMQ API "
                + ZMQ.getVersionString() + "): " + what + " (while " + phase + ")");
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    /* ---- the message set (peer.c's) ---- */
    static final int[][] SPECIAL = {
        {3, 5, 0, 7}, {1, 0}, {1, 255}, {1, 256}, {4, 254, 255, 256, 257},
        {1, (1 << 20) + 1}, {3, 0, 0, 0}, {3, 100, 1 << 20, 0},
    };
    static final int NSMALL_FULL = 10000, NSMALL_RR = 300;
    static final byte[] DEALER_ID = {'d', 'e', 'a', 'l', 'e', 'r', 0x00, (byte) 0xff, '!'};

    static int setCount(int nsmall) { return SPECIAL.length + nsmall; }

    static int[] frames(int m) {
        if (m < SPECIAL.length)
            return Arrays.copyOfRange(SPECIAL[m], 1, SPECIAL[m][0] + 1);
        return new int[] {1 + m % 23};
    }

    /* peer.c's fill(): 32-bit unsigned arithmetic, only the low byte kept. */
    static void fill(byte[] p, int off, int len, int seed, int m, int f) {
        int h = seed * 0x9E3779B1 ^ m * 0x85EBCA6B ^ f * 0xC2B2AE35;
        h ^= h >>> 15;
        for (int j = 0; j < len; j++)
            p[off + j] = (byte) (h + j * 131 + (j >>> 8) * 7);
    }

    /* Frame f of message m, with an optional topic byte before frame 0. */
    static byte[] frame(int seed, int m, int f, int len, byte topic) {
        int t = (f == 0 && topic != 0) ? 1 : 0;
        byte[] b = new byte[len + t];
        if (t == 1)
            b[0] = topic;
        fill(b, t, len, seed, m, f);
        return b;
    }

    static void sendFrame(ZMQ.Socket s, byte[] b, boolean more) {
        if (!s.send(b, more ? ZMQ.SNDMORE : 0))
            die("send of " + b.length + " bytes failed");
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length && i < 16; i++)
            sb.append(String.format("%02x", b[i] & 0xff));
        if (b.length > 16)
            sb.append("..");
        return sb.toString();
    }

    static void expectFrame(ZMQ.Socket s, byte[] want, boolean more, String what) {
        byte[] got = s.recv(0);
        if (got == null)
            die(what + ": recv returned null");
        boolean gmore = s.hasReceiveMore();
        if (got.length != want.length || gmore != more)
            die(what + ": expected " + want.length + " bytes [" + hex(want) + "] more="
                    + more + ", got " + got.length + " bytes [" + hex(got) + "] more=" + gmore);
        for (int j = 0; j < want.length; j++)
            if (got[j] != want[j])
                die(what + ": " + want.length + " bytes, first difference at byte " + j
                        + ": expected " + (want[j] & 0xff) + ", got " + (got[j] & 0xff));
    }

    static void sendMsg(ZMQ.Socket s, int seed, int m, byte[] id, byte topic) {
        int[] lens = frames(m);
        if (id != null)
            sendFrame(s, id, true);
        for (int f = 0; f < lens.length; f++)
            sendFrame(s, frame(seed, m, f, lens[f], topic), f < lens.length - 1);
    }

    /* Receives and checks message m; returns its routing-id frame if asked. */
    static byte[] recvMsg(ZMQ.Socket s, int seed, int m, byte topic, boolean withId) {
        byte[] id = null;
        if (withId) {
            id = s.recv(0);
            if (id == null || !s.hasReceiveMore())
                die("message " + m + ": routing-id frame without MORE");
        }
        int[] lens = frames(m);
        for (int f = 0; f < lens.length; f++)
            expectFrame(s, frame(seed, m, f, lens[f], topic), f < lens.length - 1,
                    "message " + m + " frame " + f);
        return id;
    }

    static void sendSet(ZMQ.Socket s, int seed, int nsmall, byte[] id) {
        int total = setCount(nsmall);
        for (int m = 0; m < total; m++) {
            phase = "sending message " + m + " of " + total + " (seed " + seed + ")";
            sendMsg(s, seed, m, id, (byte) 0);
        }
    }

    static void recvSet(ZMQ.Socket s, int seed, int nsmall) {
        int total = setCount(nsmall);
        for (int m = 0; m < total; m++) {
            phase = "receiving message " + m + " of " + total + " (seed " + seed + ")";
            recvMsg(s, seed, m, (byte) 0, false);
        }
        System.err.println("received all " + total + " messages (seed " + seed + ")");
    }

    static boolean exists(String p) { return new File(p).exists(); }

    static void touch(String p) {
        try {
            new File(p).createNewFile();
        } catch (IOException e) {
            die("cannot create " + p + ": " + e);
        }
    }

    static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            die("interrupted");
        }
    }

    /* ---- scenarios ---- */
    static void router(ZMQ.Socket s, boolean explicitId) {
        s.setRouterMandatory(true);
        int total = setCount(NSMALL_FULL);
        byte[] first = null;
        for (int m = 0; m < total; m++) {
            phase = "receiving message " + m + " of " + total + " (seed 3)";
            byte[] id = recvMsg(s, 3, m, (byte) 0, true);
            if (m == 0) {
                if (explicitId ? !Arrays.equals(id, DEALER_ID) : (id.length != 5 || id[0] != 0))
                    die("routing id is " + id.length + " bytes [" + hex(id) + "], expected "
                            + (explicitId ? "the dealer's 6465616c657200ff21"
                                          : "5 bytes starting with 0x00"));
                first = id;
            } else if (!Arrays.equals(id, first)) {
                die("message " + m + " came with another routing id");
            }
        }
        System.err.println("received all " + total + " messages with the expected routing id");
        sendSet(s, 4, NSMALL_FULL, first);
    }

    static void publishSet(ZMQ.Socket s) {
        int total = setCount(NSMALL_FULL);
        for (int m = 0; m < total; m++) {
            phase = "publishing message " + m + " of " + total;
            sendMsg(s, 7, m, null, (byte) 'B');
            sendMsg(s, 7, m, null, (byte) 'A');
        }
        sendFrame(s, "BEND".getBytes(), false);
        sendFrame(s, "AEND".getBytes(), false);
    }

    static void receivePublished(ZMQ.Socket s, int from) {
        int total = setCount(NSMALL_FULL);
        for (int m = from; m < total; m++) {
            phase = "receiving published message " + m + " of " + total;
            recvMsg(s, 7, m, (byte) 'A', false);
        }
        phase = "waiting for AEND";
        expectFrame(s, "AEND".getBytes(), false, "final message");
        System.err.println("received all " + total + " published messages, no B-topic one");
    }

    static void pub(ZMQ.Socket s, String sync) {
        phase = "saying Ahello until the subscriber creates " + sync;
        int n = 0;
        while (!exists(sync)) {
            sendFrame(s, "Ahello".getBytes(), false);
            n++;
            sleepMs(10);
        }
        System.err.println("subscriber heard us after " + n + " hellos");
        publishSet(s);
    }

    static void sub(ZMQ.Socket s, String sync) {
        int hellos = 0;
        byte[] hello = "Ahello".getBytes();
        for (;;) {
            phase = "waiting for Ahello (" + hellos + " so far)";
            byte[] got = s.recv(0);
            if (got == null)
                die("recv returned null");
            if (Arrays.equals(got, hello) && !s.hasReceiveMore()) {
                if (hellos++ == 0)
                    touch(sync);
                continue;
            }
            if (hellos == 0)
                die("first message is not Ahello");
            /* The first data message: frame 0 is already here. */
            int[] lens = frames(0);
            byte[] want = frame(7, 0, 0, lens[0], (byte) 'A');
            if (!Arrays.equals(got, want) || !s.hasReceiveMore())
                die("message 0 frame 0: got " + got.length + " bytes [" + hex(got)
                        + "], expected [" + hex(want) + "] with more");
            for (int f = 1; f < lens.length; f++)
                expectFrame(s, frame(7, 0, f, lens[f], (byte) 'A'), f < lens.length - 1,
                        "message 0 frame " + f);
            break;
        }
        receivePublished(s, 1);
    }

    static void xpub(ZMQ.Socket s) {
        phase = "waiting for the subscription to A";
        expectFrame(s, new byte[] {1, 'A'}, false, "first subscription message");
        sendFrame(s, "Aready".getBytes(), false);
        phase = "waiting for the subscription to B";
        expectFrame(s, new byte[] {1, 'B'}, false, "second subscription message");
        phase = "waiting for the unsubscription from B";
        expectFrame(s, new byte[] {0, 'B'}, false, "unsubscription message");
        System.err.println("saw \\x01A, \\x01B, \\x00B");
        publishSet(s);
    }

    static void xsubSide(ZMQ.Socket s) {
        phase = "waiting for Aready";
        expectFrame(s, "Aready".getBytes(), false, "first message");
        s.subscribe("B".getBytes());
        s.unsubscribe("B".getBytes());
        receivePublished(s, 0);
    }

    static void hbRouter(ZMQ.Socket s) {
        byte[] id = null;
        for (int round = 1; round <= 2; round++) {
            phase = "waiting for ping-" + round;
            byte[] got = s.recv(0);
            if (round == 1)
                id = got;
            else if (!Arrays.equals(id, got))
                die("after 1.2 s idle the dealer came back with another routing id: the "
                        + "connection was dropped and re-made");
            expectFrame(s, ("ping-" + round).getBytes(), false, "request");
            sendFrame(s, id, true);
            sendFrame(s, ("pong-" + round).getBytes(), false);
        }
        System.err.println("same connection across the idle period");
    }

    static void hbDealer(ZMQ.Socket s) {
        for (int round = 1; round <= 2; round++) {
            phase = "sending ping-" + round;
            sendFrame(s, ("ping-" + round).getBytes(), false);
            phase = "waiting for pong-" + round;
            expectFrame(s, ("pong-" + round).getBytes(), false, "reply");
            if (round == 1) {
                phase = "idle";
                sleepMs(1200);
            }
        }
    }

    static void refused(ZMQ.Socket s, int t, String sync) {
        if (t == ZMQ.DEALER)
            sendFrame(s, "must-not-arrive".getBytes(), false);
        phase = "checking that nothing arrives until the libzmq side creates " + sync;
        for (;;) {
            boolean last = exists(sync);
            byte[] got = s.recv(ZMQ.DONTWAIT);
            if (got != null)
                die("a message got through a refused connection: " + got.length + " bytes ["
                        + hex(got) + "]");
            if (last)
                break;
            sleepMs(10);
        }
        System.err.println("nothing arrived");
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: JPeer SCENARIO TYPE bind|connect ENDPOINT SYNCFILE");
            System.exit(2);
        }
        sc = args[0];
        type = args[1];
        mode = args[2];
        String endpoint = args[3], sync = args[4];
        boolean binder = mode.equals("bind");
        String[] names = {"pair", "push", "pull", "dealer", "router", "req", "rep", "pub", "sub", "xpub"};
        int[] types = {ZMQ.PAIR, ZMQ.PUSH, ZMQ.PULL, ZMQ.DEALER, ZMQ.ROUTER, ZMQ.REQ, ZMQ.REP,
                       ZMQ.PUB, ZMQ.SUB, ZMQ.XPUB};
        int t = -1;
        for (int i = 0; i < names.length; i++)
            if (names[i].equals(type))
                t = types[i];
        if (t < 0 || !(binder || mode.equals("connect"))) {
            System.err.println("jpeer: bad TYPE or mode");
            System.exit(2);
        }
        System.err.println("jpeer " + sc + " " + type + " " + mode + " " + endpoint + ": JeroMQ, ZMQ API "
                + ZMQ.getVersionString() + " from "
                + ZMQ.class.getProtectionDomain().getCodeSource().getLocation());

        String pt = System.getenv("PEER_TIMEOUT");
        final long timeoutMs = 1000L * (pt != null && !pt.isEmpty() ? Integer.parseInt(pt) : 8);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeoutMs);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("jpeer " + sc + " " + type + " " + mode + " (JeroMQ, ZMQ API "
                    + ZMQ.getVersionString() + "): TIMEOUT while " + phase);
            System.err.flush();
            Runtime.getRuntime().halt(3);
        });
        watchdog.setDaemon(true);
        watchdog.start();

        try {
            run(t, binder, endpoint, sync);
        } catch (Throwable e) {
            die("exception " + e);
        }
        System.err.println("jpeer " + sc + " " + type + " " + mode + ": ok");
        System.err.flush();
        Runtime.getRuntime().halt(0);
    }

    static void run(int t, boolean binder, String endpoint, String sync) {
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket s = ctx.socket(t);
        if (t == ZMQ.PUB || t == ZMQ.XPUB || t == ZMQ.ROUTER)
            s.setSndHWM(0); /* never drop */
        if (t == ZMQ.SUB)
            s.setRcvHWM(0);
        if (t == ZMQ.SUB && (sc.equals("pubsub") || sc.equals("xpubsub")))
            s.subscribe("A".getBytes());
        if (t == ZMQ.DEALER && sc.equals("dealer-router-id"))
            s.setIdentity(DEALER_ID);
        if (binder) {
            phase = "binding " + endpoint;
            if (endpoint.matches(".*:[0-9]+")) { /* resub-2: the same port again */
                s.bind(endpoint);
                System.out.println(endpoint);
            } else {
                int port = s.bindToRandomPort(endpoint);
                System.out.println(endpoint + ":" + port);
            }
            System.out.flush();
        } else {
            phase = "connecting " + endpoint;
            s.connect(endpoint);
        }

        boolean dealerRouter = sc.equals("dealer-router") || sc.equals("dealer-router-id");
        boolean hb = sc.equals("hb-bind") || sc.equals("hb-connect");
        if (sc.equals("pair") && t == ZMQ.PAIR) {
            if (binder) {
                sendSet(s, 1, NSMALL_FULL, null);
                recvSet(s, 2, NSMALL_FULL);
            } else {
                recvSet(s, 1, NSMALL_FULL);
                sendSet(s, 2, NSMALL_FULL, null);
            }
        } else if (sc.equals("pushpull") && t == ZMQ.PUSH) {
            sendSet(s, 1, NSMALL_FULL, null);
        } else if (sc.equals("pushpull") && t == ZMQ.PULL) {
            recvSet(s, 1, NSMALL_FULL);
        } else if (dealerRouter && t == ZMQ.DEALER) {
            sendSet(s, 3, NSMALL_FULL, null);
            recvSet(s, 4, NSMALL_FULL);
        } else if (dealerRouter && t == ZMQ.ROUTER) {
            router(s, sc.equals("dealer-router-id"));
        } else if (sc.equals("reqrep") && t == ZMQ.REQ) {
            int total = setCount(NSMALL_RR);
            for (int m = 0; m < total; m++) {
                phase = "request " + m + " of " + total;
                sendMsg(s, 5, m, null, (byte) 0);
                phase = "waiting for reply " + m + " of " + total;
                recvMsg(s, 6, m, (byte) 0, false);
            }
            System.err.println(total + " round trips ok");
        } else if (sc.equals("reqrep") && t == ZMQ.REP) {
            int total = setCount(NSMALL_RR);
            for (int m = 0; m < total; m++) {
                phase = "waiting for request " + m + " of " + total;
                recvMsg(s, 5, m, (byte) 0, false);
                phase = "replying " + m + " of " + total;
                sendMsg(s, 6, m, null, (byte) 0);
            }
            System.err.println(total + " round trips ok");
        } else if (sc.equals("pubsub") && t == ZMQ.PUB) {
            pub(s, sync);
        } else if (sc.equals("pubsub") && t == ZMQ.SUB) {
            sub(s, sync);
        } else if (sc.equals("xpubsub") && t == ZMQ.XPUB) {
            xpub(s);
        } else if (sc.equals("xpubsub") && t == ZMQ.SUB) {
            xsubSide(s);
        } else if (hb && t == ZMQ.ROUTER) {
            hbRouter(s);
        } else if (hb && t == ZMQ.DEALER) {
            hbDealer(s);
        } else if (sc.startsWith("oversize-") && t == ZMQ.PUSH) {
            int len = Integer.parseInt(sc.substring(9));
            phase = "sending one " + len + "-byte message";
            sendFrame(s, frame(8, 0, 0, len, (byte) 0), false);
            phase = "waiting for the libzmq side to create " + sync;
            while (!exists(sync))
                sleepMs(10);
        } else if (sc.equals("resub-1") && t == ZMQ.PUB) {
            phase = "saying Ahello-1 until the subscriber creates " + sync + ".1";
            while (!exists(sync + ".1")) {
                sendFrame(s, "Ahello-1".getBytes(), false);
                sendFrame(s, "Bnoise".getBytes(), false);
                sleepMs(10);
            }
            s.setLinger(0);
            s.close();
            ctx.term();
            return; /* the runner starts resub-2 on the same port */
        } else if (sc.equals("resub-2") && t == ZMQ.PUB) {
            phase = "saying Chello-2 until the subscriber creates " + sync + ".2";
            while (!exists(sync + ".2")) {
                sendFrame(s, "Bnoise".getBytes(), false);
                sendFrame(s, "Chello-2".getBytes(), false);
                sleepMs(10);
            }
            sendFrame(s, "AEND-2".getBytes(), false);
        } else if (sc.equals("refused")) {
            refused(s, t, sync);
        } else {
            die("no scenario " + sc + " for socket type " + type);
        }

        /* Barrier (as peer.c): neither side closes before the other is done. */
        touch(sync + ".done-" + (binder ? "bind" : "connect"));
        phase = "waiting for the peer to finish";
        String theirs = sync + ".done-" + (binder ? "connect" : "bind");
        while (!exists(theirs))
            sleepMs(5);
        phase = "closing";
        s.setLinger(0); /* everything was received: the barrier says so */
        s.close();
        phase = "terminating the context";
        ctx.term();
    }
}
