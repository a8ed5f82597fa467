from django.urls import path

from webhooks.apis import provider_webhook

app_name = "webhooks"
urlpatterns = [path("<slug:provider>/", provider_webhook, name="receive")]
