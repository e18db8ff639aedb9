"""pytest plugin for interop/pyzmq-suite: lets pyzmq's NULL and PLAIN
authentication tests run on a libzmq without CURVE.

pyzmq's auth test classes skip as a whole when zmq.curve_keypair() fails,
because their setUp writes CURVE certificates, even for the tests that
never use them. Random Z85 keys serve those files; the CURVE tests
themselves are deselected by the caller."""
import os

import zmq
import zmq.utils.z85


def _random_keypair():
    return zmq.utils.z85.encode(os.urandom(32)), zmq.utils.z85.encode(os.urandom(32))


zmq.curve_keypair = _random_keypair
