"""The app a production server loads: ``gunicorn -k gevent -w 1 eventhub.wsgi:app``."""

from eventhub.serve import serving_app

app = serving_app()
