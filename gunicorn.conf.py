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
