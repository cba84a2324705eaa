"""gunicorn's settings file, read from the working directory (`make run`, `make load`, the
Docker image): the workers, threads and keep-alive come from the command line or
``GUNICORN_CMD_ARGS`` (README, «Нагрузка»); here only what a command line cannot say."""


def post_worker_init(worker):
    """Warm each worker's PDF engine before it takes requests: WeasyPrint reads and indexes
    the fonts and parses the sheets' stylesheet at its first document (about 1–2 s of one
    thread's CPU, the GIL held), which a plant user printing a sheet would otherwise wait
    for, with the other requests of that worker behind him."""
    from planning.plans.pdf import html_pdf

    html_pdf('<p class="row">Прогрев\t<b>1</b></p>')


def on_starting(server):
    """Empty the shared cache folder (``CACHE_DIR``, see config/settings.py) before the
    workers start: what it holds is keyed by fingerprints of the rows a page shows, which a
    database made anew (a restore, the demo loaded again) may repeat for other figures. Each
    start begins with an empty cache, as each process's memory did. Only the cache's own
    files go (Django's file cache keeps them in the folder itself, named ``*.djcache``)."""
    import os

    folder = os.environ.get("CACHE_DIR")
    if folder and os.path.isdir(folder):
        for entry in os.scandir(folder):
            if entry.name.endswith(".djcache") and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
