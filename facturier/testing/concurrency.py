"""Run a function in several threads released at the same instant, as concurrent requests do."""

import threading

from django.db import connections


def at_once(function, count):
    """``function(index)`` in ``count`` threads started together; (results, errors), each thread's own."""
    start, results, errors = threading.Barrier(count), [], []

    def run(index):
        try:
            start.wait()
            results.append(function(index))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
