"""Tasks the tests run on real workers."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def note_runs(path):
    """Note each run in ``path`` (pid and time); the first run hangs until its worker is killed."""
    log = Path(path)
    first = not log.exists()
    with log.open("a") as out:
        out.write(f"started {os.getpid()} {time.time()}\n")
    if first:
        time.sleep(600)
    with log.open("a") as out:
        out.write("done\n")
    return "done"
