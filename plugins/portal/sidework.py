"""Work beside the pages: jobs that need what a build knows but write no page
(the share cards of every page, ...), done by whoever writes the pages.

A plugin queues a job once the site model is made and before the pages are
written (`add`). When the pages are written in worker processes, the jobs are
shared out among those workers with the pages, so they use the same processor
time instead of waiting for it; whatever is still queued afterwards is run in
the build process by `run_pending`, which the plugin that needs the files
calls before it uses them. A job runs in a forked process or in the build
process: it leaves its result in files, never in memory.
"""

import logging

logger = logging.getLogger(__name__)

_queue = {"settings": None, "jobs": []}


def add(settings, function, *args, weight=1.0):
    """Queue `function(*args)` for the build of `settings`. `weight`: about how
    many pages' writing time the job takes (for sharing out the work)."""
    if _queue["settings"] is not settings:  # a new build: nothing of an older one
        _queue.update(settings=settings, jobs=[])
    _queue["jobs"].append((function, args, weight))


def take(settings):
    """The queued jobs of the build of `settings`, taken off the queue."""
    if _queue["settings"] is not settings:
        return []
    jobs, _queue["jobs"] = _queue["jobs"], []
    return jobs


def share(jobs, loads):
    """Split `jobs` among workers that already have `loads` (in pages) of work,
    each to the least loaded: lists of jobs, one per worker."""
    loads = list(loads)
    shares = [[] for _ in loads]
    for job in jobs:
        least = loads.index(min(loads))
        shares[least].append(job)
        loads[least] += job[2]
    return shares


def run(jobs):
    for function, args, _ in jobs:
        function(*args)


def run_pending(settings):
    """Run, in this process, what is still queued for the build of `settings`."""
    run(take(settings))
