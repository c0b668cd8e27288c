"""``time_limit(seconds)``: stop the Python code of the calling thread after a wall-clock limit.

WHY (issue 17): one hostile document (27 MB of repeated lines) held a build for ten minutes
and more, with no limit. Extraction is pure Python run in-process (in the build process or a
pool worker, on whatever thread called the build), so neither killing a process nor
``SIGALRM`` (main thread only) fits: a watchdog thread raises :class:`TimeLimitExceeded` in the
limited thread with ``PyThreadState_SetAsyncExc``, which CPython delivers at the next bytecode
boundary. A single long C call (one regular expression) finishes before the exception lands;
the rules are linear, so that is bounded by the document's size limit.

:class:`TimeLimitExceeded` is a ``BaseException`` so that the ``except Exception`` of the code
being limited cannot swallow it.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """The limited code ran longer than its limit."""


# Two prototypes of the same C function (``[]`` gives a new pointer object each time; the
# attribute form would share one and its argtypes): raise a class, or withdraw with NULL.
_set_async_exc = ctypes.pythonapi["PyThreadState_SetAsyncExc"]
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
_set_async_exc.restype = ctypes.c_int
_clear_async_exc = ctypes.pythonapi["PyThreadState_SetAsyncExc"]
_clear_async_exc.argtypes = (ctypes.c_ulong, ctypes.c_void_p)
_clear_async_exc.restype = ctypes.c_int


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in this thread if the block runs longer than ``seconds``.

    The exception can only surface inside the block (or as it ends): leaving the block takes
    the same lock as the watchdog, and withdraws an exception scheduled but not yet raised.
    Catch it around the ``with``, not inside.
    """
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                _set_async_exc(target, TimeLimitExceeded)
                state["fired"] = True

    watchdog = threading.Timer(seconds, fire)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield
    finally:
        watchdog.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                _clear_async_exc(target, None)  # not raised yet: withdraw it
