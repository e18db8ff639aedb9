# CMake package of Monocoque's libzmq (libzmq 4.3.5's API and ABI), for
# `find_package(ZeroMQ)`: what a consumer of libzmq's own CMake package
# (cppzmq, for one) expects.
#
#   libzmq               IMPORTED SHARED target: the library, zmq.h's
#                        directory as its include directory
#   ZeroMQ_FOUND         TRUE
#   ZeroMQ_INCLUDE_DIR   the directory holding zmq.h
#   ZeroMQ_LIBRARY       the shared library (libzmq.so)
#   ZeroMQ_LIBRARIES, ZeroMQ_INCLUDE_DIRS   the same, plural
#
# Monocoque builds no static library: there is no `libzmq-static` target
# and ZeroMQ_STATIC_LIBRARY is empty.
#
# This file sits in LIBDIR/cmake/ZeroMQ/; the paths are found from here, so
# an installed tree can move. zmq.h is looked for in PREFIX/include for the
# LIBDIR layouts `make install` supports (PREFIX/lib, PREFIX/lib/<triplet>).

get_filename_component(_zmq_libdir "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(_zmq_incdir "")
foreach(_zmq_up "${_zmq_libdir}/.." "${_zmq_libdir}/../..")
  get_filename_component(_zmq_prefix "${_zmq_up}" ABSOLUTE)
  if(NOT _zmq_incdir AND EXISTS "${_zmq_prefix}/include/zmq.h")
    set(_zmq_incdir "${_zmq_prefix}/include")
  endif()
endforeach()

if(NOT _zmq_incdir OR NOT EXISTS "${_zmq_libdir}/libzmq.so")
  set(ZeroMQ_FOUND FALSE)
  set(ZeroMQ_NOT_FOUND_MESSAGE
      "Monocoque's ZeroMQConfig.cmake: no zmq.h near or no libzmq.so in ${_zmq_libdir}")
  return()
endif()

if(NOT TARGET libzmq)
  add_library(libzmq SHARED IMPORTED)
  set_target_properties(libzmq PROPERTIES
    IMPORTED_LOCATION "${_zmq_libdir}/libzmq.so.5.2.5"
    IMPORTED_SONAME "libzmq.so.5"
    INTERFACE_INCLUDE_DIRECTORIES "${_zmq_incdir}")
endif()

set(ZeroMQ_FOUND TRUE)
set(ZeroMQ_INCLUDE_DIR "${_zmq_incdir}")
set(ZeroMQ_LIBRARY "${_zmq_libdir}/libzmq.so")
set(ZeroMQ_STATIC_LIBRARY "")
set(ZeroMQ_INCLUDE_DIRS "${ZeroMQ_INCLUDE_DIR}")
set(ZeroMQ_LIBRARIES "${ZeroMQ_LIBRARY}")

unset(_zmq_libdir)
unset(_zmq_incdir)
unset(_zmq_prefix)
unset(_zmq_up)
