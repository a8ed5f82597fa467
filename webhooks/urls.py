from django.urls import path

from webhooks.apis import stripe_webhook

app_name = "webhooks"
urlpatterns = [path("stripe/", stripe_webhook, name="stripe")]
