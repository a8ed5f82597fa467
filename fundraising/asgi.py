import os

from django.core.asgi import get_asgi_application

# Production unless told otherwise: a server started without DJANGO_SETTINGS_MODULE refuses
# to start on development defaults. Development (manage.py) names fundraising.settings.base.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundraising.settings.production")
application = get_asgi_application()
