import os

from django.core.wsgi import get_wsgi_application

from config.development import provide_development_defaults

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
provide_development_defaults()

application = get_wsgi_application()
