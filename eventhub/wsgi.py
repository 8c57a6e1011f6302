"""The app a production server loads: ``gunicorn -c deploy/gunicorn.conf.py eventhub.wsgi:app``."""

from eventhub.serve import serving_app

app = serving_app()
