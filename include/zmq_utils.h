/* Monocoque: zmq_utils.h, kept for programs that still include it.

   libzmq 4.x moved everything this header once declared (stopwatch, sleep,
   threads, Z85, CURVE key helpers) into zmq.h, so it declares nothing of
   its own and includes nothing: a program gets those declarations from
   zmq.h. Including it only prints a note that it is deprecated, as libzmq's
   does. Hand-written; not generated. */

#ifndef __ZMQ_UTILS_H_INCLUDED__
#define __ZMQ_UTILS_H_INCLUDED__

#if defined(__GNUC__) || defined(__clang__)
#pragma message("zmq_utils.h is deprecated: zmq.h declares all of its functions")
#endif

#endif /* __ZMQ_UTILS_H_INCLUDED__ */
